using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using TimingMat.Cli.Commands.Provisioning;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Reader;
using TimingMat.Core.Unit;
using TimingMat.Host.Json;
using TimingMat.Host.Ports;
using TimingMat.Host.Unit;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat unit --reader ADDR [--reader ADDR …] --gps ADDR [--pps ADDR] --broker URL --config FILE</c>: the real
/// firmware core on desktop as a mat unit of its own, over real byte streams (serial devices or TCP serial bridges),
/// with its journal in a folder and its passings delivered over MQTT. Several <c>--reader</c> ports are several reader
/// modules on one mat (e.g. four USB M6e Nanos on a laptop), their reads merged per chip by the one crossing detector.
/// For bench rigs, and as the unit the HIL harness is tested against.
/// </summary>
internal static class UnitCommand
{
    private static readonly TimeSpan s_statusInterval = TimeSpan.FromSeconds(5);

    // The device polls every few milliseconds; a read is stamped from its frame's arrival, not from the poll.
    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(2);

    public static Command Create(CommandOutput output)
    {
        var reader = new Option<string[]>("--reader")
        {
            Description = $"A reader module's UART: tcp://host:port (a TCP serial bridge) or a device such as /dev/ttyUSB0. Repeat it for each module on the mat (1-{MatUnit.MaxReaders}), in reader order: the first is reader 0, the second reader 1 (its ports are antennas 17-32 in passings) …",
            Required = true,
            HelpName = "ADDR",
        };
        var gps = new Option<string>("--gps") { Description = "The GPS's NMEA UART: tcp://host:port or a device", Required = true, HelpName = "ADDR" };
        var pps = new Option<string?>("--pps") { Description = "Where PPS edges arrive, one byte per edge: tcp://host:port or a device (without it the clock never locks)", HelpName = "ADDR" };
        var broker = BrokerOptions.Create(optional: true);
        var config = new Option<string?>("--config") { Description = "The unit's configuration: the board's key = value file (unit.cfg) or JSON, see docs/unit-config.md (with --console it may be left out: the unit then runs on its folder's unit.cfg, as a board runs on its flash)", HelpName = "FILE" };
        var console = new Option<string?>("--console") { Description = "Serve the unit console (firmware/docs/console.md) here: tcp://host:port (the unit listens) or a serial device; timingmat provision, flash and selftest talk to it", HelpName = "ADDR" };
        var journal = new Option<string?>("--journal") { Description = "Journal folder, instead of the configuration's", HelpName = "DIR" };
        var seconds = new Option<int>("--seconds") { Description = "Stop after this many seconds (0: run until Ctrl+C or SIGTERM)", DefaultValueFactory = _ => 0 };
        var json = JsonOption.Create();
        var command = new Command("unit", "Run the mat unit application on this computer, over real serial ports or TCP serial bridges");
        foreach (var option in new Option[] { reader, gps, pps }.Concat(broker.All()).Concat([config, console, journal, seconds, json]))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, token) =>
        {
            var consoleAddress = parse.GetValue(console);
            if (consoleAddress != null)
            {
                return Task.FromResult(ConsoleUnit.Run(output, parse, consoleAddress, parse.GetValue(config), parse.GetValue(journal), new UnitPorts(parse.GetValue(reader)!, parse.GetValue(gps)!, parse.GetValue(pps)), broker, parse.GetValue(seconds), JsonOption.Target(parse, json), token));
            }

            var path = parse.GetValue(config) ?? throw new CliException(ExitCode.Usage, "--config is required (or --console, to provision the unit as a board).", "give --config FILE, or --console tcp://127.0.0.1:2323 --journal DIR.");
            var loaded = LoadConfig(path);
            var url = loaded.Unit.HasBroker ? (loaded.Unit.MqttTls ? "mqtts://" : "mqtt://") + loaded.Unit.MqttHost + ":" + loaded.Unit.MqttPort.ToString(CultureInfo.InvariantCulture) : null;
            return Task.FromResult(Run(
                output,
                new UnitPorts(parse.GetValue(reader)!, parse.GetValue(gps)!, parse.GetValue(pps)),
                broker.Read(parse, url, "set mqtt.url in the configuration"),
                loaded,
                parse.GetValue(journal),
                parse.GetValue(seconds),
                JsonOption.Target(parse, json),
                token));
        });
        return command;
    }

    private static int Run(CommandOutput output, UnitPorts ports, BrokerSettings broker, DesktopUnitConfig config, string? journal, int seconds, string? json, CancellationToken token)
    {
        if (seconds < 0)
        {
            throw new CliException(ExitCode.InvalidInput, $"--seconds must be 0 or more, not {seconds}.");
        }

        if (journal != null)
        {
            config = config with { JournalDirectory = Path.GetFullPath(journal) };
        }

        CheckPorts(ports, config.Unit);
        using var unit = Create(config, ports, broker);
        try
        {
            unit.Start();
        }
        catch (PortOpenException e)
        {
            throw new CliException(ExitCode.PortUnavailable, e.Message + ".", PortFix(e));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCode.StorageFailed, e.Message + ".", "check the journal folder: free space, permissions, and that no other unit uses it.");
        }

        var human = json != JsonOption.StandardOutput;
        var unitConfig = config.Unit;
        if (human)
        {
            var journalState = unit.Unit.Uplink.Journal;
            output.Out.WriteLine(
                $"Unit {unitConfig.Unit} ({UnitRoleText.Name(unitConfig.Role)}, {(unit.Unit.RaceDay.Mode == RaceDayMode.Timing ? "timing" : "test mode: reads are counted, not recorded")}) on {ReadersText(ports)} ({ReaderTypeText.Name(unitConfig.ReaderProtocol)}), " +
                $"GPS {ports.Gps}, PPS {ports.Pps ?? "none (the clock cannot lock)"}; broker {broker.Address}; journal {config.JournalDirectory} " +
                $"(id {journalState.JournalId}, last seq {journalState.DurableSequence}, acked {journalState.AckedSequence}); boot {BootReasonText.Name(unit.Unit.BootReason)}. {(seconds > 0 ? $"Runs {seconds} s; " : string.Empty)}Ctrl+C stops.");
            output.Out.WriteLine("  " + unit.Unit.Memory);
            output.Out.Flush();
        }

        unit.Run(token, seconds > 0 ? TimeSpan.FromSeconds(seconds) : null, s_statusInterval, human ? s => { output.Out.WriteLine(StatusLine(s, unit.LinkError)); output.Out.Flush(); } : null, s_pollInterval);
        var final = unit.StatusJson();
        using var status = JsonDocument.Parse(final);
        if (human)
        {
            var root = status.RootElement;
            output.Out.WriteLine(
                $"Stopped: {root.GetProperty("passings").GetProperty("made").GetInt64()} passing(s) made this run; journal last seq {root.GetProperty("journal").GetProperty("last_seq").GetInt64()}, " +
                $"acked {root.GetProperty("journal").GetProperty("acked_seq").GetInt64()}; clock {root.GetProperty("clock").GetProperty("state").GetString()}; " +
                $"reader restarts {root.GetProperty("readers").EnumerateArray().Sum(r => r.GetProperty("restarts").GetInt64())}.");
        }

        if (json != null)
        {
            output.WriteJson(new UnitReport(unitConfig.Unit, UnitRoleText.Name(unitConfig.Role), config.JournalDirectory, broker.Address.ToString(), status.RootElement.Clone()), json == JsonOption.StandardOutput ? null : json);
        }

        return (int)ExitCode.Ok;
    }

    internal static DesktopUnitConfig LoadConfig(string path)
    {
        var text = Encoding.UTF8.GetString(InputFiles.ReadAllBytes(path));
        try
        {
            return UnitConfigFile.Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch (JsonInputException e)
        {
            throw new CliException(ExitCode.InvalidInput, e.Message, "fix the configuration at the place named above; docs/unit-config.md describes every key.");
        }
    }

    internal static void CheckPorts(UnitPorts ports, UnitConfig config)
    {
        if (ports.Readers.Count > MatUnit.MaxReaders)
        {
            throw new CliException(
                ExitCode.InvalidInput,
                $"{ports.Readers.Count} --reader ports given; a unit drives at most {MatUnit.MaxReaders} reader modules.",
                $"give one --reader per reader module on the mat, at most {MatUnit.MaxReaders}.");
        }

        if (config.ReaderModules > 0 && config.ReaderModules != ports.Readers.Count)
        {
            throw new CliException(
                ExitCode.InvalidInput,
                $"the configuration says reader.modules = {config.ReaderModules} but {ports.Readers.Count} --reader port(s) were given.",
                "give one --reader per reader module, or change reader.modules.");
        }

        if (PortClash.Find(ports.All()) is { } clash)
        {
            throw new CliException(
                ExitCode.InvalidInput,
                clash.Message + ".",
                "give every reader module, the GPS and the PPS input a port of its own (ls -l /dev/serial/by-id shows which adapter is which).");
        }
    }

    internal static DesktopMatUnit Create(DesktopUnitConfig config, UnitPorts ports, BrokerSettings broker)
    {
        try
        {
            return new DesktopMatUnit(config, ports, broker.Address, broker.Username, broker.Password, broker.Configure);
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCode.InvalidInput, e.Message + ".", "give each port as tcp://host:port (a TCP serial bridge) or a device path such as /dev/ttyUSB0.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCode.StorageFailed, $"the journal folder '{config.JournalDirectory}' cannot be used: {e.Message}", "give a folder you may write to with --journal, or fix the configuration's journal.");
        }
    }

    internal static string PortFix(PortOpenException e) => e.Address.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase)
        ? $"start the TCP serial bridge of the {e.Role} (ser2net, an ESP-Link, the HIL rig) and check host and port, or give the device instead."
        : $"check the {e.Role} adapter's cable and device name (ls /dev/ttyUSB* /dev/ttyACM*), that no other program has it open, and that your user is in the dialout group.";

    private static string ReadersText(UnitPorts ports) => ports.Readers.Count == 1
        ? $"reader {ports.Readers[0]}"
        : $"{ports.Readers.Count} reader modules {string.Join(", ", ports.Readers)}";

    /// <summary>One console line from the unit's own status.</summary>
    internal static string StatusLine(string json, string? linkError)
    {
        using var document = JsonDocument.Parse(json);
        var s = document.RootElement;
        var clock = s.GetProperty("clock");
        var clockState = clock.GetProperty("state").GetString();
        var clockText = clockState == "unsynced"
            ? "clock unsynced"
            : $"clock {clockState} ±{(clock.GetProperty("uncertainty_us").GetInt64() / 1000.0).ToString("0.##", CultureInfo.InvariantCulture)} ms";
        var gps = clock.GetProperty("fix").GetBoolean() ? $"fix, {clock.GetProperty("satellites").GetInt32()} sats" : "no fix";
        var online = s.GetProperty("outbox").GetProperty("online").GetBoolean();
        var uplink = online ? "online" : "OFFLINE" + (linkError == null ? string.Empty : $" ({linkError})");
        var journal = s.GetProperty("journal");
        var passings = s.GetProperty("passings");
        var alarms = string.Join(",", s.GetProperty("alarms").EnumerateArray().Select(a => a.GetString()));
        var readers = s.GetProperty("readers").EnumerateArray().ToList();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"  {s.GetProperty("uptime_s").GetDouble(),6:0.0} s  {s.GetProperty("mode").GetString()}  {ReaderStatus(readers)}, {readers.Sum(r => r.GetProperty("restarts").GetInt64())} restarts | {clockText}, pps {clock.GetProperty("pps").GetInt32()}, {gps} | " +
            $"passings {passings.GetProperty("made").GetInt64()} made, {passings.GetProperty("held_for_utc").GetInt32()} held for UTC, journaled to seq {journal.GetProperty("last_seq").GetInt64()}, acked {journal.GetProperty("acked_seq").GetInt64()} | uplink {uplink}{(alarms.Length == 0 ? string.Empty : " | ALARMS " + alarms)}");
    }

    private static string ReaderStatus(List<JsonElement> readers)
    {
        long Reads(JsonElement r) => r.GetProperty("reads").GetInt64();
        var total = readers.Sum(Reads);
        if (readers.Count == 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"reader {readers[0].GetProperty("state").GetString()}, {total:N0} reads");
        }

        // Which module is not reading matters more than the total: a mat with one of four modules down still times, less well.
        var reading = ReaderText.State(ReaderState.Reading);
        var idle = readers.Where(r => r.GetProperty("state").GetString() != reading).Select(r => $"reader {r.GetProperty("reader").GetInt32()} {r.GetProperty("state").GetString()}").ToList();
        return string.Create(
            CultureInfo.InvariantCulture,
            $"readers {readers.Count - idle.Count}/{readers.Count} reading{(idle.Count == 0 ? string.Empty : $" ({string.Join(", ", idle)})")}, {total:N0} reads ({string.Join(" + ", readers.Select(r => Reads(r).ToString("N0", CultureInfo.InvariantCulture)))})");
    }

    private sealed record UnitReport(int Unit, string Role, string Journal, string Broker, JsonElement Status);
}
