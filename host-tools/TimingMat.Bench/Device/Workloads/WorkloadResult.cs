namespace TimingMat.Bench.Device.Workloads;

/// <summary>What one workload counted, by method index, and what the unit did meanwhile.</summary>
internal sealed record WorkloadResult
{
    /// <summary>Gets what the unit's memory report says the core preallocated for this workload's configuration, bytes.</summary>
    public int CoreMemoryBytes { get; init; }

    /// <summary>Gets the reads the detector averaged early because its store of kept reads was empty.</summary>
    public long KeptStoreFull { get; init; }

    /// <summary>Gets the IL instructions executed, by method index.</summary>
    public required long[] Instructions { get; init; }

    /// <summary>Gets the calls made, by method index (of the calling method).</summary>
    public required long[] Calls { get; init; }

    /// <summary>Gets the simulated seconds counted.</summary>
    public double Seconds { get; init; }

    /// <summary>Gets the polls counted.</summary>
    public long Polls { get; init; }

    /// <summary>Gets the IL instructions of the largest single poll.</summary>
    public long MaxPollInstructions { get; init; }

    /// <summary>Gets the calls of the largest single poll (by instructions).</summary>
    public long MaxPollCalls { get; init; }

    /// <summary>Gets the seconds into the counted run of the largest poll.</summary>
    public double MaxPollAtSeconds { get; init; }

    /// <summary>Gets the IL instructions of the largest poll, by method index.</summary>
    public long[] MaxPollInstructionsByMethod { get; init; } = [];

    /// <summary>Gets the polls above 20,000 IL instructions.</summary>
    public long PollsOver20k { get; init; }

    /// <summary>Gets the reads the drivers delivered.</summary>
    public long Reads { get; init; }

    /// <summary>Gets the reads the crossing model offered the modules (chips in the field, within the modules' read rate).</summary>
    public long ModelReads { get; init; }

    /// <summary>Gets the model's reads the modules missed because no inventory was running (R2000 between inventory commands).</summary>
    public long ReadsMissedByModules { get; init; }

    /// <summary>Gets the model's reads the modules dropped because their UART transmit backlog was full.</summary>
    public long ReadsDroppedByModules { get; init; }

    /// <summary>Gets the crossings the detector closed (passings queued).</summary>
    public long Crossings { get; init; }

    /// <summary>Gets the peak fits the detector ran.</summary>
    public long PeakFits { get; init; }

    /// <summary>Gets the passings appended to the journal.</summary>
    public long PassingsJournaled { get; init; }

    /// <summary>Gets the batches published.</summary>
    public long Batches { get; init; }

    /// <summary>Gets the clock fits (PPS edges committed).</summary>
    public long ClockFits { get; init; }

    /// <summary>Gets the reads thinned by the detector while the unit was behind.</summary>
    public long ReadsThinned { get; init; }

    /// <summary>Gets the reads lost before the core saw them (UART overrun bytes, in frames).</summary>
    public long ReadsDropped { get; init; }

    /// <summary>Gets the bytes the reader UARTs lost to overruns.</summary>
    public long UartBytesLost { get; init; }

    /// <summary>Gets the largest reader backlog one poll drained, bytes.</summary>
    public long MaxBacklogBytes { get; init; }

    /// <summary>Gets the polls that came late (more than 50 ms after the one before).</summary>
    public long PollsLate { get; init; }

    /// <summary>Gets the chips the modules reported on the wire during the counted run.</summary>
    public long ChipsReported { get; init; }

    /// <summary>Gets the chips reported on the wire that got no passing.</summary>
    public long ChipsWithoutPassing { get; init; }

    /// <summary>Gets the passings still waiting for the journal at the end (ring, gate, detector queue).</summary>
    public long PassingsWaiting { get; init; }
}
