using TimingMat.Core.Clock;
using TimingMat.Core.Passings;
using TimingMat.Core.Reader;

namespace TimingMat.Core.Crossings
{
    /// <summary>
    /// Turns the raw reads of a mat (all its readers and antennas) into passings: one per chip crossing, timed at peak
    /// signal (or the first or last read, per <see cref="DetectionMode"/>), with dead time, stray flagging and fixed
    /// capacity. Polled from the unit's loop; receiving a read and closing a crossing allocate nothing.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Reads are grouped per chip (EPC) whatever antenna or reader saw them. A crossing closes in Peak mode once the
    /// chip has gone <see cref="CrossingSettings.ReactionMicros"/> without a new strongest read (RACE RESULT's reaction
    /// time), in the other modes once it has gone that long without any read. Reads of the chip within the dead time
    /// after its passing are absorbed. A chip that stays in the field longer than the stray limit (a finisher
    /// standing on the mat) gives one passing flagged <see cref="PassingFlags.Stray"/> when it finally leaves, not one
    /// every dead time.
    /// </para>
    /// <para>
    /// When the chip table or the open crossings are full, the oldest crossing is closed early and flagged
    /// <see cref="PassingFlags.CapacityClosed"/>; chips forgotten in dead time and reads that found no room are counted.
    /// Finished passings wait in a queue while the sink applies back-pressure and are offered again at every poll.
    /// </para>
    /// </remarks>
    public sealed class CrossingDetector : ITagReadSink, IReadThinner
    {
        private const long NoTime = long.MinValue;
        private const int SweepPerPoll = 16;

        // Largest number of reads one kept entry averages (keeps the fit's sums within 64 bits).
        private const int MaxStride = 128;

        // How many entries back (or ahead, when compacting) a read looks for an entry of its own antenna to join.
        private const int MergeReach = 8;

        // A crossing's kept reads live in chunks of CrossingSettings.KeptReadChunk (4) entries of the shared store:
        // entry i is at chunk i >> 2, place i & 3.
        private const int ChunkShift = 2;
        private const int ChunkMask = CrossingSettings.KeptReadChunk - 1;

        private readonly CrossingSettings _settings;
        private readonly DetectionMode _mode;
        private readonly long _reaction;
        private readonly long _deadTime;
        private readonly long _stray;
        private readonly long _interval;
        private readonly int _samplesPer;
        private readonly long _firstDueAfter;
        private readonly int _thinAfter;
        private readonly int _maxEpcBytes;
        private readonly int _minFitReads;
        private readonly bool _peak;
        private readonly IMatTimeSource _time;
        private readonly IPassingSink _sink;
        private readonly ChipTable _table;
        private readonly PassingQueue _queue;
        private readonly PeakFit _fit;

        // Per chip entry of the table.
        private readonly short[] _chipCrossing;
        private readonly long[] _chipLastRead;
        private readonly long[] _chipPresence;
        private readonly long[] _chipLastPassing;
        private readonly bool[] _chipThinned;

        // Per open-crossing slot.
        private readonly short[] _xChip;
        private readonly long[] _xBase;
        private readonly long[] _xFirst;
        private readonly long[] _xLast;
        private readonly long[] _xLastPeak;
        private readonly long[] _xMaxTimeSum;
        private readonly int[] _xMaxCount;
        private readonly int[] _xMaxRssi;
        private readonly byte[] _xBestAntenna;
        private readonly int[] _xHits;
        private readonly int[] _xKept;
        private readonly int[] _xStride;
        private readonly bool[] _xLingering;
        private readonly bool[] _xStray;

        // Due but waiting for its fit: a poll runs at most one peak fit, so a poll stays short on the device.
        private readonly bool[] _xClosing;
        private readonly short[] _freeSlots;
        private int _freeSlotCount;

        // The open slots in ascending order (a poll visits only these, in the order a full scan would), and the
        // earliest local time any of them may close: polls before it skip the scan.
        private readonly short[] _open;
        private int _openCount;
        private long _nextDue;

        // Chips without an open crossing, in the order their crossings closed: the sweep frees them once expired.
        private readonly short[] _idle;
        private readonly bool[] _chipQueued;
        private int _idleHead;
        private int _idleCount;

        // Reads kept for the peak fit, in one store the open crossings share (CrossingSettings.KeptReadEntries): up to
        // SamplesPerCrossing entries per slot in time order, µs after the slot's base time; an entry may stand for
        // several neighbouring reads of one antenna (weight), averaged. Each slot lists the chunks its entries are in.
        private readonly int[] _sTime;
        private readonly short[] _sRssi;
        private readonly byte[] _sAntenna;
        private readonly byte[] _sWeight;
        private readonly int _chunksPer;
        private readonly short[] _xChunk;
        private readonly int[] _xNext;
        private readonly short[] _freeChunks;
        private int _freeChunkCount;

        // One crossing's kept reads gathered in order, for its fit or its compaction.
        private readonly int[] _gTime;
        private readonly short[] _gRssi;
        private readonly byte[] _gAntenna;
        private readonly byte[] _gWeight;
        private long _keptStoreFull;

        // Counters as fields: "Counter++" on an auto-property is two calls on the device.
        private long _readsThinned;
        private long _reads;
        private long _rejectedReads;
        private long _refusedReads;
        private long _deadTimeReads;
        private long _crossingsOpened;
        private long _passingsQueued;
        private long _passingsDelivered;
        private long _capacityClosed;
        private long _forgottenChips;
        private long _fitFallbacks;
        private long _backPressureStalls;


        /// <summary>Initializes a new instance of the <see cref="CrossingDetector"/> class and preallocates everything it needs.</summary>
        /// <param name="settings">Mode, windows and capacities; checked with <see cref="CrossingSettings.Validate"/>.</param>
        /// <param name="time">Converts local µs to mat time (the mat clock).</param>
        /// <param name="sink">Receives the passings (the RAM ring in front of the journal).</param>
        /// <exception cref="System.ArgumentException">A setting is out of range.</exception>
        public CrossingDetector(CrossingSettings settings, IMatTimeSource time, IPassingSink sink)
        {
            settings.Validate();
            _settings = settings;
            _mode = settings.Mode;
            _reaction = settings.ReactionMicros;
            _deadTime = settings.DeadTimeMicros;
            _stray = settings.StrayMicros;
            _interval = settings.ContinuousIntervalMicros;
            _samplesPer = settings.SamplesPerCrossing;
            _thinAfter = settings.ThinAfterReads;
            _maxEpcBytes = settings.MaxEpcBytes;
            _minFitReads = settings.MinFitReads;
            _peak = _mode == DetectionMode.Peak;
            _firstDueAfter = _mode == DetectionMode.Continuous && _interval < _reaction ? _interval : _reaction;
            _time = time;
            _sink = sink;
            _table = new ChipTable(settings.ChipCapacity, settings.MaxEpcBytes);
            _queue = new PassingQueue(settings.PendingPassings, settings.MaxEpcBytes);
            _fit = new PeakFit(settings.SamplesPerCrossing, settings.MinFitReads, settings.OutlierPasses, settings.OutlierTenthsOfSigma, settings.FitSpanCentiDb);
            _fit.BodyShadowCentiDb = settings.BodyShadowCentiDb;

            int chips = settings.ChipCapacity;
            _chipCrossing = new short[chips];
            _chipLastRead = new long[chips];
            _chipPresence = new long[chips];
            _chipLastPassing = new long[chips];
            _chipThinned = new bool[chips];

            int slots = settings.OpenCrossingCapacity;
            _xChip = new short[slots];
            _xBase = new long[slots];
            _xFirst = new long[slots];
            _xLast = new long[slots];
            _xLastPeak = new long[slots];
            _xMaxTimeSum = new long[slots];
            _xMaxCount = new int[slots];
            _xMaxRssi = new int[slots];
            _xBestAntenna = new byte[slots];
            _xHits = new int[slots];
            _xKept = new int[slots];
            _xStride = new int[slots];
            _xLingering = new bool[slots];
            _xStray = new bool[slots];
            _xClosing = new bool[slots];
            _freeSlots = new short[slots];
            for (int s = 0; s < slots; s++)
            {
                _xChip[s] = -1;
                _freeSlots[s] = (short)(slots - 1 - s);
            }

            _freeSlotCount = slots;
            _open = new short[slots];
            _nextDue = long.MaxValue;
            _idle = new short[chips];
            _chipQueued = new bool[chips];
            int entries = _peak ? settings.KeptReadEntries : 0;
            _sTime = new int[entries];
            _sRssi = new short[entries];
            _sAntenna = new byte[entries];
            _sWeight = new byte[entries];
            _chunksPer = (_samplesPer + ChunkMask) >> ChunkShift;
            _xChunk = new short[_peak ? slots * _chunksPer : 0];
            _xNext = new int[_peak ? slots : 0];
            int chunks = entries >> ChunkShift;
            _freeChunks = new short[chunks];
            for (int c = 0; c < chunks; c++)
            {
                _freeChunks[c] = (short)(chunks - 1 - c);
            }

            _freeChunkCount = chunks;
            int gathered = _peak ? _chunksPer << ChunkShift : 0;
            _gTime = new int[gathered];
            _gRssi = new short[gathered];
            _gAntenna = new byte[gathered];
            _gWeight = new byte[gathered];
        }

        /// <summary>Gets the settings the detector runs with.</summary>
        public CrossingSettings Settings
        {
            get { return _settings; }
        }

        /// <summary>
        /// Gets the number of reads a driver let go undecoded while it was behind its module, because their chip was
        /// already well read (<see cref="LetGo"/>).
        /// </summary>
        public long ReadsThinned
        {
            get { return _readsThinned; }
        }

        /// <summary>Gets the number of reads received.</summary>
        public long Reads
        {
            get { return _reads; }
        }

        /// <summary>Gets the number of reads ignored because their EPC was empty or longer than <see cref="CrossingSettings.MaxEpcBytes"/>.</summary>
        public long RejectedReads
        {
            get { return _rejectedReads; }
        }

        /// <summary>Gets the number of reads that found no room: every crossing open and the passing queue full (sustained back-pressure).</summary>
        public long RefusedReads
        {
            get { return _refusedReads; }
        }

        /// <summary>Gets the number of reads absorbed because their chip was within its dead time.</summary>
        public long DeadTimeReads
        {
            get { return _deadTimeReads; }
        }

        /// <summary>Gets the number of crossings opened.</summary>
        public long CrossingsOpened
        {
            get { return _crossingsOpened; }
        }

        /// <summary>Gets the number of passings (and markers) queued for the sink.</summary>
        public long PassingsQueued
        {
            get { return _passingsQueued; }
        }

        /// <summary>Gets the number of passings (and markers) the sink took.</summary>
        public long PassingsDelivered
        {
            get { return _passingsDelivered; }
        }

        /// <summary>Gets the number of crossings closed early because the chip table or the open crossings were full.</summary>
        public long CapacityClosed
        {
            get { return _capacityClosed; }
        }

        /// <summary>Gets the number of chips forgotten before their dead time ended, to make room (a later read may give a second passing).</summary>
        public long ForgottenChips
        {
            get { return _forgottenChips; }
        }

        /// <summary>Gets the number of Peak-mode passings timed at the strongest read because the peak fit failed.</summary>
        public long FitFallbacks
        {
            get { return _fitFallbacks; }
        }

        /// <summary>Gets the number of flushes the sink cut short by refusing a passing.</summary>
        public long BackPressureStalls
        {
            get { return _backPressureStalls; }
        }

        /// <summary>Gets the number of crossings open now.</summary>
        public int OpenCrossings
        {
            get { return _xChip.Length - _freeSlotCount; }
        }

        /// <summary>
        /// Gets the number of reads an open crossing averaged into fewer entries early, or kept as a hit only, because the
        /// store of kept reads it shares with the others was empty (0 while the reader stays within
        /// <see cref="CrossingSettings.ReadsPerSecond"/>: the crossing times are then exactly those of unshared storage).
        /// </summary>
        public long KeptStoreFull
        {
            get { return _keptStoreFull; }
        }

        /// <summary>Gets the number of chips the table follows now (open crossings and chips in dead time).</summary>
        public int ChipsTracked
        {
            get { return _table.Count; }
        }

        /// <summary>Gets the number of passings waiting for the sink.</summary>
        public int PendingPassings
        {
            get { return _queue.Count; }
        }

        /// <summary>Takes one read: finds or adds its chip, applies the dead time, and adds the read to the chip's open crossing.</summary>
        /// <param name="read">The read; its <see cref="TagRead.LocalMicros"/> is the arrival time on the unit's clock.</param>
        public void OnTagRead(TagRead read)
        {
            _reads++;
            int length = read.EpcLength;
            if (length <= 0 || length > _maxEpcBytes)
            {
                _rejectedReads++;
                return;
            }

            long now = read.LocalMicros;
            byte[] epc = read.Epc;
            long[] lastRead = _chipLastRead;
            int chip = _table.Find(epc, 0, length);
            if (chip < 0)
            {
                chip = AcquireChip(epc, length, now);
                if (chip < 0)
                {
                    _refusedReads++;
                    return;
                }

                _chipCrossing[chip] = -1;
                _chipPresence[chip] = now;
                lastRead[chip] = now;
                _chipLastPassing[chip] = NoTime;
            }
            else
            {
                // A gap of a reaction window ends the chip's presence; continuous presence is what makes a stray.
                long last = lastRead[chip];
                if (now - last >= _reaction)
                {
                    _chipPresence[chip] = now;
                }

                if (now > last)
                {
                    lastRead[chip] = now;
                }
            }

            int slot = _chipCrossing[chip];
            if (slot >= 0 && _xClosing[slot])
            {
                // Its crossing is decided and waits for its fit: the read falls in the dead time it would be in.
                _deadTimeReads++;
                return;
            }

            if (slot < 0)
            {
                long lastPassing = _chipLastPassing[chip];
                if (_mode != DetectionMode.Continuous && lastPassing != NoTime && now - lastPassing < _deadTime)
                {
                    _deadTimeReads++;
                    return;
                }

                slot = OpenCrossing(chip, now);
                if (slot < 0)
                {
                    // Left in the table without a crossing: the sweep frees it like any idle chip.
                    QueueIdle(chip);
                    _refusedReads++;
                    return;
                }
            }

            AddRead(slot, read, now);
        }

        /// <summary>
        /// Tells a driver that is behind its module whether it may let a read go undecoded: every other read of a chip
        /// that is already well read — its crossing has <see cref="CrossingSettings.ThinAfterReads"/> reads, is decided,
        /// or the chip is in its dead time. A chip not yet well read keeps every read, so every chip's crossing is kept;
        /// the thinned crossings keep reads all along their curve, half as dense.
        /// </summary>
        /// <param name="epc">Buffer holding the EPC (of a frame not yet checked).</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">Its length.</param>
        /// <returns><c>true</c> to let the read go.</returns>
        public bool LetGo(byte[] epc, int offset, int length)
        {
            if (length <= 0 || length > _maxEpcBytes)
            {
                return false;
            }

            int chip = _table.Find(epc, offset, length);
            if (chip < 0)
            {
                return false;
            }

            int slot = _chipCrossing[chip];
            bool wellRead;
            if (slot >= 0)
            {
                wellRead = _xClosing[slot] || _xHits[slot] >= _thinAfter;
            }
            else
            {
                long lastPassing = _chipLastPassing[chip];
                wellRead = _mode != DetectionMode.Continuous && lastPassing != NoTime && _chipLastRead[chip] - lastPassing < _deadTime;
            }

            if (!wellRead)
            {
                return false;
            }

            bool thin = !_chipThinned[chip];
            _chipThinned[chip] = thin;
            if (thin)
            {
                _readsThinned++;
            }

            return thin;
        }

        /// <summary>
        /// Closes the crossings whose window has passed, frees chips whose dead time is over and offers waiting
        /// passings to the sink. Call it from the unit's loop (every few ms to every 100 ms).
        /// </summary>
        /// <param name="localMicros">The unit's local time now, in µs.</param>
        /// <returns>The number of passings the sink took during this call.</returns>
        public int Poll(long localMicros)
        {
            int delivered = _queue.Count > 0 ? Flush() : 0;
            if (_idleCount > 0)
            {
                Sweep(localMicros);
            }

            if (localMicros < _nextDue)
            {
                return delivered;
            }

            long next = long.MaxValue;
            bool fitted = false;
            bool continuous = _mode == DetectionMode.Continuous;
            bool peak = _peak;
            long reaction = _reaction;
            long stray = _stray;
            short[] open = _open;
            short[] slotChip = _xChip;
            bool[] closing = _xClosing;
            bool[] lingering = _xLingering;
            bool[] strays = _xStray;
            long[] lastRead = _chipLastRead;
            long[] presence = _chipPresence;
            for (int k = 0; k < _openCount; k++)
            {
                int s = open[k];
                if (!closing[s])
                {
                    int chip = slotChip[s];
                    long last = lastRead[chip];
                    if (last - presence[chip] >= stray)
                    {
                        // Read without a gap for longer than the stray limit: a chip standing in the field.
                        lingering[s] = true;
                        strays[s] = true;
                    }

                    long goneAt = last + reaction;
                    long dueAt;
                    if (continuous)
                    {
                        if (localMicros < goneAt && _xHits[s] > 0)
                        {
                            long intervalAt = _xFirst[s] + _interval;
                            if (localMicros >= intervalAt)
                            {
                                if (_queue.Free == 0)
                                {
                                    next = long.MinValue;
                                    break;
                                }

                                EmitInterval(s);
                                continue;
                            }

                            next = intervalAt < next ? intervalAt : next;
                        }

                        dueAt = goneAt;
                    }
                    else if (peak && !lingering[s])
                    {
                        dueAt = _xLastPeak[s] + reaction;
                    }
                    else
                    {
                        dueAt = goneAt;
                    }

                    if (localMicros < dueAt)
                    {
                        next = dueAt < next ? dueAt : next;
                        continue;
                    }
                }

                if (peak && !strays[s] && _xKept[s] >= _minFitReads)
                {
                    if (fitted)
                    {
                        // One fit a poll: this crossing is decided now and closes at the next poll.
                        closing[s] = true;
                        next = long.MinValue;
                        continue;
                    }

                    fitted = true;
                }

                if (!Close(s, PassingFlags.None))
                {
                    // The queue is full: the rest waits for the next poll.
                    next = long.MinValue;
                    break;
                }

                // Close took the slot out of the list: the next one moved into this place.
                k--;
            }

            _nextDue = next;
            return delivered + (_queue.Count > 0 ? Flush() : 0);
        }

        /// <summary>Closes every open crossing now (end of a timing session) and offers the passings to the sink.</summary>
        /// <returns><c>true</c> when every crossing was closed; <c>false</c> when the queue filled up first (poll and call again).</returns>
        public bool CloseAll()
        {
            Flush();
            while (_openCount > 0)
            {
                int s = _open[0];
                if (IsStray(_xChip[s]))
                {
                    _xStray[s] = true;
                }

                if (!Close(s, PassingFlags.None))
                {
                    Flush();
                    return false;
                }
            }

            Flush();
            return true;
        }

        /// <summary>Queues a record made elsewhere (a race marker) behind the passings, for the same sink and back-pressure.</summary>
        /// <param name="record">The record; it is copied.</param>
        /// <returns><c>true</c> when queued; <c>false</c> when the queue is full (offer it again after a poll).</returns>
        public bool TryEnqueue(Passing record)
        {
            Passing slot = _queue.Reserve();
            if (slot == null)
            {
                return false;
            }

            slot.CopyFrom(record);
            _queue.Commit();
            _passingsQueued++;
            return true;
        }

        private int Flush()
        {
            bool refused;
            int taken = _queue.FlushTo(_sink, out refused);
            if (refused)
            {
                _backPressureStalls++;
            }

            _passingsDelivered += taken;
            return taken;
        }

        // Frees idle chips whose dead time is over and that have left, oldest passing first, a few per poll so a poll
        // stays short. A chip still present (read in its dead time) holds the queue up only until it leaves or opens
        // a new crossing; entries of chips that opened one again, or were forgotten for room, are dropped.
        private void Sweep(long now)
        {
            for (int budget = SweepPerPoll; budget > 0 && _idleCount > 0; budget--)
            {
                int chip = _idle[_idleHead];
                if (_table.IsUsed(chip) && _chipCrossing[chip] < 0)
                {
                    if (!IsExpired(chip, now))
                    {
                        if (_mode == DetectionMode.Continuous || _chipLastPassing[chip] == NoTime || now - _chipLastPassing[chip] >= _deadTime)
                        {
                            // Only its presence keeps it: let the chips behind it be checked.
                            DequeueIdle();
                            QueueIdle(chip);
                        }

                        return;
                    }

                    _table.Remove(chip);
                }

                DequeueIdle();
            }
        }

        private void QueueIdle(int chip)
        {
            if (_chipQueued[chip] || _idleCount == _idle.Length)
            {
                return;
            }

            int at = _idleHead + _idleCount;
            _idle[at >= _idle.Length ? at - _idle.Length : at] = (short)chip;
            _idleCount++;
            _chipQueued[chip] = true;
        }

        private void DequeueIdle()
        {
            _chipQueued[_idle[_idleHead]] = false;
            _idleHead = _idleHead + 1 == _idle.Length ? 0 : _idleHead + 1;
            _idleCount--;
        }

        // Stray: read without a gap of a reaction window for longer than the stray limit (up to its latest read, so a
        // chip that left long before a late poll does not count as present all that time).
        private bool IsStray(int chip)
        {
            return _chipLastRead[chip] - _chipPresence[chip] >= _stray;
        }

        private bool IsExpired(int chip, long now)
        {
            bool deadTimeOver = _mode == DetectionMode.Continuous || _chipLastPassing[chip] == NoTime || now - _chipLastPassing[chip] >= _deadTime;
            return deadTimeOver && now - _chipLastRead[chip] >= _reaction;
        }

        private int AcquireChip(byte[] epc, int length, long now)
        {
            int chip = _table.Add(epc, length);
            if (chip >= 0)
            {
                return chip;
            }

            // Full: forget the idle chip heard longest ago; if every chip has an open crossing, close the oldest early.
            int victim = -1;
            long oldest = long.MaxValue;
            for (int i = 0; i < _table.Capacity; i++)
            {
                if (_table.IsUsed(i) && _chipCrossing[i] < 0 && _chipLastRead[i] < oldest)
                {
                    oldest = _chipLastRead[i];
                    victim = i;
                }
            }

            if (victim < 0)
            {
                int slot = OldestSlot();
                victim = _xChip[slot];
                if (!Close(slot, PassingFlags.CapacityClosed))
                {
                    return -1;
                }
            }

            if (!IsExpired(victim, now))
            {
                _forgottenChips++;
            }

            _table.Remove(victim);
            return _table.Add(epc, length);
        }

        private int OldestSlot()
        {
            int oldest = -1;
            for (int k = 0; k < _openCount; k++)
            {
                int s = _open[k];
                if (oldest < 0 || _xFirst[s] < _xFirst[oldest])
                {
                    oldest = s;
                }
            }

            return oldest;
        }

        private int OpenCrossing(int chip, long now)
        {
            if (_freeSlotCount == 0 && !Close(OldestSlot(), PassingFlags.CapacityClosed))
            {
                return -1;
            }

            int slot = _freeSlots[--_freeSlotCount];
            _xChip[slot] = (short)chip;
            _xBase[slot] = now;
            _xHits[slot] = 0;
            _xKept[slot] = 0;
            _xStride[slot] = 1;

            // Opened while the chip never left since its last passing: it stands in the field and closes only when gone.
            _xLingering[slot] = _chipPresence[chip] < now;
            _xStray[slot] = false;
            _xClosing[slot] = false;
            _chipCrossing[chip] = (short)slot;
            int k = _openCount;
            while (k > 0 && _open[k - 1] > slot)
            {
                _open[k] = _open[k - 1];
                k--;
            }

            _open[k] = (short)slot;
            _openCount++;
            _crossingsOpened++;
            return slot;
        }

        private void AddRead(int slot, TagRead read, long now)
        {
            int rssi = read.RssiCentiDbm;
            int hits = _xHits[slot];
            long first;
            long lastPeak;
            long baseTime = _xBase[slot];
            if (hits == 0)
            {
                // First read of the crossing (or, in Continuous mode, of the interval): it may close from then on.
                first = now;
                _xFirst[slot] = now;
                _xLast[slot] = now;
                _xMaxRssi[slot] = int.MinValue;
                long due = now + _firstDueAfter;
                if (due < _nextDue)
                {
                    _nextDue = due;
                }
            }
            else
            {
                first = _xFirst[slot];
                if (now < first)
                {
                    _xFirst[slot] = now;
                }

                if (now > _xLast[slot])
                {
                    _xLast[slot] = now;
                }
            }

            _xHits[slot] = hits + 1;
            int maxRssi = _xMaxRssi[slot];
            if (rssi > maxRssi)
            {
                _xMaxRssi[slot] = rssi;
                _xMaxTimeSum[slot] = now - baseTime;
                _xMaxCount[slot] = 1;
                _xBestAntenna[slot] = (byte)MatAntenna.Of(read.ReaderIndex, read.Antenna);
                _xLastPeak[slot] = now;
            }
            else if (rssi == maxRssi)
            {
                // Readers report whole dBm, so the strongest level is often reached several times: keep their mean time.
                _xMaxTimeSum[slot] += now - baseTime;
                _xMaxCount[slot]++;
                lastPeak = _xLastPeak[slot];
                if (now > lastPeak)
                {
                    _xLastPeak[slot] = now;
                }
            }

            if (!_peak)
            {
                return;
            }

            // Keeps the crossing's reads for the fit. When the slot fills, neighbouring reads of one antenna are merged
            // into weighted averages and later reads are averaged in groups of the new stride: a long crossing keeps all
            // its information, evenly spread in time, in fixed memory.
            long offset = now - baseTime;
            int time = offset > int.MaxValue ? int.MaxValue : (offset < int.MinValue ? int.MinValue : (int)offset);
            short clamped = (short)(rssi > short.MaxValue ? short.MaxValue : (rssi < short.MinValue ? short.MinValue : rssi));
            byte antenna = (byte)(((read.ReaderIndex & 0x0F) << 4) | ((read.Antenna - 1) & 0x0F));
            int kept = _xKept[slot];
            int stride = _xStride[slot];

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
                index = _xNext[slot];
                _xNext[slot] = index + 1;
                _sTime[index] = time;
                _sRssi[index] = clamped;
                _sAntenna[index] = antenna;
                _sWeight[index] = 1;
                _xKept[slot] = kept + 1;
                return;
            }

            bool newChunk = (kept & ChunkMask) == 0;
            if (kept == _samplesPer || (newChunk && _freeChunkCount == 0))
            {
                if (stride >= MaxStride || kept == 0)
                {
                    // A very long crossing (a chip standing in the field), or no store left for a first entry: its
                    // later reads count as hits only.
                    _keptStoreFull += kept < _samplesPer ? 1 : 0;
                    return;
                }

                _keptStoreFull += kept < _samplesPer ? 1 : 0;
                stride *= 2;
                _xStride[slot] = stride;
                kept = Compact(slot, kept, stride);
                _xKept[slot] = kept;
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
                _xChunk[at] = _freeChunks[--_freeChunkCount];
            }

            index = (_xChunk[at] << ChunkShift) | (kept & ChunkMask);
            _xNext[slot] = index + 1;
            _sTime[index] = time;
            _sRssi[index] = clamped;
            _sAntenna[index] = antenna;
            _sWeight[index] = 1;
            _xKept[slot] = kept + 1;
        }

        // Averages the read into one of the latest entries of its antenna that has room under the stride.
        private bool MergeIntoLast(int slot, int last, int offset, short rssi, byte antenna)
        {
            int table = slot * _chunksPer;
            int stride = _xStride[slot];
            short[] chunks = _xChunk;
            byte[] antennas = _sAntenna;
            byte[] weights = _sWeight;
            for (int i = last; i >= 0 && i > last - MergeReach; i--)
            {
                int index = (chunks[table + (i >> ChunkShift)] << ChunkShift) | (i & ChunkMask);
                if (antennas[index] == antenna && weights[index] < stride)
                {
                    Merge(_sTime, _sRssi, weights, index, offset, rssi, 1);
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
            Gather(slot, kept);
            int[] times = _gTime;
            short[] rssis = _gRssi;
            byte[] antennas = _gAntenna;
            byte[] weights = _gWeight;
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
            short[] chunks = _xChunk;
            int write = 0;
            for (int read = 0; read < kept; read += step)
            {
                if (weights[read] == 0)
                {
                    continue;
                }

                int index = (chunks[table + (write >> ChunkShift)] << ChunkShift) | (write & ChunkMask);
                _sTime[index] = times[read];
                _sRssi[index] = rssis[read];
                _sAntenna[index] = antennas[read];
                _sWeight[index] = weights[read];
                write++;
            }

            FreeChunks(table, (write + ChunkMask) >> ChunkShift, (kept + ChunkMask) >> ChunkShift);
            if ((write & ChunkMask) != 0)
            {
                // The next read goes after the last entry left, in its chunk.
                _xNext[slot] = (chunks[table + (write >> ChunkShift)] << ChunkShift) | (write & ChunkMask);
            }

            return write;
        }

        // Copies a slot's kept reads, in order, to the gathered arrays: whole chunks, four entries a step (the entries
        // past the last kept one are left over from earlier crossings and never read).
        private void Gather(int slot, int kept)
        {
            int table = slot * _chunksPer;
            int end = table + ((kept + ChunkMask) >> ChunkShift);
            short[] chunks = _xChunk;
            int[] sTime = _sTime;
            short[] sRssi = _sRssi;
            byte[] sAntenna = _sAntenna;
            byte[] sWeight = _sWeight;
            int[] gTime = _gTime;
            short[] gRssi = _gRssi;
            byte[] gAntenna = _gAntenna;
            byte[] gWeight = _gWeight;
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
        }

        // Gives a slot's chunks from..to-1 back to the store.
        private void FreeChunks(int table, int from, int to)
        {
            for (int c = from; c < to; c++)
            {
                _freeChunks[_freeChunkCount++] = _xChunk[table + c];
            }
        }

        private static void Merge(int[] times, short[] rssis, byte[] weights, int index, int offset, short rssi, int weight)
        {
            long w = weights[index];
            long total = w + weight;
            times[index] = (int)(((times[index] * w) + ((long)offset * weight)) / total);
            rssis[index] = (short)(((rssis[index] * w) + ((long)rssi * weight)) / total);
            weights[index] = (byte)total;
        }

        private long StrongestReadTime(int slot)
        {
            return _xBase[slot] + (_xMaxTimeSum[slot] / _xMaxCount[slot]);
        }

        private bool Close(int slot, PassingFlags flags)
        {
            int chip = _xChip[slot];
            if (_xHits[slot] == 0)
            {
                Release(slot);
                return true;
            }

            long time;
            long second = NoTime;
            if (_mode == DetectionMode.Peak)
            {
                long apex;
                if (_xStray[slot])
                {
                    // A chip standing in the field has no single peak; its strongest read is as good a time as any.
                    time = StrongestReadTime(slot);
                }
                else if (_xKept[slot] >= _minFitReads && FitKept(slot, out apex))
                {
                    time = _xBase[slot] + apex;
                }
                else
                {
                    time = StrongestReadTime(slot);
                    _fitFallbacks++;
                }
            }
            else if (_mode == DetectionMode.Last)
            {
                time = _xLast[slot];
            }
            else if (_mode == DetectionMode.Continuous)
            {
                time = StrongestReadTime(slot);
            }
            else
            {
                time = _xFirst[slot];
                if (_mode == DetectionMode.FirstAndLast && _xLast[slot] != _xFirst[slot])
                {
                    second = _xLast[slot];
                }
            }

            if (_queue.Free < (second == NoTime ? 1 : 2))
            {
                return false;
            }

            if (_xStray[slot])
            {
                flags |= PassingFlags.Stray;
            }

            if ((flags & PassingFlags.CapacityClosed) != 0)
            {
                _capacityClosed++;
            }

            Emit(slot, chip, time, flags);
            if (second != NoTime)
            {
                Emit(slot, chip, second, flags);
            }

            _chipLastPassing[chip] = time;
            Release(slot);
            return true;
        }

        private void EmitInterval(int slot)
        {
            Emit(slot, _xChip[slot], StrongestReadTime(slot), _xStray[slot] ? PassingFlags.Stray : PassingFlags.None);
            _xHits[slot] = 0;
        }

        private void Emit(int slot, int chip, long time, PassingFlags flags)
        {
            Passing passing = _queue.Reserve();
            passing.Kind = PassingKind.Crossing;
            passing.UnitId = _settings.UnitId;
            passing.EpcLength = _table.CopyEpc(chip, passing.Epc);
            MatTime at = _time.ToMatTime(time);
            passing.TimeUtcMicros = at.UtcMicros;
            passing.ClockState = at.State;
            passing.UncertaintyMicros = at.UncertaintyMicros;
            passing.FirstReadUtcMicros = _time.ToMatTime(_xFirst[slot]).UtcMicros;
            passing.LastReadUtcMicros = _time.ToMatTime(_xLast[slot]).UtcMicros;
            passing.Hits = _xHits[slot];
            passing.MaxRssiCentiDbm = _xMaxRssi[slot];
            passing.BestAntenna = _xBestAntenna[slot];
            passing.Flags = flags;
            _queue.Commit();
            _passingsQueued++;
        }

        // Fits the peak curve to a slot's kept reads, gathered in order.
        private bool FitKept(int slot, out long apex)
        {
            int kept = _xKept[slot];
            Gather(slot, kept);
            return _fit.TryFit(_gTime, _gRssi, _gAntenna, _gWeight, 0, kept, out apex);
        }

        private void Release(int slot)
        {
            if (_peak)
            {
                FreeChunks(slot * _chunksPer, 0, (_xKept[slot] + ChunkMask) >> ChunkShift);
                _xKept[slot] = 0;
            }

            int chip = _xChip[slot];
            _chipCrossing[chip] = -1;
            _xChip[slot] = -1;
            _freeSlots[_freeSlotCount++] = (short)slot;
            int k = 0;
            while (_open[k] != slot)
            {
                k++;
            }

            _openCount--;
            for (; k < _openCount; k++)
            {
                _open[k] = _open[k + 1];
            }

            QueueIdle(chip);
        }
    }
}
