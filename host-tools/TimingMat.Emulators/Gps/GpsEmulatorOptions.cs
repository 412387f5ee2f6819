namespace TimingMat.Emulators.Gps;

/// <summary>How an emulated GPS receiver behaves. Every random choice comes from <see cref="Seed"/>.</summary>
public sealed record GpsEmulatorOptions
{
    /// <summary>Gets the seed of the latency draws, NMEA timing jitter, satellite counts and corruption.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gets the PPS handler latency model of the unit.</summary>
    public PpsLatencyModel Latency { get; init; } = PpsLatencyModel.Heavy;

    /// <summary>Gets the seconds from the emulator's start to the first fix (a cold start); 0 for a receiver that already has one.</summary>
    public double AcquisitionSeconds { get; init; } = 30;

    /// <summary>Gets the talker of every sentence (GP, GN, GL, GA, BD, GB).</summary>
    public string Talker { get; init; } = "GN";

    /// <summary>Gets a value indicating whether RMC is sent (the date of most receivers).</summary>
    public bool SendRmc { get; init; } = true;

    /// <summary>Gets a value indicating whether GGA is sent (fix quality, satellites).</summary>
    public bool SendGga { get; init; } = true;

    /// <summary>Gets a value indicating whether ZDA is sent (after the others, as u-blox orders it).</summary>
    public bool SendZda { get; init; }

    /// <summary>Gets the delay from the true edge to the burst's first byte, µs (u-blox: tens of ms).</summary>
    public long NmeaDelayMicros { get; init; } = 40_000;

    /// <summary>Gets the extra random delay of each burst, up to this many µs.</summary>
    public long NmeaJitterMicros { get; init; } = 20_000;

    /// <summary>Gets a value indicating whether the receiver pulses PPS without a fix (from its own oscillator, at a wrong phase).</summary>
    public bool PpsWithoutFix { get; init; }

    /// <summary>Gets the faults on the true timeline.</summary>
    public IReadOnlyList<GpsCondition> Schedule { get; init; } = [];

    /// <summary>
    /// Gets the true UTC µs of the start of a 23:59:59 after which the receiver inserts 23:59:60, or <c>null</c>.
    /// The true timeline stays continuous: after the leap, UTC labels are one second behind it.
    /// </summary>
    public long? LeapSecondAfterUtcMicros { get; init; }

    /// <summary>Gets the fraction of sentences with one byte corrupted on the wire (a bad checksum at the unit).</summary>
    public double CorruptSentenceRate { get; init; }
}
