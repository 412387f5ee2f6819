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
        /// Gets or sets the reads after which a crossing counts as well read: while a reader driver is behind its module,
        /// every other later read of the chip is let go undecoded (default 12: enough for a good peak fit).
        /// </summary>
        public int ThinAfterReads { get; set; }

        /// <summary>Gets the approximate device heap the detector preallocates for these capacities, in bytes.</summary>
        public int EstimatedBytes
        {
            get
            {
                // Per chip: EPC, length, hash, index buckets (2 per chip), free list, crossing slot, three times, the idle
                // queue's entry and the queued and thinned flags.
                int perChip = MaxEpcBytes + 1 + 4 + 4 + 2 + 2 + 24 + 4;

                // Per open crossing: the kept reads (µs offset, RSSI, antenna, weight) plus the crossing's own fields.
                int perCrossing = (SamplesPerCrossing * 8) + 75;
                return (ChipCapacity * perChip) + (OpenCrossingCapacity * perCrossing) + (PendingPassings * Passings.Passing.BytesWith(MaxEpcBytes)) + (SamplesPerCrossing * 40);
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
            ChipCapacity = chipCapacity;
            OpenCrossingCapacity = chipCapacity / 4 < 8 ? 8 : chipCapacity / 4;
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
            Check(StrayMicros >= ReactionMicros, "StrayMicros must be at least ReactionMicros.");
            Check(ContinuousIntervalMicros >= 10000, "ContinuousIntervalMicros must be at least 10 ms.");
            Check(ChipCapacity >= 4 && ChipCapacity <= 16384, "ChipCapacity must be 4-16384.");
            Check(OpenCrossingCapacity >= 1 && OpenCrossingCapacity <= ChipCapacity, "OpenCrossingCapacity must be 1 to ChipCapacity.");
            Check(SamplesPerCrossing >= 8 && SamplesPerCrossing <= MaxSamplesPerCrossing, "SamplesPerCrossing must be 8-64.");
            Check(MaxEpcBytes >= 2 && MaxEpcBytes <= Reader.TagRead.MaxEpcBytes, "MaxEpcBytes must be 2-62.");
            Check(PendingPassings >= 2 && PendingPassings <= 4096, "PendingPassings must be 2-4096.");
            Check(MinFitReads >= 3 && MinFitReads <= SamplesPerCrossing, "MinFitReads must be 3 to SamplesPerCrossing.");
            Check(OutlierPasses >= 0 && OutlierPasses <= 8, "OutlierPasses must be 0-8.");
            Check(FitSpanCentiDb >= 0 && FitSpanCentiDb <= 10000, "FitSpanCentiDb must be 0-10000 (0-100 dB).");
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
