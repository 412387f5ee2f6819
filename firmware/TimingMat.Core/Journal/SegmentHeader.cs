using TimingMat.Core.Common;

namespace TimingMat.Core.Journal
{
    /// <summary>
    /// The 32-byte header at the start of every journal segment file; it says which journal and unit the segment
    /// belongs to and the sequence number its first record has (or would have).
    /// </summary>
    /// <remarks>
    /// <code>
    /// off size field
    ///  0   4   magic "TMJR"
    ///  4   1   format version (1)
    ///  5   1   header length (32)
    ///  6   2   unit id
    ///  8   4   segment number
    /// 12   4   journal id
    /// 16   8   first sequence number
    /// 24   4   reserved (0)
    /// 28   4   CRC-32 over bytes 0–27
    /// </code>
    /// The header is written and flushed before the first record, so only the newest segment can have a torn one.
    /// </remarks>
    internal static class SegmentHeader
    {
        /// <summary>Length of the header.</summary>
        public const int Bytes = 32;

        /// <summary>Format version written.</summary>
        public const int Version = 1;

        /// <summary>Writes a header.</summary>
        /// <param name="buffer">Destination, at least <see cref="Bytes"/> long.</param>
        /// <param name="unitId">Unit id.</param>
        /// <param name="segmentNumber">Segment number.</param>
        /// <param name="journalId">Journal id.</param>
        /// <param name="firstSequence">Sequence number of the segment's first record.</param>
        public static void Write(byte[] buffer, int unitId, int segmentNumber, int journalId, long firstSequence)
        {
            buffer[0] = (byte)'T';
            buffer[1] = (byte)'M';
            buffer[2] = (byte)'J';
            buffer[3] = (byte)'R';
            buffer[4] = Version;
            buffer[5] = Bytes;
            LittleEndian.WriteUInt16(buffer, 6, unitId);
            LittleEndian.WriteInt32(buffer, 8, segmentNumber);
            LittleEndian.WriteInt32(buffer, 12, journalId);
            LittleEndian.WriteInt64(buffer, 16, firstSequence);
            LittleEndian.WriteInt32(buffer, 24, 0);
            LittleEndian.WriteUInt32(buffer, 28, Crc32.Compute(buffer, 0, 28));
        }

        /// <summary>Checks a header read from a segment.</summary>
        /// <param name="buffer">The bytes read.</param>
        /// <param name="count">How many were read.</param>
        /// <returns><c>true</c> when the bytes are a whole, valid header.</returns>
        public static bool IsValid(byte[] buffer, int count)
        {
            return count >= Bytes && buffer[0] == 'T' && buffer[1] == 'M' && buffer[2] == 'J' && buffer[3] == 'R'
                && buffer[4] == Version && buffer[5] == Bytes
                && Crc32.Compute(buffer, 0, 28) == LittleEndian.ReadUInt32(buffer, 28);
        }

        /// <summary>Gets the unit id of a valid header.</summary>
        /// <param name="buffer">The header.</param>
        /// <returns>The unit id.</returns>
        public static int UnitId(byte[] buffer)
        {
            return LittleEndian.ReadUInt16(buffer, 6);
        }

        /// <summary>Gets the journal id of a valid header.</summary>
        /// <param name="buffer">The header.</param>
        /// <returns>The journal id.</returns>
        public static int JournalId(byte[] buffer)
        {
            return LittleEndian.ReadInt32(buffer, 12);
        }

        /// <summary>Gets the first sequence number of a valid header.</summary>
        /// <param name="buffer">The header.</param>
        /// <returns>The sequence number.</returns>
        public static long FirstSequence(byte[] buffer)
        {
            return LittleEndian.ReadInt64(buffer, 16);
        }
    }
}
