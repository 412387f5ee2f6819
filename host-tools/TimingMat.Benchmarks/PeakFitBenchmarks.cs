using BenchmarkDotNet.Attributes;
using TimingMat.Core.Crossings;
using TimingMat.Emulators.Crossings;
using TimingMat.Emulators.Reader;

namespace TimingMat.Benchmarks;

/// <summary>
/// Time and bytes of one Peak-mode fit (<see cref="PeakFit"/>: squared-distance curve, two robust refits) per
/// closed crossing. The crossings are the crossing model's (3 dB noise), each cut to <see cref="Entries"/> reads
/// evenly spread over it, as the detector keeps them: 18 is a typical crossing on one 500 reads/s reader, 32 a full
/// slot on a board without PSRAM, 64 one with.
/// </summary>
[MemoryDiagnoser]
public class PeakFitBenchmarks
{
    private const int Crossings = 200;

    private int[][] _times = [];
    private short[][] _rssi = [];
    private byte[][] _antennas = [];
    private byte[][] _weights = [];
    private PeakFit _fit = null!;

    /// <summary>Gets or sets the reads (entries) each fitted crossing has.</summary>
    [Params(18, 32, 64)]
    public int Entries { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var model = new CrossingModel(
            new CrossingModelSettings { ReaderReadsPerSecond = 4000 },
            new RandomRunnerStream(new RandomRunnerSettings { Seed = 1, ChipCrossings = 400 }),
            1);
        var reads = new List<EmulatedRead>();
        model.Reader(0).TakeReads(60_000_000, reads);
        var chips = reads.GroupBy(r => Convert.ToHexString(r.Epc)).Where(g => g.Count() >= Entries).Take(Crossings).ToList();
        if (chips.Count < Crossings)
        {
            throw new InvalidOperationException($"only {chips.Count} crossings have {Entries} reads.");
        }

        _times = new int[Crossings][];
        _rssi = new short[Crossings][];
        _antennas = new byte[Crossings][];
        _weights = new byte[Crossings][];
        for (var c = 0; c < Crossings; c++)
        {
            var all = chips[c].ToList();
            var kept = Enumerable.Range(0, Entries).Select(i => all[i * all.Count / Entries]).ToList();
            _times[c] = kept.Select(r => (int)(r.AtMicros - all[0].AtMicros)).ToArray();
            _rssi[c] = kept.Select(r => (short)(Math.Round(r.RssiCentiDbm / 100.0) * 100)).ToArray();
            _antennas[c] = kept.Select(r => (byte)(r.Antenna - 1)).ToArray();
            _weights[c] = kept.Select(_ => (byte)1).ToArray();
        }

        var settings = new CrossingSettings();
        _fit = new PeakFit(CrossingSettings.MaxSamplesPerCrossing, settings.MinFitReads, settings.OutlierPasses, settings.OutlierTenthsOfSigma, settings.FitSpanCentiDb);
    }

    /// <summary>Fits every crossing once (OperationsPerInvoke makes the figures per crossing).</summary>
    [Benchmark(OperationsPerInvoke = Crossings)]
    public long FitCrossing()
    {
        long sum = 0;
        for (var c = 0; c < Crossings; c++)
        {
            if (_fit.TryFit(_times[c], _rssi[c], _antennas[c], _weights[c], 0, Entries, out var apex))
            {
                sum += apex;
            }
        }

        return sum;
    }
}
