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
    /// with RSSI = peak − curvature·(t − apex)² (centi-dBm, exact), polling after each read.</summary>
    public void Parabola(byte[] epc, long apexMicros, long fromMicros, long toMicros, long stepMicros, int peakCentiDbm = -4500, double centiPerMs2 = 0.05, int antenna = 1, int reader = 0, int offsetCentiDbm = 0)
    {
        for (var t = fromMicros; t <= toMicros; t += stepMicros)
        {
            Read(epc, t, RssiAt(t, apexMicros, peakCentiDbm, centiPerMs2) + offsetCentiDbm, antenna, reader);
            Detector.Poll(t);
        }
    }

    public static int RssiAt(long t, long apexMicros, int peakCentiDbm = -4500, double centiPerMs2 = 0.05)
    {
        var ms = (t - apexMicros) / 1000.0;
        return (int)Math.Round(peakCentiDbm - (centiPerMs2 * ms * ms));
    }

    public void PollUntil(long micros, long step = 10_000)
    {
        for (var t = micros - (micros % step); t <= micros; t += step)
        {
            Detector.Poll(t);
        }

        Detector.Poll(micros);
    }
}
