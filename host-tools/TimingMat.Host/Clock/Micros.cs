using TimingMat.Core.Clock;

namespace TimingMat.Host.Clock;

/// <summary>
/// Spans of time in the microseconds every TimingMat time is counted in, for the host tools (<c>using static</c>):
/// one definition instead of a <c>Second</c> in every file, and the same as the firmware's
/// <see cref="UtcCalendar.MicrosPerSecond"/>.
/// </summary>
public static class Micros
{
    /// <summary>One second, µs.</summary>
    public const long Second = UtcCalendar.MicrosPerSecond;

    /// <summary>One minute, µs.</summary>
    public const long Minute = 60 * Second;
}
