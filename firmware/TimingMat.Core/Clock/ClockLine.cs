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
        /// <summary>Initializes a new instance of the <see cref="ClockLine"/> class: a nominal 1 µs per µs line through (0, 0).</summary>
        public ClockLine()
        {
            DriftSeconds = 1;
        }

        /// <summary>Gets the anchor's second on the timeline (UTC seconds since 1970 once locked).</summary>
        public long AnchorSecond { get; private set; }

        /// <summary>Gets the local µs counter at the start of <see cref="AnchorSecond"/>.</summary>
        public long AnchorLocalMicros { get; private set; }

        /// <summary>Gets the local µs the counter gains over <see cref="DriftSeconds"/> seconds (negative: it loses).</summary>
        public long DriftMicros { get; private set; }

        /// <summary>Gets the seconds over which <see cref="DriftMicros"/> is measured; positive.</summary>
        public long DriftSeconds { get; private set; }

        /// <summary>Gets the counter's frequency error in parts per billion (positive: the crystal runs fast).</summary>
        public long FrequencyErrorPpb
        {
            get { return FixedPoint.DivRound(DriftMicros * 1000, DriftSeconds); }
        }

        /// <summary>Sets the line.</summary>
        /// <param name="anchorSecond">Anchor second on the timeline.</param>
        /// <param name="anchorLocalMicros">Local µs at that second.</param>
        /// <param name="driftMicros">µs gained over <paramref name="driftSeconds"/>.</param>
        /// <param name="driftSeconds">Seconds of the drift measurement; positive.</param>
        public void Set(long anchorSecond, long anchorLocalMicros, long driftMicros, long driftSeconds)
        {
            AnchorSecond = anchorSecond;
            AnchorLocalMicros = anchorLocalMicros;
            DriftMicros = driftMicros;
            DriftSeconds = driftSeconds;
        }

        /// <summary>Copies another line into this one (no allocation).</summary>
        /// <param name="other">The line to copy.</param>
        public void CopyFrom(ClockLine other)
        {
            Set(other.AnchorSecond, other.AnchorLocalMicros, other.DriftMicros, other.DriftSeconds);
        }

        /// <summary>Moves the line along the timeline by whole seconds (the GPS relabelled its seconds).</summary>
        /// <param name="seconds">Seconds to add to the anchor.</param>
        public void Renumber(long seconds)
        {
            AnchorSecond += seconds;
        }

        /// <summary>Gives the local µs at which a second of the timeline starts.</summary>
        /// <param name="second">The second.</param>
        /// <returns>The local counter value.</returns>
        public long LocalAt(long second)
        {
            long d = second - AnchorSecond;
            return AnchorLocalMicros + (d * UtcCalendar.MicrosPerSecond) + FixedPoint.MulDiv(d, DriftMicros, DriftSeconds);
        }

        /// <summary>Maps a local µs counter value to µs on the timeline (seconds × 1,000,000 + fraction).</summary>
        /// <param name="localMicros">The local counter value.</param>
        /// <returns>The time on the timeline in µs.</returns>
        public long TimelineMicrosAt(long localMicros)
        {
            // local = anchor + τ·(1 + drift/(1e6·seconds)), so τ = u − u·drift / (1e6·seconds + drift).
            long u = localMicros - AnchorLocalMicros;
            long denominator = (DriftSeconds * UtcCalendar.MicrosPerSecond) + DriftMicros;
            return (AnchorSecond * UtcCalendar.MicrosPerSecond) + u - FixedPoint.MulDiv(u, DriftMicros, denominator);
        }
    }
}
