namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// The batches published and not yet answered by the collector: each one's first sequence number, passing count,
    /// publish time, publish order and whether it was a replay. Sized once (<see cref="OutboxOptions.MaxInFlightBatches"/>,
    /// at least 2); a batch answered or given up leaves its slot to the last one.
    /// </summary>
    /// <remarks>
    /// The columns are internal fields: the outbox walks them at every poll that has batches out (timeouts) and at every
    /// ack, and a property is a call on the device. Order in the table means nothing; <see cref="order"/> does.
    /// </remarks>
    internal sealed class InFlightWindow
    {
        /// <summary>Each batch's first sequence number.</summary>
        internal readonly long[] first;

        /// <summary>Each batch's number of passings.</summary>
        internal readonly int[] counts;

        /// <summary>Each batch's local publish time, µs.</summary>
        internal readonly long[] sentAt;

        /// <summary>Each batch's publish order (the collector receives batches in it).</summary>
        internal readonly long[] order;

        /// <summary>Whether each batch was a replay (a replay is not queued again when lost).</summary>
        internal readonly bool[] replay;

        /// <summary>The number of batches out.</summary>
        internal int count;

        /// <summary>The publish order the next batch gets.</summary>
        internal long nextOrder;

        /// <summary>Initializes a new instance of the <see cref="InFlightWindow"/> class.</summary>
        /// <param name="size">The most batches out at once.</param>
        internal InFlightWindow(int size)
        {
            first = new long[size];
            counts = new int[size];
            sentAt = new long[size];
            order = new long[size];
            replay = new bool[size];
        }

        /// <summary>Drops a batch (answered, or given up on); the last one takes its slot.</summary>
        /// <param name="index">The batch's slot.</param>
        internal void RemoveAt(int index)
        {
            int last = --count;
            first[index] = first[last];
            counts[index] = counts[last];
            sentAt[index] = sentAt[last];
            order[index] = order[last];
            replay[index] = replay[last];
        }

        /// <summary>Tells whether a batch out (not a replay) carries a sequence number.</summary>
        /// <param name="sequence">The sequence number.</param>
        /// <returns><c>true</c> when one does.</returns>
        internal bool Carries(long sequence)
        {
            for (int i = 0; i < count; i++)
            {
                if (!replay[i] && sequence >= first[i] && sequence < first[i] + counts[i])
                {
                    return true;
                }
            }

            return false;
        }
    }
}
