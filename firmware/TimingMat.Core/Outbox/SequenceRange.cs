namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// A run of sequence numbers still to send, <see cref="Next"/> … <see cref="End"/>: the outbox's backlog and
    /// replay flows. Adding a run that does not touch it widens it over the gap: sending a few passings twice is
    /// harmless, keeping a list of holes on a 100 KB heap is not.
    /// </summary>
    internal sealed class SequenceRange
    {
        // Fields the outbox reads in its polls (a property is a call on the device).
        internal long next = 1;
        internal long end;

        /// <summary>Gets the next sequence number to send.</summary>
        public long Next
        {
            get { return next; }
        }

        /// <summary>Gets the last sequence number to send.</summary>
        public long End
        {
            get { return end; }
        }

        /// <summary>Gets a value indicating whether nothing is left.</summary>
        public bool IsEmpty
        {
            get { return next > end; }
        }

        /// <summary>Gets how many sequence numbers are left.</summary>
        public long Count
        {
            get { return next > end ? 0 : end - next + 1; }
        }

        /// <summary>Adds a run, merging it with what is there.</summary>
        /// <param name="from">First sequence number.</param>
        /// <param name="to">Last sequence number; nothing is added when it is below <paramref name="from"/>.</param>
        public void Add(long from, long to)
        {
            if (from > to)
            {
                return;
            }

            if (next > end)
            {
                next = from;
                end = to;
                return;
            }

            next = from < next ? from : next;
            end = to > end ? to : end;
        }

        /// <summary>Drops everything below a sequence number (sent, or acknowledged).</summary>
        /// <param name="sequence">The new lowest sequence number left.</param>
        public void SkipTo(long sequence)
        {
            if (next < sequence)
            {
                next = sequence;
            }
        }

        /// <summary>Tells whether a sequence number is still to send.</summary>
        /// <param name="sequence">Sequence number.</param>
        /// <returns><c>true</c> when it lies in the run.</returns>
        public bool Contains(long sequence)
        {
            return sequence >= next && sequence <= end;
        }
    }
}
