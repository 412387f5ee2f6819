namespace TimingMat.Core.Clock
{
    /// <summary>
    /// What the NMEA labels of the committed edges say about their numbering: votes on its offset towards a lock,
    /// votes for a GPS time jump while locked, and an inserted leap second on the timeline.
    /// </summary>
    internal sealed class SecondLabels
    {
        /// <summary>Whether the edges are numbered in UTC seconds (seconds since 1970, a leap second counted); a relative count before the first lock.</summary>
        internal bool IndexIsTimeline;

        /// <summary>The last second whose label agreed with a locked numbering (midnight after it may still be 23:59:60).</summary>
        internal long LastAgreedSecond;

        /// <summary>Whether an inserted leap second is on the timeline: seconds after it are one more than their POSIX label.</summary>
        internal bool LeapKnown;

        /// <summary>The timeline second of 23:59:60.</summary>
        internal long LeapIndex;

        /// <summary>The POSIX label of 23:59:60.</summary>
        internal long LeapPosix;

        /// <summary>The offset the labels vote for before a lock (timeline second − edge number).</summary>
        internal long VoteOffset;

        /// <summary>Labels in a row voting for <see cref="VoteOffset"/>.</summary>
        internal int Votes;

        /// <summary>Labels that agreed with a locked numbering (<see cref="MatClock.LabelsAgreed"/>).</summary>
        internal int Agreed;

        /// <summary>Labels that disagreed with a locked numbering (<see cref="MatClock.LabelMismatches"/>).</summary>
        internal int Mismatches;

        /// <summary>GPS time jumps accepted while locked (<see cref="MatClock.TimeJumps"/>).</summary>
        internal int TimeJumps;

        /// <summary>The size of the last accepted jump in seconds (<see cref="MatClock.LastJumpSeconds"/>).</summary>
        internal long LastJumpSeconds;

        /// <summary>Inserted leap seconds seen (<see cref="MatClock.LeapSeconds"/>).</summary>
        internal int LeapSeconds;

        private readonly int _jumpConfirmLabels;
        private long _jumpOffset;
        private int _jumpVotes;

        /// <summary>Initializes a new instance of the <see cref="SecondLabels"/> class.</summary>
        /// <param name="jumpConfirmLabels">Labels that must agree on a new numbering before a jump is accepted (<see cref="MatClockSettings.JumpConfirmLabels"/>).</param>
        internal SecondLabels(int jumpConfirmLabels)
        {
            _jumpConfirmLabels = jumpConfirmLabels;
        }

        /// <summary>Drops the votes (a new chain, a lock, a holdover).</summary>
        internal void ClearVotes()
        {
            Votes = 0;
            _jumpVotes = 0;
        }

        /// <summary>Forgets the numbering (the timebase restarted).</summary>
        internal void Clear()
        {
            IndexIsTimeline = false;
            Votes = 0;
            _jumpVotes = 0;
            LeapKnown = false;
            LastAgreedSecond = 0;
        }

        /// <summary>Moves what is numbered along with the edges.</summary>
        /// <param name="seconds">Seconds to add.</param>
        internal void Renumber(long seconds)
        {
            LastAgreedSecond += seconds;
            if (LeapKnown)
            {
                LeapIndex += seconds;
                LeapPosix += seconds;
            }
        }

        /// <summary>Takes the label of a committed, confirmed edge.</summary>
        /// <param name="edge">The edge with what its burst named.</param>
        /// <param name="index">Its number.</param>
        /// <param name="locked">Whether the clock is locked (labels then check the numbering instead of voting on it).</param>
        /// <returns>The seconds the numbering must move by for a GPS time jump the labels confirmed; 0 for none.</returns>
        internal long Take(PendingEdge edge, long index, bool locked)
        {
            if (!edge.HasTime)
            {
                return 0;
            }

            int secondOfDay = edge.SecondOfDay;
            bool leapLabel = secondOfDay == UtcCalendar.SecondsPerDay;
            long posix;
            if (edge.HasDate)
            {
                posix = (edge.Day * UtcCalendar.SecondsPerDay) + secondOfDay;
            }
            else if (IndexIsTimeline)
            {
                // A time of day alone (GGA) names the second nearest to what the numbering expects.
                long expected = index - (LeapKnown && index > LeapIndex ? 1 : 0);
                long diff = (secondOfDay % UtcCalendar.SecondsPerDay) - (expected % UtcCalendar.SecondsPerDay);
                if (diff >= UtcCalendar.SecondsPerDay / 2)
                {
                    diff -= UtcCalendar.SecondsPerDay;
                }
                else if (diff < -UtcCalendar.SecondsPerDay / 2)
                {
                    diff += UtcCalendar.SecondsPerDay;
                }

                posix = expected + diff;
            }
            else
            {
                return 0;
            }

            long timeline = posix;
            if (LeapKnown && !leapLabel && posix >= LeapPosix)
            {
                timeline++;
            }

            long offset = timeline - index;
            if (!locked)
            {
                if (leapLabel)
                {
                    // Locking across a leap second: let the labels after it settle the numbering.
                    return 0;
                }

                if (Votes > 0 && offset == VoteOffset)
                {
                    Votes++;
                }
                else
                {
                    VoteOffset = offset;
                    Votes = 1;
                }

                return 0;
            }

            if (offset == 0)
            {
                Agreed++;
                LastAgreedSecond = index;
                _jumpVotes = 0;
                if (leapLabel && !LeapKnown)
                {
                    LeapKnown = true;
                    LeapIndex = index;
                    LeapPosix = posix;
                    LeapSeconds++;
                }

                return 0;
            }

            Mismatches++;
            if (_jumpVotes > 0 && offset == _jumpOffset)
            {
                _jumpVotes++;
            }
            else
            {
                _jumpOffset = offset;
                _jumpVotes = 1;
            }

            if (_jumpVotes < _jumpConfirmLabels)
            {
                return 0;
            }

            TimeJumps++;
            LastJumpSeconds = offset;
            _jumpVotes = 0;
            return offset;
        }
    }
}
