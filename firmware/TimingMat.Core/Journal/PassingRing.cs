using System.Threading;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Journal
{
    /// <summary>
    /// The RAM ring between the crossing detector (producer) and the journal (consumer): a fixed number of
    /// preallocated passing slots, single producer and single consumer, safe across two threads without a lock.
    /// </summary>
    /// <remarks>
    /// <para>When the ring is full it never overwrites: <see cref="TryAccept"/> returns <c>false</c> so the detector
    /// keeps the passing and offers it again (back-pressure), and the refusal is counted and raised as
    /// <see cref="FullAlarm"/> for the status report. Only the producer moves the tail and only the consumer moves the
    /// head; the shared count goes through <see cref="Interlocked"/>, whose full fence publishes a slot's contents
    /// before the other side can see it. Nothing here allocates after construction.</para>
    /// <para>Slots are columns of plain arrays, not <see cref="Passing"/> objects: a slot costs
    /// <see cref="SlotBytes"/> (64 bytes of fields and the EPC) where a passing object with its 62-byte EPC buffer
    /// costs <see cref="Passing.Bytes"/>, and on nanoFramework every object field takes a 12-byte heap block besides.
    /// Race chips carry 12-byte EPCs and the detector's chip table holds none longer than its own limit, so the ring
    /// stores EPCs up to that limit; a ring built without one keeps a reader's longest (62 bytes).</para>
    /// </remarks>
    public sealed class PassingRing : IPassingSink
    {
        // Fixed fields of a slot: kind, unit, sequence, EPC length, three times, hits, RSSI, antenna, clock state,
        // uncertainty, flags, marker value.
        private const int FieldBytes = 1 + 4 + 8 + 1 + 24 + 4 + 4 + 4 + 1 + 8 + 1 + 4;

        private readonly int _capacity;
        private readonly int _maxEpc;
        private readonly byte[] _kind;
        private readonly int[] _unitId;
        private readonly long[] _sequence;
        private readonly byte[] _epcLength;
        private readonly byte[] _epc;
        private readonly long[] _time;
        private readonly long[] _firstRead;
        private readonly long[] _lastRead;
        private readonly int[] _hits;
        private readonly int[] _rssi;
        private readonly int[] _antenna;
        private readonly byte[] _clockState;
        private readonly long[] _uncertainty;
        private readonly byte[] _flags;
        private readonly int[] _marker;

        // The consumer's copy of the oldest slot (Peek): one record for the whole ring.
        private readonly Passing _head0;
        private int _head;
        private int _tail;
        private int _count;
        private int _highWater;
        private int _refused;
        private int _fullEvents;
        private int _accepted;
        private bool _wasFull;

        /// <summary>Initializes a new instance of the <see cref="PassingRing"/> class holding EPCs up to a reader's longest.</summary>
        /// <param name="capacity">Number of passings the ring holds, at least 2.</param>
        /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="capacity"/> is below 2.</exception>
        public PassingRing(int capacity)
            : this(capacity, Reader.TagRead.MaxEpcBytes)
        {
        }

        /// <summary>Initializes a new instance of the <see cref="PassingRing"/> class.</summary>
        /// <param name="capacity">Number of passings the ring holds, at least 2.</param>
        /// <param name="maxEpcBytes">The longest EPC a slot holds, 1–62 (the chip table's limit in a mat unit).</param>
        /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="capacity"/> is below 2 or <paramref name="maxEpcBytes"/> is outside 1–62.</exception>
        public PassingRing(int capacity, int maxEpcBytes)
        {
            if (capacity < 2)
            {
                throw new System.ArgumentOutOfRangeException("capacity");
            }

            if (maxEpcBytes < 1 || maxEpcBytes > Reader.TagRead.MaxEpcBytes)
            {
                throw new System.ArgumentOutOfRangeException("maxEpcBytes");
            }

            _capacity = capacity;
            _maxEpc = maxEpcBytes;
            _kind = new byte[capacity];
            _unitId = new int[capacity];
            _sequence = new long[capacity];
            _epcLength = new byte[capacity];
            _epc = new byte[capacity * maxEpcBytes];
            _time = new long[capacity];
            _firstRead = new long[capacity];
            _lastRead = new long[capacity];
            _hits = new int[capacity];
            _rssi = new int[capacity];
            _antenna = new int[capacity];
            _clockState = new byte[capacity];
            _uncertainty = new long[capacity];
            _flags = new byte[capacity];
            _marker = new int[capacity];
            _head0 = new Passing(maxEpcBytes);
        }

        /// <summary>Gets the number of slots.</summary>
        public int Capacity
        {
            get { return _capacity; }
        }

        /// <summary>Gets the longest EPC a slot holds, in bytes.</summary>
        public int MaxEpcBytes
        {
            get { return _maxEpc; }
        }

        /// <summary>Gets the number of passings waiting for the consumer.</summary>
        public int Count
        {
            get { return Interlocked.CompareExchange(ref _count, 0, 0); }
        }

        /// <summary>Gets the largest <see cref="Count"/> seen since start.</summary>
        public int HighWater
        {
            get { return _highWater; }
        }

        /// <summary>Gets the number of passings taken since start.</summary>
        public int Accepted
        {
            get { return _accepted; }
        }

        /// <summary>Gets the number of offers refused because the ring was full (one passing may be refused several times).</summary>
        public int Refused
        {
            get { return _refused; }
        }

        /// <summary>Gets the number of times the ring went from not full to full.</summary>
        public int FullEvents
        {
            get { return _fullEvents; }
        }

        /// <summary>Gets a value indicating whether the ring is full now: the detector is being held back.</summary>
        public bool FullAlarm
        {
            get { return Count >= _capacity; }
        }

        /// <summary>What a ring of a capacity costs on the device heap: its slots and the consumer's record.</summary>
        /// <param name="capacity">Slots.</param>
        /// <param name="maxEpcBytes">The longest EPC a slot holds.</param>
        /// <returns>Bytes.</returns>
        public static int BytesFor(int capacity, int maxEpcBytes)
        {
            return (capacity * SlotBytes(maxEpcBytes)) + Passing.BytesWith(maxEpcBytes);
        }

        /// <summary>What one slot costs: its fields and its EPC.</summary>
        /// <param name="maxEpcBytes">The longest EPC a slot holds.</param>
        /// <returns>Bytes.</returns>
        public static int SlotBytes(int maxEpcBytes)
        {
            return FieldBytes + maxEpcBytes;
        }

        /// <summary>Copies a passing into the next free slot (producer side).</summary>
        /// <param name="passing">The passing; copied, so the caller may reuse it.</param>
        /// <returns><c>true</c> when taken; <c>false</c> when the ring is full (keep the passing and offer it again).</returns>
        /// <exception cref="System.ArgumentException">The passing's EPC is longer than <see cref="MaxEpcBytes"/> (a ring built for a shorter EPC than its producer makes).</exception>
        public bool TryAccept(Passing passing)
        {
            int count = Interlocked.CompareExchange(ref _count, 0, 0);
            if (count >= _capacity)
            {
                _refused++;
                if (!_wasFull)
                {
                    _wasFull = true;
                    _fullEvents++;
                }

                return false;
            }

            int length = passing.EpcLength;
            if (length > _maxEpc)
            {
                // Refusing would hold the detector back forever: the composition is wrong, say so at once.
                throw new System.ArgumentException("EPC of " + length.ToString() + " bytes in a ring of " + _maxEpc.ToString() + "-byte slots.");
            }

            _wasFull = false;
            int slot = _tail;
            _kind[slot] = (byte)passing.Kind;
            _unitId[slot] = passing.UnitId;
            _sequence[slot] = passing.Sequence;
            _epcLength[slot] = (byte)length;
            System.Array.Copy(passing.Epc, 0, _epc, slot * _maxEpc, length);
            _time[slot] = passing.TimeUtcMicros;
            _firstRead[slot] = passing.FirstReadUtcMicros;
            _lastRead[slot] = passing.LastReadUtcMicros;
            _hits[slot] = passing.Hits;
            _rssi[slot] = passing.MaxRssiCentiDbm;
            _antenna[slot] = passing.BestAntenna;
            _clockState[slot] = (byte)passing.ClockState;
            _uncertainty[slot] = passing.UncertaintyMicros;
            _flags[slot] = (byte)passing.Flags;
            _marker[slot] = passing.MarkerValue;
            _tail = slot + 1 == _capacity ? 0 : slot + 1;
            count = Interlocked.Increment(ref _count);
            if (count > _highWater)
            {
                _highWater = count;
            }

            _accepted++;
            return true;
        }

        /// <summary>Gets the oldest waiting passing without removing it (consumer side).</summary>
        /// <returns>
        /// A copy of it in the consumer's record, valid until the next <see cref="Peek"/> (the consumer may change it:
        /// the slot keeps the original); <c>null</c> when the ring is empty.
        /// </returns>
        public Passing Peek()
        {
            if (Interlocked.CompareExchange(ref _count, 0, 0) == 0)
            {
                return null;
            }

            int slot = _head;
            Passing record = _head0;
            record.Kind = (PassingKind)_kind[slot];
            record.UnitId = _unitId[slot];
            record.Sequence = _sequence[slot];
            int length = _epcLength[slot];
            System.Array.Copy(_epc, slot * _maxEpc, record.Epc, 0, length);
            record.EpcLength = length;
            record.TimeUtcMicros = _time[slot];
            record.FirstReadUtcMicros = _firstRead[slot];
            record.LastReadUtcMicros = _lastRead[slot];
            record.Hits = _hits[slot];
            record.MaxRssiCentiDbm = _rssi[slot];
            record.BestAntenna = _antenna[slot];
            record.ClockState = (Clock.ClockState)_clockState[slot];
            record.UncertaintyMicros = _uncertainty[slot];
            record.Flags = (PassingFlags)_flags[slot];
            record.MarkerValue = _marker[slot];
            return record;
        }

        /// <summary>Removes the oldest passing, after the consumer has stored it (consumer side).</summary>
        /// <returns><c>true</c> when one was removed; <c>false</c> when the ring was empty.</returns>
        public bool Remove()
        {
            if (Interlocked.CompareExchange(ref _count, 0, 0) == 0)
            {
                return false;
            }

            _head = _head + 1 == _capacity ? 0 : _head + 1;
            Interlocked.Decrement(ref _count);
            return true;
        }
    }
}
