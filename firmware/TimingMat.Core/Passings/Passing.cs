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
    /// Unsynced), so two chips 10 ms apart keep their own times and the 0.1 s two-chip rule stays auditable. Its members
    /// are fields: a passing is copied field by field several times on its way to flash, and on the device's interpreter
    /// every property access is a call.
    /// </remarks>
    public sealed class Passing
    {
        /// <summary>Value of <see cref="Sequence"/> before the journal assigns one.</summary>
        public const long NoSequence = -1;

        /// <summary>
        /// What a passing record costs on the device heap with an EPC buffer of the longest EPC a reader reports
        /// (fields, rounded up, and the 62-byte buffer), for the memory report.
        /// </summary>
        public const int Bytes = 160;

        /// <summary>Initializes a new instance of the <see cref="Passing"/> class with an empty EPC buffer for the longest EPC a reader reports.</summary>
        public Passing()
            : this(Reader.TagRead.MaxEpcBytes)
        {
        }

        /// <summary>Initializes a new instance of the <see cref="Passing"/> class with an empty EPC buffer of a given size.</summary>
        /// <param name="maxEpcBytes">The longest EPC the record holds (the chip table's, for records only the detector fills).</param>
        public Passing(int maxEpcBytes)
        {
            Epc = new byte[maxEpcBytes];
            Sequence = NoSequence;
        }

        /// <summary>What the record stands for.</summary>
        public PassingKind Kind;

        /// <summary>The unit (mat) id, 0–65535.</summary>
        public int UnitId;

        /// <summary>The unit's sequence number, monotonic per unit across reboots, assigned by the journal.</summary>
        public long Sequence;

        /// <summary>The EPC buffer; the first <see cref="EpcLength"/> bytes are the chip's EPC (empty for markers).</summary>
        public readonly byte[] Epc;

        /// <summary>The number of EPC bytes.</summary>
        public int EpcLength;

        /// <summary>The crossing time (peak signal) or the marker time, in UTC µs.</summary>
        public long TimeUtcMicros;

        /// <summary>The time of the crossing's first read, in UTC µs.</summary>
        public long FirstReadUtcMicros;

        /// <summary>The time of the crossing's last read, in UTC µs.</summary>
        public long LastReadUtcMicros;

        /// <summary>The number of reads in the crossing.</summary>
        public int Hits;

        /// <summary>The strongest read's RSSI in centi-dBm.</summary>
        public int MaxRssiCentiDbm;

        /// <summary>
        /// Gets or sets the antenna that saw the strongest read, 1-based: the module's port, or on a unit with several
        /// reader modules reader index × 16 + port for every module after the first (<see cref="Crossings.MatAntenna"/>).
        /// </summary>
        public int BestAntenna;

        /// <summary>The mat clock's state when the time was taken.</summary>
        public ClockState ClockState;

        /// <summary>The bound of the time's error in µs, or <see cref="MatTime.UnknownUncertainty"/>.</summary>
        public long UncertaintyMicros;

        /// <summary>The qualifiers.</summary>
        public PassingFlags Flags;

        /// <summary>The marker's argument (wave or corral number); 0 for crossings.</summary>
        public int MarkerValue;

        /// <summary>What a passing record with an EPC buffer of a given size costs on the device heap.</summary>
        /// <param name="maxEpcBytes">The EPC buffer's size.</param>
        /// <returns>Bytes.</returns>
        public static int BytesWith(int maxEpcBytes)
        {
            return Bytes - Reader.TagRead.MaxEpcBytes + maxEpcBytes;
        }

        /// <summary>Copies every field of another passing into this one (no allocation).</summary>
        /// <param name="other">The passing to copy.</param>
        public void CopyFrom(Passing other)
        {
            Kind = other.Kind;
            UnitId = other.UnitId;
            Sequence = other.Sequence;
            int length = other.EpcLength;
            System.Array.Copy(other.Epc, 0, Epc, 0, length);
            EpcLength = length;
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
