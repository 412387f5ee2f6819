namespace TimingMat.Core.Clock
{
    /// <summary>A time the unit produced, with the clock state and uncertainty that go with it (every timestamp carries both).</summary>
    public struct MatTime
    {
        /// <summary>Value of <see cref="UncertaintyMicros"/> when the clock has no UTC at all.</summary>
        public const long UnknownUncertainty = -1;

        /// <summary>Initializes a new instance of the <see cref="MatTime"/> struct.</summary>
        /// <param name="utcMicros">UTC in µs since 1970-01-01 (when <paramref name="state"/> is Unsynced: local µs since boot).</param>
        /// <param name="state">Clock state when the time was taken.</param>
        /// <param name="uncertaintyMicros">Bound of the error in µs, or <see cref="UnknownUncertainty"/>.</param>
        public MatTime(long utcMicros, ClockState state, long uncertaintyMicros)
        {
            UtcMicros = utcMicros;
            State = state;
            UncertaintyMicros = uncertaintyMicros;
        }

        /// <summary>Gets the time: UTC µs since 1970-01-01, or local µs since boot when <see cref="State"/> is Unsynced.</summary>
        public long UtcMicros { get; private set; }

        /// <summary>Gets the clock state when the time was taken.</summary>
        public ClockState State { get; private set; }

        /// <summary>Gets the bound of the time's error in µs, or <see cref="UnknownUncertainty"/> when unsynced.</summary>
        public long UncertaintyMicros { get; private set; }
    }
}
