namespace TimingMat.Core.Clock
{
    /// <summary>Turns local microseconds (the core's clock) into mat time: the GPS-disciplined <c>MatClock</c>, or a fixed mapping in tests.</summary>
    public interface IMatTimeSource
    {
        /// <summary>Converts a local time to mat time with the clock's current state and uncertainty.</summary>
        /// <param name="localMicros">Local µs since boot, from the core's microsecond clock.</param>
        /// <returns>The mat time.</returns>
        MatTime ToMatTime(long localMicros);
    }
}
