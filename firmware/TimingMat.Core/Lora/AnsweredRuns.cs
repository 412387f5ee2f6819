namespace TimingMat.Core.Lora
{
    /// <summary>
    /// The runs of passings above the journal's acked mark that the gateway has answered for (it holds them, but a gap
    /// before them keeps the acked number back), so the LoRa fallback does not send them again. At most
    /// <see cref="LoRaUplink.MaxAnsweredRuns"/>; when full, the lowest run is forgotten and sent again. Preallocated.
    /// </summary>
    internal sealed class AnsweredRuns
    {
        /// <summary>Each run's first sequence number, by run index.</summary>
        internal readonly long[] From = new long[LoRaUplink.MaxAnsweredRuns];

        /// <summary>Each run's last sequence number, by run index.</summary>
        internal readonly long[] To = new long[LoRaUplink.MaxAnsweredRuns];

        private int _count;

        /// <summary>Finds the run holding a sequence number.</summary>
        /// <param name="sequence">The sequence number.</param>
        /// <returns>The run's index into <see cref="From"/> and <see cref="To"/>, or -1.</returns>
        internal int Holding(long sequence)
        {
            for (int i = 0; i < _count; i++)
            {
                if (From[i] <= sequence && sequence <= To[i])
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Gets the end of the highest run below a sequence number.</summary>
        /// <param name="sequence">The sequence number.</param>
        /// <param name="floor">What to return when no run ends between it and the sequence number.</param>
        /// <returns>The run's last sequence number, or <paramref name="floor"/>.</returns>
        internal long Below(long sequence, long floor)
        {
            long best = floor;
            for (int i = 0; i < _count; i++)
            {
                if (To[i] < sequence && To[i] > best)
                {
                    best = To[i];
                }
            }

            return best;
        }

        /// <summary>Gets the start of the lowest run above a sequence number.</summary>
        /// <param name="sequence">The sequence number.</param>
        /// <param name="ceiling">One less than what to return when no run starts between the sequence number and it.</param>
        /// <returns>The run's first sequence number, or <paramref name="ceiling"/> + 1.</returns>
        internal long Above(long sequence, long ceiling)
        {
            long best = ceiling + 1;
            for (int i = 0; i < _count; i++)
            {
                if (From[i] > sequence && From[i] < best)
                {
                    best = From[i];
                }
            }

            return best;
        }

        /// <summary>Remembers a run as answered, joined to a run it touches.</summary>
        /// <param name="from">The first sequence number.</param>
        /// <param name="to">The last.</param>
        internal void Mark(long from, long to)
        {
            // Join a run it touches; else take a slot, dropping the lowest run when all are taken (it is sent again).
            for (int i = 0; i < _count; i++)
            {
                if (from <= To[i] + 1 && to >= From[i] - 1)
                {
                    From[i] = from < From[i] ? from : From[i];
                    To[i] = to > To[i] ? to : To[i];
                    return;
                }
            }

            if (_count == LoRaUplink.MaxAnsweredRuns)
            {
                int lowest = 0;
                for (int i = 1; i < _count; i++)
                {
                    if (From[i] < From[lowest])
                    {
                        lowest = i;
                    }
                }

                Remove(lowest);
            }

            From[_count] = from;
            To[_count] = to;
            _count++;
        }

        /// <summary>Forgets the runs the acked mark has passed.</summary>
        /// <param name="acked">The journal's acked sequence number.</param>
        internal void ForgetUpTo(long acked)
        {
            for (int i = _count - 1; i >= 0; i--)
            {
                if (To[i] <= acked)
                {
                    Remove(i);
                }
            }
        }

        private void Remove(int i)
        {
            _count--;
            From[i] = From[_count];
            To[i] = To[_count];
        }
    }
}
