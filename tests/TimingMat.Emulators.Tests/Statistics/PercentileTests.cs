using TimingMat.Emulators.Statistics;
using Xunit;

namespace TimingMat.Emulators.Tests.Statistics;

public class PercentileTests
{
    private static readonly long[] s_oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    [Theory]
    [InlineData(0.00, 1)]
    [InlineData(0.10, 1)]
    [InlineData(0.11, 2)]
    [InlineData(0.50, 5)]
    [InlineData(0.90, 9)]
    [InlineData(0.95, 10)]
    [InlineData(0.99, 10)]
    [InlineData(1.00, 10)]
    public void Of_TenSamples_IsTheNearestRank_RoundedUp(double quantile, long expected)
    {
        Assert.Equal(expected, Percentile.Of(s_oneToTen, quantile));
    }

    [Fact]
    public void Of_AHundredSamples_P99IsThe99th_NotTheLargest()
    {
        var samples = Enumerable.Range(1, 100).Select(i => (double)i).ToArray();

        Assert.Equal(99.0, Percentile.Of(samples, 0.99));
        Assert.Equal(50.0, Percentile.Of(samples, 0.50));
        // 0.07 × 100 is 7.000000000000001 in a double: still rank 7, not 8.
        Assert.Equal(7.0, Percentile.Of(samples, 0.07));
    }

    [Fact]
    public void Of_OneSample_IsThatSample_ForEveryQuantile()
    {
        int[] one = [42];

        Assert.Equal(42, Percentile.Of(one, 0.0));
        Assert.Equal(42, Percentile.Of(one, 0.5));
        Assert.Equal(42, Percentile.Of(one, 1.0));
    }

    [Fact]
    public void Of_TheMedianOfAnEvenCount_IsTheLowerMiddle()
    {
        long[] four = [10, 20, 30, 40];

        Assert.Equal(20, Percentile.Of(four, 0.5));
        Assert.Equal(40, Percentile.Of(four, 0.99));
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(3, -0.1)]
    [InlineData(3, 1.1)]
    [InlineData(3, double.NaN)]
    public void IndexOf_AnEmptySampleOrAQuantileOutside0To1_Throws(int count, double quantile)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Percentile.IndexOf(count, quantile));
    }
}
