using TimingMat.Emulators.Statistics;

namespace TimingMat.Emulators.Crossings;

/// <summary>What the Cramér–Rao bound allows over a bench run: the |error| percentiles of an estimator that reaches it, ms.</summary>
/// <param name="Count">Crossings with at least one read.</param>
/// <param name="P50Ms">Median |error| at the bound.</param>
/// <param name="P99Ms">99th percentile |error| at the bound, or <c>null</c> when more than 1 % of the crossings have no finite bound.</param>
/// <param name="Unbounded">Crossings with fewer reads than unknowns (no finite bound; detectors fall back to the strongest read).</param>
public sealed record BoundFigures(int Count, double P50Ms, double? P99Ms, int Unbounded)
{
    private const int Draws = 32;

    /// <summary>Summarises per-crossing bounds by drawing |N(0, bound)| errors for each.</summary>
    /// <param name="boundsMs">Standard deviation of each crossing's time at the bound, ms (+∞ when unbounded).</param>
    /// <param name="random">Seeded source of the draws.</param>
    /// <returns>The summary (zeros when empty).</returns>
    public static BoundFigures Of(IReadOnlyList<double> boundsMs, Random random)
    {
        if (boundsMs.Count == 0)
        {
            return new BoundFigures(0, 0, 0, 0);
        }

        var draws = new double[boundsMs.Count * Draws];
        var k = 0;
        foreach (var sd in boundsMs)
        {
            for (var i = 0; i < Draws; i++)
            {
                draws[k++] = double.IsFinite(sd) ? Math.Abs(sd * Gaussian(random)) : double.PositiveInfinity;
            }
        }

        Array.Sort(draws);
        var p99 = Percentile.Of(draws, 0.99);
        return new BoundFigures(
            boundsMs.Count,
            Math.Round(Percentile.Of(draws, 0.50), 2),
            double.IsFinite(p99) ? Math.Round(p99, 2) : null,
            boundsMs.Count(s => !double.IsFinite(s)));
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
