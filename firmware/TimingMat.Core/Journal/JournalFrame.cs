using TimingMat.Core.Common;

namespace TimingMat.Core.Journal
{
    /// <summary>
    /// One journal record on flash: a marker, the payload length, the sequence number, the passing body and a CRC-32.
    /// </summary>
    /// <remarks>
    /// <code>
    /// off  size field
    ///  0    1   marker 0xA5
    ///  1    1   payload length L = 8 + body length (49–111)
    ///  2    8   sequence number, i64
    /// 10  L−8   passing body (PassingBody v1)
    /// 2+L   4   CRC-32 over bytes 0 … 1+L
    /// </code>
    /// A record counts only when every byte checks out: marker, a length that agrees with the body's EPC length, and
    /// the CRC. Anything else is a torn write or damage, never a passing.
    /// </remarks>
    public static class JournalFrame
    {
        /// <summary>First byte of every record.</summary>
        public const byte Marker = 0xA5;

        /// <summary>Bytes a record adds around the body: marker, length, sequence number and CRC.</summary>
        public const int OverheadBytes = 14;

        /// <summary>Length of the longest record.</summary>
        public const int MaxBytes = OverheadBytes + PassingBody.MaxBytes;

        /// <summary>Offset of the body in a record.</summary>
        public const int BodyOffset = 10;

        /// <summary>Result of <see cref="Check"/>: a whole, valid record.</summary>
        public const int Valid = 1;

        /// <summary>Result of <see cref="Check"/>: the bytes so far may start a record but it is cut short.</summary>
        public const int Incomplete = 0;

        /// <summary>Result of <see cref="Check"/>: not a record.</summary>
        public const int Invalid = -1;

        private const int MinPayload = 8 + PassingBody.FixedBytes;
        private const int MaxPayload = 8 + PassingBody.MaxBytes;

        /// <summary>Completes a record whose body has been written at <see cref="BodyOffset"/>.</summary>
        /// <param name="buffer">Record buffer; the body starts at <see cref="BodyOffset"/>.</param>
        /// <param name="sequence">The record's sequence number.</param>
        /// <param name="bodyLength">Length of the body.</param>
        /// <returns>The record's total length.</returns>
        public static int Seal(byte[] buffer, long sequence, int bodyLength)
        {
            int payload = 8 + bodyLength;
            buffer[0] = Marker;
            buffer[1] = (byte)payload;
            LittleEndian.WriteInt64(buffer, 2, sequence);
            LittleEndian.WriteUInt32(buffer, 2 + payload, Crc32.Compute(buffer, 0, 2 + payload));
            return payload + 6;
        }

        /// <summary>Checks the bytes at an offset.</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte of the supposed record.</param>
        /// <param name="available">Bytes available from <paramref name="offset"/>.</param>
        /// <param name="sequence">The record's sequence number when valid.</param>
        /// <param name="length">The record's total length when valid.</param>
        /// <returns><see cref="Valid"/>, <see cref="Incomplete"/> or <see cref="Invalid"/>.</returns>
        public static int Check(byte[] buffer, int offset, int available, out long sequence, out int length)
        {
            sequence = 0;
            length = 0;
            if (available < 1)
            {
                return Incomplete;
            }

            if (buffer[offset] != Marker)
            {
                return Invalid;
            }

            if (available < 2)
            {
                return Incomplete;
            }

            int payload = buffer[offset + 1];
            if (payload < MinPayload || payload > MaxPayload)
            {
                return Invalid;
            }

            int total = payload + 6;
            if (available < total)
            {
                return Incomplete;
            }

            if (PassingBody.LengthAt(buffer, offset + BodyOffset, payload - 8) != payload - 8)
            {
                return Invalid;
            }

            if (Crc32.Compute(buffer, offset, 2 + payload) != LittleEndian.ReadUInt32(buffer, offset + 2 + payload))
            {
                return Invalid;
            }

            sequence = LittleEndian.ReadInt64(buffer, offset + 2);
            length = total;
            return Valid;
        }
    }
}
