namespace TimingMat.Simulation.Engine;

/// <summary>
/// What a simulated race showed: what a timing crew would see (per mat and per athlete) and what only a simulation
/// can show (error against the truth, proof that nothing was lost). Serialised with snake_case keys; the first
/// keys are fixed by the issue and must stay.
/// </summary>
public sealed record SimulationReport
{
    /// <summary>Gets the scenario name.</summary>
    public required string Scenario { get; init; }

    /// <summary>Gets the seed.</summary>
    public required int Seed { get; init; }

    /// <summary>Gets the number of starters.</summary>
    public required int Runners { get; init; }

    /// <summary>Gets the number of mats.</summary>
    public required int Mats { get; init; }

    /// <summary>Gets the reads the modelled readers made.</summary>
    public required long ReadsGenerated { get; init; }

    /// <summary>Gets the chip crossings the truth has (one per chip per mat crossed).</summary>
    public required long PassingsExpected { get; init; }

    /// <summary>Gets the crossing passings the units journaled.</summary>
    public required long PassingsRecorded { get; init; }

    /// <summary>Gets the crossing passings the collector stored.</summary>
    public required long PassingsDelivered { get; init; }

    /// <summary>Gets the true crossings that were read but that no delivered passing accounts for.</summary>
    public required long PassingsLost { get; init; }

    /// <summary>Gets the delivered passings beyond one per true crossing (a crossing split in two).</summary>
    public required long DuplicatesDelivered { get; init; }

    /// <summary>Gets the delivered crossing time's error against the truth.</summary>
    public required ErrorFigures CrossingErrorMs { get; init; }

    /// <summary>
    /// Gets the mat clocks' error against true UTC, sampled every 10 s while they had UTC; null when the run could not
    /// see the clocks (a board in the loop: its status reports no clock offset).
    /// </summary>
    public required ErrorFigures? ClockErrorMs { get; init; }

    /// <summary>Gets the race-rules verdicts for the athletes seen on the course.</summary>
    public required AthleteFigures Athletes { get; init; }

    /// <summary>Gets the runners carrying a second chip, and how many of them the audit flagged.</summary>
    public required TwoChipFigures TwoChipPairs { get; init; }

    /// <summary>Gets the faults applied from the scenario's timeline.</summary>
    public required int FaultsInjected { get; init; }

    /// <summary>Gets the wall-clock time the run took.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Gets where the passings went: "in-process" (the emulated broker) or the real broker's address.</summary>
    public required string Broker { get; init; }

    /// <summary>Gets the time from a true crossing to the collector storing its passing (reaction time, batching, network).</summary>
    public required ErrorFigures DeliveryLatencyMs { get; init; }

    /// <summary>Gets the true crossings no reader read (a power cut, a covered chip): not a firmware loss.</summary>
    public required long PassingsNeverRead { get; init; }

    /// <summary>Gets the delivered passings that match no true crossing.</summary>
    public required long PhantomPassings { get; init; }

    /// <summary>Gets the batches' passings the collector received again and stored once.</summary>
    public required long ResendsDeduplicated { get; init; }

    /// <summary>Gets the delivered passings still without UTC (clock never locked in time).</summary>
    public required long UnsyncedDelivered { get; init; }

    /// <summary>Gets the race-day markers (gun, waves, corral openings) the collector stored.</summary>
    public required long MarkersDelivered { get; init; }

    /// <summary>Gets the chip pairs the audit flagged that are not a runner's carried chip.</summary>
    public required int TwoChipFalseFlags { get; init; }

    /// <summary>Gets the simulated race time in seconds.</summary>
    public required double SimulatedSeconds { get; init; }

    /// <summary>Gets what each mat saw and did.</summary>
    public required IReadOnlyList<MatFigures> MatDetails { get; init; }

    /// <summary>Gets up to 50 of the lost crossings, to investigate.</summary>
    public required IReadOnlyList<LostCrossing> LostCrossings { get; init; }

    /// <summary>Gets what the LoRa fallback carried, or null when the mats have no radio.</summary>
    public LoRaFigures? Lora { get; init; }
}

/// <summary>A true crossing the reader read but no delivered passing accounts for.</summary>
/// <param name="Mat">Mat name.</param>
/// <param name="Bib">Bib of the chip.</param>
/// <param name="TrueUtc">True crossing time (ISO 8601, ms).</param>
/// <param name="Reads">Reads of this chip at this mat.</param>
/// <param name="NearestDeliveredOffsetMs">Offset of the nearest delivered passing of the chip at the mat, or null.</param>
public sealed record LostCrossing(string Mat, int Bib, string TrueUtc, int Reads, double? NearestDeliveredOffsetMs);

/// <summary>Error percentiles in milliseconds.</summary>
/// <param name="P50">Median absolute error.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest.</param>
public sealed record ErrorFigures(double P50, double P99, double Max)
{
    /// <summary>Computes the figures from errors in µs (absolute values are taken).</summary>
    public static ErrorFigures FromMicros(IEnumerable<long> errors)
    {
        var sorted = errors.Select(Math.Abs).Order().ToArray();
        if (sorted.Length == 0)
        {
            return new ErrorFigures(0, 0, 0);
        }

        static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
        return new ErrorFigures(Ms(sorted[(sorted.Length - 1) / 2]), Ms(sorted[(int)Math.Ceiling(0.99 * sorted.Length) - 1]), Ms(sorted[^1]));
    }
}

/// <summary>Athletes by race-rules verdict.</summary>
/// <param name="Ranked">Every mat in order, within cut-offs.</param>
/// <param name="UnrankedMissingMat">A course mat without a passing (DNF, skipped split, missed read).</param>
/// <param name="OutOfSequence">Mats passed out of course order.</param>
/// <param name="AfterCutoff">A mat passed after its cut-off.</param>
public sealed record AthleteFigures(int Ranked, int UnrankedMissingMat, int OutOfSequence, int AfterCutoff);

/// <summary>Two-chip cheating, injected and caught.</summary>
/// <param name="Injected">Runners carrying a second athlete's chip.</param>
/// <param name="Flagged">Of those, how many the audit flagged.</param>
public sealed record TwoChipFigures(int Injected, int Flagged);

/// <summary>One mat's figures.</summary>
/// <param name="Unit">Unit id.</param>
/// <param name="Name">Mat name.</param>
/// <param name="Reads">Reads the modelled reader made.</param>
/// <param name="ReadsReported">Reads the module reported to the firmware.</param>
/// <param name="ReadsNotReported">Reads the module made but could not report (between inventories, silent, throttled, transmit buffer full).</param>
/// <param name="Passings">Crossing passings the unit journaled.</param>
/// <param name="Delivered">Crossing passings the collector stored from this unit.</param>
/// <param name="Lost">Read crossings with no delivered passing.</param>
/// <param name="CrossingErrorP50Ms">Median error of the mat's delivered crossing times against the truth.</param>
/// <param name="CrossingErrorP99Ms">99th percentile of that error.</param>
/// <param name="ClockState">The clock's state at the end.</param>
/// <param name="ClockErrorP99Ms">The clock's p99 error while it had UTC, or null when it could not be seen.</param>
/// <param name="Boots">How many times the unit booted (1 without power cuts).</param>
/// <param name="Restamped">Passings re-stamped after the clock locked.</param>
/// <param name="ReaderRestarts">Times the reader driver restarted the module.</param>
/// <param name="Status">The last status the unit published (firmware/docs/wire-formats.md §7), or null when none arrived.</param>
public sealed record MatFigures(int Unit, string Name, long Reads, long ReadsReported, long ReadsNotReported, long Passings, long Delivered, long Lost, double CrossingErrorP50Ms, double CrossingErrorP99Ms, string ClockState, double? ClockErrorP99Ms, int Boots, int Restamped, long ReaderRestarts, RawJson? Status = null);

/// <summary>What the LoRa fallback did in a run.</summary>
/// <param name="MatsTransmitting">Mats that sent at least one packet.</param>
/// <param name="PacketsSent">Packets the mats sent (re-sends included).</param>
/// <param name="PacketsReceived">Passing packets the tent receiver stored.</param>
/// <param name="PassingsDelivered">Passings first stored from LoRa.</param>
/// <param name="DeliveryLatencyMs">True crossing to stored, for those passings.</param>
/// <param name="Unanswered">Packets whose answer never reached the mat (sent again).</param>
/// <param name="Collisions">Receptions spoilt by overlapping packets.</param>
/// <param name="Losses">Receptions lost to the channel's packet loss.</param>
/// <param name="AirtimeSeconds">Mats' airtime, s.</param>
/// <param name="ReceiverAirtimeSeconds">Tent receiver's airtime for answers, s.</param>
/// <param name="UnresolvedChips">LoRa passings whose chip was not on the race's chip list (sent with the whole EPC) or whose index the receiver could not resolve.</param>
/// <param name="PacketsRefused">Packets the receiver refused: bad tag, replay, malformed, or a unit it has no key for.</param>
/// <param name="AcksLate">Answers the receiver dropped because they could not start before the unit stopped listening.</param>
public sealed record LoRaFigures(int MatsTransmitting, long PacketsSent, long PacketsReceived, long PassingsDelivered, ErrorFigures DeliveryLatencyMs, long Unanswered, long Collisions, long Losses, double AirtimeSeconds, double ReceiverAirtimeSeconds, long UnresolvedChips, long PacketsRefused, long AcksLate);
