using TimingMat.Core.Clock;

namespace TimingMat.Core.Passings
{
    /// <summary>
    /// One passing as a mat unit records it: a chip crossing (timed at peak signal) or a race marker (gun, wave,
    /// corral). This is what the journal stores, the outbox sends and the collector keys by (unit, sequence).
    /// </summary>
    /// <remarks>
    /// Producers fill a preallocated instance and hand it to an <see cref="IPassingSink"/>, which copies it; the hot
    /// path allocates nothing. Times are UTC microseconds since 1970 (local µs since boot while the clock is
    /// Unsynced), so two chips 10 ms apart keep their own times and the 0.1 s two-chip rule stays auditable.
    /// </remarks>
    public sealed class Passing
    {
        /// <summary>Value of <see cref="Sequence"/> before the journal assigns one.</summary>
        public const long NoSequence = -1;

        /// <summary>Initializes a new instance of the <see cref="Passing"/> class with an empty EPC buffer.</summary>
        public Passing()
        {
            Epc = new byte[Reader.TagRead.MaxEpcBytes];
            Sequence = NoSequence;
        }

        /// <summary>Gets or sets what the record stands for.</summary>
        public PassingKind Kind { get; set; }

        /// <summary>Gets or sets the unit (mat) id, 0–65535.</summary>
        public int UnitId { get; set; }

        /// <summary>Gets or sets the unit's sequence number, monotonic per unit across reboots, assigned by the journal.</summary>
        public long Sequence { get; set; }

        /// <summary>Gets the EPC buffer; the first <see cref="EpcLength"/> bytes are the chip's EPC (empty for markers).</summary>
        public byte[] Epc { get; private set; }

        /// <summary>Gets or sets the number of EPC bytes.</summary>
        public int EpcLength { get; set; }

        /// <summary>Gets or sets the crossing time (peak signal) or the marker time, in UTC µs.</summary>
        public long TimeUtcMicros { get; set; }

        /// <summary>Gets or sets the time of the crossing's first read, in UTC µs.</summary>
        public long FirstReadUtcMicros { get; set; }

        /// <summary>Gets or sets the time of the crossing's last read, in UTC µs.</summary>
        public long LastReadUtcMicros { get; set; }

        /// <summary>Gets or sets the number of reads in the crossing.</summary>
        public int Hits { get; set; }

        /// <summary>Gets or sets the strongest read's RSSI in centi-dBm.</summary>
        public int MaxRssiCentiDbm { get; set; }

        /// <summary>
        /// Gets or sets the antenna that saw the strongest read, 1-based: the module's port, or on a unit with several
        /// reader modules reader index × 16 + port for every module after the first (<see cref="Crossings.MatAntenna"/>).
        /// </summary>
        public int BestAntenna { get; set; }

        /// <summary>Gets or sets the mat clock's state when the time was taken.</summary>
        public ClockState ClockState { get; set; }

        /// <summary>Gets or sets the bound of the time's error in µs, or <see cref="MatTime.UnknownUncertainty"/>.</summary>
        public long UncertaintyMicros { get; set; }

        /// <summary>Gets or sets the qualifiers.</summary>
        public PassingFlags Flags { get; set; }

        /// <summary>Gets or sets the marker's argument (wave or corral number); 0 for crossings.</summary>
        public int MarkerValue { get; set; }

        /// <summary>Copies every field of another passing into this one (no allocation).</summary>
        /// <param name="other">The passing to copy.</param>
        public void CopyFrom(Passing other)
        {
            Kind = other.Kind;
            UnitId = other.UnitId;
            Sequence = other.Sequence;
            for (int i = 0; i < other.EpcLength; i++)
            {
                Epc[i] = other.Epc[i];
            }

            EpcLength = other.EpcLength;
            TimeUtcMicros = other.TimeUtcMicros;
            FirstReadUtcMicros = other.FirstReadUtcMicros;
            LastReadUtcMicros = other.LastReadUtcMicros;
            Hits = other.Hits;
            MaxRssiCentiDbm = other.MaxRssiCentiDbm;
            BestAntenna = other.BestAntenna;
            ClockState = other.ClockState;
            UncertaintyMicros = other.UncertaintyMicros;
            Flags = other.Flags;
            MarkerValue = other.MarkerValue;
        }
    }
}
