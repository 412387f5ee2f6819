using TimingMat.Emulators.Crossings;

namespace TimingMat.Bench.Crossings;

/// <summary>What a crossing bench run measured.</summary>
public sealed record CrossingBenchResult
{
    /// <summary>Gets the errors of Peak mode (parabola fit).</summary>
    public required CrossingErrorFigures Peak { get; init; }

    /// <summary>Gets the errors of First mode (first read).</summary>
    public required CrossingErrorFigures First { get; init; }

    /// <summary>Gets the errors of Last mode (last read).</summary>
    public required CrossingErrorFigures Last { get; init; }

    /// <summary>Gets the chip crossings run.</summary>
    public required int Crossings { get; init; }

    /// <summary>Gets the crossings without a Peak-mode passing (never read, or lost).</summary>
    public required int Missed { get; init; }

    /// <summary>Gets the crossings whose tag the model covered (most of them are the missed ones).</summary>
    public required int Blocked { get; init; }

    /// <summary>Gets the Peak-mode passings beyond one per crossing (a chip timed twice).</summary>
    public required int Duplicates { get; init; }

    /// <summary>Gets the seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Gets the reads the readers delivered.</summary>
    public required long Reads { get; init; }

    /// <summary>Gets the reads per chip crossing (every crossing counted, the missed ones too).</summary>
    public required double ReadsPerCrossing { get; init; }

    /// <summary>Gets the Cramér–Rao bound for these reads with the runner's speed, position and tag loss unknown (what a detector faces).</summary>
    public required BoundFigures Bound { get; init; }

    /// <summary>Gets the Cramér–Rao bound with the model's exact curve known up to its level (no estimator does better).</summary>
    public required BoundFigures BoundKnownCurve { get; init; }

    /// <summary>Gets the Peak-mode passings timed at the strongest read because the fit failed.</summary>
    public required long FitFallbacks { get; init; }

    /// <summary>Gets the Peak-mode crossings closed early for lack of capacity.</summary>
    public required long CapacityClosed { get; init; }

    /// <summary>Gets the simulated time the run covered, s.</summary>
    public required double SimulatedSeconds { get; init; }
}
