using TimingMat.Core.Hardware;

namespace TimingMat.Emulators.Clock;

/// <summary>A microsecond clock read from a function: another clock seen through a conversion (e.g. a unit's crystal as true time).</summary>
/// <param name="now">Returns the current time in µs.</param>
public sealed class DelegateClock(Func<long> now) : IMicrosecondClock
{
    /// <inheritdoc />
    public long GetMicroseconds() => now();
}
