using TimingMat.Cli.Infrastructure;
using TimingMat.Tent.Monitoring;

namespace TimingMat.Cli.Commands.Tent;

/// <summary>The live monitor on a pipe or a log: a line for each alarm raised, cleared or acknowledged; with <c>--json</c>, the fleet as a JSON line on each change.</summary>
internal sealed class MonitorLog(CommandOutput output, string? json)
{
    private readonly Dictionary<(int Unit, string Kind), (bool Active, bool Acknowledged)> _shown = [];
    private long _version = -1;

    public void Write(FleetSnapshot snapshot)
    {
        if (snapshot.Version == _version)
        {
            return;
        }

        _version = snapshot.Version;
        if (json != null)
        {
            output.WriteJson(snapshot, json == JsonOption.StandardOutput ? null : json);
            if (json == JsonOption.StandardOutput)
            {
                output.Out.Flush();
                return;
            }
        }

        var now = snapshot.Alarms.ToDictionary(a => (a.Unit, a.Kind), a => (a.Active, a.Acknowledged));
        foreach (var alarm in snapshot.Alarms)
        {
            if (!_shown.TryGetValue((alarm.Unit, alarm.Kind), out var before) || before != (alarm.Active, alarm.Acknowledged))
            {
                output.Out.WriteLine($"{DateTime.Now:HH:mm:ss} {MonitorTable.Line(alarm)}");
            }
        }

        foreach (var gone in _shown.Keys.Where(k => !now.ContainsKey(k)))
        {
            output.Out.WriteLine($"{DateTime.Now:HH:mm:ss} unit {gone.Unit} {gone.Kind}: cleared and acknowledged");
        }

        _shown.Clear();
        foreach (var (key, value) in now)
        {
            _shown[key] = value;
        }

        output.Out.Flush();
    }
}
