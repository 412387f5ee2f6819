using TimingMat.Core.Passings;

namespace TimingMat.Core.Journal
{
    /// <summary>
    /// A read position in a <see cref="PassingJournal"/>: walks records oldest first, by sequence number, and only
    /// hands out durable ones (flushed by <see cref="PassingJournal.Commit"/>), so nothing leaves the unit that a power
    /// cut could still take back.
    /// </summary>
    /// <remarks>
    /// Each cursor has its own read-ahead buffer; the outbox keeps one for live passings, one for the backlog and
    /// replays. A cursor whose segment is deleted (acknowledged records pruned) moves to the oldest record left.
    /// Damaged bytes are skipped by scanning for the next valid record.
    /// </remarks>
    public sealed class JournalCursor
    {
        private readonly PassingJournal _journal;
        private readonly SegmentIndex _segments;
        private readonly SegmentReader _reader;
        private readonly byte[] _body;
        private int _segmentNumber;
        private long _position;
        private long _nextSequence;

        /// <summary>Initializes a new instance of the <see cref="JournalCursor"/> class at the oldest record.</summary>
        /// <param name="journal">The open journal.</param>
        /// <param name="bufferBytes">Read-ahead buffer size.</param>
        internal JournalCursor(PassingJournal journal, int bufferBytes)
        {
            _journal = journal;
            _segments = journal.segments;
            _reader = new SegmentReader(journal.Store, bufferBytes);
            _body = new byte[PassingBody.MaxBytes];
            _segmentNumber = -1;
            Seek(journal.FirstSequence);
        }

        /// <summary>Gets the sequence number the next read returns (when no record is missing).</summary>
        public long NextSequence
        {
            get { return _nextSequence; }
        }

        /// <summary>Moves to a sequence number, clamped to the records the journal holds (oldest … last + 1).</summary>
        /// <param name="sequence">The sequence number the next read should return.</param>
        public void Seek(long sequence)
        {
            long first = _journal.FirstSequence;
            long end = _journal.LastSequence + 1;
            if (sequence < first)
            {
                sequence = first;
            }

            if (sequence > end)
            {
                sequence = end;
            }

            int index = _segments.Find(sequence);
            if (index < 0)
            {
                _segmentNumber = -1;
                _nextSequence = sequence;
                return;
            }

            Enter(index);
            _nextSequence = _segments.firstSequences[index];
            int bodyLength;
            long found;
            while (_nextSequence < sequence && Next(null, 0, sequence - 1, out bodyLength, out found))
            {
            }
        }

        /// <summary>Reads the next durable record's body (the bytes a batch carries).</summary>
        /// <param name="destination">Buffer with room for <see cref="PassingBody.MaxBytes"/>.</param>
        /// <param name="offset">First byte written.</param>
        /// <param name="bodyLength">The body's length.</param>
        /// <param name="sequence">The record's sequence number.</param>
        /// <returns><c>true</c> when a record was read; <c>false</c> when no durable record is left.</returns>
        public bool TryReadBody(byte[] destination, int offset, out int bodyLength, out long sequence)
        {
            bodyLength = 0;
            sequence = 0;
            // The journal's field, not its property: this runs for every record the outbox sends (a call on the device).
            if (_nextSequence > _journal.durableSequence)
            {
                return false;
            }

            if (_segmentNumber < 0 || _segments.IndexOf(_segmentNumber) < 0)
            {
                // Never positioned, or its segment was pruned: start again from the oldest record at or after ours.
                Seek(_nextSequence);
                if (_segmentNumber < 0)
                {
                    return false;
                }
            }

            return Next(destination, offset, _journal.durableSequence, out bodyLength, out sequence);
        }

        /// <summary>Reads the next durable record as a passing.</summary>
        /// <param name="passing">Destination; every field is set, <see cref="Passing.Sequence"/> and <see cref="Passing.UnitId"/> included.</param>
        /// <returns><c>true</c> when a record was read; <c>false</c> when no durable record is left.</returns>
        public bool TryRead(Passing passing)
        {
            int bodyLength;
            long sequence;
            if (!TryReadBody(_body, 0, out bodyLength, out sequence))
            {
                return false;
            }

            PassingBody.Read(_body, 0, bodyLength, passing);
            passing.Sequence = sequence;
            passing.UnitId = _journal.UnitId;
            return true;
        }

        private void Enter(int index)
        {
            SegmentIndex segments = _segments;
            _segmentNumber = segments.numbers[index];
            _reader.Reset(segments.NameAt(index));
            _position = SegmentHeader.Bytes;
        }

        private bool Next(byte[] destination, int offset, long limit, out int bodyLength, out long sequence)
        {
            bodyLength = 0;
            sequence = 0;
            while (true)
            {
                long found;
                int length;
                int result = _reader.CheckAt(_position, out found, out length);
                if (result == JournalFrame.Valid)
                {
                    if (found < _nextSequence)
                    {
                        _position += length;
                        continue;
                    }

                    if (found > limit)
                    {
                        return false;
                    }

                    bodyLength = length - JournalFrame.OverheadBytes;
                    if (destination != null)
                    {
                        _reader.CopyBody(_position, bodyLength, destination, offset);
                    }

                    _position += length;
                    _nextSequence = found + 1;
                    sequence = found;
                    return true;
                }

                if (result == JournalFrame.Invalid)
                {
                    // Damage inside a segment (never a torn tail: those are cut at start-up): look for the next record.
                    _position++;
                    continue;
                }

                int index = _segments.IndexOf(_segmentNumber);
                if (index < 0 || index + 1 >= _segments.count)
                {
                    return false;
                }

                Enter(index + 1);
            }
        }
    }
}
