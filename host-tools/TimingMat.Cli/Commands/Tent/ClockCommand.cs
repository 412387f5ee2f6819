using System.CommandLine;
using System.Globalization;
using TimingMat.Cli.Infrastructure;
using TimingMat.Tent.Clock;

namespace TimingMat.Cli.Commands.Tent;

/// <summary>
/// <c>timingmat clock verify --race race.cfg | --units LIST --key-file FILE [--tolerance-ms 1] [--exchanges 8] [--json]</c>:
/// before the gun, asks every unit for signed clock reports and proves they agree on the time
/// (<see cref="ClockVerifier"/>); exit 30 naming each unit that is unlocked, silent or out of tolerance.
/// </summary>
internal static class ClockCommand
{
    public static Command Create(CommandOutput output)
    {
        var tent = TentOptions.Create();
        var tolerance = new Option<double>("--tolerance-ms") { Description = "Largest disagreement allowed between a unit and the fleet's median (the host clock with fewer than 3 units), ms", DefaultValueFactory = _ => 1.0 };
        var uncertainty = new Option<double>("--max-uncertainty-ms") { Description = "Largest uncertainty a unit's clock may state, ms", DefaultValueFactory = _ => 5.0 };
        var exchanges = new Option<int>("--exchanges") { Description = "Clock exchanges per unit, the quickest round trip counts; up to 4 times as many while the quickest is longer than the tolerance", DefaultValueFactory = _ => 8 };
        var timeout = new Option<double>("--timeout-s") { Description = "How long to wait for each answer, seconds", DefaultValueFactory = _ => 3.0 };
        var json = JsonOption.Create();
        var verify = new Command("verify", "Prove that every unit's clock agrees with GPS, the other units and (grossly) this computer; exit 30 naming each unit that does not");
        foreach (var option in tent.All().Concat([tolerance, uncertainty, exchanges, timeout, json]))
        {
            verify.Options.Add(option);
        }

        verify.SetAction(parse => Run(output, tent.Read(parse), parse.GetValue(tolerance), parse.GetValue(uncertainty), parse.GetValue(exchanges), parse.GetValue(timeout), JsonOption.Target(parse, json)));
        var command = new Command("clock", "The mat units' clocks, from the tent");
        command.Subcommands.Add(verify);
        return command;
    }

    private static int Run(CommandOutput output, TentSettings settings, double toleranceMs, double maxUncertaintyMs, int exchanges, double timeoutSeconds, string? json)
    {
        if (toleranceMs is <= 0 or > 10_000 || maxUncertaintyMs is <= 0 or > 10_000 || exchanges is < 1 or > 100 || timeoutSeconds is <= 0 or > 60)
        {
            throw new CliException(ExitCode.InvalidInput, "--tolerance-ms and --max-uncertainty-ms must be above 0 (at most 10000), --exchanges 1-100 and --timeout-s above 0 (at most 60).");
        }

        ClockVerification result;
        using (var commander = TentOptions.Connect(settings))
        {
            result = ClockVerifier.Verify(commander, settings.Units, (long)Math.Round(toleranceMs * 1000), (long)Math.Round(maxUncertaintyMs * 1000), exchanges, TimeSpan.FromSeconds(timeoutSeconds));
        }

        if (json != JsonOption.StandardOutput)
        {
            WriteTable(output, result);
        }

        if (json != null)
        {
            output.WriteJson(result, json == JsonOption.StandardOutput ? null : json);
        }

        if (!result.Passed)
        {
            var failed = string.Join(", ", result.Failed.Select(u => $"unit {u.Unit} {u.Verdict}"));
            throw new CliException(ExitCode.ClockNotSynced, $"{result.Failed.Count()} of {result.Units.Count} unit(s) failed the clock check: {failed}.", "fix each unit named (the table says what its verdict rests on) and run clock verify again before the gun.");
        }

        return (int)ExitCode.Ok;
    }

    private static void WriteTable(CommandOutput output, ClockVerification result)
    {
        static string Ms(double? value) => value == null ? "-" : value.Value.ToString("0.000", CultureInfo.InvariantCulture);
        var o = output.Out;
        o.WriteLine($"Clock check of {result.Units.Count} unit(s), tolerance {result.ToleranceMs.ToString("0.###", CultureInfo.InvariantCulture)} ms, against the {(result.Reference == "fleet-median" ? "fleet's median" : "host clock (fewer than 3 units measured)")}:");
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"unit",6}  {"state",-9} {"offset ms",10} {"±unc ms",8} {"sats",5} {"last PPS",9} {"rtt ms",7}  verdict"));
        foreach (var u in result.Units)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {u.Unit,6}  {u.State ?? "-",-9} {Ms(u.OffsetMs),10} {Ms(u.UncertaintyMs),8} {(u.Satellites?.ToString(CultureInfo.InvariantCulture) ?? "-"),5} {(u.LastPpsMs == null ? "-" : u.LastPpsMs + " ms"),9} {Ms(u.RoundTripMs),7}  {(u.Passed ? "ok" : u.Verdict.ToUpperInvariant())}: {u.Detail}"));
        }

        if (result.HostOffsetMs is { } host && Math.Abs(host) > 1000)
        {
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  note: this computer's clock is {-host:0.###} ms off the fleet's GPS time; set it from NTP or GPS (it does not change the verdicts above)."));
        }
    }
}
