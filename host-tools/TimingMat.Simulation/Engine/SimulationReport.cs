using TimingMat.Emulators.Statistics;
using TimingMat.Simulation.Scoring;

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

    /// <summary>Gets every fault applied from the scenario's timeline, with what it did to the crossings in its span.</summary>
    public IReadOnlyList<FaultFigures> Faults { get; init; } = [];

    /// <summary>Gets the audit's verdicts set against the truth: who really finished, dropped out, cut the course or was late, and whom the system failed.</summary>
    public required AthleteTruthFigures AthletesTruth { get; init; }

    /// <summary>Gets the true crossings no reader read, by cause (they add up to <see cref="PassingsNeverRead"/>).</summary>
    public required NeverReadFigures NeverReadByCause { get; init; }

    /// <summary>Gets up to 50 of the athletes the system unranked although they ran the whole course in time, with why.</summary>
    public required IReadOnlyList<WronglyUnrankedAthlete> WronglyUnranked { get; init; }

    /// <summary>Gets every timing point's lines merged per chip, against the truth.</summary>
    public required IReadOnlyList<TimingPointFigures> TimingPoints { get; init; }

    /// <summary>Gets who the audit's referee list holds, against the truth.</summary>
    public required RefereeFigures Referee { get; init; }

    /// <summary>Gets up to 50 of the referee's cases, with the expected windows and the evidence.</summary>
    public required IReadOnlyList<RefereeCaseFigures> RefereeCases { get; init; }

    /// <summary>Gets the runners carrying a second chip whom the audit did not flag (a carrier who dropped out early leaves too few points), with what their crossings show.</summary>
    public required IReadOnlyList<MissedPair> TwoChipMissed { get; init; }
}

/// <summary>A runner carrying a second athlete's chip whom the audit did not flag.</summary>
/// <param name="Carrier">The runner's bib.</param>
/// <param name="Carried">The carried chip's bib.</param>
/// <param name="PointsBoth">Non-start course points where both chips have a crossing (a runner who drops out early leaves few).</param>
/// <param name="PointsTogether">Of those, points where they crossed within 0.1 s.</param>
/// <param name="LargestGapMs">Largest gap between the two chips at those points.</param>
/// <param name="CarriedRanked">Whether the audit ranked the carried chip's athlete (the cheat went through).</param>
public sealed record MissedPair(int Carrier, int Carried, int PointsBoth, int PointsTogether, double LargestGapMs, bool CarriedRanked);

/// <summary>The audit's verdicts set against the truth (only a simulation knows it).</summary>
/// <param name="Finished">Starters who truly passed every timing point in order, within the cut-offs.</param>
/// <param name="FinishedRanked">Of those, how many the audit ranked.</param>
/// <param name="DroppedOut">Starters who truly dropped out: they did not finish, which is not an unranking.</param>
/// <param name="SkippedMat">Starters who truly walked round a mat: the audit must unrank them.</param>
/// <param name="SkippedMatRanked">Of those, how many the audit ranked anyway (a cheat let through).</param>
/// <param name="LateAtCutoff">Starters who truly passed a mat after its cut-off: the audit must unrank them.</param>
/// <param name="LateAtCutoffRanked">Of those, how many the audit ranked anyway.</param>
/// <param name="Wrongly">Finishers the audit unranked: the system's failures (goal 0).</param>
/// <param name="CarriedChips">Chips of athletes who did not run, carried by a runner (the two-chip rule's business).</param>
public sealed record AthleteTruthFigures(int Finished, int FinishedRanked, int DroppedOut, int SkippedMat, int SkippedMatRanked, int LateAtCutoff, int LateAtCutoffRanked, WronglyUnrankedFigures Wrongly, int CarriedChips);

/// <summary>Finishers the audit unranked, by its verdict.</summary>
/// <param name="Total">All of them.</param>
/// <param name="MissingMat">A timing point they crossed has no passing of theirs.</param>
/// <param name="OutOfSequence">Their passings put two timing points out of course order.</param>
/// <param name="AfterCutoff">A passing of theirs lies after a cut-off they truly beat.</param>
/// <param name="NotSeen">No timing point on the course recorded them at all.</param>
/// <param name="OnRefereeList">Of all of them, how many the audit put before the referee with evidence (the rest it would unrank silently).</param>
public sealed record WronglyUnrankedFigures(int Total, int MissingMat, int OutOfSequence, int AfterCutoff, int NotSeen, int OnRefereeList);

/// <summary>The audit's referee list set against the truth.</summary>
/// <param name="Cases">Athletes listed for the referee.</param>
/// <param name="Innocent">Of them, finishers the system failed (the referee should reinstate them).</param>
/// <param name="WalkedRound">Of them, runners who truly walked round the point (the referee should uphold the unranking).</param>
/// <param name="DroppedOut">Of them, runners who truly dropped out.</param>
/// <param name="Other">Of them, others (a carried chip, a runner late at a cut-off).</param>
/// <param name="MatFault">Cases with a known fault at the point as evidence.</param>
/// <param name="MatGap">Cases where the point missed many runners around the athlete too.</param>
/// <param name="MatRate">Cases where the point missed far more runners all race than the other points.</param>
/// <param name="BackupLine">Cases where a backup line read the chip (when backup lines count only as evidence).</param>
/// <param name="Pace">Cases where the pace across the gap matches the athlete's own.</param>
public sealed record RefereeFigures(int Cases, int Innocent, int WalkedRound, int DroppedOut, int Other, int MatFault, int MatGap, int MatRate, int BackupLine, int Pace);

/// <summary>One athlete on the referee's list.</summary>
/// <param name="Bib">Bib.</param>
/// <param name="Points">Each point without their crossing.</param>
public sealed record RefereeCaseFigures(int Bib, IReadOnlyList<RefereeGapFigures> Points);

/// <summary>A point without the athlete's crossing, for the referee.</summary>
/// <param name="TimingPoint">The point.</param>
/// <param name="ExpectedFromUtc">Earliest time they were due there (ISO 8601).</param>
/// <param name="ExpectedToUtc">Latest time.</param>
/// <param name="Evidence">The evidence, "kind: facts".</param>
public sealed record RefereeGapFigures(string TimingPoint, string ExpectedFromUtc, string ExpectedToUtc, IReadOnlyList<string> Evidence);

/// <summary>How one timing point recorded the race: its lines merged per chip, against the truth at its main line.</summary>
/// <param name="Name">The point.</param>
/// <param name="Units">Its units, main line first.</param>
/// <param name="Crossings">True chip crossings of the point.</param>
/// <param name="Recorded">Of them, how many have a merged crossing.</param>
/// <param name="BothLines">Recorded by every line.</param>
/// <param name="MainLineOnly">Recorded by the main line alone.</param>
/// <param name="BackupOnly">Recorded by the backup line alone (the backup saved them).</param>
/// <param name="TimedByBackup">Timed by the backup line's passing (better read), moved to the main line.</param>
/// <param name="ErrorMs">The merged time's error against the true time at the main line.</param>
/// <param name="BiasMs">Mean signed error.</param>
public sealed record TimingPointFigures(string Name, IReadOnlyList<int> Units, long Crossings, long Recorded, long BothLines, long MainLineOnly, long BackupOnly, long TimedByBackup, ErrorFigures ErrorMs, double BiasMs);

/// <summary>True crossings no reader read, by cause.</summary>
/// <param name="Total">All of them.</param>
/// <param name="CoveredTag">The tag was covered.</param>
/// <param name="OutOfReach">The chip never came strongly enough within the antennas' reach (a gap in their cover across the mat).</param>
/// <param name="ReaderCapacity">The crowd took the reader's read rate.</param>
/// <param name="ReaderSilence">The reader module was silent (a fault) and not reading again yet.</param>
/// <param name="PowerCut">The unit was off, or not reading again yet after the reboot.</param>
public sealed record NeverReadFigures(long Total, long CoveredTag, long OutOfReach, long ReaderCapacity, long ReaderSilence, long PowerCut)
{
    /// <summary>Gets no crossing never read.</summary>
    public static NeverReadFigures None { get; } = new(0, 0, 0, 0, 0, 0);

    /// <summary>Adds one crossing never read.</summary>
    /// <param name="cause">Why.</param>
    /// <returns>The figures with it.</returns>
    public NeverReadFigures With(NeverReadCause cause) => cause switch
    {
        NeverReadCause.CoveredTag => this with { Total = Total + 1, CoveredTag = CoveredTag + 1 },
        NeverReadCause.ReaderSilence => this with { Total = Total + 1, ReaderSilence = ReaderSilence + 1 },
        NeverReadCause.PowerCut => this with { Total = Total + 1, PowerCut = PowerCut + 1 },
        NeverReadCause.OutOfReach => this with { Total = Total + 1, OutOfReach = OutOfReach + 1 },
        _ => this with { Total = Total + 1, ReaderCapacity = ReaderCapacity + 1 },
    };

    /// <summary>Adds two sets of figures.</summary>
    /// <param name="other">The other figures.</param>
    /// <returns>The sum.</returns>
    public NeverReadFigures Plus(NeverReadFigures other) =>
        new(Total + other.Total, CoveredTag + other.CoveredTag, OutOfReach + other.OutOfReach, ReaderCapacity + other.ReaderCapacity, ReaderSilence + other.ReaderSilence, PowerCut + other.PowerCut);
}

/// <summary>An athlete the system unranked although they ran the whole course in time.</summary>
/// <param name="Bib">Bib.</param>
/// <param name="Verdict">The audit's verdict: missing_mat, out_of_sequence, after_cutoff or not_seen.</param>
/// <param name="OnRefereeList">Whether the audit put them before the referee with evidence.</param>
/// <param name="Mats">The timing points behind the verdict, with what happened there.</param>
public sealed record WronglyUnrankedAthlete(int Bib, string Verdict, bool OnRefereeList, IReadOnlyList<WrongMat> Mats);

/// <summary>What happened to one crossing behind a wrong verdict.</summary>
/// <param name="Mat">Timing point.</param>
/// <param name="TrueUtc">True crossing time (ISO 8601, ms).</param>
/// <param name="What">covered_tag, out_of_reach, reader_capacity, reader_silence, power_cut (never read), read_not_delivered, or mistimed.</param>
/// <param name="Reads">Reads the mat's modules reported of the chip.</param>
/// <param name="ErrorMs">Delivered time minus true time, when a passing was delivered.</param>
/// <param name="BackupLine">What happened at the point's backup line (as <paramref name="What"/>), or null without one.</param>
public sealed record WrongMat(string Mat, string TrueUtc, string What, int Reads, double? ErrorMs, string? BackupLine);

/// <summary>The Cramér–Rao bound of a mat's crossing times for the reads it got.</summary>
/// <param name="P50">Median |error| an estimator at the bound would have, ms.</param>
/// <param name="P99">99th percentile, ms, or null when more than 1 % of the crossings had too few reads for a bound.</param>
/// <param name="Crossings">Crossings with at least one read.</param>
/// <param name="Unbounded">Crossings with fewer reads than the unknowns (speed, position, a level per antenna).</param>
public sealed record MatBoundFigures(double P50, double? P99, int Crossings, int Unbounded);

/// <summary>A mat's read budget: what the crowd offered its readers against what they delivered, in its busiest minute.</summary>
/// <param name="CapacityReadsPerS">The read rate of the mat's modules together (reads_per_s × modules).</param>
/// <param name="BusiestMinuteUtc">Start of the minute whose chips offered the most reads (ISO 8601).</param>
/// <param name="CrossingsPerS">Chip crossings a second in that minute.</param>
/// <param name="OfferedReadsPerS">Reads a second the chips in the fields would have given with no read-rate limit.</param>
/// <param name="DeliveredReadsPerS">Reads a second the modules reported to the unit.</param>
/// <param name="ReadsPerCrossingP50">Median reads per read crossing over the race.</param>
/// <param name="ReadsPerCrossingP5">5th percentile of reads per read crossing.</param>
/// <param name="Advice">
/// <c>ok</c>; <c>more_reads</c> when over 0.1 % of the crossings went unread for the crowd or one crossing in 20 got fewer
/// than 10 reads (the peak fit needs 5 and is loose near them: a second module or a second line); <c>wider_cover</c> when
/// over 0.1 % passed out of the antennas' reach (more antennas across the mat).
/// </param>
public sealed record ReadBudgetFigures(double CapacityReadsPerS, string BusiestMinuteUtc, double CrossingsPerS, double OfferedReadsPerS, double DeliveredReadsPerS, double ReadsPerCrossingP50, double ReadsPerCrossingP5, string Advice);

/// <summary>A true crossing the reader read but no delivered passing accounts for.</summary>
/// <param name="Mat">Mat name.</param>
/// <param name="Bib">Bib of the chip.</param>
/// <param name="TrueUtc">True crossing time (ISO 8601, ms).</param>
/// <param name="Reads">Reads of this chip at this mat.</param>
/// <param name="NearestDeliveredOffsetMs">Offset of the nearest delivered passing of the chip at the mat, or null.</param>
public sealed record LostCrossing(string Mat, int Bib, string TrueUtc, int Reads, double? NearestDeliveredOffsetMs);

/// <summary>Error percentiles in milliseconds (<see cref="Percentile"/>: nearest rank).</summary>
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
        return new ErrorFigures(Ms(Percentile.Of(sorted, 0.50)), Ms(Percentile.Of(sorted, 0.99)), Ms(sorted[^1]));
    }
}

/// <summary>What one fault did to the crossings of the mats it hit, from its start to its end.</summary>
/// <remarks>
/// A power cut or a silent reader is followed by 30 s of recovery (boot, reader restart) that count to its span; a
/// LoRa-only mat's span is the whole race.
/// </remarks>
/// <param name="Kind">The fault as the scenario names it: uplink_outage, broker_restart, gps_loss, power_cut, reader_silence, lora_only.</param>
/// <param name="Mat">The mat it hit, or null for every mat (a broker restart).</param>
/// <param name="AtUtc">When it started (ISO 8601), or null for the whole race.</param>
/// <param name="AtLocal">When it started in the race's local time (HH:mm:ss, as the scenario's timeline gives it), or null for the whole race.</param>
/// <param name="DurationS">How long it lasted, s, or null for the whole race.</param>
/// <param name="Crossings">True chip crossings of the hit mats in its span.</param>
/// <param name="Delivered">Of them, how many the collector stored.</param>
/// <param name="HeldInJournal">Of those, how many reached the collector over the uplink only after the fault ended: the journal held them.</param>
/// <param name="DeliveredByLora">Of those, how many came over the LoRa fallback.</param>
/// <param name="TimedInHoldover">Of those, how many the unit stamped with its clock in holdover.</param>
/// <param name="NeverRead">Of the crossings, how many no reader read (not a loss: the mat could not see them).</param>
/// <param name="Lost">Of the crossings, how many were read but never delivered (the firmware's fault, goal 0).</param>
/// <param name="ErrorP99Ms">99th percentile of the delivered crossings' time error, ms.</param>
public sealed record FaultFigures(string Kind, string? Mat, string? AtUtc, string? AtLocal, double? DurationS, long Crossings, long Delivered, long HeldInJournal, long DeliveredByLora, long TimedInHoldover, long NeverRead, long Lost, double ErrorP99Ms);

/// <summary>Athletes by race-rules verdict.</summary>
/// <param name="Ranked">Every mat in order, within cut-offs.</param>
/// <param name="UnrankedMissingMat">A course mat without a passing (DNF, skipped split, missed read).</param>
/// <param name="OutOfSequence">Mats passed out of course order.</param>
/// <param name="AfterCutoff">A mat passed after its cut-off.</param>
public sealed record AthleteFigures(int Ranked, int UnrankedMissingMat, int OutOfSequence, int AfterCutoff);

/// <summary>Two-chip cheating, injected and caught.</summary>
/// <param name="Injected">Runners carrying a second athlete's chip.</param>
/// <param name="Flagged">Of those, how many the audit flagged.</param>
/// <param name="Missed">Of those, how many the audit neither flagged nor left unranked: the carried athlete got a result (goal 0).</param>
/// <param name="FalseFlags">Pairs the audit flagged that are not a runner's carried chip (goal 0).</param>
public sealed record TwoChipFigures(int Injected, int Flagged, int Missed, int FalseFlags);

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
/// <param name="CrossingBiasMs">Mean signed error of the mat's delivered crossing times (negative: early).</param>
/// <param name="CrossingBoundMs">The Cramér–Rao bound for the reads the mat got, or null when the run cannot know it.</param>
/// <param name="P99OverBound">Error p99 over bound p99 (goal ≤ 1.25): near 1 the error is physics, well above it the detector or the model's mismatch.</param>
/// <param name="NeverRead">The mat's true crossings no reader read, by cause.</param>
/// <param name="ReadBudget">The read budget in the mat's busiest minute, or null when not measured.</param>
/// <param name="Status">The last status the unit published (firmware/docs/wire-formats.md §7), or null when none arrived.</param>
public sealed record MatFigures(int Unit, string Name, long Reads, long ReadsReported, long ReadsNotReported, long Passings, long Delivered, long Lost, double CrossingErrorP50Ms, double CrossingErrorP99Ms, string ClockState, double? ClockErrorP99Ms, int Boots, int Restamped, long ReaderRestarts,
    double CrossingBiasMs, MatBoundFigures? CrossingBoundMs, double? P99OverBound, NeverReadFigures NeverRead, ReadBudgetFigures? ReadBudget, RawJson? Status = null);

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
