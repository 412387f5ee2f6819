using System.CommandLine;
using System.Globalization;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Outbox;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Unit;
using TimingMat.Host.Ports;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Hil;
using TimingMat.Simulation.Network;
using TimingMat.Simulation.Scenarios;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat hil --scenario FILE --mat NAME --reader PORT [--reader PORT …] --gps PORT [--pps-out PORT] --broker URL</c>:
/// hardware in the loop. Plays one mat of a scenario in real time into a board's reader and GPS UARTs with the
/// emulators (one <c>--reader</c> per reader module of the mat, each module into its own port), listens to what the
/// board publishes, and reports the same figures as <c>simulate</c>.
/// </summary>
internal static class HilCommand
{
    // A board's clock locks about 20 s after the GPS fix (20 PPS edges and 3 agreeing labels); the fix comes ~2 s in.
    private const long LockLeadMicros = 25 * Second;
    private const long DefaultLeadMicros = 40 * Second;
    private const long DefaultTailMicros = 10 * Second;

    public static Command Create(CommandOutput output)
    {
        var scenario = new Option<string>("--scenario") { Description = "Scenario: a JSON file, or a built-in name (half, full)", Required = true, HelpName = "FILE|half|full" };
        var mat = new Option<string>("--mat") { Description = "The scenario's mat the board plays; the board's unit id must be that mat's (its place in the scenario's mat list, from 1)", Required = true, HelpName = "NAME" };
        var reader = new Option<string[]>("--reader")
        {
            Description = "Port wired to the board's reader UART: a device such as /dev/ttyUSB0, or tcp://host:port. A mat with several reader modules (reader.modules in the scenario) takes one per module, in module order: module 0's emulator plays into the first",
            Required = true,
            HelpName = "PORT",
        };
        var gps = new Option<string>("--gps") { Description = "Port wired to the board's GPS UART", Required = true, HelpName = "PORT" };
        var ppsOut = new Option<string?>("--pps-out") { Description = "Port driving the board's PPS input: one byte (0x00) at every second while the GPS has a fix", HelpName = "PORT" };
        var broker = BrokerOptions.Create();
        var from = new Option<string?>("--from") { Description = "Scenario time of day the play starts at (local, HH:MM:SS); default 40 s before the mat's first runner", HelpName = "HH:MM:SS" };
        var seconds = new Option<int?>("--seconds") { Description = "Seconds to play; default until 10 s after the mat's last runner" };
        var runners = new Option<int?>("--runners") { Description = "Run with this many starters instead of the scenario's count" };
        var seed = new Option<int?>("--seed") { Description = "Seed of the field and the emulators (default: the scenario's)" };
        var prefix = new Option<string>("--prefix") { Description = "The board's MQTT topic prefix", DefaultValueFactory = _ => UplinkTopics.DefaultPrefix };
        var clientId = new Option<string?>("--client-id") { Description = "MQTT client id of the harness's collector (default: a new one per run)" };
        var readerBaud = new Option<int>("--reader-baud") { Description = "Reader UART speed on a device port", DefaultValueFactory = _ => 115_200 };
        var gpsBaud = new Option<int>("--gps-baud") { Description = "GPS UART speed on a device port", DefaultValueFactory = _ => 9600 };
        var wide = new Option<bool>("--wide") { Description = "Show every column of every table (up to 200 columns wide) instead of the 100-column report" };
        var json = JsonOption.Create();
        var command = new Command("hil", "Hardware in the loop: play one mat of a scenario in real time into a board's UARTs and score what it publishes");
        foreach (var option in new Option[] { scenario, mat, reader, gps, ppsOut }.Concat(broker.All()).Concat([from, seconds, runners, seed, prefix, clientId, readerBaud, gpsBaud, wide, json]))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, token) =>
        {
            var brokerSettings = broker.Read(parse);
            var loaded = ScenarioInput.Load(parse.GetValue(scenario)!);
            var readers = parse.GetValue(reader)!;
            var options = Options(
                loaded,
                parse.GetValue(mat)!,
                readers.Length,
                parse.GetValue(from),
                parse.GetValue(seconds),
                parse.GetValue(runners),
                parse.GetValue(seed)) with
            {
                ReaderPorts = readers,
                GpsPort = parse.GetValue(gps)!,
                PpsPort = parse.GetValue(ppsOut),
                ReaderBaud = parse.GetValue(readerBaud),
                GpsBaud = parse.GetValue(gpsBaud),
                Broker = brokerSettings.Address,
                Username = brokerSettings.Username,
                Password = brokerSettings.Password,
                ConfigureClient = brokerSettings.Configure,
                TopicPrefix = parse.GetValue(prefix)!,
                ClientId = parse.GetValue(clientId) ?? $"timingmat-hil-{Environment.ProcessId}-{Random.Shared.Next(1 << 20):x5}",
            };
            if (PortClash.Find(HilHarness.RolesOf(options)) is { } clash)
            {
                throw new CliException(ExitCode.InvalidInput, clash.Message + ".", "give every reader module, the GPS and the PPS output a port of their own, each wired to its UART on the board.");
            }

            return Task.FromResult(Run(output, options, parse.GetValue(wide), JsonOption.Target(parse, json), token));
        });
        return command;
    }

    private static HilOptions Options(Scenario scenario, string matName, int readerPorts, string? from, int? seconds, int? runners, int? seed)
    {
        if (runners is < 1 or > 100_000)
        {
            throw new CliException(ExitCode.InvalidInput, $"--runners must be between 1 and 100000, not {runners}.");
        }

        if (seconds is < 1 or > 86_400)
        {
            throw new CliException(ExitCode.InvalidInput, $"--seconds must be between 1 and 86400, not {seconds}.");
        }

        var mat = scenario.Mats.FirstOrDefault(m => m.Name == matName)
            ?? throw new CliException(ExitCode.InvalidInput, $"scenario '{scenario.Name}' has no mat '{matName}'; its mats: {string.Join(", ", scenario.Mats.Select(m => m.Name))}.", "give one of the scenario's mat names with --mat.");
        if (mat.Reader.Modules != readerPorts)
        {
            // Each emulated module needs its own UART on the unit: a module left out, or a port left idle, is a miswired rig.
            var modules = mat.Reader.Modules;
            throw new CliException(
                ExitCode.InvalidInput,
                $"mat '{matName}' has {modules} reader module{(modules == 1 ? string.Empty : "s")} but {readerPorts} --reader port{(readerPorts == 1 ? " was" : "s were")} given; hil plays each module into its own port.",
                (modules == 1 ? "give one --reader, wired to the board's reader UART" : $"give {modules} --reader ports in module order (module 0's first), each wired to one of the board's reader UARTs")
                + (readerPorts <= MatUnit.MaxReaders ? $", or set the mat's reader.modules in the scenario to {readerPorts}." : "."));
        }

        var runSeed = seed ?? scenario.Seed;
        var field = RaceField.Generate(scenario, runSeed, runners);
        var crossings = field.CrossingsAt(mat.UnitId);
        if (crossings.Count == 0)
        {
            throw new CliException(ExitCode.InvalidInput, $"no runner crosses mat '{matName}' in scenario '{scenario.Name}'.", "pick a mat the runners cross.");
        }

        long start;
        if (from == null)
        {
            start = (crossings[0].UtcMicros - DefaultLeadMicros) / Second * Second;
        }
        else if (ScenarioLoader.TryParseTimeOfDay(from, out var time))
        {
            start = scenario.UtcMicrosAt(time);
        }
        else
        {
            throw new CliException(ExitCode.InvalidInput, $"--from '{from}' is not a time of day.", "give HH:MM:SS, local time on the scenario's date (its utc_offset applies).");
        }

        var end = seconds is int s ? start + (s * Second) : ((crossings[^1].UtcMicros + DefaultTailMicros) / Second * Second) + Second;
        var inWindow = crossings.Where(c => c.UtcMicros >= start && c.UtcMicros < end).ToList();
        if (inWindow.Count == 0)
        {
            throw new CliException(
                ExitCode.InvalidInput,
                $"no runner crosses mat '{matName}' between {Local(scenario, start)} and {Local(scenario, end)}; its runners cross from {Local(scenario, crossings[0].UtcMicros)} to {Local(scenario, crossings[^1].UtcMicros)}.",
                "move --from (or leave it out) and --seconds around the mat's runners.");
        }

        return new HilOptions
        {
            Field = field,
            Mat = mat,
            Seed = runSeed,
            FromUtcMicros = start,
            ToUtcMicros = end,
            ReaderPorts = [],
            GpsPort = string.Empty,
            Broker = null!,
            TopicPrefix = UplinkTopics.DefaultPrefix,
            ClientId = string.Empty,
        };
    }

    private static int Run(CommandOutput output, HilOptions o, bool wide, string? json, CancellationToken token)
    {
        var human = json != JsonOption.StandardOutput;
        var crossings = o.Field.CrossingsAt(o.Mat.UnitId).Where(c => c.UtcMicros >= o.FromUtcMicros && c.UtcMicros < o.ToUtcMicros).ToList();
        var seconds = (o.ToUtcMicros - o.FromUtcMicros) / Second;
        if (human)
        {
            output.Out.WriteLine(
                $"Playing mat '{o.Mat.Name}' (unit {o.Mat.UnitId}, {UnitRoleText.Name(o.Mat.Role)}, {ReaderTypeText.Name(o.Mat.Reader.Protocol)} reader) of '{o.Scenario.Name}' from {Local(o.Scenario, o.FromUtcMicros)} for {seconds} s: " +
                $"{crossings.Count} runner(s) cross it, the first {(crossings[0].UtcMicros - o.FromUtcMicros) / (double)Second:0} s in. {(o.ReaderPorts.Count == 1 ? "Reader" : $"{o.ReaderPorts.Count} reader modules")} → {string.Join(", ", o.ReaderPorts)}, GPS → {o.GpsPort}, PPS → {o.PpsPort ?? "none"}; " +
                $"collecting {o.TopicPrefix}/{o.Mat.UnitId}/passings from {o.Broker}.");
            output.Out.Flush();
        }

        if (crossings[0].UtcMicros - o.FromUtcMicros < LockLeadMicros)
        {
            output.Error.WriteLine($"warning: the first runner crosses {(crossings[0].UtcMicros - o.FromUtcMicros) / Second} s into the play; a board's clock locks about {LockLeadMicros / Second} s after the GPS starts, and passings made before are held and re-stamped.");
        }

        HilResult result;
        try
        {
            result = new HilHarness(o).Run(p => output.Error.WriteLine(ProgressLine(p, o.ReaderPorts.Count)), token);
        }
        catch (PortOpenException e)
        {
            throw new CliException(ExitCode.PortUnavailable, e.Message + ".", $"check the USB-serial adapter wired to the board's {e.Role} (boards/<board>/README.md, Hardware in the loop), or that the TCP bridge listens.");
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCode.InvalidInput, e.Message + ".", "give each port as a device such as /dev/ttyUSB0 or as tcp://host:port.");
        }
        catch (BrokerUnreachableException e)
        {
            throw new CliException(ExitCode.BrokerUnreachable, e.Message + ".", "start the broker the board publishes to (or check host, port and firewall).");
        }

        var report = result.Report;
        if (human)
        {
            RaceReportWriter.Write(output.Out, report, RaceReportWriter.Run.HardwareInTheLoop, wide);
            var lateness = ErrorFigures.FromMicros(result.PpsLatenessMicros);
            if (result.PpsLatenessMicros.Count > 0)
            {
                output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PPS: {result.PpsLatenessMicros.Count} edges written, issued late by p50 {lateness.P50 * 1000:0} µs, p99 {lateness.P99 * 1000:0} µs, max {lateness.Max * 1000:0} µs."));
            }

            foreach (var note in result.Notes)
            {
                output.Out.WriteLine("note: " + note);
            }
        }

        if (json != null)
        {
            output.WriteJson(report, json == JsonOption.StandardOutput ? null : json);
        }

        if (report.PassingsLost > 0)
        {
            throw new CliException(ExitCode.PassingsLost, $"{report.PassingsLost} crossing(s) the board's reader read have no delivered passing.", "inspect the report's lost passings and the board's log; a lost passing is a bug or an unhandled fault.");
        }

        return (int)ExitCode.Ok;
    }

    private static string ProgressLine(HilProgress p, int readers) => string.Create(
        CultureInfo.InvariantCulture,
        $"{(p.Draining ? "draining" : "played")} {p.PlayedSeconds:0}/{p.TotalSeconds:0} s: {p.ReadsSent:N0} reads sent, {p.BytesFromBoard:N0} B from the board's {(readers == 1 ? "reader UART" : $"{readers} reader UARTs")}, {p.PassingsDelivered} passing(s) delivered, unit {p.UnitState}");

    private static string Local(Scenario scenario, long utcMicros) =>
        (DateTime.UnixEpoch.AddTicks(utcMicros * 10) + scenario.UtcOffset).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
