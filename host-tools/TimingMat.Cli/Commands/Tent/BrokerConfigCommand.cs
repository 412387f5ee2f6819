using System.CommandLine;
using System.Text;
using TimingMat.Cli.Infrastructure;
using TimingMat.Tent.Broker;
using TimingMat.Tent.Race;

namespace TimingMat.Cli.Commands.Tent;

/// <summary>
/// <c>timingmat broker-config --race race.cfg [--out DIR]</c>: the race's Mosquitto password file and ACL
/// (<see cref="BrokerSecurity"/>), and the configuration lines that use them.
/// </summary>
internal static class BrokerConfigCommand
{
    public static Command Create(CommandOutput output)
    {
        var race = new Option<string>("--race") { Description = "The race file (race.cfg, docs/race-file.md)", Required = true, HelpName = "FILE" };
        var folder = new Option<string?>("--out") { Description = "Folder for the files (default: the race file's folder)", HelpName = "DIR" };
        var builtIn = new Option<bool>("--no-mosquitto-passwd") { Description = "Hash the passwords here even when mosquitto_passwd is installed" };
        var json = JsonOption.Create();
        var command = new Command("broker-config", "Write the race broker's password file and ACL: each unit publishes only under its own topics, only the tent commands");
        foreach (var option in new Option[] { race, folder, builtIn, json })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse => Run(output, parse.GetValue(race)!, parse.GetValue(folder), parse.GetValue(builtIn), JsonOption.Target(parse, json)));
        return command;
    }

    private static int Run(CommandOutput output, string racePath, string? folder, bool builtIn, string? json)
    {
        RaceFile race;
        try
        {
            race = RaceFile.Parse(Encoding.UTF8.GetString(InputFiles.ReadAllBytes(racePath)), Path.GetFileName(racePath));
        }
        catch (RaceFileException e)
        {
            throw new CliException(ExitCode.InvalidInput, e.Message, "fix the race file at the line named; docs/race-file.md lists its keys.");
        }

        var missing = race.Units.Where(u => u.Password == null).Select(u => $"{u.FileName}.mqtt.password").ToList();
        if (race.TentPassword == null)
        {
            missing.Insert(0, "tent.password");
        }

        if (race.CollectorPassword == null)
        {
            missing.Insert(0, "collector.password");
        }

        if (missing.Count > 0)
        {
            throw new CliException(ExitCode.InvalidInput, $"the race file has no password for {string.Join(", ", missing)}: every account of a secured broker needs one.", "add the passwords to the race file (one per unit, the tent and the collector) and provision each unit with its own.");
        }

        var dir = Path.GetFullPath(folder ?? Path.GetDirectoryName(Path.GetFullPath(racePath))!);
        if (!Directory.Exists(dir))
        {
            throw new CliException(ExitCode.FileNotFound, $"--out '{dir}' does not exist.", "create the folder first.");
        }

        var passwords = Path.Combine(dir, "passwords");
        var acl = Path.Combine(dir, "acl");
        string hashedBy;
        try
        {
            File.WriteAllText(acl, BrokerSecurity.Acl(race));
            hashedBy = BrokerSecurity.WritePasswords(race, passwords, builtIn ? null : BrokerSecurity.FindMosquittoPasswd());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCode.StorageFailed, $"cannot write the broker files in '{dir}': {e.Message}", "give a folder you may write to with --out.");
        }

        var accounts = BrokerSecurity.Accounts(race).Count;
        if (json != null)
        {
            output.WriteJson(new BrokerConfigReport(passwords, acl, accounts, race.Units.Count, hashedBy, race.TopicPrefix), json == JsonOption.StandardOutput ? null : json);
        }

        if (json != JsonOption.StandardOutput)
        {
            output.Out.WriteLine($"Wrote {passwords} ({accounts} accounts, hashed by {hashedBy}) and {acl} ({race.Units.Count} units, the collector '{race.CollectorUsername}', the tent '{race.TentUsername}', topics {race.TopicPrefix}/...).");
            output.Out.WriteLine("Add to the broker's mosquitto.conf (under its listener), then restart it:");
            output.Out.Write(BrokerSecurity.ConfigurationLines(passwords, acl));
        }

        return (int)ExitCode.Ok;
    }

    private sealed record BrokerConfigReport(string PasswordFile, string AclFile, int Accounts, int Units, string HashedBy, string Prefix);
}
