using TimingMat.Core.Reader;

namespace TimingMat.Core.Crossings
{
    /// <summary>
    /// The reads the open crossings keep for the peak fit, in one store they share (sized by
    /// <see cref="CrossingSettings.KeptReadEntries"/>): up to <see cref="CrossingSettings.SamplesPerCrossing"/> entries
    /// per crossing slot, in time order, µs after the slot's base time. An entry may stand for several neighbouring reads
    /// of one antenna (its weight), averaged. The store is cut into chunks of <see cref="CrossingSettings.KeptReadChunk"/>
    /// entries and each slot lists the chunks its entries are in, so a crossing takes room as its chip is read.
    /// </summary>
    /// <remarks>
    /// Everything is allocated by the constructor; keeping a read, compacting a slot and gathering it for the fit
    /// allocate nothing. The <see cref="CrossingCloser"/> reads <see cref="Kept"/> and the gathered arrays directly:
    /// on the board every call costs several µs.
    /// </remarks>
    internal sealed class KeptReadStore
    {
        // Largest number of reads one kept entry averages (keeps the fit's sums within 64 bits).
        private const int MaxStride = 128;

        // How many entries back (or ahead, when compacting) a read looks for an entry of its own antenna to join.
        private const int MergeReach = 8;

        // Entry i of a slot is at chunk i >> 2 of its list, place i & 3.
        private const int ChunkShift = 2;
        private const int ChunkMask = CrossingSettings.KeptReadChunk - 1;

        /// <summary>Per slot: the entries it keeps (0 once released).</summary>
        internal readonly int[] Kept;

        /// <summary>The slot last gathered: its entries' µs offsets, in time order (see <see cref="Gather"/>).</summary>
        internal readonly int[] GatheredTime;

        /// <summary>The slot last gathered: its entries' RSSI in centi-dBm.</summary>
        internal readonly short[] GatheredRssi;

        /// <summary>The slot last gathered: its entries' antenna keys (reader in the high nibble, port − 1 in the low).</summary>
        internal readonly byte[] GatheredAntenna;

        /// <summary>The slot last gathered: how many reads each of its entries stands for.</summary>
        internal readonly byte[] GatheredWeight;

        /// <summary>Reads a slot averaged into fewer entries early, or kept as a hit only, because the store was empty.</summary>
        internal long Full;

        private readonly int _samplesPer;

        // Per slot: the most reads one of its entries stands for; doubles each time the slot is compacted.
        private readonly int[] _stride;
        private readonly int _chunksPer;
        private readonly int[] _time;
        private readonly short[] _rssi;
        private readonly byte[] _antenna;
        private readonly byte[] _weight;

        // Per slot: its list of chunks (_chunksPer places each) and the index its next entry goes to within the last one.
        private readonly short[] _chunks;
        private readonly int[] _next;
        private readonly short[] _freeChunks;
        private int _freeChunkCount;

        /// <summary>Initializes a new instance of the <see cref="KeptReadStore"/> class.</summary>
        /// <param name="settings">Open crossings, reads per crossing and the store's size.</param>
        /// <param name="peak">Whether the detector fits peaks; other modes keep no reads and get an empty store.</param>
        internal KeptReadStore(CrossingSettings settings, bool peak)
        {
            int slots = settings.OpenCrossingCapacity;
            _samplesPer = settings.SamplesPerCrossing;
            _chunksPer = (_samplesPer + ChunkMask) >> ChunkShift;
            Kept = new int[slots];
            _stride = new int[slots];
            for (int s = 0; s < slots; s++)
            {
                _stride[s] = 1;
            }

            int entries = peak ? settings.KeptReadEntries : 0;
            _time = new int[entries];
            _rssi = new short[entries];
            _antenna = new byte[entries];
            _weight = new byte[entries];
            _chunks = new short[peak ? slots * _chunksPer : 0];
            _next = new int[peak ? slots : 0];
            int chunks = entries >> ChunkShift;
            _freeChunks = new short[chunks];
            for (int c = 0; c < chunks; c++)
            {
                _freeChunks[c] = (short)(chunks - 1 - c);
            }

            _freeChunkCount = chunks;
            int gathered = peak ? _chunksPer << ChunkShift : 0;
            GatheredTime = new int[gathered];
            GatheredRssi = new short[gathered];
            GatheredAntenna = new byte[gathered];
            GatheredWeight = new byte[gathered];
        }

        /// <summary>
        /// Keeps a read of a slot's crossing. When the slot fills (or the store is empty), neighbouring reads of one
        /// antenna are merged into weighted averages and later reads are averaged in groups of the new stride: a long
        /// crossing keeps all its information, evenly spread in time, in fixed memory.
        /// </summary>
        /// <param name="slot">The crossing's slot.</param>
        /// <param name="read">The read (its reader and antenna).</param>
        /// <param name="rssi">Its RSSI in centi-dBm.</param>
        /// <param name="offset">Its time in µs after the slot's base time.</param>
        internal void Keep(int slot, TagRead read, int rssi, long offset)
        {
            int time = offset > int.MaxValue ? int.MaxValue : (offset < int.MinValue ? int.MinValue : (int)offset);
            short clamped = (short)(rssi > short.MaxValue ? short.MaxValue : (rssi < short.MinValue ? short.MinValue : rssi));
            byte antenna = (byte)(((read.ReaderIndex & 0x0F) << 4) | ((read.Antenna - 1) & 0x0F));
            int kept = Kept[slot];
            int stride = _stride[slot];

            // At stride 1 every entry already stands for one read: nothing can take another.
            if (stride > 1 && kept > 0 && MergeIntoLast(slot, kept - 1, time, clamped, antenna))
            {
                return;
            }

            // Within a chunk the next entry is the one after the last (most reads); every fourth entry starts a new chunk,
            // and an empty store compacts the crossing as a full slot does.
            int index;
            if ((kept & ChunkMask) != 0 && kept != _samplesPer)
            {
                index = _next[slot];
                _next[slot] = index + 1;
                _time[index] = time;
                _rssi[index] = clamped;
                _antenna[index] = antenna;
                _weight[index] = 1;
                Kept[slot] = kept + 1;
                return;
            }

            bool newChunk = (kept & ChunkMask) == 0;
            if (kept == _samplesPer || (newChunk && _freeChunkCount == 0))
            {
                if (stride >= MaxStride || kept == 0)
                {
                    // A very long crossing (a chip standing in the field), or no store left for a first entry: its
                    // later reads count as hits only.
                    Full += kept < _samplesPer ? 1 : 0;
                    return;
                }

                Full += kept < _samplesPer ? 1 : 0;
                stride *= 2;
                _stride[slot] = stride;
                kept = Compact(slot, kept, stride);
                Kept[slot] = kept;
                if (MergeIntoLast(slot, kept - 1, time, clamped, antenna))
                {
                    return;
                }

                // Compacting gave chunks back, so a new one is there when needed.
                newChunk = (kept & ChunkMask) == 0;
            }

            int at = (slot * _chunksPer) + (kept >> ChunkShift);
            if (newChunk)
            {
                _chunks[at] = _freeChunks[--_freeChunkCount];
            }

            index = (_chunks[at] << ChunkShift) | (kept & ChunkMask);
            _next[slot] = index + 1;
            _time[index] = time;
            _rssi[index] = clamped;
            _antenna[index] = antenna;
            _weight[index] = 1;
            Kept[slot] = kept + 1;
        }

        /// <summary>
        /// Copies a slot's kept reads, in order, to the gathered arrays: whole chunks, four entries a step (the entries
        /// past the last kept one are left over from earlier crossings and never read).
        /// </summary>
        /// <param name="slot">The slot.</param>
        /// <returns>The number of entries gathered (<see cref="Kept"/> of the slot).</returns>
        internal int Gather(int slot)
        {
            int kept = Kept[slot];
            int table = slot * _chunksPer;
            int end = table + ((kept + ChunkMask) >> ChunkShift);
            short[] chunks = _chunks;
            int[] sTime = _time;
            short[] sRssi = _rssi;
            byte[] sAntenna = _antenna;
            byte[] sWeight = _weight;
            int[] gTime = GatheredTime;
            short[] gRssi = GatheredRssi;
            byte[] gAntenna = GatheredAntenna;
            byte[] gWeight = GatheredWeight;
            int to = 0;
            for (int c = table; c < end; c++)
            {
                int from = chunks[c] << ChunkShift;
                gTime[to] = sTime[from];
                gTime[to + 1] = sTime[from + 1];
                gTime[to + 2] = sTime[from + 2];
                gTime[to + 3] = sTime[from + 3];
                gRssi[to] = sRssi[from];
                gRssi[to + 1] = sRssi[from + 1];
                gRssi[to + 2] = sRssi[from + 2];
                gRssi[to + 3] = sRssi[from + 3];
                gAntenna[to] = sAntenna[from];
                gAntenna[to + 1] = sAntenna[from + 1];
                gAntenna[to + 2] = sAntenna[from + 2];
                gAntenna[to + 3] = sAntenna[from + 3];
                gWeight[to] = sWeight[from];
                gWeight[to + 1] = sWeight[from + 1];
                gWeight[to + 2] = sWeight[from + 2];
                gWeight[to + 3] = sWeight[from + 3];
                to += 4;
            }

            return kept;
        }

        /// <summary>Gives all of a slot's chunks back to the store and readies the slot for its next crossing.</summary>
        /// <param name="slot">The slot, its crossing closed.</param>
        internal void Release(int slot)
        {
            int table = slot * _chunksPer;
            int end = table + ((Kept[slot] + ChunkMask) >> ChunkShift);
            for (int c = table; c < end; c++)
            {
                _freeChunks[_freeChunkCount++] = _chunks[c];
            }

            Kept[slot] = 0;
            _stride[slot] = 1;
        }

        private static void Merge(int[] times, short[] rssis, byte[] weights, int index, int offset, short rssi, int weight)
        {
            long w = weights[index];
            long total = w + weight;
            times[index] = (int)(((times[index] * w) + ((long)offset * weight)) / total);
            rssis[index] = (short)(((rssis[index] * w) + ((long)rssi * weight)) / total);
            weights[index] = (byte)total;
        }

        // Averages the read into one of the latest entries of its antenna that has room under the stride.
        private bool MergeIntoLast(int slot, int last, int offset, short rssi, byte antenna)
        {
            int table = slot * _chunksPer;
            int stride = _stride[slot];
            short[] chunks = _chunks;
            byte[] antennas = _antenna;
            byte[] weights = _weight;
            for (int i = last; i >= 0 && i > last - MergeReach; i--)
            {
                int index = (chunks[table + (i >> ChunkShift)] << ChunkShift) | (i & ChunkMask);
                if (antennas[index] == antenna && weights[index] < stride)
                {
                    Merge(_time, _rssi, weights, index, offset, rssi, 1);
                    return true;
                }
            }

            return false;
        }

        // Merges each entry with the next entry of its antenna (antennas interleave read by read on multiplexed
        // readers) when their weights fit the stride, then closes the gaps and gives the chunks left empty back to
        // the store; returns the entries left.
        private int Compact(int slot, int kept, int stride)
        {
            Gather(slot);
            int[] times = GatheredTime;
            short[] rssis = GatheredRssi;
            byte[] antennas = GatheredAntenna;
            byte[] weights = GatheredWeight;
            bool merged = false;
            for (int i = 0; i < kept; i++)
            {
                if (weights[i] == 0)
                {
                    continue;
                }

                for (int j = i + 1; j < kept && j <= i + MergeReach; j++)
                {
                    if (weights[j] != 0 && antennas[j] == antennas[i] && weights[i] + weights[j] <= stride)
                    {
                        Merge(times, rssis, weights, i, times[j], rssis[j], weights[j]);
                        weights[j] = 0;
                        merged = true;
                        break;
                    }
                }
            }

            // Nothing merged (more antennas interleave than the reach): thin evenly, keeping every other entry.
            int step = merged ? 1 : 2;
            int table = slot * _chunksPer;
            short[] chunks = _chunks;
            int write = 0;
            for (int read = 0; read < kept; read += step)
            {
                if (weights[read] == 0)
                {
                    continue;
                }

                int index = (chunks[table + (write >> ChunkShift)] << ChunkShift) | (write & ChunkMask);
                _time[index] = times[read];
                _rssi[index] = rssis[read];
                _antenna[index] = antennas[read];
                _weight[index] = weights[read];
                write++;
            }

            // The chunks left empty go back to the store.
            int end = table + ((kept + ChunkMask) >> ChunkShift);
            for (int c = table + ((write + ChunkMask) >> ChunkShift); c < end; c++)
            {
                _freeChunks[_freeChunkCount++] = chunks[c];
            }

            if ((write & ChunkMask) != 0)
            {
                // The next read goes after the last entry left, in its chunk.
                _next[slot] = (chunks[table + (write >> ChunkShift)] << ChunkShift) | (write & ChunkMask);
            }

            return write;
        }
    }
}
