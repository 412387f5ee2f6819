using TimingMat.Bench.Crossings;
using TimingMat.Emulators.Crossings;
using Xunit;

namespace TimingMat.Bench.Tests.Crossings;

public class CrossingBenchTests
{
    [Fact]
    public void Bench_TimesPeakFarCloserThanTheFirstRead_AndIsReproducible()
    {
        var settings = new CrossingBenchSettings { Seed = 3, Crossings = 300 };

        var a = CrossingBench.Run(settings);
        var b = CrossingBench.Run(settings);

        Assert.Equal(a, b);
        Assert.Equal(300, a.Crossings);
        Assert.InRange(a.Missed, 0, 5);
        Assert.Equal(0, a.Duplicates);
        Assert.Equal(300 - a.Missed, a.Peak.Count);
        Assert.True(a.Peak.P50Ms * 10 < a.First.P50Ms, $"peak {a.Peak.P50Ms} ms, first {a.First.P50Ms} ms");
        Assert.True(a.First.MeanSignedMs < -100, "first reads come early");
        Assert.True(a.Last.MeanSignedMs > 100, "last reads come late");
        Assert.InRange(a.Peak.MeanSignedMs, -10, 10);
    }

    [Fact]
    public void PeakMode_ReachesTheCramerRaoBound_AtEveryReadRate()
    {
        // The detector's figures next to what the reads allow: within 10 % of the bound at the median (the p99 of 600
        // crossings is too noisy to pin); knowing the exact curve bounds tighter; more reads give a tighter bound.
        CrossingBenchResult Run(double readsPerSecond) => CrossingBench.Run(new CrossingBenchSettings
        {
            Seed = 4,
            Crossings = 600,
            Model = new CrossingModelSettings { ReaderReadsPerSecond = readsPerSecond },
        });

        var slow = Run(500);
        var fast = Run(2000);

        foreach (var r in new[] { slow, fast })
        {
            Assert.Equal(r.Peak.Count, r.Bound.Count);
            Assert.InRange(r.Peak.P50Ms, r.Bound.P50Ms * 0.9, r.Bound.P50Ms * 1.1);
            Assert.NotNull(r.Bound.P99Ms);
            Assert.InRange(r.BoundKnownCurve.P50Ms, r.Bound.P50Ms * 0.8, r.Bound.P50Ms);
        }

        Assert.InRange(slow.ReadsPerCrossing, 16, 21);
        Assert.InRange(fast.ReadsPerCrossing, 65, 80);
        Assert.True(fast.Bound.P99Ms < slow.Bound.P99Ms / 2, $"bound p99 {slow.Bound.P99Ms} ms at 500 reads/s, {fast.Bound.P99Ms} ms at 2000");
        Assert.Equal(Math.Round((double)slow.Reads / slow.Crossings, 1), slow.ReadsPerCrossing);
    }

    [Fact]
    public void BoundSummary_DrawsTheNormalPercentiles_AndCountsCrossingsWithoutABound()
    {
        var unit = Enumerable.Repeat(1.0, 2000).ToList();

        var summary = BoundFigures.Of(unit, new Random(1));

        // |N(0, 1)|: median 0.674, 99th percentile 2.576.
        Assert.InRange(summary.P50Ms, 0.66, 0.69);
        Assert.InRange(summary.P99Ms!.Value, 2.50, 2.65);
        Assert.Equal(0, summary.Unbounded);

        var some = unit.Take(990).Concat(Enumerable.Repeat(double.PositiveInfinity, 10)).ToList();
        Assert.Equal(10, BoundFigures.Of(some, new Random(1)).Unbounded);
        Assert.NotNull(BoundFigures.Of(some, new Random(1)).P99Ms);
        var many = unit.Take(980).Concat(Enumerable.Repeat(double.PositiveInfinity, 20)).ToList();
        Assert.Null(BoundFigures.Of(many, new Random(1)).P99Ms);
    }

    [Fact]
    public void ReadsOut_WritesEveryReadWithItsChipsTruth()
    {
        var csv = new StringWriter();

        var result = CrossingBench.Run(new CrossingBenchSettings { Seed = 2, Crossings = 20 }, csv);

        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("chip,true_crossing_us,read_time_us,rssi_dbm,antenna", lines[0]);
        Assert.Equal(result.Reads, lines.Length - 1);
        var fields = lines[1].Split(',');
        Assert.Equal(24, fields[0].Length);
        Assert.True(long.Parse(fields[1]) > 0);
        Assert.InRange(int.Parse(fields[3]), -80, -30);
        Assert.InRange(int.Parse(fields[4]), 1, 4);
        Assert.Equal(20, lines.Skip(1).Select(l => l.Split(',')[0]).Distinct().Count() + result.Missed);
    }

    [Fact]
    public void ErrorSummary_UsesNearestRankPercentiles()
    {
        var errors = Enumerable.Range(1, 100).Select(i => (long)(i % 2 == 0 ? i * 1000 : -i * 1000)).ToList();

        var summary = CrossingErrorFigures.Of(errors);

        Assert.Equal(new CrossingErrorFigures(100, 50, 99, 100, 0.5), summary);
        Assert.Equal(new CrossingErrorFigures(0, 0, 0, 0, 0), CrossingErrorFigures.Of([]));
    }
}
