using System.Diagnostics;
using TimingMat.Core.Hardware;

namespace TimingMat.Host.Clock;

/// <summary>The core's microsecond clock on desktop: a monotonic stopwatch started when the unit process starts.</summary>
public sealed class StopwatchClock : IMicrosecondClock
{
    private readonly long _start = Stopwatch.GetTimestamp();

    /// <inheritdoc />
    public long GetMicroseconds() => (long)Stopwatch.GetElapsedTime(_start).TotalMicroseconds;
}
