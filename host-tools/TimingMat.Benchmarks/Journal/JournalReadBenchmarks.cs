using BenchmarkDotNet.Attributes;
using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Passings;

namespace TimingMat.Benchmarks.Journal;

/// <summary>
/// The outbox's read path (cursor → batch of 50 → CRC seal) and the collector's decode of a batch, per passing.
/// </summary>
[MemoryDiagnoser]
public class JournalReadBenchmarks
{
    private const int Records = 10_000;
    private PassingJournal _journal = null!;
    private JournalCursor _cursor = null!;
    private readonly byte[] _batch = new byte[BatchFormat.MaxBytes];
    private readonly BatchReader _reader = new();
    private readonly Passing _passing = new();
    private byte[] _payload = null!;

    [GlobalSetup]
    public void Setup()
    {
        _journal = new PassingJournal(new PreallocatedFileStore(4 * 1024 * 1024), new JournalOptions(7) { SegmentBytes = 4 * 1024 * 1024, CapacityBytes = 64 * 1024 * 1024 });
        _journal.Open();
        for (var i = 1; i <= Records; i++)
        {
            _journal.Append(SyntheticPassings.Make(7, i, 1_791_100_800_000_000 + (i * 40_000L)));
        }

        _journal.Commit();
        _cursor = _journal.CreateCursor();
        var length = BuildBatch(1);
        _cursor.Seek(1);
        _payload = _batch[..length];
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long ReadIntoBatches()
    {
        long last = 0;
        _cursor.Seek(1);
        for (long first = 1; first <= Records; first += 50)
        {
            last += BuildBatch(first);
        }

        return last;
    }

    [Benchmark(OperationsPerInvoke = 50)]
    public long DecodeBatch()
    {
        _reader.Load(_payload, _payload.Length);
        long sum = 0;
        while (_reader.TryRead(_passing))
        {
            sum += _passing.Sequence;
        }

        return sum;
    }

    // Sequential, as the outbox reads: the cursor is already at the batch's first record.
    private int BuildBatch(long first)
    {
        var position = BatchFormat.HeaderBytes;
        for (var n = 0; n < 50 && _cursor.TryReadBody(_batch, position, out var length, out _); n++)
        {
            position += length;
        }

        return BatchFormat.Seal(_batch, 0, 7, 1, first, first - 1, 50, position - BatchFormat.HeaderBytes);
    }
}
