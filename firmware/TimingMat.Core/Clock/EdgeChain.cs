using TimingMat.Core.Common;

namespace TimingMat.Core.Clock
{
    /// <summary>
    /// The chain of committed PPS edges, each a whole number of seconds after the last: it numbers the edges for the
    /// fit, refuses stamps that fall between the seconds, and starts over after a gap or three misfits in a row.
    /// </summary>
    internal sealed class EdgeChain
    {
        /// <summary><see cref="Place"/>: the stamp is not a whole number of seconds after the last edge.</summary>
        internal const int Refused = 0;

        /// <summary><see cref="Place"/>: the stamp continues the chain with the number given.</summary>
        internal const int Follows = 1;

        /// <summary><see cref="Place"/>: no chain, or too long a gap: a new chain starts at the stamp.</summary>
        internal const int Restarts = 2;

        /// <summary><see cref="Place"/>: the third misfit in a row: the stamp is refused, but the previous edge was the odd one, so a new chain starts at it.</summary>
        internal const int RestartsAfterMisfits = 3;

        /// <summary>Whether the chain has an edge.</summary>
        internal bool Active;

        /// <summary>Local µs of the last edge.</summary>
        internal long LastLocal;

        /// <summary>Number of the last edge.</summary>
        internal long LastIndex;

        /// <summary>Whether an edge confirmed by a fix has been committed since the timebase started.</summary>
        internal bool HasConfirmed;

        /// <summary>Local µs of the last edge confirmed by a fix.</summary>
        internal long LastConfirmedLocal;

        private readonly long _restartGap;
        private readonly long _tolerance;
        private int _rejectStreak;

        /// <summary>Initializes a new instance of the <see cref="EdgeChain"/> class.</summary>
        /// <param name="restartGapMicros">A gap longer than this starts a new chain (<see cref="MatClockSettings.WindowRestartGapMicros"/>).</param>
        /// <param name="toleranceMicros">How far from a whole number of seconds an edge may fall (<see cref="MatClockSettings.EdgeToleranceMicros"/>).</param>
        internal EdgeChain(long restartGapMicros, long toleranceMicros)
        {
            _restartGap = restartGapMicros;
            _tolerance = toleranceMicros;
        }

        /// <summary>Forgets the chain (the timebase restarted).</summary>
        internal void Clear()
        {
            Active = false;
            HasConfirmed = false;
        }

        /// <summary>Places a stamp after the chain's last edge.</summary>
        /// <param name="local">The stamp's local µs.</param>
        /// <param name="perSecond">Local µs per second at the crystal's frequency.</param>
        /// <param name="index">Its number when it <see cref="Follows"/>.</param>
        /// <returns><see cref="Refused"/>, <see cref="Follows"/>, <see cref="Restarts"/> or <see cref="RestartsAfterMisfits"/>.</returns>
        internal int Place(long local, long perSecond, out long index)
        {
            index = 0;
            long gap = local - LastLocal;
            if (!Active || gap > _restartGap)
            {
                return Restarts;
            }

            long seconds = FixedPoint.DivRound(gap, perSecond);
            if (gap <= 0 || seconds < 1)
            {
                return Refused;
            }

            if (FixedPoint.Abs(gap - (seconds * perSecond)) > _tolerance)
            {
                _rejectStreak++;
                return _rejectStreak < 3 ? Refused : RestartsAfterMisfits;
            }

            index = LastIndex + seconds;
            return Follows;
        }

        /// <summary>Makes a placed stamp the chain's last edge.</summary>
        /// <param name="local">Its local µs.</param>
        /// <param name="index">Its number.</param>
        /// <param name="confirmed">Whether its burst reported a fix.</param>
        internal void Commit(long local, long index, bool confirmed)
        {
            Active = true;
            LastLocal = local;
            LastIndex = index;
            _rejectStreak = 0;
            if (confirmed)
            {
                HasConfirmed = true;
                LastConfirmedLocal = local;
            }
        }
    }
}
