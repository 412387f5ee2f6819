using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Unit;

namespace TimingMat.Cli.Commands.Provisioning;

/// <summary>
/// Provisions one unit over its console and reads it back: the staged configuration cleared, every key of the unit
/// set (checked by the unit's own parser as it comes), validated, committed; then the unit restarts on it and the
/// host waits until it reports the same checksum, and reads every key back. The files the unit reads beside its
/// configuration (a CA certificate, a gateway's keys.cfg or chips.cfg) go before the commit, each checked by length and
/// CRC-32 and sent only when the unit's copy differs. Runs the self-test too.
/// </summary>
internal static class UnitProvisioner
{
    private static readonly TimeSpan s_restart = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_selfTest = TimeSpan.FromSeconds(90);

    /// <summary>The console lines provisioning sends, secrets masked (what <c>--dry-run</c> prints).</summary>
    public static IEnumerable<string> Exchange(RaceFile race, string unit, IReadOnlyList<UnitFile> files)
    {
        race.PairsOf(unit, out var keys, out var values);
        yield return "> hello";
        yield return "> clear";
        for (var i = 0; i < keys.Length; i++)
        {
            yield return "> " + SetShown(keys[i], values[i]);
        }

        yield return $"> validate   (expect OK checksum={UnitConsole.Checksum(race.ConfigOf(unit))})";
        foreach (var file in files)
        {
            yield return $"> file check {file.Name}   (when the unit's copy differs:)";
            yield return $"> file put {file.Name} {file.Bytes.Length} {file.Crc}   ({file.Source})";
            yield return $"> file data …   ({(file.Bytes.Length + UnitFileTransfer.MaxChunkBytes - 1) / UnitFileTransfer.MaxChunkBytes} lines of at most {UnitFileTransfer.MaxChunkBytes} bytes)";
            yield return "> file end";
        }

        yield return "> commit";
        yield return "> hello      (until the unit runs the new configuration)";
        yield return "> get        (read back: every key as set, secrets as 'set')";
    }

    /// <summary>Writes a unit's configuration through its console, waits for it to restart on it and reads it back.</summary>
    /// <returns>The configuration's checksum as the unit reports it.</returns>
    /// <exception cref="CliException">The unit refused a key (12), computes another checksum or read back something else (23), or did not come back (21).</exception>
    public static string Provision(ConsoleSession console, RaceFile race, string unit, IReadOnlyList<UnitFile> files)
    {
        race.PairsOf(unit, out var keys, out var values);
        var expected = UnitConsole.Checksum(race.ConfigOf(unit));
        Expect(console.Send("clear"), unit, "clear");
        for (var i = 0; i < keys.Length; i++)
        {
            var reply = console.Send($"set {keys[i]} {values[i]}", SetShown(keys[i], values[i]));
            if (!reply.IsOk)
            {
                throw new CliException(ExitCode.InvalidInput, $"unit {unit} refused {keys[i]}: {reply.Detail} (nothing was committed; the unit keeps its configuration)", "fix the key in the race file; docs/unit-config.md lists what each key takes.");
            }
        }

        var validate = console.Send("validate");
        if (!validate.IsOk)
        {
            throw new CliException(ExitCode.InvalidInput, $"unit {unit} refused the configuration: {validate.Detail}", "fix the race file; docs/unit-config.md lists what each key takes.");
        }

        var checksum = validate.Detail.Split(' ')[0].Replace("checksum=", string.Empty, StringComparison.Ordinal);
        if (checksum != expected)
        {
            throw new CliException(ExitCode.FlashFailed, $"unit {unit} reads its configuration as checksum {checksum}, this timingmat as {expected}: the firmware and the host disagree on a key.", "flash the firmware that matches this timingmat (timingmat flash), then provision again.");
        }

        foreach (var file in files)
        {
            PutFile(console, unit, file);
        }

        Expect(console.Send("commit"), unit, "commit");
        if (!console.WaitForConfiguration(expected, s_restart))
        {
            throw new CliException(ExitCode.DeviceNotResponding, $"unit {unit} did not come back running configuration {expected} within {s_restart.TotalSeconds:0} s after the commit (it reports {console.Hello.Provisioned}, {console.Hello.Checksum}).", "watch the board restart; a unit that cannot run its configuration says why on the console ('hello', 'show').");
        }

        var back = console.Send("get");
        var read = back.Lines.Select(l => l.Split(" = ", 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var differences = new List<string>();
        for (var i = 0; i < keys.Length; i++)
        {
            var want = UnitConfig.IsSecret(keys[i]) ? "set" : values[i];
            if (!read.TryGetValue(keys[i], out var got) || got != want)
            {
                differences.Add(UnitConfig.IsSecret(keys[i]) ? $"{keys[i]} is not set" : $"{keys[i]} reads '{got ?? "(not set)"}', not '{values[i]}'");
            }
        }

        differences.AddRange(read.Keys.Where(k => !keys.Contains(k)).Select(k => $"{k} is set but not in the race file"));
        if (differences.Count > 0)
        {
            throw new CliException(ExitCode.FlashFailed, $"unit {unit} read back differs: {string.Join("; ", differences)}.", "provision it again; if it keeps differing, its storage is failing (run 'timingmat selftest').");
        }

        return checksum;
    }

    /// <summary>Runs the unit's self-test and collects its lines.</summary>
    /// <param name="console">The console.</param>
    /// <param name="line">Receives each check's line as it comes.</param>
    /// <returns>The checks and whether all passed.</returns>
    public static SelfTestReport SelfTest(ConsoleSession console, Action<SelfTestCheck>? line = null)
    {
        var checks = new List<SelfTestCheck>();
        var reply = console.Send("selftest", within: s_selfTest, line: text =>
        {
            var check = SelfTestCheck.Parse(text);
            if (check != null)
            {
                checks.Add(check);
                line?.Invoke(check);
            }
        });
        if (!reply.IsOk)
        {
            throw new CliException(reply.ErrorCode == "not-provisioned" ? ExitCode.SelfTestFailed : ExitCode.DeviceNotResponding, $"the unit cannot run its self-test: {reply.Detail}.", "provision the unit first: timingmat provision --port PORT --unit NAME --config race.cfg.");
        }

        return new SelfTestReport(reply.Detail.StartsWith("selftest pass", StringComparison.Ordinal), checks);
    }

    /// <summary>Puts one file on the unit unless its copy has the same length and CRC-32 already.</summary>
    /// <returns><c>true</c> when it was sent.</returns>
    /// <exception cref="CliException">The unit refused the name (12) or its storage (26), or the file arrived corrupt twice (23).</exception>
    public static bool PutFile(ConsoleSession console, string unit, UnitFile file)
    {
        var stored = $"file {file.Name} {file.Bytes.Length} crc={file.Crc}";
        var check = console.Send($"file check {file.Name}");
        if (check.IsOk && check.Detail == stored)
        {
            return false;
        }

        for (var attempt = 1; ; attempt++)
        {
            var put = console.Send($"file put {file.Name} {file.Bytes.Length} {file.Crc}");
            FileExpect(put, unit, file);
            foreach (var chunk in file.Bytes.Chunk(UnitFileTransfer.MaxChunkBytes))
            {
                FileExpect(console.Send("file data " + Convert.ToHexString(chunk), $"file data ({chunk.Length} bytes)"), unit, file);
            }

            var end = console.Send("file end");
            if (end.IsOk && end.Detail == stored)
            {
                return true;
            }

            if (end.ErrorCode != "corrupt" || attempt == 2)
            {
                FileExpect(end, unit, file);
                throw new CliException(ExitCode.FlashFailed, $"unit {unit} stored {file.Name} as '{end.Detail}', not '{stored}'.", "provision it again; if it keeps differing, its storage is failing (run 'timingmat selftest').");
            }
        }
    }

    private static void FileExpect(ConsoleReply reply, string unit, UnitFile file)
    {
        if (reply.IsOk)
        {
            return;
        }

        var (code, fix) = reply.ErrorCode switch
        {
            "storage" => (ExitCode.StorageFailed, "free the unit's flash (a smaller chips.cfg) or replace the board if its storage fails; the unit keeps its old file."),
            "invalid-name" or "too-large" => (ExitCode.InvalidInput, "give the file a name and size the unit takes: chips.cfg, keys.cfg or a .pem/.crt/.der of at most 1 MB."),
            _ => (ExitCode.FlashFailed, "provision it again; the unit keeps its old file until a whole one arrives."),
        };
        throw new CliException(code, $"unit {unit} refused {file.Name} ({file.Source}): {reply.Final}", fix);
    }

    private static string SetShown(string key, string value) =>
        UnitConfig.IsSecret(key) ? $"set {key} (secret, {value.Length} characters)" : $"set {key} {value}";

    private static void Expect(ConsoleReply reply, string unit, string command)
    {
        if (!reply.IsOk)
        {
            throw new CliException(reply.ErrorCode == "storage" ? ExitCode.StorageFailed : ExitCode.FlashFailed, $"unit {unit} answered '{command}' with {reply.Final}.", reply.ErrorCode == "storage" ? "the unit's flash refused the file: run 'timingmat selftest' and replace the board if storage fails." : ExitCodes.Fix(ExitCode.FlashFailed));
        }
    }
}

/// <summary>One line of the self-test: <c>test NAME pass|fail|skip REASON</c>.</summary>
internal sealed record SelfTestCheck(string Name, string Result, string Reason)
{
    public static SelfTestCheck? Parse(string line)
    {
        var parts = line.Split(' ', 4);
        return parts.Length >= 3 && parts[0] == "test" ? new SelfTestCheck(parts[1], parts[2], parts.Length == 4 ? parts[3] : string.Empty) : null;
    }
}

/// <summary>A self-test's outcome.</summary>
internal sealed record SelfTestReport(bool Passed, IReadOnlyList<SelfTestCheck> Checks)
{
    public string Summary => Passed
        ? $"pass ({Checks.Count(c => c.Result == "pass")} passed, {Checks.Count(c => c.Result == "skip")} skipped)"
        : "FAIL: " + string.Join(", ", Checks.Where(c => c.Result == "fail").Select(c => c.Name));
}
