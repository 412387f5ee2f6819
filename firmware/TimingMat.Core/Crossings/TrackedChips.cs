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
    /// several µs, a field access a fraction of one. The three times are µs after <see cref="Epoch"/> in an <c>int</c>
    /// (12 bytes a chip instead of 24: 3.4 KB of a split mat's 288 chips), exact to the µs: the epoch moves up to now
    /// every <see cref="RebaseMicros"/> (9 minutes), and a time that falls more than <see cref="LongAgoMicros"/> (17.9
    /// minutes) behind it is held at that age. Every limit a time is compared with is shorter (reaction window ≤ 60 s,
    /// dead time and stray limit ≤ 10 min, <see cref="CrossingSettings.Validate"/>), so the comparisons come out as
    /// with 64-bit times; and any two stored times, or one and now, differ by less than 2^31 µs, so no difference
    /// overflows.
    /// </remarks>
    internal sealed class TrackedChips
    {
        /// <summary>A time not yet set (a chip without a passing yet).</summary>
        internal const int NoTime = int.MinValue;

        /// <summary>How far now may run ahead of <see cref="Epoch"/> (or behind it) before the epoch moves: 2^29 µs, about 9 minutes.</summary>
        internal const long RebaseMicros = 1L << 29;

        /// <summary>The oldest a stored time gets, in µs before the epoch: 2^30 µs, about 17.9 minutes.</summary>
        internal const int LongAgoMicros = 1 << 30;

        // Idle chips a poll looks at, at most: a poll stays short.
        private const int SweepPerPoll = 16;

        /// <summary>Per chip: its open crossing's slot, or −1.</summary>
        internal readonly short[] Crossing;

        /// <summary>Per chip: µs after <see cref="Epoch"/> of its latest read.</summary>
        internal readonly int[] LastRead;

        /// <summary>Per chip: µs after <see cref="Epoch"/> it has been read since without a gap of a reaction window (continuous presence makes a stray).</summary>
        internal readonly int[] Presence;

        /// <summary>Per chip: µs after <see cref="Epoch"/> of its last passing, or <see cref="NoTime"/>.</summary>
        internal readonly int[] LastPassing;

        /// <summary>The local µs the chips' times count from (moved by <see cref="Rebase"/>).</summary>
        internal long Epoch;

        /// <summary>Per chip: whether its last read offered to a driver that is behind was let go (every other one is).</summary>
        internal readonly bool[] Thinned;

        /// <summary>The number of chips waiting in the idle queue.</summary>
        internal int IdleCount;

        /// <summary>Chips forgotten before their dead time ended, to make room (a later read may give a second passing).</summary>
        internal long Forgotten;

        private readonly ChipTable _table;
        private readonly bool _continuous;
        private readonly int _deadTime;
        private readonly int _reaction;
        private readonly int _stray;
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
            _deadTime = (int)settings.DeadTimeMicros;
            _reaction = (int)settings.ReactionMicros;
            _stray = (int)settings.StrayMicros;
            Crossing = new short[chips];
            LastRead = new int[chips];
            Presence = new int[chips];
            LastPassing = new int[chips];
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
        /// <param name="localMicros">Local µs now.</param>
        internal void Sweep(long localMicros)
        {
            // Now after the epoch, moving it when now is RebaseMicros away (inline, as in the detector: the sweep runs every poll).
            long since = localMicros - Epoch;
            if (since >= RebaseMicros || since < -RebaseMicros)
            {
                Rebase(localMicros);
                since = 0;
            }

            int now = (int)since;
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
        /// <param name="now">µs after <see cref="Epoch"/> now.</param>
        /// <returns><c>true</c> when expired.</returns>
        internal bool IsExpired(int chip, int now)
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
        /// <param name="now">Its first read, µs after <see cref="Epoch"/>.</param>
        /// <returns>The chip's entry, or −1 when every chip followed has an open crossing.</returns>
        internal int Acquire(byte[] epc, int length, int now)
        {
            ChipTable table = _table;
            int chip = table.Add(epc, length);
            if (chip < 0)
            {
                int victim = -1;
                int oldest = int.MaxValue;
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

        /// <summary>
        /// Moves the epoch to a local time: every chip's times are shifted by the move, a time more than
        /// <see cref="LongAgoMicros"/> before the new epoch held at that age (every 9 minutes: 3 × chips steps).
        /// </summary>
        /// <param name="localMicros">The new epoch, local µs.</param>
        internal void Rebase(long localMicros)
        {
            long shift = localMicros - Epoch;
            Epoch = localMicros;
            int[] lastRead = LastRead;
            int[] presence = Presence;
            int[] lastPassing = LastPassing;
            for (int i = 0; i < lastRead.Length; i++)
            {
                lastRead[i] = Shifted(lastRead[i], shift);
                presence[i] = Shifted(presence[i], shift);
                lastPassing[i] = lastPassing[i] == NoTime ? NoTime : Shifted(lastPassing[i], shift);
            }
        }

        /// <summary>Converts a local time to µs after <see cref="Epoch"/>, held within the stored range (a passing's time may be long past).</summary>
        /// <param name="localMicros">Local µs.</param>
        /// <returns>µs after the epoch, −<see cref="LongAgoMicros"/> to <see cref="LongAgoMicros"/>.</returns>
        internal int Stored(long localMicros)
        {
            return Shifted(0, Epoch - localMicros);
        }

        private static int Shifted(int time, long shift)
        {
            long at = time - shift;
            return at < -LongAgoMicros ? -LongAgoMicros : (at > LongAgoMicros ? LongAgoMicros : (int)at);
        }

        private void DequeueIdle()
        {
            _queued[_idle[_idleHead]] = false;
            _idleHead = _idleHead + 1 == _idle.Length ? 0 : _idleHead + 1;
            IdleCount--;
        }
    }
}
