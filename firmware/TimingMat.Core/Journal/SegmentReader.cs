using TimingMat.Core.Hardware;

namespace TimingMat.Core.Journal
{
    /// <summary>
    /// Reads journal records out of one segment file through a read-ahead buffer, so walking a segment costs one
    /// store read per buffer rather than two per record (a file open each on the device).
    /// </summary>
    internal sealed class SegmentReader
    {
        private readonly IFileStore _store;
        private readonly byte[] _buffer;
        private string _name;
        private long _bufferStart;
        private int _bufferLength;

        /// <summary>Initializes a new instance of the <see cref="SegmentReader"/> class.</summary>
        /// <param name="store">The journal's store.</param>
        /// <param name="bufferBytes">Read-ahead size; raised to one whole record if smaller.</param>
        public SegmentReader(IFileStore store, int bufferBytes)
        {
            _store = store;
            _buffer = new byte[bufferBytes < JournalFrame.MaxBytes ? JournalFrame.MaxBytes : bufferBytes];
        }

        /// <summary>Switches to a segment file and forgets the buffered bytes.</summary>
        /// <param name="name">Segment file name.</param>
        public void Reset(string name)
        {
            _name = name;
            _bufferLength = 0;
            _bufferStart = 0;
        }

        /// <summary>Checks the record at a byte position of the current segment.</summary>
        /// <param name="position">Byte position in the segment.</param>
        /// <param name="sequence">The record's sequence number when valid.</param>
        /// <param name="length">The record's length when valid.</param>
        /// <returns>
        /// <see cref="JournalFrame.Valid"/>; <see cref="JournalFrame.Invalid"/> when the bytes are not a record;
        /// <see cref="JournalFrame.Incomplete"/> when the file ends before a whole record.
        /// </returns>
        public int CheckAt(long position, out long sequence, out int length)
        {
            if (position < _bufferStart || position >= _bufferStart + _bufferLength)
            {
                Fill(position);
            }

            int offset = (int)(position - _bufferStart);
            int result = JournalFrame.Check(_buffer, offset, _bufferLength - offset, out sequence, out length);
            if (result == JournalFrame.Incomplete)
            {
                // The record straddles the end of the buffer, or the file has grown since: read again from its start.
                Fill(position);
                result = JournalFrame.Check(_buffer, 0, _bufferLength, out sequence, out length);
            }

            return result;
        }

        /// <summary>Copies the body of the record just found valid by <see cref="CheckAt"/>.</summary>
        /// <param name="position">The record's position, as passed to <see cref="CheckAt"/>.</param>
        /// <param name="bodyLength">The body's length (record length minus <see cref="JournalFrame.OverheadBytes"/>).</param>
        /// <param name="destination">Destination buffer.</param>
        /// <param name="offset">First byte written.</param>
        public void CopyBody(long position, int bodyLength, byte[] destination, int offset)
        {
            System.Array.Copy(_buffer, (int)(position - _bufferStart) + JournalFrame.BodyOffset, destination, offset, bodyLength);
        }

        private void Fill(long position)
        {
            _bufferStart = position;
            _bufferLength = _store.Read(_name, position, _buffer, 0, _buffer.Length);
        }
    }
}
