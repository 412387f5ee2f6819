using TimingMat.Core.Passings;

namespace TimingMat.Core.Crossings
{
    /// <summary>
    /// Finished passings waiting for the sink, oldest first: a ring of preallocated <see cref="Passing"/> records that
    /// producers fill in place, so queueing allocates nothing and a refused passing stays queued until the sink takes it.
    /// </summary>
    internal sealed class PassingQueue
    {
        /// <summary>The number of passings waiting (a field: the detector checks it twice a poll, and on the board a property is a call).</summary>
        internal int Count;

        private readonly Passing[] _ring;
        private int _head;

        /// <summary>Initializes a new instance of the <see cref="PassingQueue"/> class.</summary>
        /// <param name="capacity">Most passings held.</param>
        /// <param name="maxEpcBytes">The longest EPC a record holds (the chip table's limit: no longer chip is ever followed).</param>
        public PassingQueue(int capacity, int maxEpcBytes)
        {
            _ring = new Passing[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _ring[i] = new Passing(maxEpcBytes);
            }
        }

        /// <summary>Gets the number of free places.</summary>
        public int Free
        {
            get { return _ring.Length - Count; }
        }

        /// <summary>Returns the record at the tail to fill in place; <see cref="Commit"/> makes it part of the queue.</summary>
        /// <returns>The record, or <c>null</c> when the queue is full.</returns>
        public Passing Reserve()
        {
            if (Count == _ring.Length)
            {
                return null;
            }

            Passing record = _ring[(_head + Count) % _ring.Length];
            record.Sequence = Passing.NoSequence;
            record.Flags = PassingFlags.None;
            record.MarkerValue = 0;
            return record;
        }

        /// <summary>Appends the record last returned by <see cref="Reserve"/>.</summary>
        public void Commit()
        {
            Count++;
        }

        /// <summary>Offers queued passings to a sink, oldest first, until it refuses one or the queue is empty.</summary>
        /// <param name="sink">The sink.</param>
        /// <param name="refused">Set when the sink refused a passing (back-pressure).</param>
        /// <returns>The number of passings the sink took.</returns>
        public int FlushTo(IPassingSink sink, out bool refused)
        {
            refused = false;
            int taken = 0;
            while (Count > 0)
            {
                if (!sink.TryAccept(_ring[_head]))
                {
                    refused = true;
                    break;
                }

                _head = (_head + 1) % _ring.Length;
                Count--;
                taken++;
            }

            return taken;
        }
    }
}
