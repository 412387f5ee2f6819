using TimingMat.Core.Passings;
using TimingMat.Core.RaceDay;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Simulation.Audit;

/// <summary>A timing point as the audit sees it.</summary>
/// <param name="UnitId">Unit id of the mat.</param>
/// <param name="Name">Mat name for messages.</param>
/// <param name="Role">Role on the course; check-in mats are not part of the course sequence.</param>
/// <param name="Km">Course distance.</param>
/// <param name="CutoffUtcMicros">The mat's cut-off.</param>
public sealed record AuditMat(int UnitId, string Name, UnitRole Role, double Km, long CutoffUtcMicros);

/// <summary>A delivered passing as the audit sees it.</summary>
/// <param name="UnitId">Mat that recorded it.</param>
/// <param name="Sequence">The unit's sequence number.</param>
/// <param name="ChipHex">EPC as upper-case hex.</param>
/// <param name="TimeUtcMicros">Crossing time.</param>
/// <param name="Kind">Crossing or marker.</param>
/// <param name="Flags">Qualifiers from the unit.</param>
public sealed record AuditPassing(int UnitId, long Sequence, string ChipHex, long TimeUtcMicros, PassingKind Kind, PassingFlags Flags);

/// <summary>A registered athlete and the chips registered to them.</summary>
/// <param name="Bib">Bib number.</param>
/// <param name="ChipHexes">EPCs as upper-case hex.</param>
public sealed record AuditAthlete(int Bib, IReadOnlyList<string> ChipHexes);

/// <summary>The audit's verdict on an athlete, in order of precedence.</summary>
public enum AthleteVerdict
{
    /// <summary>Every course mat in order, all within cut-offs: the athlete gets a net time and a rank.</summary>
    Ranked,

    /// <summary>At least one course mat has no passing (a DNF, a skipped split, or a missed read).</summary>
    MissingMat,

    /// <summary>The mats were passed out of course order.</summary>
    OutOfSequence,

    /// <summary>A mat was passed after its cut-off.</summary>
    AfterCutoff,
}

/// <summary>What the audit found for one athlete.</summary>
/// <param name="Bib">Bib number.</param>
/// <param name="Verdict">The first rule the athlete breaks, or Ranked.</param>
/// <param name="MissingMats">Course mats without a passing.</param>
/// <param name="OutOfSequenceMats">Mats passed earlier than the mat before them.</param>
/// <param name="AfterCutoffMats">Mats passed after their cut-off.</param>
/// <param name="NetTimeMicros">Finish minus start-mat time, or null without both.</param>
public sealed record AthleteFinding(int Bib, AthleteVerdict Verdict, IReadOnlyList<string> MissingMats, IReadOnlyList<string> OutOfSequenceMats, IReadOnlyList<string> AfterCutoffMats, long? NetTimeMicros);

/// <summary>Two different athletes' chips that crossed mats within the two-chip window again and again: one runner carrying two chips.</summary>
/// <param name="ChipA">First chip (hex, the smaller).</param>
/// <param name="ChipB">Second chip (hex).</param>
/// <param name="BibA">Bib of chip A, or null when unregistered.</param>
/// <param name="BibB">Bib of chip B, or null when unregistered.</param>
/// <param name="MatsTogether">Non-start course mats where they crossed within the window.</param>
/// <param name="MatsBoth">Non-start course mats where both were recorded.</param>
/// <param name="LargestGapMicros">Largest gap between them at the mats they crossed together.</param>
public sealed record TwoChipPair(string ChipA, string ChipB, int? BibA, int? BibB, int MatsTogether, int MatsBoth, long LargestGapMicros);

/// <summary>Tuning of the audit.</summary>
/// <param name="TwoChipWindowMicros">Two chips this close at one mat are suspicious (the race rule: 0.1 s).</param>
/// <param name="MinMatsTogether">Non-start mats a pair must share before it is flagged (fewer if the course has fewer).</param>
/// <param name="MinShareTogether">Share of the mats where both were recorded that they must have crossed together.</param>
public sealed record AuditOptions(long TwoChipWindowMicros = 100_000, int MinMatsTogether = 3, double MinShareTogether = 0.8);
