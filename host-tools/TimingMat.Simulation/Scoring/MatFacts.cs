using TimingMat.Simulation.Scenarios;

namespace TimingMat.Simulation.Scoring;

/// <summary>What one mat did during a run, as scoring needs it: from the simulator's emulators, or from a HIL run.</summary>
public sealed record MatFacts
{
    /// <summary>Gets the mat.</summary>
    public required MatSpec Spec { get; init; }

    /// <summary>Gets the reads the modelled reader made (before the module dropped any).</summary>
    public required long ReadsGenerated { get; init; }

    /// <summary>Gets the reads the module reported on the wire.</summary>
    public required long ReadsReported { get; init; }

    /// <summary>Gets the reads the module made but could not report.</summary>
    public required long ReadsNotReported { get; init; }

    /// <summary>Gets the reads reported on the wire per bib: a crossing with none was never read, so it cannot be lost.</summary>
    public required IReadOnlyDictionary<int, int> ReadsByBib { get; init; }

    /// <summary>Gets the journal's last sequence number (every record, markers included), or null when not known.</summary>
    public long? JournalLastSequence { get; init; }

    /// <summary>Gets the clock's state at the end (lower case), or "unknown".</summary>
    public string ClockState { get; init; } = "unknown";

    /// <summary>
    /// Gets the clock's error against true UTC, sampled while it had UTC (µs), or null when the run cannot see the
    /// unit's clock (a board in the loop reports no offset), which leaves the clock figures empty.
    /// </summary>
    public IReadOnlyList<long>? ClockErrorsMicros { get; init; } = [];

    /// <summary>Gets how many times the unit booted.</summary>
    public int Boots { get; init; } = 1;

    /// <summary>Gets the passings re-stamped after the clock locked.</summary>
    public int Restamped { get; init; }

    /// <summary>Gets how often the reader driver restarted the module.</summary>
    public long ReaderRestarts { get; init; }

    /// <summary>Gets the last status the unit published (its JSON, firmware/docs/wire-formats.md §7), or null when none arrived.</summary>
    public string? LastStatus { get; init; }
    /// <summary>Gets the bibs whose tag was covered at this mat (read far less, often not at all), or empty when not known.</summary>
    public IReadOnlySet<int> CoveredBibs { get; init; } = new HashSet<int>();

    /// <summary>Gets the bibs the mat's readers never read although nothing covered the tag: out of the antennas' reach. Empty when not known.</summary>
    public IReadOnlySet<int> UnreachedBibs { get; init; } = new HashSet<int>();

    /// <summary>Gets when the mat could read nothing (power cut, reader silence) until it read again, or empty.</summary>
    public IReadOnlyList<BlindSpan> BlindSpans { get; init; } = [];

    /// <summary>
    /// Gets the Cramér–Rao bound of each crossing's time for the reads the modules reported, ms (+∞ with too few
    /// reads), or null when the run cannot know the physics (a board in the loop).
    /// </summary>
    public IReadOnlyList<double>? CrossingBoundsMs { get; init; }

    /// <summary>Gets the read budget per true second (key: UTC seconds since 1970), or null when not measured.</summary>
    public IReadOnlyDictionary<long, ReadBudgetSecond>? ReadBudget { get; init; }
}
