using TimingMat.Core.Clock;
using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// Reads and checks a passing packet (<see cref="LoRaPassingPacket"/>, version 2): <see cref="Load"/> checks its
    /// whole structure, <see cref="IsAuthentic"/> its tag, <see cref="Next"/> gives its passings one by one. Reuses
    /// its buffers: allocation-free.
    /// </summary>
    public sealed class LoRaPacketReader
    {
        private readonly byte[] _tag = new byte[32];
        private byte[] _buffer;
        private int _length;
        private int _at;
        private int _read;
        private int _flags;
        private long _previousMillis;

        /// <summary>Gets or sets the race's chip list that turns indices back into EPCs, or <c>null</c>.</summary>
        public LoRaChipList Chips { get; set; }

        /// <summary>Gets the unit id.</summary>
        public int UnitId { get; private set; }

        /// <summary>Gets the journal id.</summary>
        public int JournalId { get; private set; }

        /// <summary>Gets the first record's sequence number.</summary>
        public long FirstSequence { get; private set; }

        /// <summary>Gets the unit's acked mark when it sent the packet.</summary>
        public long AckedSequence { get; private set; }

        /// <summary>Gets the base time, ms.</summary>
        public long BaseMillis { get; private set; }

        /// <summary>Gets the clock state of every record.</summary>
        public ClockState ClockState { get; private set; }

        /// <summary>Gets the uncertainty byte (the least certain record's).</summary>
        public int Uncertainty { get; private set; }

        /// <summary>Gets the number of passings.</summary>
        public int Count { get; private set; }

        /// <summary>Gets the number of crossings read whose index the chip list does not hold (their EPC is the index, 2 bytes).</summary>
        public int Unresolved { get; private set; }

        /// <summary>Tells whether a packet is a passing packet of an older version (which carries no tag).</summary>
        /// <param name="buffer">The packet.</param>
        /// <param name="length">Its length.</param>
        /// <returns><c>true</c> for a version-1 passing packet.</returns>
        public static bool IsVersion1(byte[] buffer, int length)
        {
            return length > 0 && buffer[0] == 0x11;
        }

        /// <summary>Takes a packet and checks its structure from header to tag.</summary>
        /// <param name="buffer">The packet (kept until the next load).</param>
        /// <param name="length">Bytes received.</param>
        /// <returns><c>null</c> when it is a well-formed passing packet of this version, else what is wrong.</returns>
        public string Load(byte[] buffer, int length)
        {
            _buffer = buffer;
            _length = 0;
            if (length < LoRaPassingPacket.OverheadBytes + LoRaPassingPacket.SmallestRecordBytes)
            {
                return "packet of " + length.ToString() + " bytes is shorter than the smallest passing packet";
            }

            if (buffer[0] != LoRaPassingPacket.FirstByte)
            {
                return IsVersion1(buffer, length)
                    ? "a version-1 passing packet (no tag): update the unit's firmware"
                    : "not a passing packet (first byte 0x" + ((int)buffer[0]).ToString("X2") + ")";
            }

            int state = buffer[22] & 0x03;
            if (state > (int)ClockState.Holdover || (buffer[22] & 0xC0) != 0)
            {
                return "header byte 22 is 0x" + ((int)buffer[22]).ToString("X2") + ": no such clock state";
            }

            int count = buffer[24];
            if (count < 1)
            {
                return "a packet of no records";
            }

            UnitId = LittleEndian.ReadUInt16(buffer, 1);
            JournalId = LittleEndian.ReadInt32(buffer, 3);
            FirstSequence = LoRaPassingPacket.ReadUInt48(buffer, 7);
            long backlog = buffer[13] | (buffer[14] << 8) | (buffer[15] << 16);
            AckedSequence = FirstSequence - 1 - backlog;
            if (AckedSequence < 0)
            {
                AckedSequence = 0;
            }

            BaseMillis = LoRaPassingPacket.ReadUInt48(buffer, 16);
            ClockState = (ClockState)state;
            Uncertainty = buffer[23];
            Count = count;

            // Walk every record once: a packet is taken whole or not at all.
            int end = length - LoRaPassingPacket.TagBytes;
            int at = LoRaPassingPacket.HeaderBytes;
            for (int i = 0; i < count; i++)
            {
                at = Skip(buffer, at, end);
                if (at < 0)
                {
                    return "record " + i.ToString() + " of " + count.ToString() + " is cut short or malformed";
                }
            }

            if (at != end)
            {
                return (end - at).ToString() + " bytes after the last of " + count.ToString() + " records";
            }

            _length = length;
            Rewind();
            return null;
        }

        /// <summary>Checks the loaded packet's tag (in constant time).</summary>
        /// <param name="key">The unit's command key, or <c>null</c> (then nothing is authentic).</param>
        /// <param name="hmac">HMAC-SHA256.</param>
        /// <returns><c>true</c> when the tag was made with the key.</returns>
        public bool IsAuthentic(byte[] key, IHmacSha256 hmac)
        {
            if (key == null || _length == 0)
            {
                return false;
            }

            int signed = _length - LoRaPassingPacket.TagBytes;
            hmac.Compute(key, _buffer, signed, _tag);
            int difference = 0;
            for (int i = 0; i < LoRaPassingPacket.TagBytes; i++)
            {
                difference |= _tag[i] ^ _buffer[signed + i];
            }

            return difference == 0;
        }

        /// <summary>Goes back to the first record.</summary>
        public void Rewind()
        {
            _at = LoRaPassingPacket.HeaderBytes;
            _read = 0;
            _flags = (_buffer[22] >> 2) & 0x0F;
            _previousMillis = BaseMillis;
            Unresolved = 0;
        }

        /// <summary>Reads the next record into a passing: what the packet carries, the read details zero.</summary>
        /// <param name="passing">Filled in.</param>
        /// <returns><c>false</c> after the last record.</returns>
        public bool Next(Passing passing)
        {
            if (_length == 0 || _read >= Count)
            {
                return false;
            }

            byte[] b = _buffer;
            int at = _at;
            int word = b[at] | (b[at + 1] << 8);
            at += 2;
            if (word == LoRaPassingPacket.WordFlags)
            {
                _flags = b[at] & 0x0F;
                word = b[at + 1] | (b[at + 2] << 8);
                at += 3;
            }

            passing.Kind = PassingKind.Crossing;
            passing.MarkerValue = 0;
            if (word == LoRaPassingPacket.WordEpc)
            {
                int n = b[at];
                System.Array.Copy(b, at + 1, passing.Epc, 0, n);
                passing.EpcLength = n;
                at += 1 + n;
            }
            else if (word == LoRaPassingPacket.WordMarker)
            {
                passing.Kind = (PassingKind)b[at];
                passing.MarkerValue = b[at + 1] | (b[at + 2] << 8) | (b[at + 3] << 16);
                passing.EpcLength = 0;
                at += 4;
            }
            else
            {
                int n = Chips == null ? 0 : Chips.EpcOf(word, passing.Epc);
                if (n == 0)
                {
                    // An index the gateway's list does not have (the lists differ): keep the index as a 2-byte EPC.
                    Unresolved++;
                    passing.Epc[0] = (byte)(word >> 8);
                    passing.Epc[1] = (byte)word;
                    n = 2;
                }

                passing.EpcLength = n;
            }

            long z = 0;
            int shift = 0;
            int next;
            do
            {
                next = b[at++];
                z |= (long)(next & 0x7F) << shift;
                shift += 7;
            }
            while ((next & 0x80) != 0);

            long millis = _previousMillis + ((z & 1) == 0 ? z >> 1 : -((z + 1) >> 1));
            _previousMillis = millis;
            _at = at;
            long time = millis * 1000;
            passing.UnitId = UnitId;
            passing.Sequence = FirstSequence + _read;
            passing.TimeUtcMicros = time;
            passing.FirstReadUtcMicros = time;
            passing.LastReadUtcMicros = time;
            passing.Hits = 0;
            passing.MaxRssiCentiDbm = 0;
            passing.BestAntenna = 0;
            passing.Flags = (PassingFlags)_flags;
            passing.ClockState = ClockState;
            passing.UncertaintyMicros = Uncertainty == LoRaPassingPacket.UnknownUncertainty ? MatTime.UnknownUncertainty : Uncertainty * 1000L;
            _read++;
            return true;
        }

        // The end of the record at `at`, or -1 when it does not fit before `end` or is malformed.
        private static int Skip(byte[] b, int at, int end)
        {
            if (at + 2 > end)
            {
                return -1;
            }

            int word = b[at] | (b[at + 1] << 8);
            at += 2;
            if (word == LoRaPassingPacket.WordFlags)
            {
                if (at + 3 > end || (b[at] & 0xF0) != 0)
                {
                    return -1;
                }

                word = b[at + 1] | (b[at + 2] << 8);
                at += 3;
                if (word == LoRaPassingPacket.WordFlags)
                {
                    return -1;
                }
            }

            if (word == LoRaPassingPacket.WordEpc)
            {
                if (at >= end || b[at] < 1 || b[at] > 62)
                {
                    return -1;
                }

                at += 1 + b[at];
            }
            else if (word == LoRaPassingPacket.WordMarker)
            {
                if (at + 4 > end || b[at] < 1 || b[at] > 3)
                {
                    return -1;
                }

                at += 4;
            }

            for (int i = 0; i < 4; i++)
            {
                if (at >= end)
                {
                    return -1;
                }

                if ((b[at++] & 0x80) == 0)
                {
                    return at;
                }
            }

            return -1;
        }
    }
}
