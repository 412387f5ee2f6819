using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TimingMat.Cli.Infrastructure;
using TimingMat.Tent.Emulation;

namespace TimingMat.Cli.Commands.Tent;

/// <summary>
/// <c>timingmat emulate --units N --broker URL [--race race.cfg | --key HEX] [--faults SPEC|FILE] [--rate R] [--seconds S]</c>:
/// N mat units of the real firmware core on emulated hardware, live on a real broker (<see cref="EmulatedFleet"/>), for
/// rehearsing race day without boards.
/// </summary>
internal static class EmulateCommand
{
    public static Command Create(CommandOutput output)
    {
        var broker = BrokerOptions.Create(optional: true);
        var units = new Option<int?>("--units") { Description = "How many units (ids 1..N), when no race file lists them", HelpName = "N" };
        var race = new Option<string?>("--race") { Description = "A race file (race.cfg): its units with their names, command keys and broker accounts, its broker and prefix", HelpName = "FILE" };
        var key = new Option<string?>("--key") { Description = "The command key (hex) of every unit, without a race file; without either, each unit gets a random key and refuses commands", HelpName = "HEX" };
        var faults = new Option<string?>("--faults") { Description = "Faults on cue, or a file of them: 'clock-offset 3 5ms; gps-loss 2 at 60s for 2m; reader-silence 1 at 30s for 20s; uplink-cut 4 at 90s for 1m; battery-low 5 at 2m for 1m; journal-filling 6' (journal-filling: a journal too small for the mat, the whole run)", HelpName = "SPEC|FILE" };
        var rate = new Option<double>("--rate") { Description = "Runners crossing each mat per second", DefaultValueFactory = _ => 2.0 };
        var seconds = new Option<int>("--seconds") { Description = "Stop after this many seconds live (0: until Ctrl+C)", DefaultValueFactory = _ => 0 };
        var warmUp = new Option<int>("--warm-up") { Description = "Seconds the units have been on when they go live (fix and clock lock on fast time first), 0-50", DefaultValueFactory = _ => 40 };
        var prefix = new Option<string?>("--prefix") { Description = "Topic prefix (default: the race file's, else timingmat)" };
        var every = new Option<int>("--report-every") { Description = "Seconds between the units' lines", DefaultValueFactory = _ => 10 };
        var seed = new Option<int>("--seed") { Description = "Seed of crystals, runners and reads", DefaultValueFactory = _ => 1 };
        var command = new Command("emulate", "Run N emulated mat units (the real firmware core on emulated GPS, readers and flash) live on a broker, with faults on cue");
        foreach (var option in broker.All().Concat([units, race, key, faults, rate, seconds, warmUp, prefix, every, seed]))
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, token) =>
        {
            var raceFile = parse.GetValue(race) is { } path ? LoadRace(path) : null;
            var brokerSettings = broker.Read(parse, raceFile?.BrokerUrl, "give --race with a race file that sets mqtt.url");
            var specs = Specs(raceFile, parse.GetValue(units), parse.GetValue(key), out var randomKeys);
            var plan = Faults(parse.GetValue(faults), specs);
            var options = new EmulationOptions
            {
                Broker = brokerSettings.Address,
                Units = specs,
                TopicPrefix = parse.GetValue(prefix) ?? raceFile?.TopicPrefix ?? TimingMat.Core.Outbox.UplinkTopics.DefaultPrefix,
                RunnersPerSecond = parse.GetValue(rate),
                Faults = plan,
                WarmUp = TimeSpan.FromSeconds(parse.GetValue(warmUp)),
                Seed = parse.GetValue(seed),
                ConfigureLink = brokerSettings.Configure,
            };
            return Task.FromResult(Run(output, options, parse.GetValue(seconds), parse.GetValue(every), randomKeys, token));
        });
        return command;
    }

    private static int Run(CommandOutput output, EmulationOptions options, int seconds, int every, bool randomKeys, CancellationToken token)
    {
        if (seconds < 0 || every < 1 || options.RunnersPerSecond is < 0 or > 50 || options.WarmUp.TotalSeconds is < 0 or > 50)
        {
            throw new CliException(ExitCode.InvalidInput, "--seconds must be 0 or more, --report-every 1 or more, --rate 0-50 and --warm-up 0-50.");
        }

        if (options.RunnersPerSecond == 0 && options.Faults.Faults.Any(f => f.Kind == EmulatedFaultKind.JournalFilling))
        {
            throw new CliException(ExitCode.InvalidInput, "--faults: journal-filling sizes the unit's journal by the runners' rate, and --rate is 0.", "give --rate above 0 (the default is 2).");
        }

        using var fleet = new EmulatedFleet(options);
        output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Emulating {options.Units.Count} unit(s) ({string.Join(", ", options.Units.Select(u => $"{u.Id} {u.Name}"))}) on {options.Broker}, topics {options.TopicPrefix}/<unit>/..., {options.RunnersPerSecond:0.##} runners/s per mat{(options.Faults.Faults.Count > 0 ? $", {options.Faults.Faults.Count} fault(s) on cue" : string.Empty)}."));
        if (randomKeys)
        {
            output.Out.WriteLine("  The units have random command keys: they refuse every command. Give --key or --race to command them.");
        }

        output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Warming up {options.WarmUp.TotalSeconds:0} s on fast time (GPS fix, clock lock)..."));
        output.Out.Flush();
        fleet.Boot();
        output.Out.WriteLine($"  Live{(seconds > 0 ? $" for {seconds} s" : string.Empty)}. Ctrl+C stops.");
        output.Out.Flush();
        fleet.Run(token, seconds > 0 ? TimeSpan.FromSeconds(seconds) : null, lines =>
        {
            foreach (var line in lines)
            {
                output.Out.WriteLine(line);
            }

            output.Out.Flush();
        }, TimeSpan.FromSeconds(every));
        foreach (var unit in fleet.Units)
        {
            output.Out.WriteLine(unit.Line());
        }

        output.Out.WriteLine("Stopped: every unit committed its journal and left its status offline.");
        return (int)ExitCode.Ok;
    }

    private static TimingMat.Tent.Race.RaceFile LoadRace(string path)
    {
        try
        {
            return TimingMat.Tent.Race.RaceFile.Parse(Encoding.UTF8.GetString(InputFiles.ReadAllBytes(path)), Path.GetFileName(path));
        }
        catch (TimingMat.Tent.Race.RaceFileException e)
        {
            throw new CliException(ExitCode.InvalidInput, e.Message, "fix the race file at the line named; docs/race-file.md lists its keys.");
        }
    }

    private static List<EmulatedUnitSpec> Specs(TimingMat.Tent.Race.RaceFile? race, int? count, string? keyHex, out bool randomKeys)
    {
        byte[]? key = null;
        if (keyHex != null)
        {
            if (keyHex.Length is < 32 or > 128 || keyHex.Length % 2 != 0 || !keyHex.All(char.IsAsciiHexDigit))
            {
                throw new CliException(ExitCode.InvalidInput, $"--key (secret, {keyHex.Length} characters): expected 32-128 hex digits.", "give the key as hex, e.g. from: openssl rand -hex 32.");
            }

            key = Convert.FromHexString(keyHex);
        }

        randomKeys = false;
        if (race != null)
        {
            var listed = count == null ? race.Units : race.Units.Take(count.Value).ToList();
            var missing = listed.Where(u => u.CommandKey == null && key == null).Select(u => u.Id).ToList();
            if (missing.Count > 0)
            {
                throw new CliException(ExitCode.InvalidInput, $"the race file has no command key for unit(s) {string.Join(", ", missing)}.", "add <name>.command.key for each (docs/race-file.md), or give --key.");
            }

            return [.. listed.Select(u => new EmulatedUnitSpec(u.Id, u.Name, key ?? u.CommandKey!, u.Password == null ? null : u.Username, u.Password))];
        }

        if (count is not { } n || n is < 1 or > 64)
        {
            throw new CliException(ExitCode.InvalidInput, count == null ? "no units: give --units N or --race race.cfg." : $"--units {count}: emulate 1-64 units.", "e.g. timingmat emulate --units 4 --broker mqtt://127.0.0.1:1883 --key $(openssl rand -hex 32).");
        }

        randomKeys = key == null;
        return [.. Enumerable.Range(1, n).Select(id => new EmulatedUnitSpec(id, $"unit-{id}", key ?? RandomNumberGenerator.GetBytes(32)))];
    }

    private static FaultPlan Faults(string? text, List<EmulatedUnitSpec> units)
    {
        if (text == null)
        {
            return FaultPlan.None;
        }

        if (File.Exists(text))
        {
            text = Encoding.UTF8.GetString(InputFiles.ReadAllBytes(text));
        }

        try
        {
            return FaultPlan.Parse(text, units.Select(u => u.Id).ToList());
        }
        catch (FormatException e)
        {
            throw new CliException(ExitCode.InvalidInput, "--faults: " + e.Message + ".", "see 'timingmat emulate --help' and the README's race-day section for the fault language.");
        }
    }
}
