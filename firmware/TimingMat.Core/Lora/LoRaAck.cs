using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// The receiver's answer to a passing packet, sent on the same channel right after it: what the collector now
    /// holds of the unit and which packet it answers, authenticated with the unit's command key so that nobody else on
    /// the channel can make a unit forget passings (firmware/docs/wire-formats.md §9.2).
    /// </summary>
    /// <remarks>
    /// <code>
    /// off size field (little-endian)
    ///  0   1   version (high nibble, 2) | type (low nibble, 2 = ack): 0x22
    ///  1   2   unit id, u16
    ///  3   4   journal id, i32
    ///  7   4   acked sequence number: highest contiguous stored, u32
    /// 11   4   first sequence number of the packet answered, u32
    /// 15   1   record count of the packet answered
    /// 16   8   tag: HMAC-SHA256 keyed with the unit's command key over bytes 0–15, its first 8 bytes
    /// </code>
    /// Only the acked number lets the unit's journal forget, and only from an ack whose tag checks and that answers the
    /// packet the unit just sent. The packet fields let the unit go on to the next run even when a gap before it (a
    /// damaged record) keeps the acked number back. Version 1 (16 bytes, no tag) is refused.
    /// </remarks>
    internal sealed class LoRaAck
    {
        /// <summary>Length of an ack packet.</summary>
        public const int Bytes = 24;

        /// <summary>Length of the tag.</summary>
        public const int TagBytes = 8;

        /// <summary>Format version of the ack.</summary>
        public const int Version = 2;

        /// <summary>Packet type of an ack.</summary>
        public const int TypeAck = 2;

        private const int SignedBytes = Bytes - TagBytes;

        private readonly byte[] _tag = new byte[32];

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

        /// <summary>Writes and signs the ack.</summary>
        /// <param name="buffer">Destination with <see cref="Bytes"/> of room.</param>
        /// <param name="key">The unit's command key.</param>
        /// <param name="hmac">HMAC-SHA256.</param>
        /// <returns><see cref="Bytes"/>.</returns>
        public int Write(byte[] buffer, byte[] key, IHmacSha256 hmac)
        {
            buffer[0] = (byte)((Version << 4) | TypeAck);
            LittleEndian.WriteUInt16(buffer, 1, UnitId);
            LittleEndian.WriteInt32(buffer, 3, JournalId);
            LittleEndian.WriteUInt32(buffer, 7, (uint)(AckedSequence < 0 ? 0 : AckedSequence));
            LittleEndian.WriteUInt32(buffer, 11, (uint)PacketFirstSequence);
            buffer[15] = (byte)PacketCount;
            hmac.Compute(key, buffer, SignedBytes, _tag);
            for (int i = 0; i < TagBytes; i++)
            {
                buffer[SignedBytes + i] = _tag[i];
            }

            return Bytes;
        }

        /// <summary>Reads an ack's fields (without checking its tag: see <see cref="IsAuthentic"/>).</summary>
        /// <param name="buffer">The packet.</param>
        /// <param name="length">Bytes received.</param>
        /// <returns><c>true</c> when it is a well-formed ack of this version.</returns>
        public bool Read(byte[] buffer, int length)
        {
            if (length != Bytes || buffer[0] != (byte)((Version << 4) | TypeAck))
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

        /// <summary>Checks an ack's tag (in constant time).</summary>
        /// <param name="buffer">The packet, <see cref="Bytes"/> long.</param>
        /// <param name="key">The unit's command key, or <c>null</c> (then nothing is authentic).</param>
        /// <param name="hmac">HMAC-SHA256.</param>
        /// <returns><c>true</c> when the tag was made with the key.</returns>
        public bool IsAuthentic(byte[] buffer, byte[] key, IHmacSha256 hmac)
        {
            if (key == null)
            {
                return false;
            }

            hmac.Compute(key, buffer, SignedBytes, _tag);
            int difference = 0;
            for (int i = 0; i < TagBytes; i++)
            {
                difference |= _tag[i] ^ buffer[SignedBytes + i];
            }

            return difference == 0;
        }
    }
}
