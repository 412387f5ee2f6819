using TimingMat.Collector.Courses;

namespace TimingMat.Collector.Audit;

/// <summary>What a race-rules audit found.</summary>
/// <param name="Athletes">One finding per athlete seen on the course.</param>
/// <param name="TwoChipPairs">Chip pairs that travel together across timing points.</param>
/// <param name="UnknownChips">Chips with passings that no athlete is registered to.</param>
/// <param name="Crossings">Every crossing the audit judged: the passings of each timing point's lines merged per chip.</param>
public sealed record AuditResult(IReadOnlyList<AthleteFinding> Athletes, IReadOnlyList<TwoChipPair> TwoChipPairs, IReadOnlyList<string> UnknownChips, IReadOnlyList<MergedCrossing> Crossings)
{
    /// <summary>Counts the athletes with a verdict.</summary>
    /// <param name="verdict">The verdict.</param>
    /// <returns>How many athletes got it.</returns>
    public int Count(AthleteVerdict verdict) => Athletes.Count(a => a.Verdict == verdict);

    /// <summary>Gets the athletes a referee should look at before they are unranked, with the evidence.</summary>
    public IEnumerable<RefereeCase> RefereeCases => Athletes.Where(a => a.Referee != null).Select(a => a.Referee!);
}
