namespace TimingMat.Collector.Courses;

/// <summary>
/// Every chip's passings and merged crossings in memory, so that a collector merges a chip again whenever one of its
/// passings arrives and writes only what changed (a new passing at a point with one line is one new crossing).
/// </summary>
/// <param name="course">The course the passings are merged with.</param>
public sealed class CrossingBook(Course course)
{
    private readonly Dictionary<string, Entry> _chips = new(StringComparer.Ordinal);

    /// <summary>Gets the course.</summary>
    public Course Course => course;

    /// <summary>Gets every chip's crossings as last merged.</summary>
    public IEnumerable<MergedCrossing> Crossings => _chips.Values.SelectMany(e => e.Crossings);

    /// <summary>Takes a passing (replacing one with the same unit and sequence number); a unit the course does not know is ignored.</summary>
    /// <param name="passing">The passing.</param>
    /// <returns><c>true</c> when the chip must be merged again.</returns>
    public bool Add(CoursePassing passing)
    {
        if (!course.TryFind(passing.Unit, out _, out _))
        {
            return false;
        }

        if (!_chips.TryGetValue(passing.ChipHex, out var entry))
        {
            entry = new Entry(passing.ChipHex);
            _chips[passing.ChipHex] = entry;
        }

        entry.Passings.RemoveAll(p => p.Unit == passing.Unit && p.Sequence == passing.Sequence);
        entry.Passings.Add(ReferenceEquals(passing.ChipHex, entry.Chip) ? passing : passing with { ChipHex = entry.Chip }); // one string per chip
        return true;
    }

    /// <summary>Merges every chip (after taking a database's passings).</summary>
    public void MergeAll()
    {
        foreach (var entry in _chips.Values)
        {
            entry.Crossings = CrossingMerger.MergeChip(course, entry.Passings);
        }
    }

    /// <summary>Merges one chip again and tells what changed.</summary>
    /// <param name="chipHex">The chip.</param>
    /// <returns>The crossings that are no longer (or have changed), and the new or changed ones.</returns>
    public (List<MergedCrossing> Gone, List<MergedCrossing> Come) Remerge(string chipHex)
    {
        if (!_chips.TryGetValue(chipHex, out var entry))
        {
            return ([], []);
        }

        var before = entry.Crossings;
        var after = CrossingMerger.MergeChip(course, entry.Passings);
        entry.Crossings = after;
        var gone = before.Where(b => !after.Any(a => Same(a, b))).ToList();
        var come = after.Where(a => !before.Any(b => Same(a, b))).ToList();
        return (gone, come);
    }

    private static bool Same(MergedCrossing a, MergedCrossing b) =>
        a.TimingPoint == b.TimingPoint && a.TimeUtcMicros == b.TimeUtcMicros && a.Line == b.Line && a.Unit == b.Unit && a.Sequence == b.Sequence && a.Hits == b.Hits
        && a.LinesRead == b.LinesRead && a.SpeedMps == b.SpeedMps && a.TimeFrom == b.TimeFrom && a.Passings.SequenceEqual(b.Passings);

    private sealed class Entry(string chip)
    {
        public string Chip => chip;

        public List<CoursePassing> Passings { get; } = [];

        public List<MergedCrossing> Crossings { get; set; } = [];
    }
}
