using System;

namespace TimingMat.Core.Crossings
{
    /// <summary>
    /// How a mat unit turns reads into passings: detection mode, the reaction window, dead time and stray limit, and
    /// the fixed capacities the detector preallocates at start (set from the board profile, so a unit with PSRAM
    /// follows more chips than one without).
    /// </summary>
    /// <remarks>
    /// Defaults follow RACE RESULT (reaction time 850 ms, dead time 5 s) and CrossMgr (stray after 8 s of continuous
    /// presence). <see cref="EstimatedBytes"/> tells what the capacities cost on the device heap.
    /// </remarks>
    public sealed class CrossingSettings
    {
        /// <summary>Default reaction window: 850 ms (RACE RESULT's default reaction time).</summary>
        public const long DefaultReactionMicros = 850000;

        /// <summary>Default dead time: 5 s (RACE RESULT's default).</summary>
        public const long DefaultDeadTimeMicros = 5000000;

        /// <summary>Default stray limit: 8 s of continuous presence (CrossMgr's tStray).</summary>
        public const long DefaultStrayMicros = 8000000;

        /// <summary>Default chip table capacity for a board without PSRAM.</summary>
        public const int DefaultChipCapacity = 256;

        /// <summary>Largest number of reads kept per open crossing for the peak fit.</summary>
        public const int MaxSamplesPerCrossing = 64;

        /// <summary>
        /// Default read rate the shared store of kept reads is sized for: about what the fastest single module delivers
        /// (an M6e on a 460,800-baud line, ~980 reads/s). A mat unit sets its own from its reader's line
        /// (<see cref="Unit.UnitConfig.ToSettings"/>).
        /// </summary>
        public const int DefaultReadsPerSecond = 1000;

        /// <summary>
        /// The longest a chip is read while it crosses, for sizing the store of kept reads: a walker over a mat's read
        /// zone of about 3 m (a runner takes about 1 s).
        /// </summary>
        public const long FieldMicros = 3000000;

        /// <summary>Kept reads are handed to open crossings in chunks of this many entries.</summary>
        public const int KeptReadChunk = 4;

        /// <summary>The largest store of kept reads (its chunks are numbered in 16 bits).</summary>
        public const int MaxKeptReadEntries = 32767 * KeptReadChunk;

        /// <summary>Initializes a new instance of the <see cref="CrossingSettings"/> class with the defaults.</summary>
        public CrossingSettings()
        {
            Mode = DetectionMode.Peak;
            ReactionMicros = DefaultReactionMicros;
            DeadTimeMicros = DefaultDeadTimeMicros;
            StrayMicros = DefaultStrayMicros;
            ContinuousIntervalMicros = 1000000;
            ChipCapacity = DefaultChipCapacity;
            OpenCrossingCapacity = DefaultChipCapacity / 4;
            SamplesPerCrossing = 32;
            MaxEpcBytes = 16;
            PendingPassings = 32;
            MinFitReads = 5;
            OutlierPasses = 1;
            OutlierTenthsOfSigma = 20;
            FitSpanCentiDb = 0;
            ThinAfterReads = 12;
            ReadsPerSecond = DefaultReadsPerSecond;
        }

        /// <summary>Gets or sets the detection mode.</summary>
        public DetectionMode Mode { get; set; }

        /// <summary>Gets or sets the unit (mat) id written into every passing, 0–65535.</summary>
        public int UnitId { get; set; }

        /// <summary>
        /// Gets or sets the reaction window in µs: in Peak mode how long a chip is followed after its last peak before
        /// the time is final; in the other modes how long without a read before the chip counts as gone.
        /// </summary>
        public long ReactionMicros { get; set; }

        /// <summary>Gets or sets the dead time in µs: the minimum gap between two passings of the same chip.</summary>
        public long DeadTimeMicros { get; set; }

        /// <summary>Gets or sets how long a chip may stay continuously in the field before it is flagged stray, in µs.</summary>
        public long StrayMicros { get; set; }

        /// <summary>Gets or sets the record interval of <see cref="DetectionMode.Continuous"/>, in µs.</summary>
        public long ContinuousIntervalMicros { get; set; }

        /// <summary>Gets or sets how many chips the detector remembers at once (open crossings plus chips in dead time).</summary>
        public int ChipCapacity { get; set; }

        /// <summary>Gets or sets how many crossings may be open at once (each keeps its reads for the peak fit).</summary>
        public int OpenCrossingCapacity { get; set; }

        /// <summary>Gets or sets how many entries an open crossing keeps for the peak fit, 8–64 (beyond that, neighbouring reads are averaged).</summary>
        public int SamplesPerCrossing { get; set; }

        /// <summary>
        /// Gets or sets the most reads per second the mat's reader modules deliver together (their lines' capacity):
        /// sizes the store of reads the open crossings keep for the peak fit (<see cref="KeptReadEntries"/>).
        /// </summary>
        public int ReadsPerSecond { get; set; }

        /// <summary>
        /// Gets the entries of the store the open crossings share for their kept reads. A crossing's reads arrive only
        /// while its chip is in the field (at most <see cref="FieldMicros"/>) and are held until it closes, the reaction
        /// window after its last peak, so the open crossings never hold more than <see cref="ReadsPerSecond"/> ×
        /// (field time + reaction window) reads between them: at 245 reads/s (an M6e on 115,200 baud) and the default
        /// 850 ms window, 944 reads, where 128 crossings × 32 entries each would reserve 4,096. Add a partly filled
        /// chunk per open crossing (<see cref="KeptReadChunk"/> − 1 entries each), and never more than every crossing
        /// full, nor more than <see cref="MaxKeptReadEntries"/>. Should a faster reader fill it anyway, a crossing that finds it empty averages its reads into fewer
        /// entries (as a full crossing does) rather than losing any.
        /// </summary>
        public int KeptReadEntries
        {
            get
            {
                int chunk = KeptReadChunk;
                long perCrossing = (SamplesPerCrossing + chunk - 1) / chunk * chunk;
                long held = (long)ReadsPerSecond * (FieldMicros + ReactionMicros) / 1000000;
                long entries = held + ((long)OpenCrossingCapacity * (chunk - 1));
                long most = OpenCrossingCapacity * perCrossing;
                entries = entries > most ? most : entries;

                // Chunks are numbered in a short: 131,068 entries (1 MB) is more than any board holds.
                entries = entries > MaxKeptReadEntries ? MaxKeptReadEntries : entries;
                return (int)((entries + chunk - 1) / chunk * chunk);
            }
        }

        /// <summary>Gets or sets the longest EPC the chip table stores, in bytes (96-bit race chips need 12).</summary>
        public int MaxEpcBytes { get; set; }

        /// <summary>Gets or sets how many finished passings wait for the sink when it applies back-pressure.</summary>
        public int PendingPassings { get; set; }

        /// <summary>Gets or sets the fewest reads the peak curve is fitted to; fewer fall back to the strongest read.</summary>
        public int MinFitReads { get; set; }

        /// <summary>
        /// Gets or sets how many times the peak fit refits after its first pass, each time weighting the reads by the
        /// fitted curve and scaling down the weight of reads beyond <see cref="OutlierTenthsOfSigma"/> (0 = one
        /// pass weighted by the reads' own levels; default 1: a second refit moves the crossing bench's p50 and p99 by
        /// under 1.5 % in every scenario measured and costs the device a third of the fit).
        /// </summary>
        public int OutlierPasses { get; set; }

        /// <summary>
        /// Gets or sets the residual beyond which a read counts as an outlier, in tenths of σ (20 = 2σ, CrossMgr's
        /// limit): its weight is scaled by limit / residual (Huber) rather than the read being dropped.
        /// </summary>
        public int OutlierTenthsOfSigma { get; set; }

        /// <summary>
        /// Gets or sets how far below the strongest read the fit window reaches, in centi-dB: the peak curve is fitted to
        /// every read between the first and the last read within this depth (0 = every read of the crossing, the
        /// default). A window keeps a plateau far below the peak (a runner who stops just past the mat) out of the
        /// fit, but costs accuracy on ordinary crossings, whose shoulders carry most of the timing information.
        /// </summary>
        public int FitSpanCentiDb { get; set; }

        /// <summary>
        /// Gets or sets the mat's body shadow the peak fit corrects for, in centi-dB (0 = none, the default; see
        /// <see cref="PeakFit.BodyShadowCentiDb"/>): the extra loss once a chest tag is past the line.
        /// </summary>
        public int BodyShadowCentiDb { get; set; }

        /// <summary>
        /// Gets or sets the reads after which a crossing counts as well read: while a reader driver is behind its module,
        /// every other later read of the chip is let go undecoded (default 12: enough for a good peak fit).
        /// </summary>
        public int ThinAfterReads { get; set; }

        /// <summary>Gets the approximate device heap the detector preallocates for these capacities, in bytes.</summary>
        public int EstimatedBytes
        {
            get
            {
                // Per chip: EPC, length, hash, free list, crossing slot, three times (µs after an epoch in an int:
                // TrackedChips), the idle queue's entry and the queued and thinned flags; and the index's buckets.
                int perChip = MaxEpcBytes + 1 + 4 + 2 + 2 + 12 + 4;
                int index = ChipTable.BucketsFor(ChipCapacity) * 2;

                // Per open crossing: its own fields, its next entry and its table of chunks in the store of kept reads.
                int chunks = (SamplesPerCrossing + KeptReadChunk - 1) / KeptReadChunk;
                int perCrossing = 70 + 4 + (chunks * 2);

                // The store: each entry a µs offset, RSSI, antenna and weight (8 B), each chunk a place on the free list;
                // and the crossing being fitted or compacted, gathered (8 B a read).
                int entries = KeptReadEntries;
                int store = (entries * 8) + (entries / KeptReadChunk * 2) + (chunks * KeptReadChunk * 8);

                // PeakFit's work buffers: five longs and an int per read, eleven longs and an int per antenna group, and
                // three tables of 62 longs (0 to 60 dB below the peak by whole dB, and one over).
                int fit = (SamplesPerCrossing * 44) + (PeakFit.MaxGroups * 92) + (3 * 62 * 8);
                // The parts' own fields (the detector's counters and windows, the closer's, the fit's, the chip table's)
                // and the pending records' objects: about 2 KB whatever the capacities (4 KB on the 64-bit desktop
                // runtime, whose headers and references are larger).
                int parts = 2048;
                return parts + (ChipCapacity * perChip) + index + (OpenCrossingCapacity * perCrossing) + (PendingPassings * Passings.Passing.BytesWith(MaxEpcBytes)) + store + fit;
            }
        }

        /// <summary>
        /// Sets the capacities from the board profile's chip count: open crossings are a quarter of it (a chip stays in
        /// dead time about four times as long as its crossing is open), and boards with 1024 chips or more, which
        /// need PSRAM anyway, keep 64 reads per crossing instead of 32.
        /// </summary>
        /// <param name="chipCapacity">Chips to remember at once, e.g. <c>Board.BoardProfile.CrossingChips</c>.</param>
        public void SetCapacity(int chipCapacity)
        {
            SetCapacity(chipCapacity, chipCapacity / 4 < 8 ? 8 : chipCapacity / 4);
        }

        /// <summary>
        /// Sets the chip and open crossing capacities (a role's, <see cref="RaceDay.UnitRoleText.DefaultChipCapacity"/>
        /// and <see cref="RaceDay.UnitRoleText.DefaultOpenCrossings"/>); boards with 1024 chips or more keep 64 reads
        /// per crossing instead of 32.
        /// </summary>
        /// <param name="chipCapacity">Chips to remember at once.</param>
        /// <param name="openCrossings">Crossings open at once, at most <paramref name="chipCapacity"/>.</param>
        public void SetCapacity(int chipCapacity, int openCrossings)
        {
            ChipCapacity = chipCapacity;
            OpenCrossingCapacity = openCrossings;
            SamplesPerCrossing = chipCapacity >= 1024 ? MaxSamplesPerCrossing : 32;
        }

        /// <summary>Checks the settings before the detector preallocates for them.</summary>
        /// <exception cref="ArgumentException">A value is out of range; the message names it.</exception>
        public void Validate()
        {
            Check(UnitId >= 0 && UnitId <= 65535, "UnitId must be 0-65535.");
            Check((int)Mode >= 0 && (int)Mode <= 4, "Mode is not a detection mode.");
            Check(ReactionMicros >= 50000 && ReactionMicros <= 60000000, "ReactionMicros must be 50 ms to 60 s.");
            Check(DeadTimeMicros >= 0 && DeadTimeMicros <= 600000000, "DeadTimeMicros must be 0 to 600 s.");
            Check(StrayMicros >= ReactionMicros && StrayMicros <= 600000000, "StrayMicros must be ReactionMicros to 600 s.");
            Check(ContinuousIntervalMicros >= 10000, "ContinuousIntervalMicros must be at least 10 ms.");
            Check(ChipCapacity >= 4 && ChipCapacity <= 16384, "ChipCapacity must be 4-16384.");
            Check(OpenCrossingCapacity >= 1 && OpenCrossingCapacity <= ChipCapacity, "OpenCrossingCapacity must be 1 to ChipCapacity.");
            Check(SamplesPerCrossing >= 8 && SamplesPerCrossing <= MaxSamplesPerCrossing, "SamplesPerCrossing must be 8-64.");
            Check(MaxEpcBytes >= 2 && MaxEpcBytes <= Reader.TagRead.MaxEpcBytes, "MaxEpcBytes must be 2-62.");
            Check(PendingPassings >= 2 && PendingPassings <= 4096, "PendingPassings must be 2-4096.");
            Check(MinFitReads >= 3 && MinFitReads <= SamplesPerCrossing, "MinFitReads must be 3 to SamplesPerCrossing.");
            Check(OutlierPasses >= 0 && OutlierPasses <= 8, "OutlierPasses must be 0-8.");
            Check(FitSpanCentiDb >= 0 && FitSpanCentiDb <= 10000, "FitSpanCentiDb must be 0-10000 (0-100 dB).");
            Check(BodyShadowCentiDb >= 0 && BodyShadowCentiDb <= 3000, "BodyShadowCentiDb must be 0-3000 (0-30 dB).");
            Check(ReadsPerSecond >= 1 && ReadsPerSecond <= 100000, "ReadsPerSecond must be 1-100000.");
            Check(ThinAfterReads >= 1 && ThinAfterReads <= 65535, "ThinAfterReads must be 1-65535.");
            Check(OutlierTenthsOfSigma >= 10 && OutlierTenthsOfSigma <= 100, "OutlierTenthsOfSigma must be 10-100 (1σ to 10σ).");
        }

        private static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new ArgumentException(message);
            }
        }
    }
}
