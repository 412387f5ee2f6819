using TimingMat.Core.Common;

namespace TimingMat.Core.Clock
{
    /// <summary>
    /// A straight-line map between the unit's local µs counter and the GPS timeline: at UTC second
    /// <see cref="AnchorSecond"/> the counter read <see cref="AnchorLocalMicros"/>, and it runs
    /// <see cref="DriftMicros"/> µs fast every <see cref="DriftSeconds"/> seconds (a rational slope: exact
    /// integer maths on the device, no floating point).
    /// </summary>
    public sealed class ClockLine
    {
        // Fields, read by every conversion (a property is a call on the device).
        private long _anchorSecond;
        private long _anchorLocalMicros;
        private long _driftMicros;
        private long _driftSeconds;

        /// <summary>Initializes a new instance of the <see cref="ClockLine"/> class: a nominal 1 µs per µs line through (0, 0).</summary>
        public ClockLine()
        {
            _driftSeconds = 1;
        }

        /// <summary>Gets the anchor's second on the timeline (UTC seconds since 1970 once locked).</summary>
        public long AnchorSecond
        {
            get { return _anchorSecond; }
        }

        /// <summary>Gets the local µs counter at the start of <see cref="AnchorSecond"/>.</summary>
        public long AnchorLocalMicros
        {
            get { return _anchorLocalMicros; }
        }

        /// <summary>Gets the local µs the counter gains over <see cref="DriftSeconds"/> seconds (negative: it loses).</summary>
        public long DriftMicros
        {
            get { return _driftMicros; }
        }

        /// <summary>Gets the seconds over which <see cref="DriftMicros"/> is measured; positive.</summary>
        public long DriftSeconds
        {
            get { return _driftSeconds; }
        }

        /// <summary>Gets the counter's frequency error in parts per billion (positive: the crystal runs fast).</summary>
        public long FrequencyErrorPpb
        {
            get { return FixedPoint.DivRound(_driftMicros * 1000, _driftSeconds); }
        }

        /// <summary>Sets the line.</summary>
        /// <param name="anchorSecond">Anchor second on the timeline.</param>
        /// <param name="anchorLocalMicros">Local µs at that second.</param>
        /// <param name="driftMicros">µs gained over <paramref name="driftSeconds"/>.</param>
        /// <param name="driftSeconds">Seconds of the drift measurement; positive.</param>
        public void Set(long anchorSecond, long anchorLocalMicros, long driftMicros, long driftSeconds)
        {
            _anchorSecond = anchorSecond;
            _anchorLocalMicros = anchorLocalMicros;
            _driftMicros = driftMicros;
            _driftSeconds = driftSeconds;
        }

        /// <summary>Copies another line into this one (no allocation).</summary>
        /// <param name="other">The line to copy.</param>
        public void CopyFrom(ClockLine other)
        {
            // Field by field: each getter and Set would be a call on the device, and the clock copies at every fit.
            _anchorSecond = other._anchorSecond;
            _anchorLocalMicros = other._anchorLocalMicros;
            _driftMicros = other._driftMicros;
            _driftSeconds = other._driftSeconds;
        }

        /// <summary>Moves the line along the timeline by whole seconds (the GPS relabelled its seconds).</summary>
        /// <param name="seconds">Seconds to add to the anchor.</param>
        public void Renumber(long seconds)
        {
            _anchorSecond += seconds;
        }

        /// <summary>Gives the local µs at which a second of the timeline starts.</summary>
        /// <param name="second">The second.</param>
        /// <returns>The local counter value.</returns>
        public long LocalAt(long second)
        {
            long d = second - _anchorSecond;
            return _anchorLocalMicros + (d * UtcCalendar.MicrosPerSecond) + FixedPoint.MulDiv(d, _driftMicros, _driftSeconds);
        }

        /// <summary>Maps a local µs counter value to µs on the timeline (seconds × 1,000,000 + fraction).</summary>
        /// <param name="localMicros">The local counter value.</param>
        /// <returns>The time on the timeline in µs.</returns>
        public long TimelineMicrosAt(long localMicros)
        {
            // local = anchor + τ·(1 + drift/(1e6·seconds)), so τ = u − u·drift / (1e6·seconds + drift).
            long u = localMicros - _anchorLocalMicros;
            long denominator = (_driftSeconds * UtcCalendar.MicrosPerSecond) + _driftMicros;
            return (_anchorSecond * UtcCalendar.MicrosPerSecond) + u - FixedPoint.MulDiv(u, _driftMicros, denominator);
        }
    }
}
