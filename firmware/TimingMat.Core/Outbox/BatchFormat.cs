using TimingMat.Core.Common;
using TimingMat.Core.Journal;

namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// Batch format v1: the binary message a unit publishes on <c>&lt;prefix&gt;/&lt;unit&gt;/passings</c>, a run of
    /// passings with consecutive sequence numbers. Layout in firmware/docs/wire-formats.md.
    /// </summary>
    /// <remarks>
    /// <code>
    /// off size field
    ///  0   1   format version (1)
    ///  1   1   flags: bit 0 replay (re-sent on request; may hold acknowledged records); bit 1 LoRa (a gateway's batch of
    ///          passings it heard: read details missing); other bits 0
    ///  2   2   unit id, u16
    ///  4   4   journal id, i32
    ///  8   8   first sequence number, i64 (record i has first + i)
    /// 16   8   acked sequence number: the unit's acknowledged mark when it sent the batch, i64
    /// 24   2   record count, u16 (1 or more)
    /// 26   2   length of the records in bytes, u16
    /// 28   4   CRC-32 over bytes 0–27 and all the records
    /// 32   …   records: PassingBody v1, back to back
    /// </code>
    /// The acked mark tells a collector that meets the unit for the first time (or a new journal of it) where the
    /// run of sequence numbers it must hold without gaps begins.
    /// </remarks>
    public static class BatchFormat
    {
        /// <summary>Format version written and accepted.</summary>
        public const int Version = 1;

        /// <summary>Header length.</summary>
        public const int HeaderBytes = 32;

        /// <summary>Flag bit: the batch answers a replay request.</summary>
        public const int FlagReplay = 1;

        /// <summary>Flag bit: a LoRa gateway's batch of passings it heard over LoRa (read details missing).</summary>
        public const int FlagLora = 2;

        /// <summary>Largest batch: MQTT clients on the ESP32 buffer about 4 KB (protocols.md §5).</summary>
        public const int MaxBytes = 4096;

        /// <summary>Writes the header once the records are in place, sealing the batch with its CRC.</summary>
        /// <param name="buffer">Batch buffer; records start at <see cref="HeaderBytes"/>.</param>
        /// <param name="flags">Flag bits.</param>
        /// <param name="unitId">Unit id.</param>
        /// <param name="journalId">Journal id.</param>
        /// <param name="firstSequence">Sequence number of the first record.</param>
        /// <param name="ackedSequence">The unit's acknowledged mark.</param>
        /// <param name="count">Number of records.</param>
        /// <param name="recordBytes">Length of the records.</param>
        /// <returns>The batch's total length.</returns>
        public static int Seal(byte[] buffer, int flags, int unitId, int journalId, long firstSequence, long ackedSequence, int count, int recordBytes)
        {
            uint crc = WriteHeader(buffer, flags, unitId, journalId, firstSequence, ackedSequence, count, recordBytes);
            crc = Crc32.Update(crc, buffer, HeaderBytes, recordBytes);
            LittleEndian.WriteUInt32(buffer, 28, Crc32.Finish(crc));
            return HeaderBytes + recordBytes;
        }

        /// <summary>
        /// Writes the header but not its CRC, for a sender that runs the CRC over the records in slices (continue with
        /// <see cref="Crc32.Update"/> from <see cref="HeaderBytes"/>, store <see cref="Crc32.Finish"/> at byte 28).
        /// </summary>
        /// <param name="buffer">Batch buffer; records start at <see cref="HeaderBytes"/>.</param>
        /// <param name="flags">Flag bits.</param>
        /// <param name="unitId">Unit id.</param>
        /// <param name="journalId">Journal id.</param>
        /// <param name="firstSequence">Sequence number of the first record.</param>
        /// <param name="ackedSequence">The unit's acknowledged mark.</param>
        /// <param name="count">Number of records.</param>
        /// <param name="recordBytes">Length of the records.</param>
        /// <returns>The running CRC over bytes 0–27.</returns>
        public static uint WriteHeader(byte[] buffer, int flags, int unitId, int journalId, long firstSequence, long ackedSequence, int count, int recordBytes)
        {
            buffer[0] = Version;
            buffer[1] = (byte)flags;
            LittleEndian.WriteUInt16(buffer, 2, unitId);
            LittleEndian.WriteInt32(buffer, 4, journalId);
            LittleEndian.WriteInt64(buffer, 8, firstSequence);
            LittleEndian.WriteInt64(buffer, 16, ackedSequence);
            LittleEndian.WriteUInt16(buffer, 24, count);
            LittleEndian.WriteUInt16(buffer, 26, recordBytes);
            return Crc32.Update(Crc32.Initial, buffer, 0, 28);
        }
    }
}
