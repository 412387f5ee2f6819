namespace TimingMat.Core.Common
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
    internal static class Crc16
    {
        /// <summary>The generator polynomial, x^16 + x^12 + x^5 + 1.</summary>
        public const int Polynomial = 0x1021;

        // Entry h: the feedback of shifting a top byte h out of the register, i.e. the CRC-CCITT table: h·x^16 mod P.
        // ushort entries: four tables of 512 B cost the heap what two int tables did.
        private static readonly ushort[] s_table = BuildTable();

        // Entry h: h·x^24 mod P, the feedback of a top byte h shifted out through sixteen shifts (two bytes).
        private static readonly ushort[] s_pair = OneByteFurther(s_table, s_table);

        // Entries h·x^32 and h·x^40 mod P: what the register's low and high byte become after four bytes shifted in.
        private static readonly ushort[] s_quadLow = OneByteFurther(s_pair, s_table);
        private static readonly ushort[] s_quadHigh = OneByteFurther(s_quadLow, s_table);

        /// <summary>Computes the ThingMagic Mercury frame CRC.</summary>
        /// <param name="buffer">Bytes to check: for a frame, LEN through the last data byte (the 0xFF header excluded).</param>
        /// <param name="offset">Index of the first byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The CRC, 0..0xFFFF, sent big-endian after the data.</returns>
        public static int Mercury(byte[] buffer, int offset, int count)
        {
            // Four bytes a step and eight a turn, every table in a local: on the interpreter every instruction counts
            // (~11 a byte, ~13 two bytes a step). Shifting bytes b0 b1 b2 b3 into register R is linear:
            // R' = (b2 b3) ^ b0·x^24 ^ b1·x^16 ^ R·x^32 (mod P), one table look-up per term.
            ushort[] table = s_table;
            ushort[] pair = s_pair;
            ushort[] quadLow = s_quadLow;
            ushort[] quadHigh = s_quadHigh;
            int crc = 0xFFFF;
            int i = offset;
            int end = offset + count;
            int octets = end - 7;
            while (i < octets)
            {
                crc = ((buffer[i + 2] << 8) | buffer[i + 3]) ^ pair[buffer[i]] ^ table[buffer[i + 1]]
                    ^ quadHigh[crc >> 8] ^ quadLow[crc & 0xFF];
                crc = ((buffer[i + 6] << 8) | buffer[i + 7]) ^ pair[buffer[i + 4]] ^ table[buffer[i + 5]]
                    ^ quadHigh[crc >> 8] ^ quadLow[crc & 0xFF];
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
            ushort[] table = s_table;
            int crc = 0xFFFF;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = ((crc << 8) ^ table[((crc >> 8) ^ buffer[i]) & 0xFF]) & 0xFFFF;
            }

            return crc ^ 0xFFFF;
        }

        private static ushort[] BuildTable()
        {
            ushort[] table = new ushort[256];
            for (int top = 0; top < 256; top++)
            {
                int r = top << 8;
                for (int bit = 0; bit < 8; bit++)
                {
                    r = (r & 0x8000) != 0 ? (r << 1) ^ Polynomial : r << 1;
                }

                table[top] = (ushort)(r & 0xFFFF);
            }

            return table;
        }

        // Entry h: from[h]·x^8 mod P, where from[h] is a 16-bit remainder: its low byte moves up, its high byte is
        // shifted out through the x^16 table. Applied to the x^16 table it gives x^24, then x^32, then x^40.
        private static ushort[] OneByteFurther(ushort[] from, ushort[] table)
        {
            ushort[] further = new ushort[256];
            for (int h = 0; h < 256; h++)
            {
                int value = from[h];
                further[h] = (ushort)(((value & 0xFF) << 8) ^ table[value >> 8]);
            }

            return further;
        }
    }
}
