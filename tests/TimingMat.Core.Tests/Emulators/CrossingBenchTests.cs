using TimingMat.Emulators.Crossings;
using Xunit;

namespace TimingMat.Core.Tests.Emulators;

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

        var summary = ErrorSummary.Of(errors);

        Assert.Equal(new ErrorSummary(100, 50, 99, 100, 0.5), summary);
        Assert.Equal(new ErrorSummary(0, 0, 0, 0, 0), ErrorSummary.Of([]));
    }
}
