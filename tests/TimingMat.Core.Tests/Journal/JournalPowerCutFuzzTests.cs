using TimingMat.Core.Journal;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Core.Tests.Journal;

/// <summary>
/// Cuts power under a working journal at 10,000 random bytes of its write stream (torn records, torn segment
/// headers, torn ack marks, unflushed data lost or half-kept and garbled) and reboots it each time.
/// </summary>
public class JournalPowerCutFuzzTests
{
    private const int Cuts = 10_000;
    private const int SegmentBytes = 1024;

    [Fact]
    public void TenThousandRandomPowerCuts_LoseNoDurableRecord_AcceptNoCorruptOne_RepeatNoSequenceNumber()
    {
        var random = new Random(20261004);
        var store = new MemoryFileStore(capacityBytes: 64 * 1024 * 1024, tearSeed: 4242);
        var contents = new Dictionary<long, byte[]>();
        var body = new byte[PassingBody.MaxBytes];
        long durable = 0;
        long highestAck = 0;
        var tornReboots = 0;
        var highestFirst = 0L;
        var appends = 0;

        for (var cut = 0; cut < Cuts; cut++)
        {
            store.ArmCut(random.Next(0, 3000));
            try
            {
                var journal = new PassingJournal(store, Options(keepAcknowledged: random.Next(3) != 0));
                Assert.True(journal.Open());

                // Every record committed before the cut is back, nothing unacknowledged was deleted, and every record
                // read back is exactly the passing appended under its sequence number.
                Assert.True(journal.LastSequence >= durable, $"cut {cut}: durable record {durable} lost (last {journal.LastSequence})");
                Assert.True(journal.FirstSequence - 1 <= highestAck, $"cut {cut}: unacknowledged records deleted (first {journal.FirstSequence}, acked {highestAck})");
                Assert.InRange(journal.AckedSequence, journal.FirstSequence - 1, highestAck);
                var cursor = journal.CreateCursor();
                var expected = journal.FirstSequence;
                while (cursor.TryReadBody(body, 0, out var length, out var sequence))
                {
                    Assert.Equal(expected, sequence);
                    Assert.True(contents.TryGetValue(sequence, out var appended), $"cut {cut}: record {sequence} was never appended");
                    Assert.True(appended.AsSpan().SequenceEqual(body.AsSpan(0, length)), $"cut {cut}: record {sequence} differs from what was appended");
                    expected++;
                }

                Assert.Equal(journal.LastSequence + 1, expected);

                // Records that did not come back were never durable: their numbers may go to new passings, no other.
                foreach (var lost in contents.Keys.Where(k => k > journal.LastSequence).ToList())
                {
                    Assert.True(lost > durable);
                    contents.Remove(lost);
                }

                durable = journal.DurableSequence;
                tornReboots += journal.TruncatedBytes > 0 ? 1 : 0;
                highestFirst = Math.Max(highestFirst, journal.FirstSequence);
                var idle = 0;
                while (true)
                {
                    var any = false;
                    for (var i = random.Next(1, 6); i > 0; i--)
                    {
                        var p = SamplePassings.Random(random);
                        if (journal.Append(p))
                        {
                            Assert.True(p.Sequence > durable, $"cut {cut}: sequence number {p.Sequence} handed out again");
                            contents[p.Sequence] = SamplePassings.Body(p);
                            any = true;
                            appends++;
                        }
                    }

                    if (journal.Commit())
                    {
                        durable = journal.DurableSequence;
                    }

                    if (random.Next(4) == 0 && journal.DurableSequence > journal.AckedSequence)
                    {
                        journal.Acknowledge(random.NextInt64(journal.AckedSequence + 1, journal.DurableSequence + 1));
                        highestAck = Math.Max(highestAck, journal.AckedSequence);
                    }

                    if (random.Next(8) == 0)
                    {
                        journal.SaveAcknowledged();
                    }

                    idle = any ? 0 : idle + 1;
                    if (idle > 1000)
                    {
                        store.CutPowerNow();
                    }
                }
            }
            catch (PowerCutException)
            {
                store.Restore();
            }
        }

        // Guard the guard: the cuts really tore records, rotated and pruned segments.
        Assert.Equal(Cuts, store.Cuts);
        Assert.True(tornReboots > Cuts / 5, $"only {tornReboots} reboots found a torn tail");
        Assert.True(highestFirst > 1000, $"acknowledged segments were hardly ever pruned (first seq reached {highestFirst})");
        Assert.True(appends > 50_000, $"only {appends} appends");
    }

    private static JournalOptions Options(bool keepAcknowledged) => new(7)
    {
        SegmentBytes = SegmentBytes,
        CapacityBytes = 12 * SegmentBytes,
        KeepAcknowledged = keepAcknowledged,
        CursorBufferBytes = 256,
        NewJournalId = 99,
    };
}
