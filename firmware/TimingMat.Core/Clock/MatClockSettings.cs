namespace TimingMat.Core.Clock
{
    /// <summary>
    /// Tunables of a <see cref="MatClock"/>. The defaults suit a u-blox-class receiver at 9600–115200 baud and the
    /// nanoFramework managed PPS handler (0.1–25 ms late); change them only with a bench measurement behind it.
    /// </summary>
    public sealed class MatClockSettings
    {
        /// <summary>Initializes a new instance of the <see cref="MatClockSettings"/> class with the defaults.</summary>
        public MatClockSettings()
        {
            WindowEdges = 256;
            LockEdges = 20;
            RelockEdges = 8;
            LockLabels = 3;
            JumpConfirmLabels = 3;
            LabelWindowStartMicros = 10000;
            LabelWindowEndMicros = 900000;
            EdgeToleranceMicros = 60000;
            WindowRestartGapMicros = 10000000;
            HoldoverAfterMicros = 3500000;
            UnconfirmedBridgeMicros = 10000000;
            PpsLatencyFloorMicros = 0;
            BaseUncertaintyMicros = 100;
            LockUncertaintyMicros = 5000;
            HoldoverDriftPpb = 2000;
            CounterWrapMicros = 0;
            MinYear = 2020;
        }

        /// <summary>
        /// Gets or sets the PPS stamps the fit keeps (one per second). Longer windows pin the slope better but
        /// follow the crystal's temperature wander more slowly and cost 28 bytes of RAM per stamp. On the clock
        /// benchmark 256 halved the 30-minute holdover error of 128; 512 gained under 5 % for twice the RAM. At least 8.
        /// </summary>
        public int WindowEdges { get; set; }

        /// <summary>
        /// Gets or sets the stamps needed in the window before the clock locks from cold: with few stamps the
        /// slope is poorly known and the extrapolation to now carries its error.
        /// </summary>
        public int LockEdges { get; set; }

        /// <summary>
        /// Gets or sets the stamps needed to lock again after a holdover. Fewer than from cold: the frequency
        /// known before the outage bounds the young window's slope.
        /// </summary>
        public int RelockEdges { get; set; }

        /// <summary>Gets or sets the NMEA second labels that must agree with the edge numbering before the clock locks.</summary>
        public int LockLabels { get; set; }

        /// <summary>
        /// Gets or sets the consecutive labels that must agree on a new numbering before a GPS time jump (or a
        /// leap second the receiver did not print as :60) is accepted; single odd labels are ignored.
        /// </summary>
        public int JumpConfirmLabels { get; set; }

        /// <summary>
        /// Gets or sets the start of the window after a PPS stamp in which a sentence may label its second, in µs.
        /// Sentences for second n follow edge n (protocols.md §3.2).
        /// </summary>
        public long LabelWindowStartMicros { get; set; }

        /// <summary>
        /// Gets or sets the end of the label window in µs. A sentence later than this may have spilled from the
        /// previous second (long bursts at 9600 baud) and would make the clock one second off, so it is not used.
        /// </summary>
        public long LabelWindowEndMicros { get; set; }

        /// <summary>Gets or sets how far a stamp may sit from a whole number of seconds after the previous one, in µs (handler latency spread plus margin).</summary>
        public long EdgeToleranceMicros { get; set; }

        /// <summary>Gets or sets the gap between edges after which the fit window starts afresh (the crystal may have moved meanwhile), in µs.</summary>
        public long WindowRestartGapMicros { get; set; }

        /// <summary>Gets or sets how long a locked clock waits for a confirmed PPS edge before it goes into holdover, in µs.</summary>
        public long HoldoverAfterMicros { get; set; }

        /// <summary>
        /// Gets or sets how long a locked clock keeps using PPS edges whose NMEA burst was lost (garbled or
        /// missing) after the last edge a fix confirmed, in µs. Edges in a burst that reports no fix are never used.
        /// </summary>
        public long UnconfirmedBridgeMicros { get; set; }

        /// <summary>
        /// Gets or sets the shortest PPS handler latency of the board in µs, subtracted from every stamp. The fit
        /// follows the quickest handler runs, so the clock reads late by this much unless it is calibrated; every mat
        /// of the same build reads late alike, so net times do not see it. 0 until measured on hardware.
        /// </summary>
        public long PpsLatencyFloorMicros { get; set; }

        /// <summary>Gets or sets the part of the uncertainty the data cannot show (an uncalibrated latency floor), in µs.</summary>
        public long BaseUncertaintyMicros { get; set; }

        /// <summary>Gets or sets the largest uncertainty at which the clock declares itself locked, in µs.</summary>
        public long LockUncertaintyMicros { get; set; }

        /// <summary>
        /// Gets or sets how fast the uncertainty grows away from the PPS data (holdover), in parts per billion:
        /// the crystal's frequency change with temperature and age that the last estimate cannot know. 2000 (2 ppm,
        /// 7.2 ms per hour) covers an uncompensated 40 MHz ESP32 crystal in a mat lying in changing sun.
        /// </summary>
        public long HoldoverDriftPpb { get; set; }

        /// <summary>
        /// Gets or sets the period after which the local µs counter wraps, or 0 when it never does (the ESP32's
        /// 64-bit esp_timer). With a 32-bit counter set 4,294,967,296: the clock then unwraps every stamp.
        /// </summary>
        public long CounterWrapMicros { get; set; }

        /// <summary>Gets or sets the earliest year a GPS date may carry; older dates are a receiver's RTC or a week-rollover bug.</summary>
        public int MinYear { get; set; }

        /// <summary>Throws when the settings contradict each other or the clock's fixed limits.</summary>
        /// <param name="minEdgeSpacingMicros">Stamps closer than this are one edge seen twice: the edge tolerance must stay under it.</param>
        internal void Check(long minEdgeSpacingMicros)
        {
            if (WindowEdges < 8 || LockEdges < 3 || LockEdges > WindowEdges || RelockEdges < 3 || RelockEdges > WindowEdges
                || LockLabels < 1 || JumpConfirmLabels < 1
                || LabelWindowStartMicros < 0 || LabelWindowEndMicros <= LabelWindowStartMicros
                || LabelWindowEndMicros >= UtcCalendar.MicrosPerSecond || EdgeToleranceMicros <= 0
                || EdgeToleranceMicros >= minEdgeSpacingMicros || HoldoverAfterMicros <= UtcCalendar.MicrosPerSecond
                || WindowRestartGapMicros < HoldoverAfterMicros || CounterWrapMicros < 0
                || HoldoverDriftPpb < 0 || BaseUncertaintyMicros < 0)
            {
                throw new System.ArgumentException("inconsistent MatClockSettings");
            }
        }
    }
}
