using System.IO;
using TimingMat.Core.Hardware;
using TimingMat.Core.Passings;

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
    /// <para>Segment files are named <c>jr000001.seg</c> … (8.3 names suit the SD card's FAT).</para>
    /// </remarks>
    public sealed class PassingJournal
    {
        private const int MaxSegmentNumber = 999999;
        private const int FullRetryEvery = 64;

        private readonly IFileStore _store;
        private readonly JournalOptions _options;
        private readonly AckMark _ackMark;
        private readonly byte[] _frame = new byte[JournalFrame.MaxBytes];
        private readonly byte[] _header = new byte[SegmentHeader.Bytes];

        private int[] _segmentNumbers;
        private long[] _segmentFirst;
        private long[] _segmentLength;
        private string[] _segmentNames;
        private int _segmentCount;
        private int _maxSegments;
        private int _nextSegmentNumber;

        private long _nextSequence;
        private long _lastSequence;

        // Read by the outbox at every poll: fields, not properties (a property is a call on the device).
        internal long durableSequence;
        internal long ackedSequence;
        private long _savedAckedSequence;
        private bool _unflushed;
        private bool _needsRepair;
        private bool _rotateBeforeAppend;
        private long _ackedAtFullCheck;
        private int _fullRetries;

        /// <summary>Initializes a new instance of the <see cref="PassingJournal"/> class; call <see cref="Open"/> next.</summary>
        /// <param name="store">Where the segment files live.</param>
        /// <param name="options">Sizes and retention.</param>
        public PassingJournal(IFileStore store, JournalOptions options)
        {
            _store = store;
            _options = options;
            _ackMark = new AckMark(store);
            UnitId = options.UnitId;

            // Builds the CRC-32 table now (~40,000 IL on the device), not in the poll that journals the first passing.
            Crc32.Compute(_frame, 0, 0);
        }

        /// <summary>Gets a value indicating whether <see cref="Open"/> succeeded.</summary>
        public bool IsOpen { get; private set; }

        /// <summary>Gets the unit id (from the newest segment header, else the options).</summary>
        public int UnitId { get; private set; }

        /// <summary>Gets the journal's id, chosen when it was created on an empty medium.</summary>
        public int JournalId { get; private set; }

        /// <summary>Gets the oldest sequence number still stored (<see cref="NextSequence"/> when none is).</summary>
        public long FirstSequence
        {
            get { return _segmentCount > 0 ? _segmentFirst[0] : _nextSequence; }
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
            get { return (long)_maxSegments * _options.SegmentBytes; }
        }

        /// <summary>Gets the bytes the segment files occupy.</summary>
        public long UsedBytes
        {
            get
            {
                long used = 0;
                for (int i = 0; i < _segmentCount; i++)
                {
                    used += _segmentLength[i];
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
            get { return _segmentCount; }
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

        /// <summary>Makes a segment file name.</summary>
        /// <param name="number">Segment number, 1–999999.</param>
        /// <returns>The name, e.g. <c>jr000042.seg</c>.</returns>
        public static string SegmentFileName(int number)
        {
            return "jr" + number.ToString("D6") + ".seg";
        }

        /// <summary>Parses a segment file name.</summary>
        /// <param name="name">File name.</param>
        /// <returns>The segment number, or −1 when the name is not a segment's.</returns>
        public static int ParseSegmentFileName(string name)
        {
            if (name.Length != 12 || !name.StartsWith("jr") || !name.EndsWith(".seg"))
            {
                return -1;
            }

            int number = 0;
            for (int i = 2; i < 8; i++)
            {
                char c = name[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                number = (number * 10) + (c - '0');
            }

            return number;
        }

        /// <summary>Finds the segments, recovers from a power cut and gets ready to append.</summary>
        /// <returns><c>true</c> when the journal is usable; <c>false</c> when the medium failed (<see cref="StorageFault"/>).</returns>
        public bool Open()
        {
            try
            {
                OpenSegments();
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
            int last = _segmentCount - 1;
            if (_rotateBeforeAppend || last < 0 || _segmentLength[last] + frameLength > _options.SegmentBytes)
            {
                if (!Rotate())
                {
                    RefusedAppends++;
                    return false;
                }

                last = _segmentCount - 1;
            }

            long sequence = _nextSequence;
            JournalFrame.Seal(_frame, sequence, bodyLength);
            try
            {
                _store.Append(_segmentNames[last], _frame, 0, frameLength);
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
            _segmentLength[last] += frameLength;
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
                _store.Flush(_segmentNames[_segmentCount - 1]);
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

            if (!SaveAckMark())
            {
                return false;
            }

            if (!_options.KeepAcknowledged)
            {
                while (OldestSegmentIsAcknowledged())
                {
                    if (!DeleteOldestSegment())
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>Creates a cursor at the oldest stored record.</summary>
        /// <returns>A new cursor (allocates its read-ahead buffer).</returns>
        public JournalCursor CreateCursor()
        {
            return new JournalCursor(this, _options.CursorBufferBytes);
        }

        /// <summary>Gets the index of the segment that holds a sequence number.</summary>
        /// <param name="sequence">Sequence number.</param>
        /// <returns>The index of the last segment whose first sequence number is at most <paramref name="sequence"/>, the first segment when all start later, −1 when there is none.</returns>
        internal int FindSegment(long sequence)
        {
            if (_segmentCount == 0)
            {
                return -1;
            }

            for (int i = _segmentCount - 1; i > 0; i--)
            {
                if (_segmentFirst[i] <= sequence)
                {
                    return i;
                }
            }

            return 0;
        }

        /// <summary>Gets the table index of a segment number.</summary>
        /// <param name="number">Segment number.</param>
        /// <returns>The index, or −1 when the segment is gone.</returns>
        internal int IndexOfSegment(int number)
        {
            for (int i = _segmentCount - 1; i >= 0; i--)
            {
                if (_segmentNumbers[i] == number)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Gets the number of the segment at a table index.</summary>
        /// <param name="index">Table index, oldest first.</param>
        /// <returns>The segment number.</returns>
        internal int SegmentNumber(int index)
        {
            return _segmentNumbers[index];
        }

        /// <summary>Gets the file name of the segment at a table index.</summary>
        /// <param name="index">Table index.</param>
        /// <returns>The file name.</returns>
        internal string SegmentName(int index)
        {
            return _segmentNames[index];
        }

        /// <summary>Gets the first sequence number of the segment at a table index.</summary>
        /// <param name="index">Table index.</param>
        /// <returns>The sequence number.</returns>
        internal long SegmentFirstSequence(int index)
        {
            return _segmentFirst[index];
        }

        private static void SortAscending(int[] values, int count)
        {
            for (int i = 1; i < count; i++)
            {
                int value = values[i];
                int j = i - 1;
                while (j >= 0 && values[j] > value)
                {
                    values[j + 1] = values[j];
                    j--;
                }

                values[j + 1] = value;
            }
        }

        private void OpenSegments()
        {
            string[] names = _store.List();
            int[] numbers = new int[names.Length];
            int found = 0;
            for (int i = 0; i < names.Length; i++)
            {
                int number = ParseSegmentFileName(names[i]);
                if (number >= 0)
                {
                    numbers[found++] = number;
                }
            }

            SortAscending(numbers, found);
            _maxSegments = (int)(_options.CapacityBytes / _options.SegmentBytes);
            if (_maxSegments < 2)
            {
                _maxSegments = 2;
            }

            int tableSize = (found > _maxSegments ? found : _maxSegments) + 1;
            _segmentNumbers = new int[tableSize];
            _segmentFirst = new long[tableSize];
            _segmentLength = new long[tableSize];
            _segmentNames = new string[tableSize];
            _segmentCount = 0;
            _nextSegmentNumber = found > 0 ? numbers[found - 1] + 1 : 1;

            SegmentReader reader = new SegmentReader(_store, _options.CursorBufferBytes);
            bool haveJournalId = false;
            for (int i = found - 1; i >= 0; i--)
            {
                // Newest first: the newest valid header names the journal; older segments of another journal are foreign.
                string name = SegmentFileName(numbers[i]);
                int read = _store.Read(name, 0, _header, 0, SegmentHeader.Bytes);
                long length = _store.GetLength(name);
                long first;
                if (SegmentHeader.IsValid(_header, read))
                {
                    if (haveJournalId && SegmentHeader.JournalId(_header) != JournalId)
                    {
                        DamagedSegments++;
                        continue;
                    }

                    if (!haveJournalId)
                    {
                        haveJournalId = true;
                        JournalId = SegmentHeader.JournalId(_header);
                        UnitId = SegmentHeader.UnitId(_header);
                    }

                    first = SegmentHeader.FirstSequence(_header);
                }
                else if (!FindFirstRecord(reader, name, out first))
                {
                    if (_segmentCount == 0)
                    {
                        // The newest segment's header was torn while rotating: it never held a record.
                        _store.Delete(name);
                        TruncatedBytes += length;
                    }
                    else
                    {
                        DamagedSegments++;
                    }

                    continue;
                }
                else
                {
                    DamagedSegments++;
                }

                InsertOldest(numbers[i], name, first, length);
            }

            if (_segmentCount == 0)
            {
                CreateJournal();
                return;
            }

            if (!haveJournalId)
            {
                JournalId = _options.NewJournalId;
            }

            RecoverNewestSegment(reader);
            long saved = _ackMark.Load(JournalId);
            _savedAckedSequence = saved;
            ackedSequence = saved;
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

        private void CreateJournal()
        {
            JournalId = _options.NewJournalId == 0 ? 1 : _options.NewJournalId;
            UnitId = _options.UnitId;
            _ackMark.Clear();
            _nextSequence = 1;
            _lastSequence = 0;
            durableSequence = 0;
            ackedSequence = 0;
            _savedAckedSequence = 0;
            _rotateBeforeAppend = true;
        }

        private void InsertOldest(int number, string name, long first, long length)
        {
            for (int j = _segmentCount; j > 0; j--)
            {
                _segmentNumbers[j] = _segmentNumbers[j - 1];
                _segmentNames[j] = _segmentNames[j - 1];
                _segmentFirst[j] = _segmentFirst[j - 1];
                _segmentLength[j] = _segmentLength[j - 1];
            }

            _segmentNumbers[0] = number;
            _segmentNames[0] = name;
            _segmentFirst[0] = first;
            _segmentLength[0] = length;
            _segmentCount++;
        }

        private bool FindFirstRecord(SegmentReader reader, string name, out long first)
        {
            reader.Reset(name);
            long length = _store.GetLength(name);
            for (long position = 0; position < length; position++)
            {
                int frameLength;
                if (reader.CheckAt(position, out first, out frameLength) == JournalFrame.Valid)
                {
                    return true;
                }
            }

            first = 0;
            return false;
        }

        private void RecoverNewestSegment(SegmentReader reader)
        {
            int last = _segmentCount - 1;
            string name = _segmentNames[last];
            long length = _segmentLength[last];
            long expected = _segmentFirst[last];
            long highest = expected - 1;
            long position = SegmentHeader.Bytes;
            long validEnd = -1;
            bool damaged = false;
            reader.Reset(name);
            while (position < length)
            {
                long sequence;
                int frameLength;
                int result = reader.CheckAt(position, out sequence, out frameLength);
                if (result == JournalFrame.Valid && sequence > highest)
                {
                    if (validEnd >= 0)
                    {
                        // A valid record after bad bytes: damage, not a torn tail. Keep every byte.
                        damaged = true;
                    }

                    highest = sequence;
                    RecoveredRecords++;
                    position += frameLength;
                    continue;
                }

                // Bad or cut-short bytes: a torn tail when nothing valid follows, damage when something does.
                if (validEnd < 0)
                {
                    validEnd = position;
                }

                position++;
            }

            if (damaged)
            {
                // Never append after damaged bytes: the next record opens a new segment.
                DamagedSegments++;
                _rotateBeforeAppend = true;
            }
            else if (validEnd >= 0 && validEnd < length)
            {
                _store.Truncate(name, validEnd);
                TruncatedBytes += length - validEnd;
                _segmentLength[last] = validEnd;
            }

            _lastSequence = highest;
            durableSequence = highest;
            _nextSequence = highest + 1;
        }

        private bool Repair()
        {
            int last = _segmentCount - 1;
            try
            {
                if (_store.GetLength(_segmentNames[last]) > _segmentLength[last])
                {
                    _store.Truncate(_segmentNames[last], _segmentLength[last]);
                }
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
            if (_segmentCount > 0 && !Commit())
            {
                return false;
            }

            if (!MakeRoom())
            {
                FullAlarm = true;
                return false;
            }

            int number = _nextSegmentNumber;
            if (number > MaxSegmentNumber)
            {
                FullAlarm = true;
                return false;
            }

            string name = SegmentFileName(number);
            SegmentHeader.Write(_header, UnitId, number, JournalId, _nextSequence);
            try
            {
                _store.Delete(name);
                _store.Append(name, _header, 0, SegmentHeader.Bytes);
                _store.Flush(name);
            }
            catch (IOException)
            {
                StorageFault = true;
                try
                {
                    _store.Delete(name);
                }
                catch (IOException)
                {
                    // Start-up deletes a newest segment with a torn header.
                }

                return false;
            }

            _segmentNumbers[_segmentCount] = number;
            _segmentNames[_segmentCount] = name;
            _segmentFirst[_segmentCount] = _nextSequence;
            _segmentLength[_segmentCount] = SegmentHeader.Bytes;
            _segmentCount++;
            _nextSegmentNumber = number + 1;
            _rotateBeforeAppend = false;
            FullAlarm = false;
            StorageFault = false;
            return true;
        }

        private bool MakeRoom()
        {
            if (FullAlarm && ackedSequence == _ackedAtFullCheck && (++_fullRetries % FullRetryEvery) != 0)
            {
                // Nothing was acknowledged since the journal filled up: do not ask the medium again on every poll.
                return false;
            }

            _ackedAtFullCheck = ackedSequence;
            while (true)
            {
                bool segmentsLeft = _segmentCount + 1 <= _maxSegments;
                long free;
                try
                {
                    free = _store.GetFreeBytes();
                }
                catch (IOException)
                {
                    StorageFault = true;
                    return false;
                }

                if (segmentsLeft && free >= _options.SegmentBytes + _options.ReserveFreeBytes)
                {
                    return true;
                }

                if (!OldestSegmentIsAcknowledged() || !SaveAckMark() || !DeleteOldestSegment())
                {
                    return false;
                }
            }
        }

        private bool SaveAckMark()
        {
            if (ackedSequence == _savedAckedSequence)
            {
                return true;
            }

            try
            {
                _ackMark.Save(JournalId, ackedSequence);
            }
            catch (IOException)
            {
                StorageFault = true;
                return false;
            }

            _savedAckedSequence = ackedSequence;
            return true;
        }

        private bool OldestSegmentIsAcknowledged()
        {
            // The newest segment is never deleted; an older one is done when the next one starts after the acked mark.
            return _segmentCount >= 2 && _segmentFirst[1] - 1 <= ackedSequence;
        }

        private bool DeleteOldestSegment()
        {
            try
            {
                _store.Delete(_segmentNames[0]);
            }
            catch (IOException)
            {
                StorageFault = true;
                return false;
            }

            for (int j = 1; j < _segmentCount; j++)
            {
                _segmentNumbers[j - 1] = _segmentNumbers[j];
                _segmentNames[j - 1] = _segmentNames[j];
                _segmentFirst[j - 1] = _segmentFirst[j];
                _segmentLength[j - 1] = _segmentLength[j];
            }

            _segmentCount--;
            _segmentNames[_segmentCount] = null;
            return true;
        }
    }
}
