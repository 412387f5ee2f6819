using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using TimingMat.Bench.Clock;
using TimingMat.Cli.Infrastructure;
using TimingMat.Emulators.Gps;

namespace TimingMat.Cli.Commands;

/// <summary>
/// <c>timingmat bench clock</c>: the accuracy benchmark of the GPS-disciplined mat clock. One emulated unit runs
/// the real firmware <c>MatClock</c> on simulated time (minutes in seconds) and reports its error against the true
/// timeline while locked, in holdover after 10/30/60 minutes without GPS, the time to lock after the first fix,
/// and the same stamps through a plain least-squares average for comparison.
/// </summary>
internal static class BenchClockCommand
{
    public static Command Create(CommandOutput output)
    {
        var latency = new Option<string>("--latency") { Description = "PPS handler latency model: uniform2 (0-2 ms), heavy (70 % 0-1 ms, 30 % 1-25 ms), uniform25 (0.1-25 ms), none", DefaultValueFactory = _ => "heavy" };
        latency.AcceptOnlyFromAmong([.. PpsLatencyModel.Names]);
        var minutes = new Option<int>("--minutes") { Description = "Simulated minutes", DefaultValueFactory = _ => 100 };
        var holdoverAt = new Option<int>("--holdover-at") { Description = "Minute at which the GPS loses the sky (holdover starts)", DefaultValueFactory = _ => 30 };
        var holdoverFor = new Option<int>("--holdover-for") { Description = "Minutes without GPS; 0 for none", DefaultValueFactory = _ => 60 };
        var seed = new Option<int>("--seed") { Description = "Seed of the crystal, latency draws and receiver (runs are reproducible)", DefaultValueFactory = _ => 1 };
        var json = JsonOption.Create();
        var command = new Command("clock", "GPS-disciplined clock accuracy: locked error, holdover error, time to lock (simulated time)")
        {
            latency,
            minutes,
            holdoverAt,
            holdoverFor,
            seed,
            json,
        };
        command.SetAction(parse => Run(
            output,
            new ClockBenchOptions(PpsLatencyModel.Parse(parse.GetValue(latency)!), parse.GetValue(minutes), parse.GetValue(holdoverAt), parse.GetValue(holdoverFor), parse.GetValue(seed)),
            JsonOption.Target(parse, json)));
        return command;
    }

    private static int Run(CommandOutput output, ClockBenchOptions options, string? json)
    {
        if (options.Minutes is < 2 or > 1440)
        {
            throw new CliException(ExitCode.InvalidInput, $"--minutes must be between 2 and 1440, not {options.Minutes}.");
        }

        if (options.HoldoverForMinutes < 0
            || (options.HoldoverForMinutes > 0 && (options.HoldoverAtMinutes < 2 || options.HoldoverAtMinutes + options.HoldoverForMinutes > options.Minutes)))
        {
            throw new CliException(
                ExitCode.InvalidInput,
                $"the holdover (minute {options.HoldoverAtMinutes} for {options.HoldoverForMinutes} min) must start after minute 2 and end within the {options.Minutes} simulated minutes.",
                "lower --holdover-at/--holdover-for or raise --minutes.");
        }

        var wall = Stopwatch.StartNew();
        var result = ClockBench.Run(options);
        wall.Stop();
        if (json != JsonOption.StandardOutput)
        {
            WriteText(output, options, result, wall.Elapsed);
        }

        if (json != null)
        {
            output.WriteJson(
                new
                {
                    LockedErrorUs = result.LockedError,
                    HoldoverErrorUs = result.HoldoverError,
                    TimeToLockS = result.TimeToLockSeconds,
                    LatencyModel = options.Latency.Name,
                    options.Seed,
                    PlainAverageErrorUs = result.PlainAverageError,
                    HoldoverUncertaintyUs = result.HoldoverUncertainty,
                    RelockS = result.RelockSeconds,
                    LockedSamples = result.LockedSamples,
                    LockedOverUncertainty = result.OverUncertainty,
                    options.Minutes,
                    HoldoverAtMin = options.HoldoverAtMinutes,
                    HoldoverForMin = options.HoldoverForMinutes,
                    CrystalPpm = result.CrystalPpm,
                    WanderPpm = 0.5,
                    FrequencyEstimateErrorPpb = result.FrequencyEstimateErrorPpb,
                },
                json == JsonOption.StandardOutput ? null : json);
        }

        return (int)ExitCode.Ok;
    }

    private static void WriteText(CommandOutput output, ClockBenchOptions options, ClockBenchResult r, TimeSpan wall)
    {
        static string Us(long? value) => value is long v ? v.ToString("N0", CultureInfo.InvariantCulture) + " us" : "-";
        static string Percentiles(ErrorPercentiles? p) => p == null ? "no samples" : $"p50 {Us(p.P50)}, p99 {Us(p.P99)}, max {Us(p.Max)}";
        var o = output.Out;
        o.WriteLine($"TimingMat bench clock: {options.Latency.Name} PPS latency (mean {options.Latency.MeanMicros / 1000:0.0} ms), crystal {r.CrystalPpm:+0.000;-0.000} ppm with +-0.5 ppm wander, seed {options.Seed}");
        o.WriteLine($"  time to lock     {(r.TimeToLockSeconds is double t ? t.ToString("0.0", CultureInfo.InvariantCulture) + " s after the first fix" : "never locked")}");
        o.WriteLine($"  locked |error|   {Percentiles(r.LockedError)}  ({r.LockedSamples} samples, {r.OverUncertainty} beyond their stated uncertainty)");
        o.WriteLine($"  plain average    {Percentiles(r.PlainAverageError)}  (least squares over the same stamps)");
        if (options.HoldoverForMinutes > 0)
        {
            o.WriteLine($"  holdover |error| 10 min {Us(r.HoldoverError.At10Min)}, 30 min {Us(r.HoldoverError.At30Min)}, 60 min {Us(r.HoldoverError.At60Min)}  (from minute {options.HoldoverAtMinutes}, {options.HoldoverForMinutes} min without GPS)");
            o.WriteLine($"  holdover bound   10 min {Us(r.HoldoverUncertainty.At10Min)}, 30 min {Us(r.HoldoverUncertainty.At30Min)}, 60 min {Us(r.HoldoverUncertainty.At60Min)}  (stated uncertainty)");
            o.WriteLine($"  relock           {(r.RelockSeconds is double s ? s.ToString("0.0", CultureInfo.InvariantCulture) + " s after the sky came back" : "not within the run")}");
        }

        o.WriteLine($"  frequency        estimate off by {r.FrequencyEstimateErrorPpb:0} ppb at the end; {r.EdgesCommitted} edges used, {r.EdgesUnconfirmed} without a fix; NMEA {r.Accepted} accepted, {r.Rejected} rejected");
        o.WriteLine($"{options.Minutes} min simulated in {wall.TotalSeconds:0.0} s.");
    }
}
