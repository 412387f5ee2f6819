using BenchmarkDotNet.Attributes;
using TimingMat.Core.Crossings;
using TimingMat.Core.Passings;
using TimingMat.Core.Reader;
using TimingMat.Emulators.Crossings;
using TimingMat.Emulators.Reader;

namespace TimingMat.Benchmarks;

/// <summary>
/// Reads per second through the crossing detector and bytes allocated per read (goal: 0 B). The reads are a start
/// line from the crossing model (20 runners/s, 3 dB noise, one 500 reads/s reader), replayed with the unit's loop
/// polling every 10 ms; each operation is one read, including its share of the polls and of the crossings it closes.
/// </summary>
[MemoryDiagnoser]
public class CrossingDetectorBenchmarks
{
    private const long PollMicros = 10_000;

    // Reads the model gives for this start line; OperationsPerInvoke must match it so the figures are per read.
    private const int StartLineReads = 36_602;

    private readonly TagRead _read = new();
    private byte[][] _epcs = [];
    private long[] _times = [];
    private int[] _rssi = [];
    private int[] _antennas = [];
    private CrossingDetector _detector = null!;
    private long _offset;
    private long _span;

    /// <summary>Gets or sets the detection mode measured.</summary>
    [Params(DetectionMode.Peak, DetectionMode.First)]
    public DetectionMode Mode { get; set; }

    /// <summary>Gets the number of reads one operation batch replays.</summary>
    public int ReadCount => _times.Length;

    [GlobalSetup]
    public void Setup()
    {
        var model = new CrossingModel(new CrossingModelSettings(), new RandomRunnerStream(new RandomRunnerSettings { Seed = 1, ChipCrossings = 2000 }), 1);
        var reads = new List<EmulatedRead>();
        model.Reader(0).TakeReads(200_000_000, reads);
        _epcs = reads.Select(r => r.Epc).ToArray();
        _times = reads.Select(r => r.AtMicros).ToArray();
        _rssi = reads.Select(r => (int)Math.Round(r.RssiCentiDbm / 100.0) * 100).ToArray();
        _antennas = reads.Select(r => r.Antenna).ToArray();
        if (_times.Length != StartLineReads)
        {
            throw new InvalidOperationException($"the model now gives {_times.Length} reads; set StartLineReads to it.");
        }

        _span = _times[^1] + 30_000_000;
        var settings = new CrossingSettings { Mode = Mode, UnitId = 1 };
        _detector = new CrossingDetector(settings, new FixedMatTimeSource(1_790_000_000_000_000), new NullSink());
    }

    /// <summary>Replays every read once (OperationsPerInvoke makes the figures per read).</summary>
    [Benchmark(OperationsPerInvoke = StartLineReads)]
    public long ReplayStartLine()
    {
        var nextPoll = _offset;
        for (var i = 0; i < _times.Length; i++)
        {
            var at = _times[i] + _offset;
            while (nextPoll <= at)
            {
                _detector.Poll(nextPoll);
                nextPoll += PollMicros;
            }

            var epc = _epcs[i];
            Array.Copy(epc, _read.Epc, epc.Length);
            _read.EpcLength = epc.Length;
            _read.LocalMicros = at;
            _read.RssiCentiDbm = _rssi[i];
            _read.Antenna = _antennas[i];
            _detector.OnTagRead(_read);
        }

        _detector.CloseAll();
        _offset += _span;
        return _detector.PassingsDelivered;
    }

    private sealed class NullSink : IPassingSink
    {
        public bool TryAccept(Passing passing) => true;
    }
}
