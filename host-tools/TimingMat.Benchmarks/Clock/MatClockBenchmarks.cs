using BenchmarkDotNet.Attributes;
using TimingMat.Core.Clock;

namespace TimingMat.Benchmarks.Clock;

/// <summary>
/// The clock's per-second work (one lower-envelope solve over a full 256-stamp window) and its per-read work
/// (one local → UTC conversion); both allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class MatClockBenchmarks
{
    private readonly LowerEnvelopeFit _fit = new(256);
    private readonly ClockLine _line = new();
    private long _local;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < 256; i++)
        {
            var late = random.NextDouble() < 0.7 ? random.NextInt64(0, 1_000) : random.NextInt64(1_000, 25_000);
            _fit.Add(1_790_000_000 + i, 5_000_000 + (i * 1_000_012L) + late);
        }

        _fit.Solve();
        _line.CopyFrom(_fit.Line);
        _local = 5_000_000 + (300 * 1_000_012L);
    }

    /// <summary>What the clock does once per PPS edge.</summary>
    [Benchmark]
    public bool SolveFullWindow() => _fit.Solve();

    /// <summary>What every tag read costs: mapping its local stamp to UTC.</summary>
    [Benchmark]
    public long ConvertOneStamp() => _line.TimelineMicrosAt(_local++);
}
