using BenchmarkDotNet.Attributes;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Passings;
using TimingMat.Host.Storage;

namespace TimingMat.Benchmarks.Journal;

/// <summary>
/// Journal appends per second and bytes allocated per record (goal: 0 B, the device heap is ~100 KB): the core's
/// own cost on a RAM store, and on a real disk folder with a flush (fsync) per record or per 50 (group commit).
/// </summary>
[MemoryDiagnoser]
public class JournalAppendBenchmarks
{
    private const int Records = 10_000;
    private readonly Passing[] _passings = [.. Enumerable.Range(1, 16).Select(i => SyntheticPassings.Make(7, i, 1_791_100_800_000_000 + (i * 40_000L)))];
    private PassingJournal _journal = null!;

    [Params(1, 50)]
    public int CommitEvery { get; set; }

    [IterationSetup]
    public void Setup()
    {
        _journal = new PassingJournal(new PreallocatedFileStore(2 * 1024 * 1024), new JournalOptions(7) { SegmentBytes = 2 * 1024 * 1024, CapacityBytes = 64 * 1024 * 1024 });
        _journal.Open();
        _journal.Append(_passings[0]);
        _journal.Commit();
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long AppendToRam() => Append(_journal, _passings, Records, CommitEvery);

    /// <summary>The workload both benchmarks time: append, committing every so many records.</summary>
    internal static long Append(PassingJournal journal, Passing[] passings, int records, int commitEvery)
    {
        for (var i = 0; i < records; i++)
        {
            journal.Append(passings[i & 15]);
            if ((i + 1) % commitEvery == 0)
            {
                journal.Commit();
            }
        }

        journal.Commit();
        return journal.DurableSequence;
    }
}

/// <summary>The journal on a real folder: every commit is an fsync, as the device's flush is a flash program.</summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class JournalDiskBenchmarks
{
    private const int Records = 2_000;
    private readonly Passing[] _passings = [.. Enumerable.Range(1, 16).Select(i => SyntheticPassings.Make(7, i, 1_791_100_800_000_000 + (i * 40_000L)))];
    private string _folder = null!;
    private DirectoryFileStore _store = null!;
    private PassingJournal _journal = null!;

    [Params(1, 50)]
    public int CommitEvery { get; set; }

    [IterationSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("tm-bench-journal-").FullName;
        _store = new DirectoryFileStore(_folder);
        _journal = new PassingJournal(_store, new JournalOptions(7));
        _journal.Open();
    }

    [IterationCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long AppendToDisk() => JournalAppendBenchmarks.Append(_journal, _passings, Records, CommitEvery);
}
