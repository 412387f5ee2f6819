using TimingMat.Collector.Courses;
using TimingMat.Core.Passings;

namespace TimingMat.Collector.Audit;

/// <summary>A delivered passing as the audit sees it.</summary>
/// <param name="UnitId">Mat unit that recorded it.</param>
/// <param name="Sequence">The unit's sequence number.</param>
/// <param name="ChipHex">EPC as upper-case hex.</param>
/// <param name="TimeUtcMicros">Crossing time.</param>
/// <param name="Kind">Crossing or marker.</param>
/// <param name="Flags">Qualifiers from the unit.</param>
/// <param name="Hits">Reads the passing was timed from (how well its line read the chip).</param>
public sealed record AuditPassing(int UnitId, long Sequence, string ChipHex, long TimeUtcMicros, PassingKind Kind, PassingFlags Flags, int Hits = 0);

/// <summary>A registered athlete and the chips registered to them.</summary>
/// <param name="Bib">Bib number.</param>
/// <param name="ChipHexes">EPCs as upper-case hex.</param>
public sealed record AuditAthlete(int Bib, IReadOnlyList<string> ChipHexes);

/// <summary>A fault the timing crew knows a timing point had (from the units' status, the crew's log, the simulator's timeline).</summary>
/// <param name="TimingPoint">The point's name.</param>
/// <param name="FromUtcMicros">When it started.</param>
/// <param name="ToUtcMicros">When the point read again.</param>
/// <param name="What">What happened, in words, e.g. "power cut on unit 4".</param>
public sealed record KnownFault(string TimingPoint, long FromUtcMicros, long ToUtcMicros, string What);

/// <summary>The audit's verdict on an athlete, in order of precedence.</summary>
public enum AthleteVerdict
{
    /// <summary>Every course timing point in order, all within cut-offs: the athlete gets a net time and a rank.</summary>
    Ranked,

    /// <summary>At least one course timing point has no crossing (a DNF, a skipped split, or a missed read).</summary>
    MissingMat,

    /// <summary>The timing points were passed out of course order.</summary>
    OutOfSequence,

    /// <summary>A timing point was passed after its cut-off.</summary>
    AfterCutoff,
}

/// <summary>What the audit found for one athlete.</summary>
/// <param name="Bib">Bib number.</param>
/// <param name="Verdict">The first rule the athlete breaks, or Ranked.</param>
/// <param name="MissingMats">Course timing points without a crossing.</param>
/// <param name="OutOfSequenceMats">Timing points passed earlier than the one before them.</param>
/// <param name="AfterCutoffMats">Timing points passed after their cut-off.</param>
/// <param name="NetTimeMicros">Finish minus start time, or null without both.</param>
public sealed record AthleteFinding(int Bib, AthleteVerdict Verdict, IReadOnlyList<string> MissingMats, IReadOnlyList<string> OutOfSequenceMats, IReadOnlyList<string> AfterCutoffMats, long? NetTimeMicros)
{
    /// <summary>Gets the referee's case when the athlete lacks one timing point but the rest of the race speaks for them, or null (a clear case).</summary>
    public RefereeCase? Referee { get; init; }
}

/// <summary>
/// An athlete a referee should look at before they are unranked: timing points lack a crossing of theirs, but the
/// points they have are in order and something speaks for them at each point they lack.
/// </summary>
/// <param name="Bib">Bib number.</param>
/// <param name="Gaps">Each point without a crossing, with the time they were due there and the evidence.</param>
public sealed record RefereeCase(int Bib, IReadOnlyList<RefereeGap> Gaps);

/// <summary>One timing point without the athlete's crossing, for the referee.</summary>
/// <param name="TimingPoint">The point.</param>
/// <param name="ExpectedFromUtcMicros">Earliest time they would have passed it, from their neighbouring points.</param>
/// <param name="ExpectedToUtcMicros">Latest such time.</param>
/// <param name="Evidence">What speaks for them there, strongest first.</param>
public sealed record RefereeGap(string TimingPoint, long ExpectedFromUtcMicros, long ExpectedToUtcMicros, IReadOnlyList<RefereeEvidence> Evidence);

/// <summary>One piece of evidence for a referee.</summary>
/// <param name="Kind">
/// <c>mat_fault</c> (the point had a known fault then), <c>mat_gap</c> (the point also missed many of the runners due
/// then: a fault nobody logged), <c>mat_rate</c> (the point missed far more runners all race than the other points),
/// <c>backup_line</c> (a backup line read the chip, and the race counts backup lines only as evidence) or <c>pace</c>
/// (the pace across the gap matches the athlete's own).
/// </param>
/// <param name="Detail">The facts, in words a referee can check.</param>
public sealed record RefereeEvidence(string Kind, string Detail);

/// <summary>Two different athletes' chips that crossed timing points within the two-chip window again and again: one runner carrying two chips.</summary>
/// <param name="ChipA">First chip (hex, the smaller).</param>
/// <param name="ChipB">Second chip (hex).</param>
/// <param name="BibA">Bib of chip A, or null when unregistered.</param>
/// <param name="BibB">Bib of chip B, or null when unregistered.</param>
/// <param name="MatsTogether">Non-start course points where they crossed within the window.</param>
/// <param name="MatsBoth">Non-start course points where both were recorded.</param>
/// <param name="LargestGapMicros">Largest gap between them at the points they crossed together.</param>
public sealed record TwoChipPair(string ChipA, string ChipB, int? BibA, int? BibB, int MatsTogether, int MatsBoth, long LargestGapMicros);

/// <summary>Tuning of the audit.</summary>
/// <param name="TwoChipWindowMicros">Two chips this close at one point are suspicious (the race rule: 0.1 s).</param>
/// <param name="MinMatsTogether">Non-start points a pair must share before it is flagged (fewer if the course has fewer).</param>
/// <param name="MinShareTogether">Share of the points where both were recorded that they must have crossed together.</param>
/// <param name="BackupLinesDecide">
/// Whether a crossing read only by a backup line counts (the default: that is what backup lines are for). Without,
/// it does not, and the athlete goes to the referee with the backup line's read as evidence.
/// </param>
/// <param name="PaceTolerance">How far the pace across a gap may stray from the athlete's own pace elsewhere (0.2: ±20 %).</param>
public sealed record AuditOptions(long TwoChipWindowMicros = 100_000, int MinMatsTogether = 3, double MinShareTogether = 0.8, bool BackupLinesDecide = true, double PaceTolerance = 0.2);
