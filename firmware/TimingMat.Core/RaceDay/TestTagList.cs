namespace TimingMat.Core.RaceDay
{
    /// <summary>
    /// EPC prefixes of the technicians' test tags (walk-through tags carried on race day): their passings are recorded
    /// but flagged <see cref="Passings.PassingFlags.TestTag"/>, so they show in the raw data and never in results.
    /// </summary>
    public sealed class TestTagList
    {
        /// <summary>Most prefixes held.</summary>
        public const int MaxPrefixes = 8;

        /// <summary>Longest prefix, in bytes.</summary>
        public const int MaxPrefixBytes = 16;

        private readonly byte[] _prefixes = new byte[MaxPrefixes * MaxPrefixBytes];
        private readonly int[] _lengths = new int[MaxPrefixes];
        private readonly byte[] _parsed = new byte[MaxPrefixBytes];

        /// <summary>Gets the number of prefixes.</summary>
        public int Count { get; private set; }

        /// <summary>Adds a prefix.</summary>
        /// <param name="prefix">Buffer holding the prefix.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">Its length, 1 to <see cref="MaxPrefixBytes"/>.</param>
        /// <returns><c>true</c> when added; <c>false</c> when the list is full or the length is out of range.</returns>
        public bool Add(byte[] prefix, int offset, int length)
        {
            if (Count == MaxPrefixes || length < 1 || length > MaxPrefixBytes || prefix == null || offset < 0 || offset + length > prefix.Length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                _prefixes[(Count * MaxPrefixBytes) + i] = prefix[offset + i];
            }

            _lengths[Count] = length;
            Count++;
            return true;
        }

        /// <summary>Adds a prefix written in hex, as commands and configuration files carry it (e.g. <c>"E2 80 11"</c> or <c>"E28011"</c>).</summary>
        /// <param name="hex">Hex digits, whole bytes; spaces, ':' and '-' are ignored.</param>
        /// <returns><c>true</c> when added; <c>false</c> when the text is not whole hex bytes, too long, or the list is full.</returns>
        public bool TryAddHex(string hex)
        {
            if (hex == null)
            {
                return false;
            }

            byte[] bytes = _parsed;
            int count = 0;
            int high = -1;
            for (int i = 0; i < hex.Length; i++)
            {
                char c = hex[i];
                if (c == ' ' || c == ':' || c == '-')
                {
                    continue;
                }

                int digit = Unit.ValueText.HexDigit(c);
                if (digit < 0)
                {
                    return false;
                }

                if (high < 0)
                {
                    high = digit;
                    continue;
                }

                if (count == MaxPrefixBytes)
                {
                    return false;
                }

                bytes[count++] = (byte)((high << 4) | digit);
                high = -1;
            }

            return high < 0 && Add(bytes, 0, count);
        }

        /// <summary>Removes every prefix.</summary>
        public void Clear()
        {
            Count = 0;
        }

        /// <summary>Tells whether an EPC starts with one of the prefixes.</summary>
        /// <param name="epc">Buffer holding the EPC.</param>
        /// <param name="length">EPC length in bytes.</param>
        /// <returns><c>true</c> for a test tag.</returns>
        public bool Matches(byte[] epc, int length)
        {
            for (int p = 0; p < Count; p++)
            {
                int prefixLength = _lengths[p];
                if (prefixLength > length)
                {
                    continue;
                }

                int start = p * MaxPrefixBytes;
                bool same = true;
                for (int i = 0; i < prefixLength && same; i++)
                {
                    same = epc[i] == _prefixes[start + i];
                }

                if (same)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
