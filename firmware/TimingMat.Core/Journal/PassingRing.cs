using System.Threading;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Journal
{
    /// <summary>
    /// The RAM ring between the crossing detector (producer) and the journal (consumer): a fixed number of
    /// preallocated passing slots, single producer and single consumer, safe across two threads without a lock.
    /// </summary>
    /// <remarks>
    /// When the ring is full it never overwrites: <see cref="TryAccept"/> returns <c>false</c> so the detector keeps
    /// the passing and offers it again (back-pressure), and the refusal is counted and raised as
    /// <see cref="FullAlarm"/> for the status report. Only the producer moves the tail and only the consumer moves the
    /// head; the shared count goes through <see cref="Interlocked"/>, whose full fence publishes a slot's contents
    /// before the other side can see it. Nothing here allocates after construction.
    /// </remarks>
    public sealed class PassingRing : IPassingSink
    {
        private readonly Passing[] _slots;
        private int _head;
        private int _tail;
        private int _count;
        private int _highWater;
        private int _refused;
        private int _fullEvents;
        private int _accepted;
        private bool _wasFull;

        /// <summary>Initializes a new instance of the <see cref="PassingRing"/> class.</summary>
        /// <param name="capacity">Number of passings the ring holds, at least 2.</param>
        /// <exception cref="System.ArgumentOutOfRangeException"><paramref name="capacity"/> is below 2.</exception>
        public PassingRing(int capacity)
        {
            if (capacity < 2)
            {
                throw new System.ArgumentOutOfRangeException("capacity");
            }

            _slots = new Passing[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _slots[i] = new Passing();
            }
        }

        /// <summary>Gets the number of slots.</summary>
        public int Capacity
        {
            get { return _slots.Length; }
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
            get { return Count >= _slots.Length; }
        }

        /// <summary>Copies a passing into the next free slot (producer side).</summary>
        /// <param name="passing">The passing; copied, so the caller may reuse it.</param>
        /// <returns><c>true</c> when taken; <c>false</c> when the ring is full (keep the passing and offer it again).</returns>
        public bool TryAccept(Passing passing)
        {
            int count = Interlocked.CompareExchange(ref _count, 0, 0);
            if (count >= _slots.Length)
            {
                _refused++;
                if (!_wasFull)
                {
                    _wasFull = true;
                    _fullEvents++;
                }

                return false;
            }

            _wasFull = false;
            _slots[_tail].CopyFrom(passing);
            _tail = _tail + 1 == _slots.Length ? 0 : _tail + 1;
            count = Interlocked.Increment(ref _count);
            if (count > _highWater)
            {
                _highWater = count;
            }

            _accepted++;
            return true;
        }

        /// <summary>Gets the oldest waiting passing without removing it (consumer side).</summary>
        /// <returns>The slot, valid until <see cref="Remove"/>; <c>null</c> when the ring is empty.</returns>
        public Passing Peek()
        {
            return Interlocked.CompareExchange(ref _count, 0, 0) == 0 ? null : _slots[_head];
        }

        /// <summary>Removes the oldest passing, after the consumer has stored it (consumer side).</summary>
        /// <returns><c>true</c> when one was removed; <c>false</c> when the ring was empty.</returns>
        public bool Remove()
        {
            if (Interlocked.CompareExchange(ref _count, 0, 0) == 0)
            {
                return false;
            }

            _head = _head + 1 == _slots.Length ? 0 : _head + 1;
            Interlocked.Decrement(ref _count);
            return true;
        }
    }
}
