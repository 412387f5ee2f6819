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
    internal sealed class ChipTable
    {
        private const int Prime = 16777619;

        private readonly int _maxEpcBytes;
        private readonly int _wordsPerChip;
        private readonly int[] _words;
        private readonly int[] _key;
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

            // EPCs are kept as little-endian 32-bit words (the last one padded with zeros): a lookup builds the read's
            // words once and hashes and compares a word at a time, a quarter of the steps of a byte at a time.
            _wordsPerChip = (maxEpcBytes + 3) / 4;
            _words = new int[capacity * _wordsPerChip];
            _key = new int[_wordsPerChip];
            _length = new byte[capacity];
            _hash = new int[capacity];
            _free = new short[capacity];
            int buckets = BucketsFor(capacity);
            _buckets = new short[buckets];
            _mask = buckets - 1;
            for (int i = 0; i < capacity; i++)
            {
                _free[i] = (short)(capacity - 1 - i);
            }

            _freeCount = capacity;
        }

        /// <summary>Gets the index's buckets for a capacity: the power of two at least twice as many, 16 or more.</summary>
        /// <param name="capacity">Most chips held at once.</param>
        /// <returns>Buckets (2 bytes each).</returns>
        internal static int BucketsFor(int capacity)
        {
            int buckets = 16;
            while (buckets < capacity * 2)
            {
                buckets *= 2;
            }

            return buckets;
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

        /// <summary>Gets the bytes the table preallocates for its capacity (EPC words, lengths, hashes, index, free list).</summary>
        public int AllocatedBytes
        {
            get { return (_words.Length * 4) + _length.Length + (_hash.Length * 4) + (_buckets.Length * 2) + (_free.Length * 2) + (_key.Length * 4); }
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

            int hash = KeyOf(epc, from, length);
            int words = (length + 3) >> 2;
            int[] key = _key;
            int[] stored = _words;
            int[] hashes = _hash;
            short[] buckets = _buckets;
            int mask = _mask;
            int per = _wordsPerChip;
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
                    // Race chips differ in their last bytes: compare from the end.
                    int offset = entry * per;
                    int k = words - 1;
                    while (k >= 0 && stored[offset + k] == key[k])
                    {
                        k--;
                    }

                    if (k < 0)
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
            int hash = KeyOf(epc, 0, length);
            int offset = entry * _wordsPerChip;
            int words = (length + 3) >> 2;
            for (int k = 0; k < words; k++)
            {
                _words[offset + k] = _key[k];
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
            int offset = entry * _wordsPerChip;
            for (int i = 0; i < length; i++)
            {
                into[i] = (byte)(_words[offset + (i >> 2)] >> ((i & 3) << 3));
            }

            return length;
        }

        // Packs the EPC into _key (little-endian words, the last one zero padded) and returns its hash: FNV-style over
        // the words, then mixed so the index's low bits depend on all of them (race chip EPCs differ in their last bytes,
        // which land in a word's high bits).
        private int KeyOf(byte[] epc, int from, int length)
        {
            int[] key = _key;
            int hash = -2128831035 ^ length;
            if (length == 12)
            {
                // The 96-bit EPC of nearly every race chip, unrolled: the same words and hash as the loop below.
                int w0 = epc[from] | (epc[from + 1] << 8) | (epc[from + 2] << 16) | (epc[from + 3] << 24);
                int w1 = epc[from + 4] | (epc[from + 5] << 8) | (epc[from + 6] << 16) | (epc[from + 7] << 24);
                int w2 = epc[from + 8] | (epc[from + 9] << 8) | (epc[from + 10] << 16) | (epc[from + 11] << 24);
                key[0] = w0;
                key[1] = w1;
                key[2] = w2;
                hash = (((((hash ^ w0) * Prime) ^ w1) * Prime) ^ w2) * Prime;
            }
            else
            {
                int i = from;
                int whole = from + (length & ~3);
                int w = 0;
                while (i < whole)
                {
                    int value = epc[i] | (epc[i + 1] << 8) | (epc[i + 2] << 16) | (epc[i + 3] << 24);
                    key[w++] = value;
                    hash = (hash ^ value) * Prime;
                    i += 4;
                }

                int end = from + length;
                if (i < end)
                {
                    int value = 0;
                    for (int shift = 0; i < end; shift += 8)
                    {
                        value |= epc[i++] << shift;
                    }

                    key[w] = value;
                    hash = (hash ^ value) * Prime;
                }
            }

            // MurmurHash3's finaliser: every bit of every word reaches the index's low bits, whichever bytes differ.
            hash ^= (int)((uint)hash >> 16);
            hash *= -2048144789;
            hash ^= (int)((uint)hash >> 13);
            hash *= -1028477387;
            return hash ^ (int)((uint)hash >> 16);
        }
    }
}
