namespace TimingMat.Core.Common
{
    /// <summary>
    /// CRC-32 as Ethernet, zlib and PNG compute it (polynomial 0x04C11DB7 reflected = 0xEDB88320, initial value and
    /// final XOR 0xFFFFFFFF; check value of "123456789" = 0xCBF43926). It frames journal records, batches and acks.
    /// </summary>
    /// <remarks>
    /// A 32-bit CRC rather than the readers' CRC-16: a torn flash page leaves arbitrary bytes, and the journal must
    /// never accept one as a passing; CRC-32 lets a random 60-byte blob through with odds of 1 in 4 billion.
    /// The table costs 1 KB of heap once.
    /// </remarks>
    public static class Crc32
    {
        /// <summary>Value to start an incremental computation with (<see cref="Update"/>).</summary>
        public const uint Initial = 0xFFFFFFFF;

        private static readonly uint[] s_table = BuildTable();

        /// <summary>Computes the CRC of a byte range.</summary>
        /// <param name="data">Source buffer.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The finished CRC.</returns>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Finish(Update(Initial, data, offset, count));
        }

        /// <summary>Feeds a byte range into a running CRC (start with <see cref="Initial"/>, end with <see cref="Finish"/>).</summary>
        /// <param name="crc">The running value.</param>
        /// <param name="data">Source buffer.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The new running value.</returns>
        public static uint Update(uint crc, byte[] data, int offset, int count)
        {
            // Four bytes a turn, the table in a local: on the interpreter the loop's own test and a static field load
            // cost as much as a byte's step.
            uint[] table = s_table;
            int i = offset;
            int end = offset + count;
            int quads = end - 3;
            while (i < quads)
            {
                crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
                crc = table[(crc ^ data[i + 1]) & 0xFF] ^ (crc >> 8);
                crc = table[(crc ^ data[i + 2]) & 0xFF] ^ (crc >> 8);
                crc = table[(crc ^ data[i + 3]) & 0xFF] ^ (crc >> 8);
                i += 4;
            }

            while (i < end)
            {
                crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
                i++;
            }

            return crc;
        }

        /// <summary>Turns a running value into the CRC.</summary>
        /// <param name="crc">The running value.</param>
        /// <returns>The CRC.</returns>
        public static uint Finish(uint crc)
        {
            return crc ^ 0xFFFFFFFF;
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
