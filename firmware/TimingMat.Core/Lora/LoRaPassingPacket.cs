using TimingMat.Core.Clock;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// The LoRa fallback's passing packet: a run of consecutive passings of one unit, 8 bytes each, small enough that
    /// a 10 % sub-band carries about eight passings a second at SF7.
    /// </summary>
    /// <remarks>
    /// <code>
    /// off size field (little-endian)
    ///  0   1   version (high nibble, 1) | type (low nibble, 1 = passings)
    ///  1   2   unit id, u16
    ///  3   4   journal id, i32
    ///  7   4   sequence number of the first record, u32 (the rest follow one by one)
    /// 11   4   unit's acked sequence number, u32 (where a collector that never heard the unit starts)
    /// 15   6   base time: ms, u48 (UTC since 1970; local since boot when the clock state is unsynced)
    /// 21   1   record count N (1–29)
    /// 22  8·N  records:
    ///            0  3  chip: the last 3 bytes of the EPC in EPC order (the marker's value for markers)
    ///            3  3  time − base, ms, signed 24-bit
    ///            6  1  kind (bits 1–0) | flags test tag, outside window, stray, capacity-closed (bits 5–2) | clock state (bits 7–6)
    ///            7  1  uncertainty + 0.5 ms (the rounding), ms rounded up, 0–254; 255 = unknown or more
    /// </code>
    /// The PHY's CRC-16 guards the bytes. What LoRa cannot carry (full EPC, first and last read, hits, RSSI, antenna)
    /// stays in the journal; the collector resolves the chip from its chip list, as commercial systems' "bib + Δt"
    /// fallbacks do.
    /// </remarks>
    public static class LoRaPassingPacket
    {
        /// <summary>Format version.</summary>
        public const int Version = 1;

        /// <summary>Packet type of a passing packet.</summary>
        public const int TypePassings = 1;

        /// <summary>Header length.</summary>
        public const int HeaderBytes = 22;

        /// <summary>Length of one record.</summary>
        public const int RecordBytes = 8;

        /// <summary>Most records in one packet (the radio's 255-byte limit).</summary>
        public const int MaxRecords = 29;

        /// <summary>Largest time offset of a record from the base, ms (signed 24-bit).</summary>
        public const int MaxOffsetMillis = 8388607;

        /// <summary>Uncertainty byte for unknown (or ≥ 255 ms).</summary>
        public const int UnknownUncertainty = 255;

        /// <summary>Largest sequence number the packet can carry.</summary>
        public const long MaxSequence = 4294967295L;

        /// <summary>Writes the header of a packet (the count is written by <see cref="SetCount"/>).</summary>
        /// <param name="buffer">Destination, at least <see cref="HeaderBytes"/> long.</param>
        /// <param name="unitId">Unit id, 0–65535.</param>
        /// <param name="journalId">Journal id.</param>
        /// <param name="firstSequence">Sequence number of the first record.</param>
        /// <param name="ackedSequence">The unit's acked mark.</param>
        /// <param name="baseMillis">Base time, ms.</param>
        public static void WriteHeader(byte[] buffer, int unitId, int journalId, long firstSequence, long ackedSequence, long baseMillis)
        {
            buffer[0] = (byte)((Version << 4) | TypePassings);
            LittleEndian.WriteUInt16(buffer, 1, unitId);
            LittleEndian.WriteInt32(buffer, 3, journalId);
            LittleEndian.WriteUInt32(buffer, 7, (uint)firstSequence);
            LittleEndian.WriteUInt32(buffer, 11, (uint)(ackedSequence < 0 ? 0 : ackedSequence));
            for (int i = 0; i < 6; i++)
            {
                buffer[15 + i] = (byte)(baseMillis >> (8 * i));
            }

            buffer[21] = 0;
        }

        /// <summary>Sets the record count and returns the packet length.</summary>
        /// <param name="buffer">The packet.</param>
        /// <param name="count">Records written.</param>
        /// <returns>The packet length in bytes.</returns>
        public static int SetCount(byte[] buffer, int count)
        {
            buffer[21] = (byte)count;
            return HeaderBytes + (count * RecordBytes);
        }

        /// <summary>The time of a passing in the packet's units: ms, rounded to nearest (half up), so LoRa adds at most 0.5 ms and no bias.</summary>
        /// <param name="passing">The passing.</param>
        /// <returns>Its time in ms.</returns>
        public static long MillisOf(Passing passing)
        {
            long t = passing.TimeUtcMicros + 500;
            return t >= 0 ? t / 1000 : -((-t + 999) / 1000);
        }

        /// <summary>Tells whether a passing fits into a packet with a given base time.</summary>
        /// <param name="passing">The passing.</param>
        /// <param name="baseMillis">The packet's base time.</param>
        /// <returns><c>true</c> when its offset fits into 24 bits.</returns>
        public static bool Fits(Passing passing, long baseMillis)
        {
            long offset = MillisOf(passing) - baseMillis;
            return offset <= MaxOffsetMillis && offset >= -MaxOffsetMillis - 1;
        }

        /// <summary>Writes record <paramref name="index"/>.</summary>
        /// <param name="buffer">The packet.</param>
        /// <param name="index">Record index, 0-based.</param>
        /// <param name="passing">The passing.</param>
        /// <param name="baseMillis">The packet's base time (the offset must fit, see <see cref="Fits"/>).</param>
        public static void WriteRecord(byte[] buffer, int index, Passing passing, long baseMillis)
        {
            int at = HeaderBytes + (index * RecordBytes);
            if (passing.Kind == PassingKind.Crossing)
            {
                int n = passing.EpcLength;
                buffer[at] = n >= 3 ? passing.Epc[n - 3] : (byte)0;
                buffer[at + 1] = n >= 2 ? passing.Epc[n - 2] : (byte)0;
                buffer[at + 2] = n >= 1 ? passing.Epc[n - 1] : (byte)0;
            }
            else
            {
                buffer[at] = (byte)(passing.MarkerValue >> 16);
                buffer[at + 1] = (byte)(passing.MarkerValue >> 8);
                buffer[at + 2] = (byte)passing.MarkerValue;
            }

            int offset = (int)(MillisOf(passing) - baseMillis);
            buffer[at + 3] = (byte)offset;
            buffer[at + 4] = (byte)(offset >> 8);
            buffer[at + 5] = (byte)(offset >> 16);
            buffer[at + 6] = (byte)(((int)passing.Kind & 0x03) | (((int)passing.Flags & 0x0F) << 2) | (((int)passing.ClockState & 0x03) << 6));
            // The bound grows by the 0.5 ms the time was rounded by.
            long u = passing.UncertaintyMicros;
            buffer[at + 7] = (byte)(u < 0 || u > 253500 ? UnknownUncertainty : (int)((u + 500 + 999) / 1000));
        }

        /// <summary>Reads and checks a packet's header.</summary>
        /// <param name="buffer">The packet.</param>
        /// <param name="length">Bytes received.</param>
        /// <returns><c>null</c> when it is a well-formed passing packet, else what is wrong.</returns>
        public static string Check(byte[] buffer, int length)
        {
            if (length < HeaderBytes)
            {
                return "packet of " + length.ToString() + " bytes is shorter than the 22-byte header";
            }

            if ((buffer[0] >> 4) != Version || (buffer[0] & 0x0F) != TypePassings)
            {
                return "not a version-1 passing packet (first byte 0x" + ((int)buffer[0]).ToString("X2") + ")";
            }

            int count = buffer[21];
            if (count < 1 || count > MaxRecords || length != HeaderBytes + (count * RecordBytes))
            {
                return "record count " + count.ToString() + " does not match the packet length " + length.ToString();
            }

            return null;
        }

        /// <summary>Gets the unit id of a checked packet.</summary>
        /// <param name="buffer">The packet.</param>
        /// <returns>The unit id.</returns>
        public static int UnitId(byte[] buffer)
        {
            return LittleEndian.ReadUInt16(buffer, 1);
        }

        /// <summary>Gets the journal id of a checked packet.</summary>
        /// <param name="buffer">The packet.</param>
        /// <returns>The journal id.</returns>
        public static int JournalId(byte[] buffer)
        {
            return LittleEndian.ReadInt32(buffer, 3);
        }

        /// <summary>Gets the first record's sequence number.</summary>
        /// <param name="buffer">The packet.</param>
        /// <returns>The sequence number.</returns>
        public static long FirstSequence(byte[] buffer)
        {
            return LittleEndian.ReadUInt32(buffer, 7);
        }

        /// <summary>Gets the unit's acked mark when it sent the packet.</summary>
        /// <param name="buffer">The packet.</param>
        /// <returns>The sequence number.</returns>
        public static long AckedSequence(byte[] buffer)
        {
            return LittleEndian.ReadUInt32(buffer, 11);
        }

        /// <summary>Gets the record count.</summary>
        /// <param name="buffer">The packet.</param>
        /// <returns>The count.</returns>
        public static int Count(byte[] buffer)
        {
            return buffer[21];
        }

        /// <summary>Gets the base time in ms.</summary>
        /// <param name="buffer">The packet.</param>
        /// <returns>The base time.</returns>
        public static long BaseMillis(byte[] buffer)
        {
            long value = 0;
            for (int i = 5; i >= 0; i--)
            {
                value = (value << 8) | buffer[15 + i];
            }

            return value;
        }

        /// <summary>
        /// Reads record <paramref name="index"/> into a passing: what the packet carries, the chip as a 3-byte EPC
        /// tail (the receiver replaces it with the full EPC from its chip list), the read details zero.
        /// </summary>
        /// <param name="buffer">A checked packet.</param>
        /// <param name="index">Record index.</param>
        /// <param name="passing">Filled in.</param>
        public static void ReadRecord(byte[] buffer, int index, Passing passing)
        {
            int at = HeaderBytes + (index * RecordBytes);
            int kindFlags = buffer[at + 6];
            passing.Kind = (PassingKind)(kindFlags & 0x03);
            passing.UnitId = UnitId(buffer);
            passing.Sequence = FirstSequence(buffer) + index;
            int chip = (buffer[at] << 16) | (buffer[at + 1] << 8) | buffer[at + 2];
            if (passing.Kind == PassingKind.Crossing)
            {
                passing.Epc[0] = buffer[at];
                passing.Epc[1] = buffer[at + 1];
                passing.Epc[2] = buffer[at + 2];
                passing.EpcLength = 3;
                passing.MarkerValue = 0;
            }
            else
            {
                passing.EpcLength = 0;
                passing.MarkerValue = chip;
            }

            int offset = buffer[at + 3] | (buffer[at + 4] << 8) | (buffer[at + 5] << 16);
            if ((offset & 0x800000) != 0)
            {
                offset -= 0x1000000;
            }

            long time = (BaseMillis(buffer) + offset) * 1000;
            passing.TimeUtcMicros = time;
            passing.FirstReadUtcMicros = time;
            passing.LastReadUtcMicros = time;
            passing.Hits = 0;
            passing.MaxRssiCentiDbm = 0;
            passing.BestAntenna = 0;
            passing.Flags = (PassingFlags)((kindFlags >> 2) & 0x0F);
            int state = (kindFlags >> 6) & 0x03;
            passing.ClockState = state > (int)ClockState.Holdover ? ClockState.Unsynced : (ClockState)state;
            int u = buffer[at + 7];
            passing.UncertaintyMicros = u == UnknownUncertainty ? MatTime.UnknownUncertainty : u * 1000L;
        }
    }
}
