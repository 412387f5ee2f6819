using System.Text.Json.Serialization;

namespace TimingMat.Cli.Commands.RaceResults;

/// <summary>What <c>timingmat audit</c> found, as its JSON carries it (snake_case keys).</summary>
/// <param name="Database">The database audited.</param>
/// <param name="Course">The course's name.</param>
/// <param name="IdentifiedBy"><c>bib</c> (with the registration, <c>--athletes</c>) or <c>chip</c> (without: each chip is one athlete).</param>
/// <param name="Athletes">Athletes (chips) with a crossing at a course timing point.</param>
/// <param name="Ranked">Athletes who passed every course point in order within its cut-off.</param>
/// <param name="Unranked">Unranked athletes by the first rule they break.</param>
/// <param name="UnknownUnitPassings">Chip passings from units the course does not name (not judged).</param>
/// <param name="UnregisteredChips">Chips read at course points that the registration does not name (not judged; none without one).</param>
/// <param name="TwoChipPairs">Chips that crossed the non-start points within 100 ms of each other again and again: one runner carrying two chips.</param>
/// <param name="UnrankedAthletes">Each unranked athlete with the reasons, in chip order.</param>
/// <param name="RefereeCases">Unranked athletes a referee should look at first: evidence speaks for them at the points they lack.</param>
internal sealed record AuditReport(
    string Database,
    string Course,
    string IdentifiedBy,
    int Athletes,
    int Ranked,
    UnrankedCounts Unranked,
    int UnknownUnitPassings,
    IReadOnlyList<string> UnregisteredChips,
    IReadOnlyList<TwoChipReport> TwoChipPairs,
    IReadOnlyList<UnrankedAthlete> UnrankedAthletes,
    int RefereeCases);

/// <summary>Unranked athletes by the first rule they break (missing mat before out of sequence before after cut-off).</summary>
/// <param name="Total">All unranked athletes.</param>
/// <param name="MissingMat">A course timing point has no crossing of theirs.</param>
/// <param name="OutOfSequence">They passed the timing points out of course order.</param>
/// <param name="AfterCutoff">They passed a timing point after its cut-off.</param>
internal sealed record UnrankedCounts(int Total, int MissingMat, int OutOfSequence, int AfterCutoff);

/// <summary>One unranked athlete.</summary>
/// <param name="Bib">The athlete's bib, or null without a registration.</param>
/// <param name="Chip">The athlete's chip (EPC hex; several space-separated when the bib has more).</param>
/// <param name="Verdict"><c>missing_mat</c>, <c>out_of_sequence</c> or <c>after_cutoff</c>: the first rule broken.</param>
/// <param name="Reasons">Every rule broken, in words, naming the timing points.</param>
/// <param name="MissingMats">Course points without a crossing.</param>
/// <param name="OutOfSequenceMats">Points passed earlier than the one before them.</param>
/// <param name="AfterCutoffMats">Points passed after their cut-off.</param>
/// <param name="Referee">What speaks for the athlete at each missing point, or null (a clear case).</param>
internal sealed record UnrankedAthlete(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Bib,
    string Chip,
    string Verdict,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<string> MissingMats,
    IReadOnlyList<string> OutOfSequenceMats,
    IReadOnlyList<string> AfterCutoffMats,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Referee);

/// <summary>Two chips that travel together.</summary>
/// <param name="ChipA">First chip (the smaller hex).</param>
/// <param name="ChipB">Second chip.</param>
/// <param name="BibA">Chip A's bib, or null (no registration, or not registered).</param>
/// <param name="BibB">Chip B's bib, or null.</param>
/// <param name="MatsTogether">Non-start points where they crossed within 100 ms.</param>
/// <param name="MatsBoth">Non-start points where both were recorded.</param>
/// <param name="LargestGapMs">Largest gap between them where they crossed together, ms.</param>
internal sealed record TwoChipReport(
    string ChipA,
    string ChipB,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? BibA,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? BibB,
    int MatsTogether, int MatsBoth, double LargestGapMs);
