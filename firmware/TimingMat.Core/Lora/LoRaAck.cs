using TimingMat.Core.Journal;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// The receiver's answer to a passing packet, sent on the same channel right after it: what the collector now
    /// holds of the unit, and which packet it answers.
    /// </summary>
    /// <remarks>
    /// <code>
    /// off size field (little-endian)
    ///  0   1   version (high nibble, 1) | type (low nibble, 2 = ack)
    ///  1   2   unit id, u16
    ///  3   4   journal id, i32
    ///  7   4   acked sequence number: highest contiguous stored, u32
    /// 11   4   first sequence number of the packet answered, u32
    /// 15   1   record count of the packet answered
    /// </code>
    /// Only the acked number lets the unit's journal forget; the packet fields let the unit go on to the next run
    /// even when a gap before it (a damaged record) keeps the acked number back.
    /// </remarks>
    public sealed class LoRaAck
    {
        /// <summary>Length of an ack packet.</summary>
        public const int Bytes = 16;

        /// <summary>Packet type of an ack.</summary>
        public const int TypeAck = 2;

        /// <summary>Gets or sets the unit id.</summary>
        public int UnitId { get; set; }

        /// <summary>Gets or sets the journal id.</summary>
        public int JournalId { get; set; }

        /// <summary>Gets or sets the highest contiguous sequence number stored.</summary>
        public long AckedSequence { get; set; }

        /// <summary>Gets or sets the first sequence number of the packet answered.</summary>
        public long PacketFirstSequence { get; set; }

        /// <summary>Gets or sets the record count of the packet answered.</summary>
        public int PacketCount { get; set; }

        /// <summary>Writes the ack.</summary>
        /// <param name="buffer">Destination with <see cref="Bytes"/> of room.</param>
        /// <returns><see cref="Bytes"/>.</returns>
        public int Write(byte[] buffer)
        {
            buffer[0] = (byte)((LoRaPassingPacket.Version << 4) | TypeAck);
            LittleEndian.WriteUInt16(buffer, 1, UnitId);
            LittleEndian.WriteInt32(buffer, 3, JournalId);
            LittleEndian.WriteUInt32(buffer, 7, (uint)(AckedSequence < 0 ? 0 : AckedSequence));
            LittleEndian.WriteUInt32(buffer, 11, (uint)PacketFirstSequence);
            buffer[15] = (byte)PacketCount;
            return Bytes;
        }

        /// <summary>Reads an ack.</summary>
        /// <param name="buffer">The packet.</param>
        /// <param name="length">Bytes received.</param>
        /// <returns><c>true</c> when it is a well-formed ack.</returns>
        public bool Read(byte[] buffer, int length)
        {
            if (length != Bytes || buffer[0] != (byte)((LoRaPassingPacket.Version << 4) | TypeAck))
            {
                return false;
            }

            UnitId = LittleEndian.ReadUInt16(buffer, 1);
            JournalId = LittleEndian.ReadInt32(buffer, 3);
            AckedSequence = LittleEndian.ReadUInt32(buffer, 7);
            PacketFirstSequence = LittleEndian.ReadUInt32(buffer, 11);
            PacketCount = buffer[15];
            return true;
        }
    }
}
