using System.Diagnostics;
using System.Text;
using TimingMat.Mqtt.Broker;
using TimingMat.Tent.Race;

namespace TimingMat.Tent.Broker;

/// <summary>
/// A race's broker security for Mosquitto (<c>timingmat broker-config</c>): a password file with every unit's, the
/// collector's and the tent's account, and an ACL by which unit N may publish only its own passings, status and replies
/// and read only its own acks and commands; the collector reads passings and status and writes acks; only the tent
/// writes commands (and acks, for a replay by hand) and reads everything (firmware/docs/wire-formats.md §1).
/// </summary>
/// <remarks>
/// Passwords are hashed as <c>mosquitto_passwd</c> does: by the tool itself when it is installed (<c>mosquitto_passwd
/// -U</c> over a plain file, so no password shows on a command line), otherwise in Mosquitto 2's own format
/// <c>user:$7$101$&lt;salt&gt;$&lt;hash&gt;</c>: PBKDF2-HMAC-SHA512 with 101 iterations over a 12-byte random salt, a
/// 64-byte hash, both in base64.
/// </remarks>
public static class BrokerSecurity
{
    /// <summary>Writes the ACL for a race.</summary>
    /// <param name="race">The race.</param>
    /// <returns>The ACL file's text.</returns>
    public static string Acl(RaceFile race)
    {
        var p = race.TopicPrefix;
        var text = new StringBuilder();
        text.AppendLine($"# TimingMat broker ACL{(race.RaceId == null ? string.Empty : " for " + race.RaceId)}: written by timingmat broker-config.");
        text.AppendLine("# Anything not allowed here is denied; Mosquitto drops a denied publication without a word.");
        text.AppendLine();
        text.AppendLine($"user {race.TentUsername}");
        text.AppendLine($"topic read {p}/#");
        text.AppendLine($"topic write {p}/+/cmd");
        text.AppendLine($"topic write {p}/+/ack");
        text.AppendLine();
        text.AppendLine($"user {race.CollectorUsername}");
        text.AppendLine($"topic read {p}/+/passings");
        text.AppendLine($"topic read {p}/+/status");
        text.AppendLine($"topic write {p}/+/ack");
        foreach (var unit in race.Units)
        {
            text.AppendLine();
            text.AppendLine($"# {unit.Name}");
            text.AppendLine($"user {unit.Username}");
            text.AppendLine($"topic write {p}/{unit.Id}/passings");
            text.AppendLine($"topic write {p}/{unit.Id}/status");
            text.AppendLine($"topic write {p}/{unit.Id}/reply");
            text.AppendLine($"topic read {p}/{unit.Id}/ack");
            text.AppendLine($"topic read {p}/{unit.Id}/cmd");
        }

        return text.ToString();
    }

    /// <summary>Lists the race's broker accounts that have a password.</summary>
    /// <param name="race">The race.</param>
    /// <returns>User name and password pairs: the tent, the collector, then the units.</returns>
    public static IReadOnlyList<(string User, string Password)> Accounts(RaceFile race)
    {
        var accounts = new List<(string, string)>();
        if (race.TentPassword != null)
        {
            accounts.Add((race.TentUsername, race.TentPassword));
        }

        if (race.CollectorPassword != null)
        {
            accounts.Add((race.CollectorUsername, race.CollectorPassword));
        }

        accounts.AddRange(race.Units.Where(u => u.Password != null).Select(u => (u.Username, u.Password!)));
        return accounts;
    }

    /// <summary>Writes the password file, hashed by <c>mosquitto_passwd</c> when given, else by <see cref="MosquittoProcess.PasswordLine"/>.</summary>
    /// <param name="race">The race.</param>
    /// <param name="path">The file to write (replaced; readable by its owner only).</param>
    /// <param name="mosquittoPasswd">The <c>mosquitto_passwd</c> binary, or null to hash here.</param>
    /// <returns>How the passwords were hashed, for the report.</returns>
    /// <exception cref="IOException">The file cannot be written, or the tool failed.</exception>
    public static string WritePasswords(RaceFile race, string path, string? mosquittoPasswd)
    {
        var accounts = Accounts(race);
        if (mosquittoPasswd == null)
        {
            WritePrivate(path, string.Join('\n', accounts.Select(a => MosquittoProcess.PasswordLine(a.User, a.Password))) + "\n");
            return "PBKDF2-SHA512 ($7$, as mosquitto_passwd writes it)";
        }

        // Plain lines first, then the tool hashes the file in place: no password on a command line.
        WritePrivate(path, string.Join('\n', accounts.Select(a => $"{a.User}:{a.Password}")) + "\n");
        using var tool = Process.Start(new ProcessStartInfo(mosquittoPasswd) { ArgumentList = { "-U", path }, RedirectStandardError = true, RedirectStandardOutput = true })!;
        var error = tool.StandardError.ReadToEnd();
        tool.WaitForExit();
        if (tool.ExitCode != 0)
        {
            File.Delete(path);
            throw new IOException($"mosquitto_passwd -U failed ({tool.ExitCode}): {error.Trim()}");
        }

        return "mosquitto_passwd";
    }

    /// <summary>Finds <c>mosquitto_passwd</c> (beside <c>$TIMINGMAT_MOSQUITTO</c>, on the PATH, or in /usr/bin).</summary>
    /// <returns>Its path, or null.</returns>
    public static string? FindMosquittoPasswd()
    {
        var beside = Environment.GetEnvironmentVariable("TIMINGMAT_MOSQUITTO") is { Length: > 0 } broker ? Path.GetDirectoryName(broker) : null;
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Prepend(beside).Append("/usr/bin");
        return folders.Where(f => f != null).Select(f => Path.Combine(f!, "mosquitto_passwd")).FirstOrDefault(File.Exists);
    }

    /// <summary>The lines a Mosquitto configuration needs to use the files.</summary>
    /// <param name="passwordFile">The password file's path.</param>
    /// <param name="aclFile">The ACL file's path.</param>
    /// <returns>Configuration lines.</returns>
    public static string ConfigurationLines(string passwordFile, string aclFile) =>
        $"allow_anonymous false\npassword_file {passwordFile}\nacl_file {aclFile}\n";

    private static void WritePrivate(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        File.Delete(path);
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(text));
    }
}
