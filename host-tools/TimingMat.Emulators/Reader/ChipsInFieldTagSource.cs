namespace TimingMat.Emulators.Reader;

/// <summary>
/// A simple, seeded <see cref="ITagSource"/> for reader tests: "these chips are in the field from t1 to t2 at N reads/s
/// with this RSSI curve". Each chip is read at evenly spaced times (jittered by a fraction of the spacing), so a chip in
/// the field for d seconds at N reads/s gives d·N reads. The same seed gives the same reads.
/// </summary>
/// <remarks>Not the physical crossing model of runners over a mat; that is another <see cref="ITagSource"/>.</remarks>
public sealed class ChipsInFieldTagSource : ITagSource
{
    private readonly Random _random;
    private readonly PriorityQueue<Chip, long> _due = new();

    /// <summary>Initializes a new instance of the <see cref="ChipsInFieldTagSource"/> class.</summary>
    /// <param name="seed">Seed of the jitter and the RSSI noise.</param>
    public ChipsInFieldTagSource(int seed = 1) => _random = new Random(seed);

    /// <summary>Gets or sets how far a read may move from its even spacing, as a fraction of the spacing (0..0.5; default 0.3).</summary>
    public double Jitter { get; set; } = 0.3;

    /// <summary>Gets the reads handed over so far.</summary>
    public long ReadsTaken { get; private set; }

    /// <summary>Puts a chip in the field.</summary>
    /// <param name="epc">The chip's EPC (no PC, no CRC); not copied, do not change it.</param>
    /// <param name="fromMicros">Entry time, µs of unit-local time.</param>
    /// <param name="untilMicros">Exit time, µs (exclusive).</param>
    /// <param name="readsPerSecond">Read rate while in the field.</param>
    /// <param name="rssi">Signal over the time in the field.</param>
    /// <param name="antenna">Antenna port, 1-based.</param>
    /// <param name="frequencyKhz">Carrier frequency, or 0 to let the reader emulator hop its own channels.</param>
    /// <returns>This source, to chain calls.</returns>
    public ChipsInFieldTagSource Add(byte[] epc, long fromMicros, long untilMicros, double readsPerSecond, RssiCurve rssi, int antenna = 1, int frequencyKhz = 0)
    {
        ArgumentNullException.ThrowIfNull(epc);
        ArgumentNullException.ThrowIfNull(rssi);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(untilMicros, fromMicros);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(readsPerSecond);
        var chip = new Chip(epc, fromMicros, untilMicros, 1_000_000.0 / readsPerSecond, rssi, antenna, frequencyKhz);
        Schedule(chip);
        return this;
    }

    /// <inheritdoc />
    public int TakeReads(long untilMicros, List<EmulatedRead> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        var taken = 0;
        while (_due.TryPeek(out var chip, out var at) && at <= untilMicros)
        {
            _due.Dequeue();
            var fraction = (double)(at - chip.From) / (chip.Until - chip.From);
            into.Add(new EmulatedRead(at, chip.Epc, chip.Rssi.At(fraction, _random), chip.Antenna, chip.FrequencyKhz));
            taken++;
            chip.Index++;
            Schedule(chip);
        }

        ReadsTaken += taken;
        return taken;
    }

    private void Schedule(Chip chip)
    {
        var jitter = Math.Clamp(Jitter, 0, 0.5);
        var offset = (chip.Index + 0.5 + ((_random.NextDouble() * 2) - 1) * jitter) * chip.IntervalMicros;
        var at = chip.From + (long)offset;
        if (at < chip.Until)
        {
            _due.Enqueue(chip, at);
        }
    }

    private sealed class Chip(byte[] epc, long from, long until, double intervalMicros, RssiCurve rssi, int antenna, int frequencyKhz)
    {
        public byte[] Epc { get; } = epc;

        public long From { get; } = from;

        public long Until { get; } = until;

        public double IntervalMicros { get; } = intervalMicros;

        public RssiCurve Rssi { get; } = rssi;

        public int Antenna { get; } = antenna;

        public int FrequencyKhz { get; } = frequencyKhz;

        public int Index { get; set; }
    }
}
