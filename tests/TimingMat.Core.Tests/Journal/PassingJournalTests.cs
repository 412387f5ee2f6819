using TimingMat.Core.Journal;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Core.Tests.Journal;

public class PassingJournalTests
{
    // 12-byte EPC: 53-byte body + 14 bytes of frame = 67 bytes a record.
    private const int RecordBytes = 67;

    private readonly MemoryFileStore _store = new(capacityBytes: 1024 * 1024);

    [Fact]
    public void Append_AssignsSequenceNumbersFromOne_AndCursorReadsThemBackAfterCommit()
    {
        var journal = Open();
        var appended = new List<Passing>();
        for (var i = 1; i <= 5; i++)
        {
            var p = SamplePassings.Make(i);
            Assert.True(journal.Append(p));
            Assert.Equal(i, p.Sequence);
            appended.Add(p);
        }

        var cursor = journal.CreateCursor();
        Assert.False(cursor.TryRead(new Passing()));  // nothing durable before the commit
        Assert.True(journal.Commit());

        Assert.Equal(5, journal.DurableSequence);
        foreach (var expected in appended)
        {
            var read = new Passing();
            Assert.True(cursor.TryRead(read));
            Assert.Equal(expected.Sequence, read.Sequence);
            Assert.Equal(7, read.UnitId);
            SamplePassings.AssertSame(expected, read);
        }

        Assert.False(cursor.TryRead(new Passing()));
        Assert.Equal(["jr000001.seg"], _store.List());
        Assert.Equal(SegmentHeader.Bytes + (5 * RecordBytes), _store.GetLength("jr000001.seg"));
    }

    [Fact]
    public void SequenceNumbers_ContinueAcrossReopen()
    {
        var journal = Open();
        AppendCommitted(journal, 1, 10);

        var reopened = Open();
        var p = SamplePassings.Make(11);

        Assert.Equal(10, reopened.LastSequence);
        Assert.Equal(10, reopened.DurableSequence);
        Assert.Equal(10, reopened.RecoveredRecords);
        Assert.True(reopened.Append(p));
        Assert.Equal(11, p.Sequence);
        Assert.Equal(journal.JournalId, reopened.JournalId);
    }

    [Fact]
    public void TornTail_IsCutOff_AndItsSequenceNumberGoesToTheNextPassing()
    {
        var journal = Open();
        AppendCommitted(journal, 1, 3);
        journal.Append(SamplePassings.Make(4));
        _store.CutPower();  // record 4 was never flushed
        var torn = new byte[RecordBytes];
        var frame = FrameOf(SamplePassings.Make(4), 4);
        Array.Copy(frame, torn, 40);
        _store.Append("jr000001.seg", torn, 0, 40);  // only 40 of its 67 bytes reached the flash

        var reopened = Open();

        Assert.Equal(3, reopened.LastSequence);
        Assert.Equal(40, reopened.TruncatedBytes);
        Assert.Equal(SegmentHeader.Bytes + (3 * RecordBytes), _store.GetLength("jr000001.seg"));
        var next = SamplePassings.Make(40);
        Assert.True(reopened.Append(next));
        Assert.Equal(4, next.Sequence);
        reopened.Commit();
        Assert.Equal(4, ReadAll(reopened).Count);
    }

    [Fact]
    public void RecordWithABadCrc_AtTheEnd_IsNeverAccepted()
    {
        var journal = Open();
        AppendCommitted(journal, 1, 2);
        var frame = FrameOf(SamplePassings.Make(3), 3);
        frame[20] ^= 0x01;
        _store.Append("jr000001.seg", frame, 0, frame.Length);
        _store.Flush("jr000001.seg");

        var reopened = Open();

        Assert.Equal(2, reopened.LastSequence);
        Assert.Equal(RecordBytes, reopened.TruncatedBytes);
        Assert.Equal([1L, 2L], ReadAll(reopened).Select(p => p.Sequence));
    }

    [Fact]
    public void DamageInsideTheNewestSegment_KeepsTheRecordsAfterIt_AndAppendsToANewSegment()
    {
        var journal = Open();
        AppendCommitted(journal, 1, 4);
        var bytes = Read("jr000001.seg");
        bytes[SegmentHeader.Bytes + RecordBytes + 15] ^= 0xFF;  // record 2 damaged
        Rewrite("jr000001.seg", bytes);

        var reopened = Open();
        var p = SamplePassings.Make(5);
        Assert.True(reopened.Append(p));
        reopened.Commit();

        Assert.Equal(0, reopened.TruncatedBytes);
        Assert.Equal(1, reopened.DamagedSegments);
        Assert.Equal(5, p.Sequence);
        Assert.Equal(["jr000001.seg", "jr000002.seg"], _store.List());
        Assert.Equal([1L, 3L, 4L, 5L], ReadAll(reopened).Select(r => r.Sequence));
    }

    [Fact]
    public void NewestSegmentWithATornHeader_IsDeleted_BecauseItNeverHeldARecord()
    {
        var journal = Open(segmentBytes: SegmentHeader.Bytes + (2 * RecordBytes));
        AppendCommitted(journal, 1, 2);
        _store.Append("jr000002.seg", new byte[] { (byte)'T', (byte)'M', (byte)'J' }, 0, 3);

        var reopened = Open(segmentBytes: SegmentHeader.Bytes + (2 * RecordBytes));
        var p = SamplePassings.Make(3);
        Assert.True(reopened.Append(p));

        Assert.Equal(3, p.Sequence);
        Assert.Equal(["jr000001.seg", "jr000003.seg"], _store.List());
    }

    [Fact]
    public void Segments_RotateAtTheirSize_AndCursorsCrossThem()
    {
        var journal = Open(segmentBytes: SegmentHeader.Bytes + (3 * RecordBytes));
        AppendCommitted(journal, 1, 10);

        Assert.Equal(4, journal.SegmentCount);
        Assert.Equal(["jr000001.seg", "jr000002.seg", "jr000003.seg", "jr000004.seg"], _store.List());
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), ReadAll(journal).Select(p => p.Sequence));
        var cursor = journal.CreateCursor();
        cursor.Seek(8);
        var read = new Passing();
        Assert.True(cursor.TryRead(read));
        Assert.Equal(8, read.Sequence);
        SamplePassings.AssertSame(SamplePassings.Make(8), read);
    }

    [Fact]
    public void FullJournal_NeverDeletesUnacknowledgedRecords_AndRefuses()
    {
        var journal = Open(segmentBytes: SegmentHeader.Bytes + (2 * RecordBytes), capacity: 3 * (SegmentHeader.Bytes + (2 * RecordBytes)));
        AppendCommitted(journal, 1, 6);

        Assert.False(journal.Append(SamplePassings.Make(7)));
        Assert.True(journal.FullAlarm);
        Assert.Equal(1, journal.RefusedAppends);
        Assert.Equal(1, journal.FirstSequence);
        Assert.Equal(1000, journal.FillPermille);

        journal.Acknowledge(2);
        var p = SamplePassings.Make(7);
        Assert.True(journal.Append(p));

        Assert.Equal(7, p.Sequence);
        Assert.False(journal.FullAlarm);
        Assert.Equal(3, journal.FirstSequence);
        Assert.Equal(["jr000002.seg", "jr000003.seg", "jr000004.seg"], _store.List().Where(n => n.EndsWith(".seg")));
    }

    [Fact]
    public void AcknowledgedRecords_AreKept_UntilSpaceIsNeeded()
    {
        var journal = Open(segmentBytes: SegmentHeader.Bytes + (2 * RecordBytes));
        AppendCommitted(journal, 1, 6);
        journal.Acknowledge(6);
        journal.SaveAcknowledged();

        Assert.Equal(1, journal.FirstSequence);
        Assert.Equal(3, journal.SegmentCount);
    }

    [Fact]
    public void WithoutKeepAcknowledged_AcknowledgedSegmentsGo_ButNeverTheNewest()
    {
        var journal = Open(segmentBytes: SegmentHeader.Bytes + (2 * RecordBytes), keepAcknowledged: false);
        AppendCommitted(journal, 1, 6);
        journal.Acknowledge(3);
        journal.SaveAcknowledged();

        Assert.Equal(3, journal.FirstSequence);
        journal.Acknowledge(6);
        journal.SaveAcknowledged();
        Assert.Equal(5, journal.FirstSequence);
        Assert.Equal(1, journal.SegmentCount);
    }

    [Fact]
    public void Acknowledgement_IsClampedAndMonotonic_AndSurvivesAReopen()
    {
        var journal = Open();
        AppendCommitted(journal, 1, 10);
        journal.Append(SamplePassings.Make(11));

        Assert.True(journal.Acknowledge(50));
        Assert.Equal(10, journal.AckedSequence);  // never beyond what is durable
        Assert.False(journal.Acknowledge(4));
        Assert.Equal(10, journal.AckedSequence);
        journal.Acknowledge(10);
        Assert.True(journal.SaveAcknowledged());

        var reopened = Open();
        Assert.Equal(10, reopened.AckedSequence);
        Assert.Equal(1, reopened.UnacknowledgedCount);  // record 11 reached the file unflushed and is recovered
    }

    [Fact]
    public void AckMark_SwitchesFilesWhenFull_AndKeepsTheLatestValue()
    {
        var journal = Open();
        AppendCommitted(journal, 1, 400);
        for (var acked = 1; acked <= 300; acked++)
        {
            journal.Acknowledge(acked);
            journal.SaveAcknowledged();
        }

        // 128 entries in file 0, 128 in file 1, then file 0 again from scratch: 44 entries of 20 bytes.
        Assert.Contains("jrack0.dat", _store.List());
        Assert.DoesNotContain("jrack1.dat", _store.List());
        Assert.Equal(44 * 20, _store.GetLength("jrack0.dat"));
        Assert.Equal(300, Open().AckedSequence);
    }

    [Fact]
    public void CursorInAPrunedSegment_MovesOnToTheOldestRecordLeft()
    {
        var journal = Open(segmentBytes: SegmentHeader.Bytes + (2 * RecordBytes), keepAcknowledged: false);
        AppendCommitted(journal, 1, 6);
        var cursor = journal.CreateCursor();
        var read = new Passing();
        Assert.True(cursor.TryRead(read));

        journal.Acknowledge(4);
        journal.SaveAcknowledged();

        Assert.True(cursor.TryRead(read));
        Assert.Equal(5, read.Sequence);
    }

    [Fact]
    public void FailingMedium_RefusesAppends_ThenRecovers()
    {
        var journal = Open();
        AppendCommitted(journal, 1, 2);
        _store.Failing = true;

        Assert.False(journal.Append(SamplePassings.Make(3)));
        Assert.True(journal.StorageFault);

        _store.Failing = false;
        var p = SamplePassings.Make(3);
        Assert.True(journal.Append(p));
        Assert.True(journal.Commit());
        Assert.Equal(3, p.Sequence);
        Assert.False(journal.StorageFault);
    }

    [Fact]
    public void OpenOnAFailingMedium_ReportsTheFault()
    {
        _store.Failing = true;
        var journal = new PassingJournal(_store, new JournalOptions(7));

        Assert.False(journal.Open());
        Assert.True(journal.StorageFault);
        Assert.False(journal.Append(SamplePassings.Make(1)));
    }

    [Fact]
    public void SegmentFileNames_RoundTrip_AndOthersAreIgnored()
    {
        Assert.Equal("jr000042.seg", SegmentIndex.FileName(42));
        Assert.Equal(42, SegmentIndex.ParseFileName("jr000042.seg"));
        Assert.Equal(-1, SegmentIndex.ParseFileName("jr00004x.seg"));
        Assert.Equal(-1, SegmentIndex.ParseFileName("board.cfg"));
        Assert.Equal(-1, SegmentIndex.ParseFileName("jr000042.bak"));
    }

    [Fact]
    public void Status_ReportsCapacityAndFill()
    {
        var journal = Open(segmentBytes: 1000, capacity: 10_000);
        AppendCommitted(journal, 1, 10);

        Assert.Equal(10_000, journal.CapacityBytes);
        Assert.Equal(SegmentHeader.Bytes + (10 * RecordBytes), journal.UsedBytes);
        Assert.Equal((SegmentHeader.Bytes + (10 * RecordBytes)) * 1000 / 10_000, journal.FillPermille);
        Assert.Equal(1, journal.FirstSequence);
        Assert.Equal(10, journal.LastSequence);
        Assert.Equal(10, journal.UnacknowledgedCount);
    }

    internal static List<Passing> ReadAll(PassingJournal journal)
    {
        var cursor = journal.CreateCursor();
        var all = new List<Passing>();
        var p = new Passing();
        while (cursor.TryRead(p))
        {
            var copy = new Passing();
            copy.CopyFrom(p);
            all.Add(copy);
        }

        return all;
    }

    private static byte[] FrameOf(Passing p, long sequence)
    {
        var frame = new byte[JournalFrame.MaxBytes];
        var body = PassingBody.Write(p, frame, JournalFrame.BodyOffset);
        return frame[..JournalFrame.Seal(frame, sequence, body)];
    }

    private static void AppendCommitted(PassingJournal journal, int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            Assert.True(journal.Append(SamplePassings.Make(i)), $"append {i}");
        }

        Assert.True(journal.Commit());
    }

    private PassingJournal Open(int segmentBytes = 64 * 1024, long capacity = 1024 * 1024, bool keepAcknowledged = true)
    {
        var journal = new PassingJournal(_store, new JournalOptions(7) { SegmentBytes = segmentBytes, CapacityBytes = capacity, KeepAcknowledged = keepAcknowledged, NewJournalId = 0x1234 });
        Assert.True(journal.Open());
        return journal;
    }

    private byte[] Read(string name)
    {
        var bytes = new byte[_store.GetLength(name)];
        _store.Read(name, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private void Rewrite(string name, byte[] bytes)
    {
        _store.Delete(name);
        _store.Append(name, bytes, 0, bytes.Length);
        _store.Flush(name);
    }
}
