namespace TimingMat.Emulators.Statistics;

/// <summary>
/// The one percentile every TimingMat figure uses ("p99" in a bench, the simulator's report and the uplink measurements
/// is the same statistic): the nearest rank, the smallest sample with at least the quantile's share of the samples at or
/// below it, <c>sorted[ceil(q·n) − 1]</c>. It never interpolates, so every figure is a value that was measured.
/// </summary>
/// <remarks>
/// Examples with the ten samples 1…10: p50 = 5, p90 = 9, p95 = 10, p99 = 10, p0 = 1. The rank's product is rounded to
/// 9 decimals before the ceiling so that binary fractions do not move it (0.07 × 100 is 7.000000000000001 in a double,
/// which must stay rank 7).
/// </remarks>
public static class Percentile
{
    /// <summary>Gives the 0-based index of a quantile's nearest rank in a sorted sample.</summary>
    /// <param name="count">Samples (at least 1).</param>
    /// <param name="quantile">Quantile, 0–1 (0.99 for p99).</param>
    /// <returns><c>max(0, ceil(quantile × count) − 1)</c>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is below 1, or the quantile is outside 0–1.</exception>
    public static int IndexOf(int count, double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (!(quantile is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(quantile), quantile, "a quantile lies between 0 and 1");
        }

        return Math.Max(0, (int)Math.Ceiling(Math.Round(quantile * count, 9)) - 1);
    }

    /// <summary>Gives a quantile of a sample sorted in ascending order.</summary>
    /// <param name="sorted">The samples, ascending (at least one).</param>
    /// <param name="quantile">Quantile, 0–1.</param>
    /// <returns>The nearest-rank value.</returns>
    public static long Of(IReadOnlyList<long> sorted, double quantile) => sorted[IndexOf(sorted.Count, quantile)];

    /// <summary>Gives a quantile of a sample sorted in ascending order.</summary>
    /// <param name="sorted">The samples, ascending (at least one).</param>
    /// <param name="quantile">Quantile, 0–1.</param>
    /// <returns>The nearest-rank value.</returns>
    public static double Of(IReadOnlyList<double> sorted, double quantile) => sorted[IndexOf(sorted.Count, quantile)];

    /// <summary>Gives a quantile of a sample sorted in ascending order.</summary>
    /// <param name="sorted">The samples, ascending (at least one).</param>
    /// <param name="quantile">Quantile, 0–1.</param>
    /// <returns>The nearest-rank value.</returns>
    public static int Of(IReadOnlyList<int> sorted, double quantile) => sorted[IndexOf(sorted.Count, quantile)];
}
