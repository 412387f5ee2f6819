namespace TimingMat.Core.Crossings
{
    /// <summary>
    /// The detector's table of open crossings: a fixed number of slots, each one chip's crossing in progress (its
    /// first, last and strongest reads so far), a free list, and the open slots in ascending order so a poll visits
    /// only those. Allocated once; opening and releasing a slot allocate nothing.
    /// </summary>
    /// <remarks>
    /// The columns are fields the detector reads and writes directly on every read: on the board every call costs
    /// several µs, a field access a fraction of one.
    /// </remarks>
    internal sealed class OpenCrossings
    {
        /// <summary>Per slot: the chip (its entry in the chip table), or −1 when the slot is free.</summary>
        internal readonly short[] Chip;

        /// <summary>Per slot: local µs the crossing opened at; kept reads and the strongest reads' times are offsets from it.</summary>
        internal readonly long[] Base;

        /// <summary>Per slot: local µs of the earliest read.</summary>
        internal readonly long[] First;

        /// <summary>Per slot: local µs of the latest read.</summary>
        internal readonly long[] Last;

        /// <summary>Per slot: local µs of the latest read at the strongest level (Peak mode closes a reaction window after it).</summary>
        internal readonly long[] LastPeak;

        /// <summary>Per slot: sum of the offsets from <see cref="Base"/> of the reads at the strongest level.</summary>
        internal readonly long[] MaxTimeSum;

        /// <summary>Per slot: number of reads at the strongest level.</summary>
        internal readonly int[] MaxCount;

        /// <summary>Per slot: the strongest RSSI in centi-dBm.</summary>
        internal readonly int[] MaxRssi;

        /// <summary>Per slot: the mat antenna (<see cref="MatAntenna"/>) of the first read at the strongest level.</summary>
        internal readonly byte[] BestAntenna;

        /// <summary>Per slot: reads of the crossing (in Continuous mode, of the current interval).</summary>
        internal readonly int[] Hits;

        /// <summary>Per slot: the chip stands in the field; it closes only once gone, not at its peak.</summary>
        internal readonly bool[] Lingering;

        /// <summary>Per slot: the passing is flagged stray.</summary>
        internal readonly bool[] Stray;

        /// <summary>Per slot: due but waiting for its fit (a poll runs at most one peak fit, so a poll stays short).</summary>
        internal readonly bool[] Closing;

        /// <summary>The open slots in ascending order, <see cref="OpenCount"/> of them: a poll visits them in the order a full scan would.</summary>
        internal readonly short[] Open;

        /// <summary>The number of open slots.</summary>
        internal int OpenCount;

        /// <summary>The number of free slots.</summary>
        internal int FreeCount;

        private readonly short[] _free;

        /// <summary>Initializes a new instance of the <see cref="OpenCrossings"/> class with every slot free.</summary>
        /// <param name="capacity">Most crossings open at once.</param>
        internal OpenCrossings(int capacity)
        {
            Chip = new short[capacity];
            Base = new long[capacity];
            First = new long[capacity];
            Last = new long[capacity];
            LastPeak = new long[capacity];
            MaxTimeSum = new long[capacity];
            MaxCount = new int[capacity];
            MaxRssi = new int[capacity];
            BestAntenna = new byte[capacity];
            Hits = new int[capacity];
            Lingering = new bool[capacity];
            Stray = new bool[capacity];
            Closing = new bool[capacity];
            Open = new short[capacity];
            _free = new short[capacity];
            for (int s = 0; s < capacity; s++)
            {
                Chip[s] = -1;
                _free[s] = (short)(capacity - 1 - s);
            }

            FreeCount = capacity;
        }

        /// <summary>Opens a crossing for a chip in a free slot, without reads yet.</summary>
        /// <param name="chip">The chip's entry in the chip table.</param>
        /// <param name="now">Local µs: the crossing's base time.</param>
        /// <param name="lingering">Whether the chip never left since its last passing (it stands in the field).</param>
        /// <returns>The slot, or −1 when every slot is taken.</returns>
        internal int Take(int chip, long now, bool lingering)
        {
            if (FreeCount == 0)
            {
                return -1;
            }

            int slot = _free[--FreeCount];
            Chip[slot] = (short)chip;
            Base[slot] = now;
            Hits[slot] = 0;
            Lingering[slot] = lingering;
            Stray[slot] = false;
            Closing[slot] = false;
            short[] open = Open;
            int k = OpenCount;
            while (k > 0 && open[k - 1] > slot)
            {
                open[k] = open[k - 1];
                k--;
            }

            open[k] = (short)slot;
            OpenCount++;
            return slot;
        }

        /// <summary>Frees a slot and takes it out of the open ones.</summary>
        /// <param name="slot">The slot, its crossing closed.</param>
        internal void Release(int slot)
        {
            Chip[slot] = -1;
            _free[FreeCount++] = (short)slot;
            short[] open = Open;
            int k = 0;
            while (open[k] != slot)
            {
                k++;
            }

            OpenCount--;
            for (; k < OpenCount; k++)
            {
                open[k] = open[k + 1];
            }
        }

        /// <summary>Finds the open crossing with the earliest first read: the one closed early when room runs out.</summary>
        /// <returns>Its slot, or −1 when none is open.</returns>
        internal int Oldest()
        {
            int oldest = -1;
            for (int k = 0; k < OpenCount; k++)
            {
                int s = Open[k];
                if (oldest < 0 || First[s] < First[oldest])
                {
                    oldest = s;
                }
            }

            return oldest;
        }

        /// <summary>Gets the mean local µs of a crossing's reads at its strongest level.</summary>
        /// <param name="slot">The slot (with at least one read).</param>
        /// <returns>Local µs.</returns>
        internal long StrongestReadTime(int slot)
        {
            return Base[slot] + (MaxTimeSum[slot] / MaxCount[slot]);
        }
    }
}
