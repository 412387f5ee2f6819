namespace TimingMat.Core.Crossings
{
    /// <summary>
    /// The chips a mat unit currently follows, keyed by EPC: a fixed number of entries and an open-addressing index
    /// (linear probing, backward-shift deletion), so finding, adding and removing a chip allocates nothing.
    /// </summary>
    /// <remarks>
    /// Entries are numbered 0 to <see cref="Capacity"/> − 1 and stay put while used, so the detector keeps each chip's
    /// state in parallel arrays indexed by entry. The index has at least twice as many buckets as entries, which
    /// keeps probe runs short at full load.
    /// </remarks>
    public sealed class ChipTable
    {
        private const int FnvOffset = -2128831035;
        private const int FnvPrime = 16777619;

        private readonly int _maxEpcBytes;
        private readonly byte[] _epc;
        private readonly byte[] _length;
        private readonly int[] _hash;
        private readonly short[] _buckets;
        private readonly short[] _free;
        private readonly int _mask;
        private int _freeCount;

        /// <summary>Initializes a new instance of the <see cref="ChipTable"/> class.</summary>
        /// <param name="capacity">Most chips held at once, 1–16384.</param>
        /// <param name="maxEpcBytes">Longest EPC stored, in bytes.</param>
        public ChipTable(int capacity, int maxEpcBytes)
        {
            Capacity = capacity;
            _maxEpcBytes = maxEpcBytes;
            _epc = new byte[capacity * maxEpcBytes];
            _length = new byte[capacity];
            _hash = new int[capacity];
            _free = new short[capacity];
            int buckets = 16;
            while (buckets < capacity * 2)
            {
                buckets *= 2;
            }

            _buckets = new short[buckets];
            _mask = buckets - 1;
            for (int i = 0; i < capacity; i++)
            {
                _free[i] = (short)(capacity - 1 - i);
            }

            _freeCount = capacity;
        }

        /// <summary>Gets the most chips the table holds.</summary>
        public int Capacity { get; private set; }

        /// <summary>Gets the number of chips held.</summary>
        public int Count
        {
            get { return Capacity - _freeCount; }
        }

        /// <summary>Gets the longest EPC the table stores, in bytes.</summary>
        public int MaxEpcBytes
        {
            get { return _maxEpcBytes; }
        }

        /// <summary>Finds a chip.</summary>
        /// <param name="epc">Buffer holding the EPC.</param>
        /// <param name="length">EPC length in bytes.</param>
        /// <returns>The chip's entry, or -1 when the table does not hold it.</returns>
        public int Find(byte[] epc, int length)
        {
            return Find(epc, 0, length);
        }

        /// <summary>Finds a chip by an EPC anywhere in a buffer.</summary>
        /// <param name="epc">Buffer holding the EPC.</param>
        /// <param name="from">Index of the EPC's first byte.</param>
        /// <param name="length">EPC length in bytes.</param>
        /// <returns>The chip's entry, or -1 when the table does not hold it.</returns>
        public int Find(byte[] epc, int from, int length)
        {
            if (length <= 0 || length > _maxEpcBytes)
            {
                return -1;
            }

            // FNV-1a inline (the hash and the compare run once per read: a call each would cost as much as the loop).
            int hash = FnvOffset;
            int last = from + length;
            for (int i = from; i < last; i++)
            {
                hash = (hash ^ epc[i]) * FnvPrime;
            }

            short[] buckets = _buckets;
            int[] hashes = _hash;
            byte[] stored = _epc;
            int mask = _mask;
            int bucket = hash & mask;
            while (true)
            {
                int entry = buckets[bucket] - 1;
                if (entry < 0)
                {
                    return -1;
                }

                if (hashes[entry] == hash && _length[entry] == length)
                {
                    int offset = entry * _maxEpcBytes;
                    int i = length - 1;

                    // Race chips differ in their last bytes: compare from the end.
                    while (i >= 0 && stored[offset + i] == epc[from + i])
                    {
                        i--;
                    }

                    if (i < 0)
                    {
                        return entry;
                    }
                }

                bucket = (bucket + 1) & mask;
            }
        }

        /// <summary>Adds a chip the table does not hold yet.</summary>
        /// <param name="epc">Buffer holding the EPC.</param>
        /// <param name="length">EPC length in bytes, 1 to <see cref="MaxEpcBytes"/>.</param>
        /// <returns>The new entry, or -1 when the table is full or the EPC is empty or too long.</returns>
        public int Add(byte[] epc, int length)
        {
            if (_freeCount == 0 || length <= 0 || length > _maxEpcBytes)
            {
                return -1;
            }

            int entry = _free[--_freeCount];
            int hash = Hash(epc, length);
            int offset = entry * _maxEpcBytes;
            for (int i = 0; i < length; i++)
            {
                _epc[offset + i] = epc[i];
            }

            _length[entry] = (byte)length;
            _hash[entry] = hash;
            int bucket = hash & _mask;
            while (_buckets[bucket] != 0)
            {
                bucket = (bucket + 1) & _mask;
            }

            _buckets[bucket] = (short)(entry + 1);
            return entry;
        }

        /// <summary>Removes a chip and frees its entry.</summary>
        /// <param name="entry">A used entry.</param>
        public void Remove(int entry)
        {
            if (entry < 0 || entry >= Capacity || _length[entry] == 0)
            {
                return;
            }

            int hole = _hash[entry] & _mask;
            while (_buckets[hole] != entry + 1)
            {
                hole = (hole + 1) & _mask;
            }

            // Backward-shift deletion: pull later members of the probe run into the hole so lookups never stop early.
            _buckets[hole] = 0;
            int next = hole;
            while (true)
            {
                next = (next + 1) & _mask;
                int moved = _buckets[next] - 1;
                if (moved < 0)
                {
                    break;
                }

                int home = _hash[moved] & _mask;
                bool stays = hole <= next ? (home > hole && home <= next) : (home > hole || home <= next);
                if (!stays)
                {
                    _buckets[hole] = _buckets[next];
                    _buckets[next] = 0;
                    hole = next;
                }
            }

            _length[entry] = 0;
            _free[_freeCount++] = (short)entry;
        }

        /// <summary>Tells whether an entry holds a chip.</summary>
        /// <param name="entry">The entry.</param>
        /// <returns><c>true</c> when used.</returns>
        public bool IsUsed(int entry)
        {
            return entry >= 0 && entry < Capacity && _length[entry] != 0;
        }

        /// <summary>Gets the EPC length of an entry (0 when free).</summary>
        /// <param name="entry">The entry.</param>
        /// <returns>The length in bytes.</returns>
        public int EpcLength(int entry)
        {
            return _length[entry];
        }

        /// <summary>Copies an entry's EPC into a buffer.</summary>
        /// <param name="entry">A used entry.</param>
        /// <param name="into">Buffer of at least <see cref="MaxEpcBytes"/> bytes.</param>
        /// <returns>The EPC length in bytes.</returns>
        public int CopyEpc(int entry, byte[] into)
        {
            int length = _length[entry];
            System.Array.Copy(_epc, entry * _maxEpcBytes, into, 0, length);
            return length;
        }

        private static int Hash(byte[] epc, int length)
        {
            // FNV-1a: cheap, and mixes the last bytes well (race chip EPCs often differ only in their last bytes).
            int hash = FnvOffset;
            for (int i = 0; i < length; i++)
            {
                hash = (hash ^ epc[i]) * FnvPrime;
            }

            return hash;
        }
    }
}
