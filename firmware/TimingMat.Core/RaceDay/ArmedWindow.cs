using TimingMat.Core.Clock;

namespace TimingMat.Core.RaceDay
{
    /// <summary>
    /// When a mat counts: from the moment it is armed to its section's cut-off, in UTC. Passings outside are kept and
    /// flagged <see cref="Passings.PassingFlags.OutsideArmedWindow"/> (warm-up runs before the start, sweepers after the
    /// cut-off), never dropped.
    /// </summary>
    /// <remarks>
    /// The window is UTC, so it can only judge passings timed while the clock had UTC. A passing stamped while the
    /// clock was <see cref="ClockState.Unsynced"/> carries local time and that state; the window leaves it unflagged
    /// and the collector places it once the unit's offset is known.
    /// </remarks>
    public sealed class ArmedWindow
    {
        /// <summary>Value of <see cref="OpensUtcMicros"/> while no opening is set: open since forever.</summary>
        public const long NoOpening = long.MinValue;

        /// <summary>Value of <see cref="CutOffUtcMicros"/> while no cut-off is set: open for ever.</summary>
        public const long NoCutOff = long.MaxValue;

        /// <summary>Initializes a new instance of the <see cref="ArmedWindow"/> class, open without limits.</summary>
        public ArmedWindow()
        {
            Clear();
        }

        /// <summary>Gets the UTC µs the window opens at (inclusive), or <see cref="NoOpening"/>.</summary>
        public long OpensUtcMicros { get; private set; }

        /// <summary>Gets the UTC µs of the cut-off (exclusive), or <see cref="NoCutOff"/>.</summary>
        public long CutOffUtcMicros { get; private set; }

        /// <summary>Sets the opening.</summary>
        /// <param name="utcMicros">UTC µs since 1970.</param>
        /// <returns><c>false</c> (and nothing changes) when it is not before the cut-off.</returns>
        public bool SetOpening(long utcMicros)
        {
            if (utcMicros >= CutOffUtcMicros)
            {
                return false;
            }

            OpensUtcMicros = utcMicros;
            return true;
        }

        /// <summary>Sets the cut-off.</summary>
        /// <param name="utcMicros">UTC µs since 1970.</param>
        /// <returns><c>false</c> (and nothing changes) when it is not after the opening.</returns>
        public bool SetCutOff(long utcMicros)
        {
            if (utcMicros <= OpensUtcMicros)
            {
                return false;
            }

            CutOffUtcMicros = utcMicros;
            return true;
        }

        /// <summary>Removes both limits.</summary>
        public void Clear()
        {
            OpensUtcMicros = NoOpening;
            CutOffUtcMicros = NoCutOff;
        }

        /// <summary>Tells whether a time lies outside the window.</summary>
        /// <param name="utcMicros">The time (UTC µs, or local µs when <paramref name="state"/> is Unsynced).</param>
        /// <param name="state">The clock state the time was taken in.</param>
        /// <returns><c>true</c> when the time is UTC and before the opening or at or after the cut-off.</returns>
        public bool IsOutside(long utcMicros, ClockState state)
        {
            if (state == ClockState.Unsynced)
            {
                return false;
            }

            return utcMicros < OpensUtcMicros || utcMicros >= CutOffUtcMicros;
        }
    }
}
