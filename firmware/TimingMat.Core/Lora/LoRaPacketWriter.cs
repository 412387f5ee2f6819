using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// Writes a passing packet (<see cref="LoRaPassingPacket"/>, version 2) record by record into one reused buffer:
    /// <see cref="Begin"/>, <see cref="TryAdd"/> until it says no, <see cref="Finish"/> to count and sign it.
    /// Allocation-free.
    /// </summary>
    internal sealed class LoRaPacketWriter
    {
        private readonly byte[] _buffer = new byte[LoRaPassingPacket.MaxBytes];
        private readonly byte[] _tag = new byte[32];
        private int _length;
        private int _limit;
        private int _count;
        private int _flags;
        private int _clockState;
        private int _uncertainty;
        private long _previousMillis;

        /// <summary>Gets or sets the race's chip list, or <c>null</c> (every chip then goes with its EPC).</summary>
        public LoRaChipList Chips { get; set; }

        /// <summary>Gets the packet's buffer.</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>Gets the number of passings written.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Gets the number of crossings written whose chip was on no run of the list.</summary>
        public int Unlisted { get; private set; }

        /// <summary>Starts a packet whose first record will be <paramref name="first"/> (add it with <see cref="TryAdd"/>).</summary>
        /// <param name="unitId">Unit id.</param>
        /// <param name="journalId">Journal id.</param>
        /// <param name="first">The first passing (its sequence number, time and clock state make the header).</param>
        /// <param name="ackedSequence">The unit's acked mark.</param>
        /// <param name="maxBytes">The longest packet allowed (the airtime limit), at most 255.</param>
        public void Begin(int unitId, int journalId, Passing first, long ackedSequence, int maxBytes)
        {
            byte[] b = _buffer;
            long backlog = first.Sequence - 1 - (ackedSequence < 0 ? 0 : ackedSequence);
            backlog = backlog < 0 ? 0 : (backlog > LoRaPassingPacket.MaxBacklog ? LoRaPassingPacket.MaxBacklog : backlog);
            _previousMillis = LoRaPassingPacket.MillisOf(first);
            _flags = (int)first.Flags & 0x0F;
            _clockState = (int)first.ClockState & 0x03;
            _uncertainty = 0;
            b[0] = (byte)LoRaPassingPacket.FirstByte;
            LittleEndian.WriteUInt16(b, 1, unitId);
            LittleEndian.WriteInt32(b, 3, journalId);
            LoRaPassingPacket.WriteUInt48(b, 7, first.Sequence);
            b[13] = (byte)backlog;
            b[14] = (byte)(backlog >> 8);
            b[15] = (byte)(backlog >> 16);
            LoRaPassingPacket.WriteUInt48(b, 16, _previousMillis);
            b[22] = (byte)(_clockState | (_flags << 2));
            _length = LoRaPassingPacket.HeaderBytes;
            _limit = maxBytes > LoRaPassingPacket.MaxBytes ? LoRaPassingPacket.MaxBytes : maxBytes;
            _count = 0;
            Unlisted = 0;
        }

        /// <summary>Adds the next passing (the caller keeps sequence numbers consecutive).</summary>
        /// <param name="passing">The passing.</param>
        /// <returns><c>false</c> when it does not belong in this packet: no room, another clock state, or too far in time.</returns>
        public bool TryAdd(Passing passing)
        {
            if (_count >= LoRaPassingPacket.MaxRecords || ((int)passing.ClockState & 0x03) != _clockState)
            {
                return false;
            }

            long millis = LoRaPassingPacket.MillisOf(passing);
            long delta = millis - _previousMillis;
            if (delta > LoRaPassingPacket.MaxDeltaMillis || delta < -LoRaPassingPacket.MaxDeltaMillis)
            {
                return false;
            }

            int flags = (int)passing.Flags & 0x0F;
            int size = LoRaPassingPacket.DeltaBytes(delta) + (flags != _flags ? 5 : 2);
            int index = -1;
            int epcBytes = 0;
            if (passing.Kind == PassingKind.Crossing)
            {
                index = Chips == null ? -1 : Chips.IndexOf(passing.Epc, passing.EpcLength);
                if (index < 0)
                {
                    epcBytes = passing.EpcLength < 1 ? 1 : passing.EpcLength;
                    size += 1 + epcBytes;
                }
            }
            else
            {
                size += 4;
            }

            int room = _limit - LoRaPassingPacket.TagBytes - _length;
            if (size > room)
            {
                if (_count > 0 || index >= 0 || size - epcBytes + 1 > room)
                {
                    return false;
                }

                // A long EPC alone in a packet at a slow setting: its last bytes go, rather than nothing ever going.
                epcBytes -= size - room;
            }

            byte[] b = _buffer;
            int at = _length;
            if (flags != _flags)
            {
                b[at] = 0xFD;
                b[at + 1] = 0xFF;
                b[at + 2] = (byte)flags;
                at += 3;
                _flags = flags;
            }

            if (index >= 0)
            {
                b[at] = (byte)index;
                b[at + 1] = (byte)(index >> 8);
                at += 2;
            }
            else if (passing.Kind == PassingKind.Crossing)
            {
                Unlisted++;
                b[at] = 0xFE;
                b[at + 1] = 0xFF;
                b[at + 2] = (byte)epcBytes;
                at += 3;
                int skip = passing.EpcLength - epcBytes;
                for (int i = 0; i < epcBytes; i++)
                {
                    b[at + i] = skip + i >= 0 ? passing.Epc[skip + i] : (byte)0;
                }

                at += epcBytes;
            }
            else
            {
                int value = passing.MarkerValue;
                b[at] = 0xFF;
                b[at + 1] = 0xFF;
                b[at + 2] = (byte)passing.Kind;
                b[at + 3] = (byte)value;
                b[at + 4] = (byte)(value >> 8);
                b[at + 5] = (byte)(value >> 16);
                at += 6;
            }

            long z = delta >= 0 ? delta << 1 : ((-delta) << 1) - 1;
            while (z >= 0x80)
            {
                b[at++] = (byte)(z | 0x80);
                z >>= 7;
            }

            b[at++] = (byte)z;
            _length = at;
            _previousMillis = millis;
            int u = LoRaPassingPacket.UncertaintyByte(passing.UncertaintyMicros);
            if (u > _uncertainty)
            {
                _uncertainty = u;
            }

            _count++;
            return true;
        }

        /// <summary>Writes the count and the uncertainty, and signs the packet.</summary>
        /// <param name="key">The unit's command key.</param>
        /// <param name="hmac">HMAC-SHA256.</param>
        /// <returns>The packet's length.</returns>
        public int Finish(byte[] key, IHmacSha256 hmac)
        {
            byte[] b = _buffer;
            b[23] = (byte)_uncertainty;
            b[24] = (byte)_count;
            hmac.Compute(key, b, _length, _tag);
            for (int i = 0; i < LoRaPassingPacket.TagBytes; i++)
            {
                b[_length + i] = _tag[i];
            }

            return _length + LoRaPassingPacket.TagBytes;
        }
    }
}
