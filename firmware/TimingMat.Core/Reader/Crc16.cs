namespace TimingMat.Core.Reader
{
    /// <summary>
    /// The two CRC-16s of the reader protocols, both on polynomial 0x1021 (MSB first), table-driven.
    /// </summary>
    /// <remarks>
    /// <para><see cref="Mercury"/> is the ThingMagic frame CRC: register 0xFFFF, message bits shifted <em>into</em> the
    /// register ("augmented" form, no zero bytes appended). It is not CRC-16/CCITT-FALSE (that gives 0x2D6C for
    /// <c>00 03</c>, Mercury gives 0x1D0C). The byte table gives the same result as the nibble table of
    /// <c>serial_reader_l3.c</c>: within eight shifts the feedback depends only on the register's top byte.</para>
    /// <para><see cref="Gen2"/> is the Gen2 tag CRC (CRC-16/GENIBUS: init 0xFFFF, xorout 0xFFFF) over PC (+XPC) + EPC.</para>
    /// </remarks>
    public static class Crc16
    {
        /// <summary>The generator polynomial, x^16 + x^12 + x^5 + 1.</summary>
        public const int Polynomial = 0x1021;

        // Entry h: the feedback of shifting a top byte h out of the register, i.e. the CRC-CCITT table.
        private static readonly int[] s_table = BuildTable();

        // Entry h: the feedback of shifting a top byte h out through sixteen shifts (two bytes). The feedback is linear,
        // so two bytes at once are (b0 b1) ^ s_pair[high byte] ^ s_table[low byte]: no mask, half the steps.
        private static readonly int[] s_pair = BuildPairTable(s_table);

        /// <summary>Computes the ThingMagic Mercury frame CRC.</summary>
        /// <param name="buffer">Bytes to check: for a frame, LEN through the last data byte (the 0xFF header excluded).</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The CRC, 0..0xFFFF, sent big-endian after the data.</returns>
        public static int Mercury(byte[] buffer, int offset, int count)
        {
            // Two bytes a step and eight a turn: on the interpreter every instruction counts (~12 a byte instead of ~18).
            int[] pair = s_pair;
            int[] table = s_table;
            int crc = 0xFFFF;
            int i = offset;
            int end = offset + count;
            int octets = end - 7;
            while (i < octets)
            {
                crc = ((buffer[i] << 8) | buffer[i + 1]) ^ pair[crc >> 8] ^ table[crc & 0xFF];
                crc = ((buffer[i + 2] << 8) | buffer[i + 3]) ^ pair[crc >> 8] ^ table[crc & 0xFF];
                crc = ((buffer[i + 4] << 8) | buffer[i + 5]) ^ pair[crc >> 8] ^ table[crc & 0xFF];
                crc = ((buffer[i + 6] << 8) | buffer[i + 7]) ^ pair[crc >> 8] ^ table[crc & 0xFF];
                i += 8;
            }

            int pairs = end - 1;
            while (i < pairs)
            {
                crc = ((buffer[i] << 8) | buffer[i + 1]) ^ pair[crc >> 8] ^ table[crc & 0xFF];
                i += 2;
            }

            if (i < end)
            {
                crc = (((crc << 8) | buffer[i]) ^ table[crc >> 8]) & 0xFFFF;
            }

            return crc;
        }

        /// <summary>Computes the Gen2 tag CRC-16 (CRC-16/GENIBUS) that a tag backscatters after its PC and EPC.</summary>
        /// <param name="buffer">Bytes: the PC word, any XPC words, then the EPC.</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The CRC, 0..0xFFFF, sent big-endian.</returns>
        public static int Gen2(byte[] buffer, int offset, int count)
        {
            int[] table = s_table;
            int crc = 0xFFFF;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = ((crc << 8) ^ table[((crc >> 8) ^ buffer[i]) & 0xFF]) & 0xFFFF;
            }

            return crc ^ 0xFFFF;
        }

        private static int[] BuildTable()
        {
            int[] table = new int[256];
            for (int top = 0; top < 256; top++)
            {
                int r = top << 8;
                for (int bit = 0; bit < 8; bit++)
                {
                    r = (r & 0x8000) != 0 ? (r << 1) ^ Polynomial : r << 1;
                }

                table[top] = r & 0xFFFF;
            }

            return table;
        }

        private static int[] BuildPairTable(int[] table)
        {
            // Register H·256 shifted one byte: (low byte of T[H]) becomes the top byte with T[H] >> 8 fed back again.
            int[] pair = new int[256];
            for (int high = 0; high < 256; high++)
            {
                int once = table[high];
                pair[high] = ((once & 0xFF) << 8) ^ table[once >> 8];
            }

            return pair;
        }
    }
}
