using TimingMat.Emulators.Statistics;

using TimingMat.Emulators.Crossings;

namespace TimingMat.Bench.Crossings;

/// <summary>Absolute timing errors of one detection mode against the true crossing times, ms.</summary>
/// <param name="Count">Crossings with a passing.</param>
/// <param name="P50Ms">Median absolute error.</param>
/// <param name="P99Ms">99th percentile (<see cref="Percentile"/>: nearest rank).</param>
/// <param name="MaxMs">Largest error.</param>
/// <param name="MeanSignedMs">Mean signed error (negative = early): the mode's bias.</param>
public sealed record CrossingErrorFigures(int Count, double P50Ms, double P99Ms, double MaxMs, double MeanSignedMs)
{
    /// <summary>Summarises signed errors.</summary>
    /// <param name="errorsMicros">Passing time minus true time, µs.</param>
    /// <returns>The summary (zeros when empty).</returns>
    public static CrossingErrorFigures Of(IReadOnlyList<long> errorsMicros)
    {
        if (errorsMicros.Count == 0)
        {
            return new CrossingErrorFigures(0, 0, 0, 0, 0);
        }

        var absolute = errorsMicros.Select(e => Math.Abs(e) / 1000.0).Order().ToArray();
        return new CrossingErrorFigures(
            absolute.Length,
            Round(Percentile.Of(absolute, 0.50)),
            Round(Percentile.Of(absolute, 0.99)),
            Round(absolute[^1]),
            Round(errorsMicros.Average() / 1000.0));
    }

    private static double Round(double ms) => Math.Round(ms, 2);
}
