namespace TimingMat.Collector;

/// <summary>What the collector knows of one unit: which journal it follows and how far it holds every passing.</summary>
public sealed class UnitLedgerEntry
{
    private readonly SortedSet<long> _storedAbove = [];
    private long _contiguousAtRequest;

    /// <summary>Initializes a new instance of the <see cref="UnitLedgerEntry"/> class.</summary>
    /// <param name="unit">Unit id.</param>
    /// <param name="journalId">Journal followed.</param>
    /// <param name="contiguous">Highest sequence number up to which every passing is stored.</param>
    public UnitLedgerEntry(int unit, int journalId, long contiguous)
    {
        Unit = unit;
        JournalId = journalId;
        Contiguous = contiguous;
        Highest = contiguous;
    }

    /// <summary>Gets the unit id.</summary>
    public int Unit { get; }

    /// <summary>Gets the journal followed (a unit with a new journal starts a new run of sequence numbers).</summary>
    public int JournalId { get; }

    /// <summary>Gets the highest sequence number up to which every passing is stored: what the ack carries.</summary>
    public long Contiguous { get; private set; }

    /// <summary>Gets the highest sequence number stored.</summary>
    public long Highest { get; private set; }

    /// <summary>Gets or sets the number of batches taken.</summary>
    public long Batches { get; set; }

    /// <summary>Gets or sets the number of passings received again (duplicates).</summary>
    public long Duplicates { get; set; }

    /// <summary>Gets or sets the number of conflicting passings kept aside.</summary>
    public long Conflicts { get; set; }

    /// <summary>Gets the local time of the last replay request in µs, or −1.</summary>
    public long LastReplayRequestMicros { get; private set; } = -1;

    /// <summary>Gets the number of replay requests in a row that did not move <see cref="Contiguous"/>.</summary>
    public int FruitlessReplayRequests { get; private set; }

    /// <summary>
    /// Tells whether to ask the unit for a replay now, and notes the request. The wait doubles after each request
    /// that did not move the contiguous mark (the unit may have pruned what is missing: re-sending its whole journal
    /// every few seconds would swamp the link), up to 64 times the base interval.
    /// </summary>
    /// <param name="now">Local time in µs.</param>
    /// <param name="intervalMicros">Least time between requests.</param>
    /// <returns><c>true</c> when a request is due.</returns>
    public bool ReplayRequestDue(long now, long intervalMicros)
    {
        if (LastReplayRequestMicros >= 0)
        {
            FruitlessReplayRequests = Contiguous == _contiguousAtRequest ? FruitlessReplayRequests : 0;
            var wait = intervalMicros << Math.Min(FruitlessReplayRequests, 6);
            if (now - LastReplayRequestMicros < wait)
            {
                return false;
            }

            FruitlessReplayRequests += Contiguous == _contiguousAtRequest ? 1 : 0;
        }

        LastReplayRequestMicros = now;
        _contiguousAtRequest = Contiguous;
        return true;
    }

    /// <summary>Gets the number of passings stored above <see cref="Contiguous"/> (waiting for a gap to fill).</summary>
    public int WaitingAboveGap => _storedAbove.Count;

    /// <summary>Gets the first missing sequence numbers as ranges, for reports.</summary>
    /// <param name="max">Most ranges returned.</param>
    /// <returns>Ranges (from, to) of sequence numbers missing below <see cref="Highest"/>.</returns>
    public IReadOnlyList<(long From, long To)> Gaps(int max = 10)
    {
        var gaps = new List<(long, long)>();
        var expected = Contiguous + 1;
        foreach (var seq in _storedAbove)
        {
            if (seq > expected)
            {
                gaps.Add((expected, seq - 1));
                if (gaps.Count >= max)
                {
                    break;
                }
            }

            expected = seq + 1;
        }

        return gaps;
    }

    /// <summary>Notes a stored sequence number and moves <see cref="Contiguous"/> over every gap it closes.</summary>
    /// <param name="sequence">Sequence number stored.</param>
    public void Stored(long sequence)
    {
        Highest = Math.Max(Highest, sequence);
        if (sequence <= Contiguous)
        {
            return;
        }

        _storedAbove.Add(sequence);
        while (_storedAbove.Count > 0 && _storedAbove.Min == Contiguous + 1)
        {
            _storedAbove.Remove(Contiguous + 1);
            Contiguous++;
        }
    }
}
