using System.Text.Json;
using TimingMat.Core.Hardware;
using TimingMat.Mqtt;
using TimingMat.Simulation.Hil;

namespace TimingMat.Cli.Tests;

/// <summary>
/// A mat unit at a start line: <c>timingmat unit</c> as a child process, wired to the line's emulated reader module,
/// GPS and PPS (<see cref="BridgedStartLine"/>), with a watcher on its retained status.
/// </summary>
internal sealed class StartLineUnit : IDisposable
{
    private readonly BridgedStartLine _line;
    private readonly MqttLink _watch;
    private readonly string _report;
    private volatile string? _status;
    private long _statusAt;

    /// <summary>Starts the unit and its mat; returns once the unit runs (the first runner crosses about 25 s later).</summary>
    public StartLineUnit(int id, TempFolder dir, MqttBrokerAddress broker, int runners, double perSecond)
    {
        Id = id;
        _report = dir.PathOf($"unit-{id}.json");
        var config = dir.Write($"unit-{id}.cfg", BridgedStartLine.UnitConfig(id, broker));
        _line = new BridgedStartLine(runners, perSecond, seed: id);
        _watch = new MqttLink(broker);
        _watch.MessageReceived += m =>
        {
            _status = System.Text.Encoding.UTF8.GetString(m.Payload);
            Interlocked.Exchange(ref _statusAt, Mat.TrueNow);
        };
        if (!_watch.Connect(new MqttConnectOptions($"status-watch-{id}-{Environment.ProcessId}") { CleanSession = true }) || _watch.SubscribeAndWait($"timingmat/{id}/status", 1, TimeSpan.FromSeconds(5)) != 1)
        {
            throw new InvalidOperationException($"cannot watch the unit's status: {_watch.LastError}");
        }

        Process = CliProcess.Start(["unit", .. _line.UnitArguments, "--config", config, "--journal", dir.PathOf($"unit-{id}"), "--json", _report]);
        Process.WaitFor("Ctrl+C stops", TimeSpan.FromSeconds(60));
        Mat.Start();
    }

    public int Id { get; }

    public MatPlayer Mat => _line.Mat;

    public CliProcess Process { get; }

    /// <summary>Gets the bibs of the runners the mat's reader read (each must come as one passing).</summary>
    public List<int> BibsRead => _line.BibsRead;

    /// <summary>
    /// Waits until the last runner has been timed and the unit's status, published after that, says the collector
    /// acknowledged its whole journal; then stops the unit (SIGTERM) and gives its final status.
    /// </summary>
    public JsonElement FinishAndStop(TimeSpan within)
    {
        // A start mat's passing leaves 2 s after its runner (the reaction time); a second more for group commit.
        var settled = Mat.Crossings[^1].UtcMicros + 3_000_000;
        var deadline = DateTime.UtcNow + within;
        while (!(Interlocked.Read(ref _statusAt) > settled && _status is { } text && FullyAcknowledged(text)))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"unit {Id} did not get its journal acknowledged; last status {_status}\nunit out:\n{Process.Output}\nerr:\n{Process.Errors}");
            }

            Thread.Sleep(100);
        }

        if (!Process.Terminate(TimeSpan.FromSeconds(20)) || Process.ExitCode != 0)
        {
            throw new InvalidOperationException($"the unit did not stop cleanly on SIGTERM.\nout:\n{Process.Output}\nerr:\n{Process.Errors}");
        }

        using var report = JsonDocument.Parse(File.ReadAllText(_report));
        return report.RootElement.GetProperty("status").Clone();
    }

    public void Dispose()
    {
        Process.Dispose();
        _line.Dispose();
        _watch.Dispose();
    }

    private static bool FullyAcknowledged(string text)
    {
        using var status = JsonDocument.Parse(text);
        var journal = status.RootElement.GetProperty("journal");
        var last = journal.GetProperty("last_seq").GetInt64();
        return last > 0 && journal.GetProperty("acked_seq").GetInt64() == last;
    }
}
