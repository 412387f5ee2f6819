using TimingMat.Core.Clock;
using TimingMat.Core.Common;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Journal
{
    /// <summary>
    /// The binary body of one passing, version 1: the bytes a journal record and a batch record share, so the outbox
    /// copies records from flash into a batch without decoding them. Layout in firmware/docs/wire-formats.md.
    /// </summary>
    /// <remarks>
    /// <code>
    /// off size field
    ///  0   1   kind (PassingKind)
    ///  1   1   flags (PassingFlags)
    ///  2   1   clock state (ClockState)
    ///  3   1   best antenna, 1-based (reader index × 16 + port beyond the first module, MatAntenna)
    ///  4   2   hits, u16, saturated at 65535
    ///  6   2   max RSSI, i16 centi-dBm, saturated
    ///  8   4   marker value, i32
    /// 12   8   time, i64 UTC µs (local µs since boot while Unsynced)
    /// 20   8   first read, i64 UTC µs
    /// 28   8   last read, i64 UTC µs
    /// 36   4   uncertainty, i32 µs (−1 unknown), saturated at 2^31−1
    /// 40   1   EPC length n, 0–62
    /// 41   n   EPC
    /// </code>
    /// The sequence number and the unit id are not in the body: the journal frame and the batch header carry them.
    /// </remarks>
    public static class PassingBody
    {
        /// <summary>Length of the body without its EPC.</summary>
        public const int FixedBytes = 41;

        /// <summary>Length of the longest body (a 62-byte EPC).</summary>
        public const int MaxBytes = FixedBytes + Reader.TagRead.MaxEpcBytes;

        private const int EpcLengthOffset = 40;

        /// <summary>Writes a passing's body.</summary>
        /// <param name="passing">The passing.</param>
        /// <param name="buffer">Destination, with room for <see cref="MaxBytes"/>.</param>
        /// <param name="offset">First byte written.</param>
        /// <returns>The number of bytes written.</returns>
        public static int Write(Passing passing, byte[] buffer, int offset)
        {
            int epcLength = passing.EpcLength;
            if (epcLength < 0)
            {
                epcLength = 0;
            }
            else if (epcLength > Reader.TagRead.MaxEpcBytes)
            {
                epcLength = Reader.TagRead.MaxEpcBytes;
            }

            buffer[offset] = (byte)passing.Kind;
            buffer[offset + 1] = (byte)passing.Flags;
            buffer[offset + 2] = (byte)passing.ClockState;
            buffer[offset + 3] = (byte)passing.BestAntenna;
            LittleEndian.WriteUInt16(buffer, offset + 4, Saturate(passing.Hits, 0, 65535));
            LittleEndian.WriteUInt16(buffer, offset + 6, Saturate(passing.MaxRssiCentiDbm, -32768, 32767));
            LittleEndian.WriteInt32(buffer, offset + 8, passing.MarkerValue);
            LittleEndian.WriteInt64(buffer, offset + 12, passing.TimeUtcMicros);
            LittleEndian.WriteInt64(buffer, offset + 20, passing.FirstReadUtcMicros);
            LittleEndian.WriteInt64(buffer, offset + 28, passing.LastReadUtcMicros);
            long uncertainty = passing.UncertaintyMicros;
            LittleEndian.WriteInt32(buffer, offset + 36, uncertainty > int.MaxValue ? int.MaxValue : (uncertainty < -1 ? -1 : (int)uncertainty));
            buffer[offset + EpcLengthOffset] = (byte)epcLength;
            byte[] epc = passing.Epc;
            for (int i = 0; i < epcLength; i++)
            {
                buffer[offset + FixedBytes + i] = epc[i];
            }

            return FixedBytes + epcLength;
        }

        /// <summary>Tells the length of the body starting at an offset, from its EPC length byte.</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte of the body.</param>
        /// <param name="available">Bytes available from <paramref name="offset"/>.</param>
        /// <returns>The body length, or −1 when fewer than <see cref="FixedBytes"/> bytes are available or the EPC length is impossible.</returns>
        public static int LengthAt(byte[] buffer, int offset, int available)
        {
            if (available < FixedBytes)
            {
                return -1;
            }

            int epcLength = buffer[offset + EpcLengthOffset];
            return epcLength > Reader.TagRead.MaxEpcBytes ? -1 : FixedBytes + epcLength;
        }

        /// <summary>Reads a body into a passing (all fields except <see cref="Passing.Sequence"/> and <see cref="Passing.UnitId"/>).</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte of the body.</param>
        /// <param name="available">Bytes available from <paramref name="offset"/>.</param>
        /// <param name="passing">Destination.</param>
        /// <returns>The body length, or −1 when the bytes are not a whole, plausible body.</returns>
        public static int Read(byte[] buffer, int offset, int available, Passing passing)
        {
            int length = LengthAt(buffer, offset, available);
            if (length < 0 || length > available || buffer[offset] > (byte)PassingKind.CorralOpen || buffer[offset + 2] > (byte)ClockState.Holdover)
            {
                return -1;
            }

            passing.Kind = (PassingKind)buffer[offset];
            passing.Flags = (PassingFlags)buffer[offset + 1];
            passing.ClockState = (ClockState)buffer[offset + 2];
            passing.BestAntenna = buffer[offset + 3];
            passing.Hits = LittleEndian.ReadUInt16(buffer, offset + 4);
            passing.MaxRssiCentiDbm = LittleEndian.ReadInt16(buffer, offset + 6);
            passing.MarkerValue = LittleEndian.ReadInt32(buffer, offset + 8);
            passing.TimeUtcMicros = LittleEndian.ReadInt64(buffer, offset + 12);
            passing.FirstReadUtcMicros = LittleEndian.ReadInt64(buffer, offset + 20);
            passing.LastReadUtcMicros = LittleEndian.ReadInt64(buffer, offset + 28);
            passing.UncertaintyMicros = LittleEndian.ReadInt32(buffer, offset + 36);
            int epcLength = length - FixedBytes;
            byte[] epc = passing.Epc;
            for (int i = 0; i < epcLength; i++)
            {
                epc[i] = buffer[offset + FixedBytes + i];
            }

            passing.EpcLength = epcLength;
            return length;
        }

        private static int Saturate(int value, int min, int max)
        {
            return value < min ? min : (value > max ? max : value);
        }
    }
}
