using System.IO;
using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Passings;

// A little over 400 lines: the journal's whole contract with the ring and the outbox (append, commit, read, acknowledge,
// prune) in one place; the segment table, the start-up scan and the segment files are their own types.
namespace TimingMat.Core.Journal
{
    /// <summary>
    /// The unit's never-delete passing file: append-only, CRC-framed records in fixed-size segment files on a file
    /// store (internal flash <c>I:\</c>, SD card <c>D:\</c>, a folder on desktop). It assigns every passing its
    /// sequence number, continuing across reboots.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Durability: <see cref="Append"/> writes, <see cref="Commit"/> flushes; only committed records count as durable
    /// (<see cref="DurableSequence"/>) and only those are read out by cursors, so a sequence number is never seen
    /// outside the unit before a power cut can no longer take it back, and therefore never reused for another passing.
    /// </para>
    /// <para>
    /// Start-up (<see cref="Open"/>): reads every segment header, deletes a newest segment whose header was torn
    /// (it holds no record), scans the newest segment record by record and truncates a torn tail. Records are never
    /// deleted before the collector acknowledged them; acknowledged ones stay as the unit's own backup until their
    /// space is needed (<see cref="JournalOptions.KeepAcknowledged"/>), oldest segment first. When nothing can be
    /// freed the journal is full: <see cref="Append"/> refuses (the ring holds the passings back) and
    /// <see cref="FullAlarm"/> is raised.
    /// </para>
    /// <para>
    /// Segment files are named <c>jr000001.seg</c> … (8.3 names suit the SD card's FAT). The journal numbers, frames and
    /// commits records and keeps the acknowledged mark; its parts: <see cref="SegmentIndex"/> (the table of segments),
    /// <see cref="JournalRecovery"/> (the start-up scan), <see cref="SegmentFiles"/> (rotation, repair and pruning).
    /// </para>
    /// </remarks>
    public sealed class PassingJournal
    {
        private readonly IFileStore _store;
        private readonly JournalOptions _options;
        private readonly SegmentFiles _files;

        // The record being appended, allocated once.
        private readonly byte[] _frame = new byte[JournalFrame.MaxBytes];

        private long _nextSequence;
        private long _lastSequence;

        // Read by the outbox at every poll: fields, not properties (a property is a call on the device).
        internal long durableSequence;
        internal long ackedSequence;

        // The segment files, oldest first; the cursors read it too (allocated here, sized by Open).
        internal readonly SegmentIndex segments = new SegmentIndex();

        private int _journalId;
        private bool _unflushed;
        private bool _needsRepair;
        private bool _rotateBeforeAppend;

        /// <summary>Initializes a new instance of the <see cref="PassingJournal"/> class; call <see cref="Open"/> next.</summary>
        /// <param name="store">Where the segment files live.</param>
        /// <param name="options">Sizes and retention.</param>
        public PassingJournal(IFileStore store, JournalOptions options)
        {
            _store = store;
            _options = options;
            _files = new SegmentFiles(store, segments, options);
            UnitId = options.UnitId;

            // Builds the CRC-32 table now (~40,000 IL on the device), not in the poll that journals the first passing.
            Crc32.Compute(_frame, 0, 0);
        }

        /// <summary>Gets a value indicating whether <see cref="Open"/> succeeded.</summary>
        public bool IsOpen { get; private set; }

        /// <summary>Gets the unit id (from the newest segment header, else the options).</summary>
        public int UnitId { get; private set; }

        /// <summary>Gets the journal's id, chosen when it was created on an empty medium.</summary>
        public int JournalId
        {
            get { return _journalId; }
        }

        /// <summary>Gets the oldest sequence number still stored (<see cref="NextSequence"/> when none is).</summary>
        public long FirstSequence
        {
            get { return segments.count > 0 ? segments.firstSequences[0] : _nextSequence; }
        }

        /// <summary>Gets the sequence number of the last record appended (0 before the first).</summary>
        public long LastSequence
        {
            get { return _lastSequence; }
        }

        /// <summary>Gets the sequence number of the last record made durable by <see cref="Commit"/>.</summary>
        public long DurableSequence
        {
            get { return durableSequence; }
        }

        /// <summary>Gets the sequence number the next appended passing gets.</summary>
        public long NextSequence
        {
            get { return _nextSequence; }
        }

        /// <summary>Gets the collector's acknowledged sequence number: every record up to it is stored at the collector.</summary>
        public long AckedSequence
        {
            get { return ackedSequence; }
        }

        /// <summary>Gets the number of durable records not yet acknowledged.</summary>
        public long UnacknowledgedCount
        {
            get { return durableSequence - ackedSequence; }
        }

        /// <summary>Gets the most bytes the journal may occupy.</summary>
        public long CapacityBytes
        {
            get { return (long)segments.maxSegments * _options.SegmentBytes; }
        }

        /// <summary>Gets the bytes the segment files occupy.</summary>
        public long UsedBytes
        {
            get
            {
                long[] lengths = segments.lengths;
                long used = 0;
                for (int i = segments.count - 1; i >= 0; i--)
                {
                    used += lengths[i];
                }

                return used;
            }
        }

        /// <summary>Gets how full the journal is, in tenths of a percent (0–1000).</summary>
        public int FillPermille
        {
            get
            {
                long capacity = CapacityBytes;
                return capacity <= 0 ? 0 : (int)(UsedBytes * 1000 / capacity);
            }
        }

        /// <summary>Gets the number of segment files in use.</summary>
        public int SegmentCount
        {
            get { return segments.count; }
        }

        /// <summary>Gets a value indicating whether the journal refused a passing because no space could be freed.</summary>
        public bool FullAlarm { get; private set; }

        /// <summary>Gets a value indicating whether the last write, flush or delete on the medium failed.</summary>
        public bool StorageFault { get; private set; }

        /// <summary>Gets the number of appends refused (full journal or failed medium) since start.</summary>
        public int RefusedAppends { get; private set; }

        /// <summary>Gets the number of segments found damaged at start-up (kept on the medium, never deleted).</summary>
        public int DamagedSegments { get; private set; }

        /// <summary>Gets the number of torn bytes cut off at start-up.</summary>
        public long TruncatedBytes { get; private set; }

        /// <summary>Gets the number of records found in the newest segment at start-up.</summary>
        public int RecoveredRecords { get; private set; }

        /// <summary>Gets the file store (for cursors).</summary>
        internal IFileStore Store
        {
            get { return _store; }
        }

        /// <summary>Finds the segments, recovers from a power cut and gets ready to append.</summary>
        /// <returns><c>true</c> when the journal is usable; <c>false</c> when the medium failed (<see cref="StorageFault"/>).</returns>
        public bool Open()
        {
            JournalRecovery recovery = new JournalRecovery(_store, _options, segments, _files.header, JournalId, UnitId);
            try
            {
                try
                {
                    recovery.Run();
                }
                finally
                {
                    // What the scan found before a failing medium stopped it is reported all the same.
                    _journalId = recovery.journalId;
                    UnitId = recovery.unitId;
                    DamagedSegments += recovery.damagedSegments;
                    TruncatedBytes += recovery.truncatedBytes;
                    RecoveredRecords += recovery.recoveredRecords;
                }

                if (segments.count == 0)
                {
                    CreateJournal();
                }
                else
                {
                    Resume(recovery);
                }

                IsOpen = true;
                StorageFault = false;
            }
            catch (IOException)
            {
                IsOpen = false;
                StorageFault = true;
            }

            return IsOpen;
        }

        /// <summary>
        /// Appends a passing and assigns its <see cref="Passing.Sequence"/>. The record is durable only after the next
        /// successful <see cref="Commit"/>.
        /// </summary>
        /// <param name="passing">The passing; its sequence number is set on success.</param>
        /// <returns><c>true</c> when appended; <c>false</c> when the journal is full, not open or the medium failed (offer it again later).</returns>
        public bool Append(Passing passing)
        {
            if (!IsOpen || (_needsRepair && !Repair()))
            {
                RefusedAppends++;
                return false;
            }

            int bodyLength = PassingBody.Write(passing, _frame, JournalFrame.BodyOffset);
            int frameLength = bodyLength + JournalFrame.OverheadBytes;
            SegmentIndex index = segments;
            int last = index.count - 1;
            if (_rotateBeforeAppend || last < 0 || index.lengths[last] + frameLength > index.segmentBytes)
            {
                if (!Rotate())
                {
                    RefusedAppends++;
                    return false;
                }

                last = index.count - 1;
            }

            long sequence = _nextSequence;
            JournalFrame.Seal(_frame, sequence, bodyLength);
            try
            {
                _store.Append(index.newestName, _frame, 0, frameLength);
            }
            catch (IOException)
            {
                // Part of the record may have reached the file: cut it back before the next append.
                _needsRepair = true;
                StorageFault = true;
                RefusedAppends++;
                return false;
            }

            StorageFault = false;
            index.lengths[last] += frameLength;
            _nextSequence = sequence + 1;
            _lastSequence = sequence;
            _unflushed = true;
            passing.Sequence = sequence;
            return true;
        }

        /// <summary>Flushes the records appended since the last commit; they become durable.</summary>
        /// <returns><c>true</c> when everything appended is durable.</returns>
        public bool Commit()
        {
            if (!_unflushed)
            {
                return true;
            }

            try
            {
                _store.Flush(segments.newestName);
            }
            catch (IOException)
            {
                StorageFault = true;
                return false;
            }

            _unflushed = false;
            durableSequence = _lastSequence;
            return true;
        }

        /// <summary>Records the collector's acknowledgement: every record up to a sequence number is stored there.</summary>
        /// <param name="sequence">The collector's highest contiguous stored sequence number.</param>
        /// <returns><c>true</c> when the acknowledged sequence number moved forward.</returns>
        /// <remarks>Acknowledgements never go backwards and never beyond <see cref="DurableSequence"/>.</remarks>
        public bool Acknowledge(long sequence)
        {
            if (sequence > durableSequence)
            {
                sequence = durableSequence;
            }

            if (sequence <= ackedSequence)
            {
                return false;
            }

            ackedSequence = sequence;
            return true;
        }

        /// <summary>
        /// Saves the acknowledged sequence number to the medium when it changed, then, unless acknowledged records are
        /// kept, deletes the segments that hold only acknowledged records. Call it every few seconds.
        /// </summary>
        /// <returns><c>true</c> when the saved mark is current.</returns>
        public bool SaveAcknowledged()
        {
            if (!IsOpen)
            {
                return false;
            }

            try
            {
                if (ackedSequence != _files.savedAcked)
                {
                    // Checked here, not in the call: most saves find the mark unchanged (an idle unit's every one).
                    _files.SaveMark(_journalId, ackedSequence);
                }

                if (!_options.KeepAcknowledged)
                {
                    _files.DeleteAcknowledged(ackedSequence);
                }
            }
            catch (IOException)
            {
                StorageFault = true;
                return false;
            }

            return true;
        }

        /// <summary>Creates a cursor at the oldest stored record.</summary>
        /// <returns>A new cursor (allocates its read-ahead buffer).</returns>
        public JournalCursor CreateCursor()
        {
            return new JournalCursor(this, _options.CursorBufferBytes);
        }

        private void CreateJournal()
        {
            _journalId = _options.NewJournalId == 0 ? 1 : _options.NewJournalId;
            UnitId = _options.UnitId;
            _files.ClearMark();
            _nextSequence = 1;
            _lastSequence = 0;
            durableSequence = 0;
            ackedSequence = 0;
            _rotateBeforeAppend = true;
        }

        private void Resume(JournalRecovery recovery)
        {
            if (recovery.newestDamaged)
            {
                // Never append after damaged bytes: the next record opens a new segment.
                _rotateBeforeAppend = true;
            }

            long highest = recovery.lastSequence;
            _lastSequence = highest;
            durableSequence = highest;
            _nextSequence = highest + 1;
            ackedSequence = _files.LoadMark(JournalId);
            if (ackedSequence < FirstSequence - 1)
            {
                // Only acknowledged segments are ever deleted, so everything before the oldest one was acknowledged.
                ackedSequence = FirstSequence - 1;
            }

            if (ackedSequence > durableSequence)
            {
                ackedSequence = durableSequence;
            }
        }

        private bool Repair()
        {
            try
            {
                _files.CutTornAppend();
            }
            catch (IOException)
            {
                StorageFault = true;
                return false;
            }

            _needsRepair = false;
            return true;
        }

        private bool Rotate()
        {
            if (segments.count > 0 && !Commit())
            {
                return false;
            }

            bool room;
            try
            {
                room = _files.MakeRoom(JournalId, ackedSequence, FullAlarm);
            }
            catch (IOException)
            {
                StorageFault = true;
                room = false;
            }

            if (!room || segments.nextNumber > SegmentIndex.MaxNumber)
            {
                FullAlarm = true;
                return false;
            }

            try
            {
                _files.Create(UnitId, JournalId, _nextSequence);
            }
            catch (IOException)
            {
                StorageFault = true;
                return false;
            }

            _rotateBeforeAppend = false;
            FullAlarm = false;
            StorageFault = false;
            return true;
        }
    }
}
