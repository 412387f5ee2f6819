using TimingMat.Core.Passings;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// The LoRa fallback's passing packet, version 2: a run of consecutive passings of one unit, each chip a small
    /// index into the race's chip list (<see cref="LoRaChipList"/>) and each time a delta from the one before, about
    /// four bytes a passing, authenticated with the unit's command key (firmware/docs/wire-formats.md §9.1).
    /// <see cref="LoRaPacketWriter"/> writes it, <see cref="LoRaPacketReader"/> reads and checks it.
    /// </summary>
    /// <remarks>
    /// <code>
    /// off size field (little-endian)
    ///  0   1   version (high nibble, 2) | type (low nibble, 1 = passings): 0x21
    ///  1   2   unit id, u16
    ///  3   4   journal id, i32
    ///  7   6   sequence number of the first record, u48 (the rest follow one by one)
    /// 13   3   backlog: first − the unit's acked mark − 1, u24, saturated at 0xFFFFFF
    /// 16   6   base time: the first record's time, ms, u48 (UTC since 1970; local since boot when unsynced)
    /// 22   1   clock state (bits 1–0) | flags of the first record (bits 5–2)
    /// 23   1   uncertainty of the least certain record + 0.5 ms (the rounding), ms rounded up, 0–254; 255 unknown
    /// 24   1   record count N, 1–255
    /// 25   …   records
    /// L−4  4   tag: HMAC-SHA256 keyed with the unit's command key over bytes 0 … L−5, its first 4 bytes
    ///
    /// record: a chip word, u16, then the time − the previous record's time (the first's − base), ms, as a
    ///         zigzag varint (7 bits a byte, low first, bit 7 = more; 1–4 bytes, ±2^27 ms)
    ///   0x0000–0xFFFC  a crossing of the chip with that index in the race's chip list
    ///   0xFFFD         a flags change (not a passing): 1 byte, flags (bits 3–0) of this and later records; a record follows
    ///   0xFFFE         a crossing of a chip not on the list: 1 byte EPC length n (1–62), n EPC bytes
    ///   0xFFFF         a marker: 1 byte kind (1 gun, 2 wave, 3 corral), the marker value u24
    /// </code>
    /// A packet holds one clock state (a change ends it); a record whose flags differ from the last is preceded by a
    /// flags change. What LoRa cannot carry (first and last read, hits, RSSI, antenna, µs) stays in the journal.
    /// </remarks>
    public static class LoRaPassingPacket
    {
        /// <summary>Format version.</summary>
        public const int Version = 2;

        /// <summary>Packet type of a passing packet.</summary>
        public const int TypePassings = 1;

        /// <summary>The first byte of a passing packet of this version.</summary>
        public const int FirstByte = (Version << 4) | TypePassings;

        /// <summary>Header length.</summary>
        public const int HeaderBytes = 25;

        /// <summary>Length of the tag at the end.</summary>
        public const int TagBytes = 4;

        /// <summary>Header and tag: the bytes a packet costs before its records.</summary>
        public const int OverheadBytes = HeaderBytes + TagBytes;

        /// <summary>The longest packet (the radio's FIFO).</summary>
        public const int MaxBytes = 255;

        /// <summary>Most records in one packet (the count byte).</summary>
        public const int MaxRecords = 255;

        /// <summary>The highest chip index a packet carries (65,533 chips in a list).</summary>
        public const int MaxChipIndex = 0xFFFC;

        /// <summary>Chip word of a flags change.</summary>
        public const int WordFlags = 0xFFFD;

        /// <summary>Chip word of a chip not on the list (its EPC follows).</summary>
        public const int WordEpc = 0xFFFE;

        /// <summary>Chip word of a marker.</summary>
        public const int WordMarker = 0xFFFF;

        /// <summary>Largest time delta between two records, ms (a longer one starts a new packet).</summary>
        public const long MaxDeltaMillis = (1L << 27) - 1;

        /// <summary>Uncertainty byte for unknown (or ≥ 254.5 ms).</summary>
        public const int UnknownUncertainty = 255;

        /// <summary>Largest sequence number the packet carries (48 bits).</summary>
        public const long MaxSequence = (1L << 48) - 1;

        /// <summary>Largest backlog the header carries.</summary>
        public const int MaxBacklog = 0xFFFFFF;

        /// <summary>Length of a crossing record of a listed chip with a time delta of under 64 ms.</summary>
        public const int SmallestRecordBytes = 3;

        /// <summary>The time of a passing in the packet's units: ms, rounded to nearest (half up), so LoRa adds at most 0.5 ms and no bias.</summary>
        /// <param name="passing">The passing.</param>
        /// <returns>Its time in ms.</returns>
        public static long MillisOf(Passing passing)
        {
            long t = passing.TimeUtcMicros + 500;
            return t >= 0 ? t / 1000 : -((-t + 999) / 1000);
        }

        /// <summary>The uncertainty byte of a passing: µs + the 0.5 ms rounding, in ms rounded up; 255 for unknown or more.</summary>
        /// <param name="uncertaintyMicros">The passing's uncertainty, µs (negative: unknown).</param>
        /// <returns>0–255.</returns>
        public static int UncertaintyByte(long uncertaintyMicros)
        {
            return uncertaintyMicros < 0 || uncertaintyMicros > 253500 ? UnknownUncertainty : (int)((uncertaintyMicros + 500 + 999) / 1000);
        }

        /// <summary>Bytes a zigzag varint of a delta takes.</summary>
        /// <param name="delta">The delta, |delta| ≤ <see cref="MaxDeltaMillis"/>.</param>
        /// <returns>1–4.</returns>
        public static int DeltaBytes(long delta)
        {
            long z = delta >= 0 ? delta << 1 : ((-delta) << 1) - 1;
            return z < 0x80 ? 1 : (z < 0x4000 ? 2 : (z < 0x200000 ? 3 : 4));
        }

        /// <summary>Writes an unsigned 48-bit value.</summary>
        /// <param name="buffer">Destination.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="value">0 … 2^48 − 1.</param>
        public static void WriteUInt48(byte[] buffer, int offset, long value)
        {
            for (int i = 0; i < 6; i++)
            {
                buffer[offset + i] = (byte)(value >> (8 * i));
            }
        }

        /// <summary>Reads an unsigned 48-bit value.</summary>
        /// <param name="buffer">Source.</param>
        /// <param name="offset">First byte.</param>
        /// <returns>The value.</returns>
        public static long ReadUInt48(byte[] buffer, int offset)
        {
            long value = 0;
            for (int i = 5; i >= 0; i--)
            {
                value = (value << 8) | buffer[offset + i];
            }

            return value;
        }

        /// <summary>
        /// Completes a 32-bit sequence field (the ack's) to the full number nearest a reference the reader knows,
        /// so that numbers beyond 32 bits keep working over the 32-bit ack.
        /// </summary>
        /// <param name="low">The low 32 bits.</param>
        /// <param name="reference">A full sequence number within 2^31 of the answer (the first of the packet answered).</param>
        /// <returns>The full number.</returns>
        public static long Extend(long low, long reference)
        {
            long candidate = (reference & ~0xFFFFFFFFL) | (low & 0xFFFFFFFFL);
            if (candidate - reference > 0x7FFFFFFFL)
            {
                candidate -= 0x100000000L;
            }
            else if (reference - candidate > 0x80000000L)
            {
                candidate += 0x100000000L;
            }

            return candidate < -1 ? -1 : candidate;
        }
    }
}
