namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// A run of sequence numbers still to send, <see cref="Next"/> … <see cref="End"/>: the outbox's backlog and
    /// replay flows. Adding a run that does not touch it widens it over the gap: sending a few passings twice is
    /// harmless, keeping a list of holes on a 100 KB heap is not.
    /// </summary>
    public sealed class SequenceRange
    {
        /// <summary>Initializes a new instance of the <see cref="SequenceRange"/> class, empty.</summary>
        public SequenceRange()
        {
            Next = 1;
            End = 0;
        }

        /// <summary>Gets the next sequence number to send.</summary>
        public long Next { get; private set; }

        /// <summary>Gets the last sequence number to send.</summary>
        public long End { get; private set; }

        /// <summary>Gets a value indicating whether nothing is left.</summary>
        public bool IsEmpty
        {
            get { return Next > End; }
        }

        /// <summary>Gets how many sequence numbers are left.</summary>
        public long Count
        {
            get { return IsEmpty ? 0 : End - Next + 1; }
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

            if (IsEmpty)
            {
                Next = from;
                End = to;
                return;
            }

            Next = from < Next ? from : Next;
            End = to > End ? to : End;
        }

        /// <summary>Drops everything below a sequence number (sent, or acknowledged).</summary>
        /// <param name="sequence">The new lowest sequence number left.</param>
        public void SkipTo(long sequence)
        {
            if (Next < sequence)
            {
                Next = sequence;
            }
        }

        /// <summary>Tells whether a sequence number is still to send.</summary>
        /// <param name="sequence">Sequence number.</param>
        /// <returns><c>true</c> when it lies in the run.</returns>
        public bool Contains(long sequence)
        {
            return sequence >= Next && sequence <= End;
        }
    }
}
