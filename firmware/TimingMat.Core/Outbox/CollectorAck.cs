using TimingMat.Core.Common;
using TimingMat.Core.Journal;

namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// The collector's acknowledgement, published on <c>&lt;prefix&gt;/&lt;unit&gt;/ack</c> after it has committed a batch to
    /// its database: the highest sequence number up to which it holds every passing of the unit, and which batch
    /// this ack answers.
    /// </summary>
    /// <remarks>
    /// <code>
    /// off size field
    ///  0   1   format version (1)
    ///  1   1   flags (0)
    ///  2   2   unit id, u16
    ///  4   4   journal id, i32
    ///  8   8   acked sequence number: highest contiguous stored, i64
    /// 16   8   first sequence number of the batch answered, i64 (0: none)
    /// 24   2   record count of the batch answered, u16
    /// 26   2   reserved (0)
    /// 28   4   CRC-32 over bytes 0–27
    /// </code>
    /// Only the acked number lets the unit forget records; the batch fields free its in-flight window early and show
    /// it which batches were lost (an answer to a later batch while an earlier one is still open).
    /// </remarks>
    public sealed class CollectorAck
    {
        /// <summary>Length of an ack message.</summary>
        public const int Bytes = 32;

        /// <summary>Format version written and accepted.</summary>
        public const int Version = 1;

        /// <summary>Gets or sets the unit id.</summary>
        public int UnitId { get; set; }

        /// <summary>Gets or sets the journal id the ack is for.</summary>
        public int JournalId { get; set; }

        /// <summary>Gets or sets the highest contiguous sequence number the collector stored.</summary>
        public long AckedSequence { get; set; }

        /// <summary>Gets or sets the first sequence number of the batch answered (0 when none).</summary>
        public long BatchFirstSequence { get; set; }

        /// <summary>Gets or sets the record count of the batch answered.</summary>
        public int BatchCount { get; set; }

        /// <summary>Writes the ack.</summary>
        /// <param name="buffer">Destination with <see cref="Bytes"/> of room.</param>
        /// <param name="offset">First byte written.</param>
        public void Write(byte[] buffer, int offset)
        {
            buffer[offset] = Version;
            buffer[offset + 1] = 0;
            LittleEndian.WriteUInt16(buffer, offset + 2, UnitId);
            LittleEndian.WriteInt32(buffer, offset + 4, JournalId);
            LittleEndian.WriteInt64(buffer, offset + 8, AckedSequence);
            LittleEndian.WriteInt64(buffer, offset + 16, BatchFirstSequence);
            LittleEndian.WriteUInt16(buffer, offset + 24, BatchCount);
            LittleEndian.WriteUInt16(buffer, offset + 26, 0);
            LittleEndian.WriteUInt32(buffer, offset + 28, Crc32.Compute(buffer, offset, 28));
        }

        /// <summary>Reads an ack.</summary>
        /// <param name="data">The message payload.</param>
        /// <param name="length">Its length.</param>
        /// <returns><c>true</c> when the payload is a valid ack; the properties are then set.</returns>
        public bool Read(byte[] data, int length)
        {
            if (length != Bytes || data[0] != Version || Crc32.Compute(data, 0, 28) != LittleEndian.ReadUInt32(data, 28))
            {
                return false;
            }

            UnitId = LittleEndian.ReadUInt16(data, 2);
            JournalId = LittleEndian.ReadInt32(data, 4);
            AckedSequence = LittleEndian.ReadInt64(data, 8);
            BatchFirstSequence = LittleEndian.ReadInt64(data, 16);
            BatchCount = LittleEndian.ReadUInt16(data, 24);
            return true;
        }
    }
}
