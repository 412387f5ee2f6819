namespace TimingMat.Simulation.Audit;

/// <summary>What a race-rules audit found.</summary>
/// <param name="Athletes">One finding per athlete seen on the course.</param>
/// <param name="TwoChipPairs">Chip pairs that travel together across mats.</param>
/// <param name="UnknownChips">Chips with passings that no athlete is registered to.</param>
public sealed record AuditResult(IReadOnlyList<AthleteFinding> Athletes, IReadOnlyList<TwoChipPair> TwoChipPairs, IReadOnlyList<string> UnknownChips)
{
    /// <summary>Counts the athletes with a verdict.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>How many athletes got it.</returns>
    public int Count(AthleteVerdict verdict) => Athletes.Count(a => a.Verdict == verdict);
}
