namespace TimingMat.Simulation.Field;

/// <summary>How one starter runs the race: the truth the simulation is measured against.</summary>
public sealed record RunnerPlan
{
    /// <summary>Gets the runner's own athlete record.</summary>
    public required Athlete Athlete { get; init; }

    /// <summary>Gets the chip of a second athlete this runner carries, or null.</summary>
    public Athlete? Carried { get; init; }

    /// <summary>Gets the runner's even pace in seconds per km before fatigue.</summary>
    public required double PaceSecondsPerKm { get; init; }

    /// <summary>Gets how much the runner slows by the finish (0.05 = 5 % slower over the last km than at the start).</summary>
    public required double Fade { get; init; }

    /// <summary>Gets when the runner crosses the start line, UTC µs.</summary>
    public required long StartUtcMicros { get; init; }

    /// <summary>Gets when the runner crosses the corral check-in mat, UTC µs, or null when they do not check in.</summary>
    public long? CheckInUtcMicros { get; init; }

    /// <summary>Gets the course km at which the runner drops out, or null.</summary>
    public double? DropoutKm { get; init; }

    /// <summary>Gets the unit id of a split mat the runner walks round, or null.</summary>
    public int? SkippedUnitId { get; init; }

    /// <summary>Gets a value indicating whether the bib is badly placed (far fewer reads).</summary>
    public required bool BadBib { get; init; }

    /// <summary>Gets a value indicating whether the runner started after their corral had gone.</summary>
    public required bool LateStart { get; init; }

    /// <summary>Gets the chips this runner carries over every mat (own first).</summary>
    public IReadOnlyList<Athlete> Chips => Carried == null ? [Athlete] : [Athlete, Carried];

    /// <summary>Gets the true time the runner is at a course distance, UTC µs.</summary>
    /// <param name="km">Course distance.</param>
    /// <param name="distanceKm">Course length, for the fatigue curve.</param>
    /// <returns>UTC µs.</returns>
    public long TimeAtKm(double km, double distanceKm)
    {
        // Fatigue grows with the square of the distance covered: even early, slower late.
        var effective = km * (1 + (Fade * (km / distanceKm) * (km / distanceKm) / 3));
        return StartUtcMicros + (long)(effective * PaceSecondsPerKm * 1_000_000);
    }
}
