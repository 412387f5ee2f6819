using System.CommandLine;
using System.Globalization;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Unit;
using TimingMat.Host.Ports;
using TimingMat.Host.Unit;

namespace TimingMat.Cli.Commands.Provisioning;

/// <summary>
/// <c>timingmat unit --console ADDR</c>: the desktop unit provisioned as a board is (<see cref="DesktopConsoleUnit"/>),
/// serving the unit console on a port of its own and keeping its configuration in its folder's <c>unit.cfg</c>.
/// </summary>
internal static class ConsoleUnit
{
    private static readonly TimeSpan s_statusInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(2);

    public static int Run(CommandOutput output, ParseResult parse, string console, string? configPath, string? journal, UnitPorts ports, BrokerOptions broker, int seconds, string? json, CancellationToken token)
    {
        if (seconds < 0)
        {
            throw new CliException(ExitCode.InvalidInput, $"--seconds must be 0 or more, not {seconds}.");
        }

        var initial = configPath == null ? null : UnitCommand.LoadConfig(configPath);
        var folder = journal ?? initial?.JournalDirectory
            ?? throw new CliException(ExitCode.Usage, "--console without --config needs --journal DIR: the unit's folder holds its journal and its unit.cfg, as a board's flash does.", "give --journal DIR (a folder of its own for each unit).");
        if (initial != null)
        {
            initial = initial with { JournalDirectory = Path.GetFullPath(folder) };
            UnitCommand.CheckPorts(ports, initial.Unit);
        }

        if (PortClash.Find(ports.All().Append(("console", console))) is { } clash)
        {
            throw new CliException(ExitCode.InvalidInput, clash.Message + ".", "give the console a port of its own.");
        }

        var lines = new List<string>();
        DesktopConsoleUnit unit;
        try
        {
            unit = new DesktopConsoleUnit(
                console,
                folder,
                initial,
                initial?.GpsBaud ?? 9600,
                config =>
                {
                    var url = config.Unit.HasBroker ? (config.Unit.MqttTls ? "mqtts://" : "mqtt://") + config.Unit.MqttHost + ":" + config.Unit.MqttPort.ToString(CultureInfo.InvariantCulture) : null;
                    return UnitCommand.Create(config, ports, broker.Read(parse, url, "set mqtt.url in the configuration"));
                },
                notice =>
                {
                    output.Out.WriteLine("  " + notice);
                    output.Out.Flush();
                });
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCode.InvalidInput, e.Message + ".", "give the console as tcp://host:port (the unit listens there) or a serial device such as /dev/ttyUSB0.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCode.StorageFailed, $"the unit's folder '{folder}' cannot be used: {e.Message}", "give a folder you may write to with --journal.");
        }

        using (unit)
        {
            try
            {
                unit.Start();
            }
            catch (PortOpenException e)
            {
                throw new CliException(ExitCode.PortUnavailable, e.Message + ".", e.Role == "console" ? "pick a free TCP port (or another device) for --console." : UnitCommand.PortFix(e));
            }

            var human = json != JsonOption.StandardOutput;
            if (human)
            {
                output.Out.WriteLine(unit.Current == null
                    ? $"Unit not provisioned (no unit.cfg in {unit.Folder}): console on {console}; provision it with 'timingmat provision --port {console} …'. Ctrl+C stops."
                    : $"Unit {unit.Current.Unit.Config.Unit} ({UnitRoleText.Name(unit.Current.Unit.Config.Role)}) on {string.Join(", ", ports.Readers)}, GPS {ports.Gps}; folder {unit.Folder}; console on {console}. Ctrl+C stops.");
                output.Out.Flush();
            }

            unit.Run(token, seconds > 0 ? TimeSpan.FromSeconds(seconds) : null, s_statusInterval, human ? s => { output.Out.WriteLine(UnitCommand.StatusLine(s, unit.Current?.LinkError)); output.Out.Flush(); } : null, s_pollInterval);
            if (json != null)
            {
                var status = unit.Current?.StatusJson();
                output.WriteJson(
                    new { unit = unit.Current?.Unit.Config.Unit, provisioned = unit.Current != null, folder = unit.Folder, console, reconfigurations = unit.Reconfigurations, status = status == null ? (object?)null : System.Text.Json.JsonDocument.Parse(status).RootElement.Clone() },
                    json == JsonOption.StandardOutput ? null : json);
            }
        }

        return (int)ExitCode.Ok;
    }
}
