namespace TimingMat.Core.Crossings
{
    /// <summary>
    /// What the detector knows of each chip its <see cref="ChipTable"/> follows (columns indexed by the chip's entry):
    /// its open crossing, when it was last read, since when it has been in the field without a gap, and its last
    /// passing; and the chips without an open crossing, in the order their crossings closed, which the sweep frees once
    /// their dead time is over and they have left. Allocated once; nothing here allocates afterwards.
    /// </summary>
    /// <remarks>
    /// The columns are fields the detector reads and writes directly on every read: on the board every call costs
    /// several µs, a field access a fraction of one.
    /// </remarks>
    internal sealed class TrackedChips
    {
        /// <summary>A time not yet set (a chip without a passing yet).</summary>
        internal const long NoTime = long.MinValue;

        // Idle chips a poll looks at, at most: a poll stays short.
        private const int SweepPerPoll = 16;

        /// <summary>Per chip: its open crossing's slot, or −1.</summary>
        internal readonly short[] Crossing;

        /// <summary>Per chip: local µs of its latest read.</summary>
        internal readonly long[] LastRead;

        /// <summary>Per chip: local µs it has been read since without a gap of a reaction window (continuous presence makes a stray).</summary>
        internal readonly long[] Presence;

        /// <summary>Per chip: local µs of its last passing, or <see cref="NoTime"/>.</summary>
        internal readonly long[] LastPassing;

        /// <summary>Per chip: whether its last read offered to a driver that is behind was let go (every other one is).</summary>
        internal readonly bool[] Thinned;

        /// <summary>The number of chips waiting in the idle queue.</summary>
        internal int IdleCount;

        /// <summary>Chips forgotten before their dead time ended, to make room (a later read may give a second passing).</summary>
        internal long Forgotten;

        private readonly ChipTable _table;
        private readonly bool _continuous;
        private readonly long _deadTime;
        private readonly long _reaction;
        private readonly long _stray;
        private readonly short[] _idle;
        private readonly bool[] _queued;
        private int _idleHead;

        /// <summary>Initializes a new instance of the <see cref="TrackedChips"/> class.</summary>
        /// <param name="settings">Mode, windows and the chip capacity.</param>
        /// <param name="table">The chips' EPCs; a chip the sweep frees is removed from it.</param>
        internal TrackedChips(CrossingSettings settings, ChipTable table)
        {
            int chips = settings.ChipCapacity;
            _table = table;
            _continuous = settings.Mode == DetectionMode.Continuous;
            _deadTime = settings.DeadTimeMicros;
            _reaction = settings.ReactionMicros;
            _stray = settings.StrayMicros;
            Crossing = new short[chips];
            LastRead = new long[chips];
            Presence = new long[chips];
            LastPassing = new long[chips];
            Thinned = new bool[chips];
            _idle = new short[chips];
            _queued = new bool[chips];
        }

        /// <summary>Puts a chip without an open crossing at the end of the idle queue, unless it is already in it.</summary>
        /// <param name="chip">The chip's entry.</param>
        internal void QueueIdle(int chip)
        {
            if (_queued[chip] || IdleCount == _idle.Length)
            {
                return;
            }

            int at = _idleHead + IdleCount;
            _idle[at >= _idle.Length ? at - _idle.Length : at] = (short)chip;
            IdleCount++;
            _queued[chip] = true;
        }

        /// <summary>
        /// Frees idle chips whose dead time is over and that have left, oldest passing first, a few per poll so a poll
        /// stays short. A chip still present (read in its dead time) holds the queue up only until it leaves or opens a
        /// new crossing; entries of chips that opened one again, or were forgotten for room, are dropped.
        /// </summary>
        /// <param name="now">Local µs now.</param>
        internal void Sweep(long now)
        {
            for (int budget = SweepPerPoll; budget > 0 && IdleCount > 0; budget--)
            {
                int chip = _idle[_idleHead];
                if (_table.IsUsed(chip) && Crossing[chip] < 0)
                {
                    if (!IsExpired(chip, now))
                    {
                        if (_continuous || LastPassing[chip] == NoTime || now - LastPassing[chip] >= _deadTime)
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

        /// <summary>
        /// Tells whether a chip is a stray: read without a gap of a reaction window for longer than the stray limit (up
        /// to its latest read, so a chip that left long before a late poll does not count as present all that time).
        /// </summary>
        /// <param name="chip">The chip's entry.</param>
        /// <returns><c>true</c> for a stray.</returns>
        internal bool IsStray(int chip)
        {
            return LastRead[chip] - Presence[chip] >= _stray;
        }

        /// <summary>Tells whether a chip may be forgotten: its dead time is over and it has gone a reaction window unread.</summary>
        /// <param name="chip">The chip's entry.</param>
        /// <param name="now">Local µs now.</param>
        /// <returns><c>true</c> when expired.</returns>
        internal bool IsExpired(int chip, long now)
        {
            bool deadTimeOver = _continuous || LastPassing[chip] == NoTime || now - LastPassing[chip] >= _deadTime;
            return deadTimeOver && now - LastRead[chip] >= _reaction;
        }

        /// <summary>
        /// Adds a chip to the table, new and without a passing. When the table is full, the idle chip heard longest ago
        /// is forgotten to make room (counted in <see cref="Forgotten"/> when its dead time was not over).
        /// </summary>
        /// <param name="epc">Buffer holding the EPC.</param>
        /// <param name="length">Its length.</param>
        /// <param name="now">Local µs of its first read.</param>
        /// <returns>The chip's entry, or −1 when every chip followed has an open crossing.</returns>
        internal int Acquire(byte[] epc, int length, long now)
        {
            ChipTable table = _table;
            int chip = table.Add(epc, length);
            if (chip < 0)
            {
                int victim = -1;
                long oldest = long.MaxValue;
                for (int i = 0; i < table.Capacity; i++)
                {
                    if (table.IsUsed(i) && Crossing[i] < 0 && LastRead[i] < oldest)
                    {
                        oldest = LastRead[i];
                        victim = i;
                    }
                }

                if (victim < 0)
                {
                    return -1;
                }

                if (!IsExpired(victim, now))
                {
                    Forgotten++;
                }

                table.Remove(victim);
                chip = table.Add(epc, length);
            }

            Crossing[chip] = -1;
            Presence[chip] = now;
            LastRead[chip] = now;
            LastPassing[chip] = NoTime;
            return chip;
        }

        private void DequeueIdle()
        {
            _queued[_idle[_idleHead]] = false;
            _idleHead = _idleHead + 1 == _idle.Length ? 0 : _idleHead + 1;
            IdleCount--;
        }
    }
}
