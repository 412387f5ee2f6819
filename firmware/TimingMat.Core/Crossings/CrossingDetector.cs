// A little over 400 lines on purpose: a read's whole path stays in OnTagRead (on the board a call costs several µs,
// so the tables it updates are reached as fields), and the counters the unit reports are public properties here.
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
        private const int NoTime = TrackedChips.NoTime;

        private readonly CrossingSettings _settings;
        private readonly DetectionMode _mode;
        // Compared with the chips' int times (TrackedChips): ints too, so no compare widens them (at most 60 s and 600 s).
        private readonly int _reaction;
        private readonly int _deadTime;
        private readonly long _firstDueAfter;
        private readonly int _thinAfter;
        private readonly int _maxEpcBytes;
        private readonly bool _peak;
        private readonly IPassingSink _sink;
        private readonly ChipTable _table;
        private readonly TrackedChips _chips;
        private readonly OpenCrossings _slots;
        private readonly KeptReadStore _store;
        private readonly PassingQueue _queue;
        private readonly CrossingCloser _closer;

        // The earliest local time any open crossing may close: polls before it skip the scan.
        private long _nextDue;

        // Counters as fields: "Counter++" on an auto-property is two calls on the device.
        private long _readsThinned;
        private long _reads;
        private long _rejectedReads;
        private long _refusedReads;
        private long _deadTimeReads;
        private long _crossingsOpened;
        private long _passingsDelivered;
        private long _backPressureStalls;

        // High-water marks: what a race really asked of the capacities (the evidence for sizing them).
        private int _mostChipsTracked;
        private int _mostOpenCrossings;

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
            _reaction = (int)settings.ReactionMicros;
            _deadTime = (int)settings.DeadTimeMicros;
            long interval = settings.ContinuousIntervalMicros;
            _thinAfter = settings.ThinAfterReads;
            _maxEpcBytes = settings.MaxEpcBytes;
            _peak = _mode == DetectionMode.Peak;
            _firstDueAfter = _mode == DetectionMode.Continuous && interval < _reaction ? interval : _reaction;
            _sink = sink;
            _table = new ChipTable(settings.ChipCapacity, settings.MaxEpcBytes);
            _chips = new TrackedChips(settings, _table);
            _slots = new OpenCrossings(settings.OpenCrossingCapacity);
            _store = new KeptReadStore(settings, _peak);
            _queue = new PassingQueue(settings.PendingPassings, settings.MaxEpcBytes);
            _closer = new CrossingCloser(settings, time, _table, _chips, _slots, _store, _queue);
            _nextDue = long.MaxValue;
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
            get { return _closer.Queued; }
        }

        /// <summary>Gets the number of passings (and markers) the sink took.</summary>
        public long PassingsDelivered
        {
            get { return _passingsDelivered; }
        }

        /// <summary>Gets the number of crossings closed early because the chip table or the open crossings were full.</summary>
        public long CapacityClosed
        {
            get { return _closer.CapacityClosed; }
        }

        /// <summary>Gets the number of chips forgotten before their dead time ended, to make room (a later read may give a second passing).</summary>
        public long ForgottenChips
        {
            get { return _chips.Forgotten; }
        }

        /// <summary>Gets the number of Peak-mode passings timed at the strongest read because the peak fit failed.</summary>
        public long FitFallbacks
        {
            get { return _closer.FitFallbacks; }
        }

        /// <summary>Gets the number of flushes the sink cut short by refusing a passing.</summary>
        public long BackPressureStalls
        {
            get { return _backPressureStalls; }
        }

        /// <summary>Gets the number of crossings open now.</summary>
        public int OpenCrossings
        {
            get { return _slots.OpenCount; }
        }

        /// <summary>
        /// Gets the number of reads an open crossing averaged into fewer entries early, or kept as a hit only, because the
        /// store of kept reads it shares with the others was empty (0 while the reader stays within
        /// <see cref="CrossingSettings.ReadsPerSecond"/>: the crossing times are then exactly those of unshared storage).
        /// </summary>
        public long KeptStoreFull
        {
            get { return _store.Full; }
        }

        /// <summary>Gets the number of chips the table follows now (open crossings and chips in dead time).</summary>
        public int ChipsTracked
        {
            get { return _table.Count; }
        }

        /// <summary>
        /// Gets the most chips the table followed at once since the detector was built (against
        /// <see cref="CrossingSettings.ChipCapacity"/>: what the race really asked of it).
        /// </summary>
        public int MostChipsTracked
        {
            get { return _mostChipsTracked; }
        }

        /// <summary>
        /// Gets the most crossings open at once since the detector was built (against
        /// <see cref="CrossingSettings.OpenCrossingCapacity"/>).
        /// </summary>
        public int MostOpenCrossings
        {
            get { return _mostOpenCrossings; }
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

            long local = read.LocalMicros;
            TrackedChips chips = _chips;

            // The chips' times are µs after an epoch that moves every 9 minutes (TrackedChips.Rebase; two compares a read).
            long since = local - chips.Epoch;
            if (since >= TrackedChips.RebaseMicros || since < -TrackedChips.RebaseMicros)
            {
                chips.Rebase(local);
                since = 0;
            }

            int now = (int)since;
            int chip = _table.Find(read.Epc, 0, length);
            if (chip < 0)
            {
                chip = chips.Acquire(read.Epc, length, now);
                if (chip < 0)
                {
                    // Every chip followed has an open crossing: the oldest closes early to make room.
                    chip = _closer.Close(_slots.Oldest(), PassingFlags.CapacityClosed) ? chips.Acquire(read.Epc, length, now) : -1;
                    if (chip < 0)
                    {
                        _refusedReads++;
                        return;
                    }
                }

                int tracked = _table.Count;
                if (tracked > _mostChipsTracked)
                {
                    _mostChipsTracked = tracked;
                }
            }
            else
            {
                // A gap of a reaction window ends the chip's presence; continuous presence is what makes a stray.
                int[] lastRead = chips.LastRead;
                int last = lastRead[chip];
                if (now - last >= _reaction)
                {
                    chips.Presence[chip] = now;
                }

                if (now > last)
                {
                    lastRead[chip] = now;
                }
            }

            OpenCrossings slots = _slots;
            int slot = chips.Crossing[chip];
            if (slot >= 0)
            {
                if (slots.Closing[slot])
                {
                    // Its crossing is decided and waits for its fit: the read falls in the dead time it would be in.
                    _deadTimeReads++;
                    return;
                }
            }
            else
            {
                int lastPassing = chips.LastPassing[chip];
                if (_mode != DetectionMode.Continuous && lastPassing != NoTime && now - lastPassing < _deadTime)
                {
                    _deadTimeReads++;
                    return;
                }

                // Opened while the chip never left since its last passing: it stands in the field and closes only when gone.
                bool lingering = chips.Presence[chip] < now;
                slot = slots.Take(chip, local, lingering);
                if (slot < 0)
                {
                    // Every slot taken: the oldest crossing closes early to make room, unless the passing queue is full.
                    slot = _closer.Close(slots.Oldest(), PassingFlags.CapacityClosed) ? slots.Take(chip, local, lingering) : -1;
                    if (slot < 0)
                    {
                        // Left in the table without a crossing: the sweep frees it like any idle chip.
                        chips.QueueIdle(chip);
                        _refusedReads++;
                        return;
                    }
                }

                chips.Crossing[chip] = (short)slot;
                _crossingsOpened++;
                if (slots.OpenCount > _mostOpenCrossings)
                {
                    _mostOpenCrossings = slots.OpenCount;
                }
            }

            int rssi = read.RssiCentiDbm;
            int hits = slots.Hits[slot];
            long baseTime = slots.Base[slot];
            if (hits == 0)
            {
                // First read of the crossing (or, in Continuous mode, of the interval): it may close from then on.
                slots.First[slot] = local;
                slots.Last[slot] = local;
                slots.MaxRssi[slot] = int.MinValue;
                long due = local + _firstDueAfter;
                if (due < _nextDue)
                {
                    _nextDue = due;
                }
            }
            else
            {
                if (local < slots.First[slot])
                {
                    slots.First[slot] = local;
                }

                if (local > slots.Last[slot])
                {
                    slots.Last[slot] = local;
                }
            }

            slots.Hits[slot] = hits + 1;
            int maxRssi = slots.MaxRssi[slot];
            if (rssi > maxRssi)
            {
                slots.MaxRssi[slot] = rssi;
                slots.MaxTimeSum[slot] = local - baseTime;
                slots.MaxCount[slot] = 1;
                slots.BestAntenna[slot] = (byte)MatAntenna.Of(read.ReaderIndex, read.Antenna);
                slots.LastPeak[slot] = local;
            }
            else if (rssi == maxRssi)
            {
                // Readers report whole dBm, so the strongest level is often reached several times: keep their mean time.
                slots.MaxTimeSum[slot] += local - baseTime;
                slots.MaxCount[slot]++;
                if (local > slots.LastPeak[slot])
                {
                    slots.LastPeak[slot] = local;
                }
            }

            if (_peak)
            {
                _store.Keep(slot, read, rssi, local - baseTime);
            }
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

            TrackedChips chips = _chips;
            int slot = chips.Crossing[chip];
            bool wellRead;
            if (slot >= 0)
            {
                wellRead = _slots.Closing[slot] || _slots.Hits[slot] >= _thinAfter;
            }
            else
            {
                int lastPassing = chips.LastPassing[chip];
                wellRead = _mode != DetectionMode.Continuous && lastPassing != NoTime && chips.LastRead[chip] - lastPassing < _deadTime;
            }

            if (!wellRead)
            {
                return false;
            }

            bool thin = !chips.Thinned[chip];
            chips.Thinned[chip] = thin;
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
            if (_chips.IdleCount > 0)
            {
                _chips.Sweep(localMicros);
            }

            if (localMicros < _nextDue)
            {
                return delivered;
            }

            _nextDue = _closer.CloseDue(localMicros);
            return delivered + (_queue.Count > 0 ? Flush() : 0);
        }

        /// <summary>Closes every open crossing now (end of a timing session) and offers the passings to the sink.</summary>
        /// <returns><c>true</c> when every crossing was closed; <c>false</c> when the queue filled up first (poll and call again).</returns>
        public bool CloseAll()
        {
            Flush();
            while (_slots.OpenCount > 0)
            {
                int s = _slots.Open[0];
                if (_chips.IsStray(_slots.Chip[s]))
                {
                    _slots.Stray[s] = true;
                }

                if (!_closer.Close(s, PassingFlags.None))
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
            _closer.Queued++;
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
    }
}
