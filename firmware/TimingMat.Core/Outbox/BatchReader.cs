using TimingMat.Core.Common;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// Checks a received batch (format v1) and walks its passings: what the collector runs on every message.
    /// </summary>
    /// <remarks>
    /// <see cref="Load"/> accepts a batch only when everything agrees: version, lengths, record count, every record's
    /// EPC length and the CRC. A rejected batch stores nothing; the unit re-sends it because no ack comes back.
    /// </remarks>
    public sealed class BatchReader
    {
        private byte[] _data;
        private int _length;
        private int _position;
        private int _index;

        /// <summary>Gets why the last <see cref="Load"/> failed, or <c>null</c> when it succeeded.</summary>
        public string Error { get; private set; }

        /// <summary>Gets the flag bits.</summary>
        public int Flags { get; private set; }

        /// <summary>Gets a value indicating whether the batch answers a replay request.</summary>
        public bool IsReplay
        {
            get { return (Flags & BatchFormat.FlagReplay) != 0; }
        }

        /// <summary>Gets the unit id.</summary>
        public int UnitId { get; private set; }

        /// <summary>Gets the journal id.</summary>
        public int JournalId { get; private set; }

        /// <summary>Gets the first record's sequence number.</summary>
        public long FirstSequence { get; private set; }

        /// <summary>Gets the last record's sequence number.</summary>
        public long LastSequence
        {
            get { return FirstSequence + Count - 1; }
        }

        /// <summary>Gets the unit's acknowledged mark when it sent the batch.</summary>
        public long AckedSequence { get; private set; }

        /// <summary>Gets the number of records.</summary>
        public int Count { get; private set; }

        /// <summary>Checks a batch and positions at its first record.</summary>
        /// <param name="data">The message payload.</param>
        /// <param name="length">Its length.</param>
        /// <returns><c>true</c> when the batch is valid; otherwise <see cref="Error"/> says why.</returns>
        public bool Load(byte[] data, int length)
        {
            _data = data;
            _length = length;
            _index = 0;
            _position = BatchFormat.HeaderBytes;
            Count = 0;
            if (length < BatchFormat.HeaderBytes)
            {
                return Fail("shorter than the 32-byte header");
            }

            if (data[0] != BatchFormat.Version)
            {
                return Fail("format version " + data[0].ToString() + " is not 1");
            }

            int recordBytes = LittleEndian.ReadUInt16(data, 26);
            int count = LittleEndian.ReadUInt16(data, 24);
            if (BatchFormat.HeaderBytes + recordBytes != length)
            {
                return Fail("length does not match the header");
            }

            if (count == 0)
            {
                return Fail("no records");
            }

            uint crc = Crc32.Update(Crc32.Initial, data, 0, 28);
            crc = Crc32.Update(crc, data, BatchFormat.HeaderBytes, recordBytes);
            if (Crc32.Finish(crc) != LittleEndian.ReadUInt32(data, 28))
            {
                return Fail("CRC mismatch");
            }

            int position = BatchFormat.HeaderBytes;
            for (int i = 0; i < count; i++)
            {
                int bodyLength = PassingBody.LengthAt(data, position, length - position);
                if (bodyLength < 0 || position + bodyLength > length)
                {
                    return Fail("record " + i.ToString() + " is cut short");
                }

                position += bodyLength;
            }

            if (position != length)
            {
                return Fail("bytes after the last record");
            }

            Flags = data[1];
            UnitId = LittleEndian.ReadUInt16(data, 2);
            JournalId = LittleEndian.ReadInt32(data, 4);
            FirstSequence = LittleEndian.ReadInt64(data, 8);
            AckedSequence = LittleEndian.ReadInt64(data, 16);
            if (FirstSequence < 1)
            {
                return Fail("first sequence number below 1");
            }

            Count = count;
            Error = null;
            return true;
        }

        /// <summary>Reads the next record of a loaded batch.</summary>
        /// <param name="passing">Destination; every field is set, <see cref="Passing.Sequence"/> and <see cref="Passing.UnitId"/> included.</param>
        /// <returns><c>true</c> when a record was read; <c>false</c> after the last.</returns>
        public bool TryRead(Passing passing)
        {
            if (_index >= Count)
            {
                return false;
            }

            int length = PassingBody.Read(_data, _position, _length - _position, passing);
            if (length < 0)
            {
                // Load checked the lengths; an impossible kind or clock state is the only way here.
                Error = "record " + _index.ToString() + " holds an unknown kind or clock state";
                _index = Count;
                return false;
            }

            passing.Sequence = FirstSequence + _index;
            passing.UnitId = UnitId;
            _position += length;
            _index++;
            return true;
        }

        /// <summary>Gets where the next record's body starts in the payload and how long it is (for storing the raw bytes).</summary>
        /// <param name="offset">Offset of the next record's body.</param>
        /// <param name="length">Its length.</param>
        /// <returns><c>false</c> after the last record.</returns>
        public bool PeekBody(out int offset, out int length)
        {
            offset = _position;
            length = _index < Count ? PassingBody.LengthAt(_data, _position, _length - _position) : 0;
            return _index < Count;
        }

        private bool Fail(string error)
        {
            Error = error;
            Count = 0;
            return false;
        }
    }
}
