using System.Text.Json.Serialization;
using TimingMat.Core.Clock;
using TimingMat.Emulators.Gps;
using TimingMat.Emulators.Statistics;

namespace TimingMat.Bench.Clock;

/// <summary>What <c>timingmat bench clock</c> runs.</summary>
/// <param name="Latency">PPS handler latency model.</param>
/// <param name="Minutes">Simulated minutes.</param>
/// <param name="HoldoverAtMinutes">Minute at which the sky is blocked.</param>
/// <param name="HoldoverForMinutes">Minutes without GPS (0: none).</param>
/// <param name="Seed">Seed of the crystal, latency and receiver.</param>
internal sealed record ClockBenchOptions(PpsLatencyModel Latency, int Minutes, int HoldoverAtMinutes, int HoldoverForMinutes, int Seed);

/// <summary>|error| percentiles in µs.</summary>
/// <param name="P50">Median.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest.</param>
internal sealed record ErrorPercentiles(long P50, long P99, long Max)
{
    public static ErrorPercentiles? Of(List<long> absoluteErrors)
    {
        if (absoluteErrors.Count == 0)
        {
            return null;
        }

        var sorted = absoluteErrors.Order().ToArray();
        return new ErrorPercentiles(Percentile.Of(sorted, 0.50), Percentile.Of(sorted, 0.99), sorted[^1]);
    }
}

/// <summary>Holdover figures at 10, 30 and 60 minutes without GPS (null when the outage is shorter).</summary>
/// <param name="At10Min">After 10 minutes.</param>
/// <param name="At30Min">After 30 minutes.</param>
/// <param name="At60Min">After 60 minutes.</param>
internal sealed record HoldoverFigures(
    [property: JsonPropertyName("at_10min")] long? At10Min,
    [property: JsonPropertyName("at_30min")] long? At30Min,
    [property: JsonPropertyName("at_60min")] long? At60Min);

/// <summary>The measured figures.</summary>
internal sealed record ClockBenchResult(
    ErrorPercentiles? LockedError,
    ErrorPercentiles? PlainAverageError,
    HoldoverFigures HoldoverError,
    HoldoverFigures HoldoverUncertainty,
    double? TimeToLockSeconds,
    double? RelockSeconds,
    int LockedSamples,
    int OverUncertainty,
    double CrystalPpm,
    double FrequencyEstimateErrorPpb,
    int EdgesCommitted,
    int EdgesUnconfirmed,
    int Accepted,
    int Rejected);

/// <summary>
/// Runs one emulated unit (crystal with ±0.5 ppm temperature wander, GPS at 9600 baud with a 35 s cold start, a
/// PPS handler with the chosen latency) against the real <see cref="MatClock"/> on simulated time, polling every
/// 10 ms, and measures the clock's error against the true timeline.
/// </summary>
internal static class ClockBench
{
    private const long PollMicros = 10_000;
    private const long SampleMicros = 100_000;
    private static readonly long s_start = new DateTimeOffset(2026, 10, 4, 6, 30, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;

    public static ClockBenchResult Run(ClockBenchOptions o)
    {
        var setup = new Random(o.Seed);
        var crystalPpm = Math.Round((setup.NextDouble() * 30) - 15, 3);
        var crystal = new CrystalOscillator(crystalPpm, agingPpmPerDay: 0.01, wanderPpm: 0.5, seed: setup.Next(), referenceUtcMicros: s_start);
        var holdStart = s_start + (o.HoldoverAtMinutes * 60_000_000L);
        var holdEnd = holdStart + (o.HoldoverForMinutes * 60_000_000L);
        var schedule = o.HoldoverForMinutes > 0 ? new[] { new GpsCondition(GpsConditionKind.NoFix, holdStart, holdEnd) } : [];
        var options = new GpsEmulatorOptions { Seed = o.Seed, Latency = o.Latency, AcquisitionSeconds = 35, Schedule = schedule };
        var rig = new GpsRig(crystal, s_start, options, 9600, localAtBoot: 1_500_000);
        var clock = new MatClock(rig.Clock, rig.GpsPort, rig.Pps);
        var plain = new PlainAverageFit(new MatClockSettings().WindowEdges);
        var sampler = new Random(o.Seed ^ 0x5EED);

        var locked = new List<long>();
        var plainErrors = new List<long>();
        var overUncertainty = 0;
        long?[] holdoverError = [null, null, null];
        long?[] holdoverUncertainty = [null, null, null];
        long[] checkpoints = [10, 30, 60];
        double? timeToLock = null;
        double? relock = null;
        var committed = 0;
        var end = s_start + (o.Minutes * 60_000_000L);
        var nextSample = s_start + SampleMicros;
        while (rig.Gps.TrueNow < end)
        {
            rig.Gps.StepBy(PollMicros);
            clock.Poll();
            var now = rig.Gps.TrueNow;
            if (clock.State == ClockState.Locked && clock.EdgesCommitted != committed)
            {
                plain.Add(clock.LastEdgeSecond, clock.LastEdgeLocalMicros);
            }

            committed = clock.EdgesCommitted;
            if (timeToLock == null && clock.State == ClockState.Locked && rig.Gps.FirstFixUtcMicros is long firstFix)
            {
                timeToLock = (now - firstFix) / 1e6;
            }

            if (relock == null && o.HoldoverForMinutes > 0 && now >= holdEnd && clock.State == ClockState.Locked)
            {
                relock = (now - holdEnd) / 1e6;
            }

            for (var i = 0; i < checkpoints.Length; i++)
            {
                var at = holdStart + (checkpoints[i] * 60_000_000L);
                if (holdoverError[i] == null && checkpoints[i] <= o.HoldoverForMinutes && now >= at)
                {
                    var local = rig.Clock.Now;
                    var time = clock.ToMatTime(local);
                    holdoverError[i] = Math.Abs(time.UtcMicros - rig.Gps.PosixOf(rig.Timebase.ToTrueUtc(local)));
                    holdoverUncertainty[i] = time.UncertaintyMicros;
                }
            }

            if (now < nextSample)
            {
                continue;
            }

            // A read stamped somewhere in the last 100 ms, converted now, as the crossing detector does.
            nextSample += SampleMicros;
            var stamp = rig.Clock.Now - sampler.NextInt64(SampleMicros);
            var mat = clock.ToMatTime(stamp);
            var truth = rig.Gps.PosixOf(rig.Timebase.ToTrueUtc(stamp));
            if (clock.State != ClockState.Locked || mat.State != ClockState.Locked)
            {
                continue;
            }

            var error = Math.Abs(mat.UtcMicros - truth);
            locked.Add(error);
            if (error > mat.UncertaintyMicros)
            {
                overUncertainty++;
            }

            if (plain.Ready)
            {
                plainErrors.Add(Math.Abs(plain.ToUtcMicros(stamp) - truth));
            }
        }

        var trueFrequencyPpb = rig.Timebase.FrequencyPpmAt(rig.Gps.TrueNow) * 1000;
        return new ClockBenchResult(
            ErrorPercentiles.Of(locked),
            ErrorPercentiles.Of(plainErrors),
            new HoldoverFigures(holdoverError[0], holdoverError[1], holdoverError[2]),
            new HoldoverFigures(holdoverUncertainty[0], holdoverUncertainty[1], holdoverUncertainty[2]),
            timeToLock,
            relock,
            locked.Count,
            overUncertainty,
            crystalPpm,
            Math.Round(clock.FrequencyErrorPpb - trueFrequencyPpb, 1),
            clock.EdgesCommitted,
            clock.EdgesUnconfirmed,
            clock.Nmea.Accepted,
            clock.Nmea.Rejected);
    }
}
