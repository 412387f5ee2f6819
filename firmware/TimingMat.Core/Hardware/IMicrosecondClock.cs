namespace TimingMat.Core.Hardware
{
    /// <summary>
    /// A monotonic microsecond counter since the unit booted. On the ESP32 this is <c>HighResTimer.GetCurrent()</c>
    /// (esp_timer, 1 µs resolution); on desktop it is a simulated or stopwatch clock.
    /// </summary>
    /// <remarks>
    /// The value never goes backwards while the unit runs and restarts near zero after a reboot. It is not UTC:
    /// the mat clock maps it to UTC from GPS. Every timestamp inside the core is taken from this one source so that
    /// reads, PPS edges and timeouts share a timebase.
    /// </remarks>
    public interface IMicrosecondClock
    {
        /// <summary>Returns the microseconds elapsed since boot.</summary>
        /// <returns>Monotonic local time in µs.</returns>
        long GetMicroseconds();
    }
}
