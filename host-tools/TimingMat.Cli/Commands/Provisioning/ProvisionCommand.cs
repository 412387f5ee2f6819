using System.CommandLine;
using TimingMat.Cli.Infrastructure;

namespace TimingMat.Cli.Commands.Provisioning;

/// <summary>
/// <c>timingmat provision --port ADDR --unit KM05 --config race.cfg</c>: writes one unit's configuration from the race
/// file through its console, lets it restart on it and reads it back (the configuration part of <c>flash</c>, alone).
/// </summary>
internal static class ProvisionCommand
{
    public static Command Create(CommandOutput output)
    {
        var port = new Option<string>("--port") { Description = "The unit's console: tcp://host:port (a board's TCP console, tcp://<unit>:2323, or timingmat unit --console) or a serial device", Required = true, HelpName = "ADDR" };
        var unit = new Option<string?>("--unit") { Description = "The unit's name in the race file (e.g. KM05); may be left out when the file is one unit's unit.cfg", HelpName = "NAME" };
        var config = new Option<string>("--config") { Description = "The race file (docs/race-file.md) or one unit's unit.cfg", Required = true, HelpName = "FILE" };
        var files = FileOption();
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the console exchange (secrets masked) without opening the port" };
        var verbose = new Option<bool>("--verbose") { Description = "Print every console exchange on standard error (secrets masked)" };
        var json = JsonOption.Create();
        var command = new Command("provision", "Write a unit's configuration from the race file through its console, and read it back");
        foreach (var option in new Option[] { port, unit, config, files, dryRun, verbose, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var path = parse.GetValue(config)!;
            var race = RaceFileInput.Load(path);
            var name = RaceFileInput.Units(race, parse.GetValue(unit), null, path)[0];
            var address = parse.GetValue(port)!;
            var unitFiles = UnitFile.For(race, name, path, parse.GetValue(files) ?? []);
            if (parse.GetValue(dryRun))
            {
                foreach (var line in UnitProvisioner.Exchange(race, name, unitFiles))
                {
                    output.Out.WriteLine(line);
                }

                return (int)ExitCode.Ok;
            }

            var log = parse.GetValue(verbose) ? (Action<string>)(l => output.Error.WriteLine("  " + l)) : _ => { };
            using var console = ConsoleSession.Open(address, log, TimeSpan.FromSeconds(10));
            var checksum = UnitProvisioner.Provision(console, race, name, unitFiles);
            var unitConfig = race.ConfigOf(name);
            var target = JsonOption.Target(parse, json);
            if (target != JsonOption.StandardOutput)
            {
                output.Out.WriteLine($"Unit {name} (unit.id {unitConfig.Unit}) on {address}: firmware {console.Hello.Firmware}; configuration written, committed and read back, checksum {checksum}{FilesText(unitFiles)}.");
            }

            if (target != null)
            {
                output.WriteJson(new { unit = name, unit_id = unitConfig.Unit, port = address, firmware = console.Hello.Firmware, checksum, files = unitFiles.Select(f => new { name = f.Name, bytes = f.Bytes.Length, crc = f.Crc }) }, target == JsonOption.StandardOutput ? null : target);
            }

            return (int)ExitCode.Ok;
        });
        return command;
    }

    /// <summary>The <c>--file</c> option <c>provision</c> and <c>flash</c> share.</summary>
    internal static Option<string[]> FileOption() => new("--file")
    {
        Description = "A file to put beside unit.cfg, given once per file: a LoRa gateway's keys.cfg or chips.cfg. The CA file mqtt.ca_file names is sent from the race file's folder without it",
        HelpName = "PATH",
    };

    /// <summary>Names the files a unit received, for the closing line.</summary>
    internal static string FilesText(IReadOnlyList<UnitFile> files) =>
        files.Count == 0 ? string.Empty : "; files on the unit: " + string.Join(", ", files.Select(f => $"{f.Name} ({f.Bytes.Length:N0} bytes)"));
}
