using TimingMat.Core.Common;
using TimingMat.Core.Unit;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// The race's chip list as runs of consecutive EPCs, which turns a chip into a small index for LoRa packets
    /// (<see cref="LoRaPassingPacket"/>): the units look an EPC's index up, the gateway turns the index back into the
    /// EPC. Both read the same file, <c>chips.cfg</c>, in the configuration dialect (docs/unit-config.md):
    /// </summary>
    /// <remarks>
    /// <code>
    /// # first EPC of a run = how many chips it holds; indices count on from run to run in file order
    /// E28011606000020500000001 = 30000
    /// E28011606000020500100001 = 5000
    /// E2801160600002050099ABCD = 1
    /// </code>
    /// <para>A run's chips differ from its first EPC only in the last 4 bytes, counted up as a big-endian number (race
    /// chips come programmed in sequence, so a 35,000-runner race is a few runs). Each run costs a board about 60 bytes
    /// of RAM: a list is refused beyond <see cref="MaxRuns"/> runs or <see cref="MaxChips"/> chips. A chip on no run is
    /// still carried, with its whole EPC (a dozen bytes more a passing).</para>
    /// <para>Lookups walk the runs (a list of a few runs costs a few comparisons); nothing is allocated after parsing.</para>
    /// </remarks>
    public sealed class LoRaChipList
    {
        /// <summary>The file's name on a board's flash, next to <c>unit.cfg</c>.</summary>
        public const string FileName = "chips.cfg";

        /// <summary>Most runs a list may hold.</summary>
        public const int MaxRuns = 1024;

        /// <summary>Most chips a list may hold (the packet's chip index range).</summary>
        public const int MaxChips = LoRaPassingPacket.MaxChipIndex + 1;

        private readonly byte[][] _first;
        private readonly uint[] _low;
        private readonly int[] _start;
        private readonly int[] _count;

        private LoRaChipList(int runs)
        {
            _first = new byte[runs][];
            _low = new uint[runs];
            _start = new int[runs];
            _count = new int[runs];
        }

        /// <summary>Gets the number of runs.</summary>
        public int Runs
        {
            get { return _first.Length; }
        }

        /// <summary>Gets the number of chips.</summary>
        public int Count { get; private set; }

        /// <summary>Gets a checksum of the list (CRC-32 over every run), for the status: units and gateway must agree.</summary>
        public uint Checksum { get; private set; }

        /// <summary>Parses a chip list.</summary>
        /// <param name="text">The file's text.</param>
        /// <returns>The list.</returns>
        /// <exception cref="ConfigFileException">A line is not <c>EPC = count</c>, a run wraps its last 4 bytes, two runs overlap, or the list is too long.</exception>
        public static LoRaChipList Parse(string text)
        {
            // Two passes: count the runs, then fill arrays of the right size (no growing lists on the device).
            KeyValueReader reader = new KeyValueReader(text);
            int runs = 0;
            while (reader.Next())
            {
                runs++;
            }

            if (runs > MaxRuns)
            {
                throw new ConfigFileException(0, null, FileName + " has " + runs.ToString() + " runs: expected at most " + MaxRuns.ToString() + " (list chips programmed in sequence as one run: first EPC = count).");
            }

            LoRaChipList list = new LoRaChipList(runs);
            reader = new KeyValueReader(text);
            int run = 0;
            int total = 0;
            uint crc = Crc32.Initial;
            while (reader.Next())
            {
                byte[] epc = ValueText.ParseHex(reader.Key);
                if (epc == null || epc.Length < 4 || epc.Length > 62)
                {
                    throw new ConfigFileException(reader.Line, reader.Key, "'" + reader.Key + "' is not an EPC: expected 8-124 hex digits, then '= count'.");
                }

                long count;
                if (!ValueText.TryParseLong(reader.Value, out count) || count < 1 || count > MaxChips)
                {
                    throw new ConfigFileException(reader.Line, reader.Key, reader.Key + " = '" + reader.Value + "': expected how many chips the run holds, 1-" + MaxChips.ToString() + ".");
                }

                uint low = Low(epc, epc.Length);
                if ((long)low + count - 1 > 0xFFFFFFFFL)
                {
                    throw new ConfigFileException(reader.Line, reader.Key, reader.Key + " = " + reader.Value + ": the run would carry past the EPC's last 4 bytes; split it in two.");
                }

                total += (int)count;
                if (total > MaxChips)
                {
                    throw new ConfigFileException(reader.Line, reader.Key, FileName + " holds more than " + MaxChips.ToString() + " chips: expected at most that many (the packet's chip index).");
                }

                list._first[run] = epc;
                list._low[run] = low;
                list._count[run] = (int)count;
                list._start[run] = total - (int)count;
                for (int other = 0; other < run; other++)
                {
                    if (list.Overlaps(other, run))
                    {
                        throw new ConfigFileException(reader.Line, reader.Key, reader.Key + " = " + reader.Value + " overlaps the run on line " + list.LineOf(text, other).ToString() + ": a chip must have one index.");
                    }
                }

                crc = Crc32.Update(crc, epc, 0, epc.Length);
                crc = Crc32.Update(crc, Counted(count), 0, 4);
                run++;
            }

            list.Count = total;
            list.Checksum = Crc32.Finish(crc);
            return list;
        }

        /// <summary>Finds a chip's index.</summary>
        /// <param name="epc">The EPC's buffer.</param>
        /// <param name="length">Its length.</param>
        /// <returns>0 … <see cref="Count"/> − 1, or −1 when the chip is on no run.</returns>
        public int IndexOf(byte[] epc, int length)
        {
            if (length < 4)
            {
                return -1;
            }

            uint low = Low(epc, length);
            for (int run = 0; run < _first.Length; run++)
            {
                byte[] first = _first[run];
                uint offset = low - _low[run];
                if (first.Length != length || low < _low[run] || offset >= (uint)_count[run])
                {
                    continue;
                }

                int i = 0;
                while (i < length - 4 && first[i] == epc[i])
                {
                    i++;
                }

                if (i == length - 4)
                {
                    return _start[run] + (int)offset;
                }
            }

            return -1;
        }

        /// <summary>Writes the EPC of a chip index.</summary>
        /// <param name="index">The index.</param>
        /// <param name="epc">Destination, 62 bytes of room.</param>
        /// <returns>The EPC's length, or 0 when the index is beyond the list.</returns>
        public int EpcOf(int index, byte[] epc)
        {
            if (index < 0 || index >= Count)
            {
                return 0;
            }

            // Runs are in index order: halve to the run holding it.
            int lowRun = 0;
            int highRun = _first.Length - 1;
            while (lowRun < highRun)
            {
                int middle = (lowRun + highRun + 1) / 2;
                if (_start[middle] <= index)
                {
                    lowRun = middle;
                }
                else
                {
                    highRun = middle - 1;
                }
            }

            byte[] first = _first[lowRun];
            int length = first.Length;
            System.Array.Copy(first, 0, epc, 0, length - 4);
            uint value = _low[lowRun] + (uint)(index - _start[lowRun]);
            epc[length - 4] = (byte)(value >> 24);
            epc[length - 3] = (byte)(value >> 16);
            epc[length - 2] = (byte)(value >> 8);
            epc[length - 1] = (byte)value;
            return length;
        }

        private static uint Low(byte[] epc, int length)
        {
            return ((uint)epc[length - 4] << 24) | ((uint)epc[length - 3] << 16) | ((uint)epc[length - 2] << 8) | epc[length - 1];
        }

        private static byte[] Counted(long count)
        {
            return new byte[] { (byte)count, (byte)(count >> 8), (byte)(count >> 16), (byte)(count >> 24) };
        }

        private bool Overlaps(int a, int b)
        {
            byte[] x = _first[a];
            byte[] y = _first[b];
            if (x.Length != y.Length)
            {
                return false;
            }

            for (int i = 0; i < x.Length - 4; i++)
            {
                if (x[i] != y[i])
                {
                    return false;
                }
            }

            long aFrom = _low[a];
            long bFrom = _low[b];
            return aFrom < bFrom + _count[b] && bFrom < aFrom + _count[a];
        }

        private int LineOf(string text, int run)
        {
            KeyValueReader reader = new KeyValueReader(text);
            for (int i = 0; i <= run; i++)
            {
                reader.Next();
            }

            return reader.Line;
        }
    }
}
