using TimingMat.Core.Crossings;
using TimingMat.Core.Reader;
using TimingMat.Emulators.Crossings;

namespace TimingMat.Core.Tests.Crossings;

/// <summary>A crossing detector on a fixed clock, with a recording sink and helpers that make reads of curves.</summary>
internal sealed class DetectorRig
{
    public const long UtcAtZero = 1_790_000_000_000_000;

    private readonly TagRead _read = new();

    public DetectorRig(Action<CrossingSettings>? configure = null)
    {
        Settings = new CrossingSettings { UnitId = 42 };
        configure?.Invoke(Settings);
        Detector = new CrossingDetector(Settings, Time, Sink);
    }

    public CrossingSettings Settings { get; }

    public FixedMatTimeSource Time { get; } = new(UtcAtZero);

    public RecordingPassingSink Sink { get; } = new();

    public CrossingDetector Detector { get; }

    public static byte[] Chip(int number) => RandomRunnerStream.Epc(number, 1);

    public static long Local(Passings.Passing passing) => passing.TimeUtcMicros - UtcAtZero;

    /// <summary>Fills a reused read the way a reader driver does.</summary>
    public static TagRead Fill(TagRead read, byte[] epc, long micros, int rssiCentiDbm, int antenna = 1, int reader = 0)
    {
        Array.Copy(epc, read.Epc, epc.Length);
        read.EpcLength = epc.Length;
        read.LocalMicros = micros;
        read.RssiCentiDbm = rssiCentiDbm;
        read.Antenna = antenna;
        read.ReaderIndex = reader;
        return read;
    }

    public void Read(byte[] epc, long micros, int rssiCentiDbm, int antenna = 1, int reader = 0) =>
        Detector.OnTagRead(Fill(_read, epc, micros, rssiCentiDbm, antenna, reader));

    /// <summary>Reads a chip every <paramref name="stepMicros"/> from <paramref name="fromMicros"/> to <paramref name="toMicros"/>
    /// on the physical crossing curve (<see cref="RssiAt"/>, exact to the centi-dB), polling after each read.</summary>
    public void Crossing(byte[] epc, long apexMicros, long fromMicros, long toMicros, long stepMicros, int peakCentiDbm = -4500, long tauMicros = 300_000, int antenna = 1, int reader = 0)
    {
        for (var t = fromMicros; t <= toMicros; t += stepMicros)
        {
            Read(epc, t, RssiAt(t, apexMicros, peakCentiDbm, tauMicros), antenna, reader);
            Detector.Poll(t);
        }
    }

    /// <summary>
    /// RSSI of a chip passing an antenna, centi-dBm: two-way path loss and the mat antenna's beam give
    /// peak − 60 dB·log10(1 + ((t − apex) / τ)²), where τ is the closest distance over the runner's speed.
    /// </summary>
    public static int RssiAt(long t, long apexMicros, int peakCentiDbm = -4500, long tauMicros = 300_000)
    {
        var s = (t - apexMicros) / (double)tauMicros;
        return (int)Math.Round(peakCentiDbm - (6000 * Math.Log10(1 + (s * s))));
    }

    /// <summary>The same chip seen by an antenna <paramref name="weakerCentiDb"/> weaker because it is farther away:
    /// its closest distance² is larger by 10^(weaker / 60 dB), so its curve is also wider.</summary>
    public static int FartherRssiAt(long t, long apexMicros, int weakerCentiDb, int peakCentiDbm = -4500, long tauMicros = 300_000) =>
        RssiAt(t, apexMicros, peakCentiDbm - weakerCentiDb, (long)Math.Round(tauMicros * Math.Pow(10, weakerCentiDb / 12000.0)));

    public void PollUntil(long micros, long step = 10_000)
    {
        for (var t = micros - (micros % step); t <= micros; t += step)
        {
            Detector.Poll(t);
        }

        Detector.Poll(micros);
    }
}
