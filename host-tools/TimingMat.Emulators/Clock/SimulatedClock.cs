using TimingMat.Core.Hardware;

namespace TimingMat.Emulators.Clock;

/// <summary>
/// A microsecond clock that only moves when told to, so a test or the race simulator runs the core on simulated time,
/// far faster than real time and reproducibly.
/// </summary>
public sealed class SimulatedClock : IMicrosecondClock
{
    private long _now;

    /// <summary>Initializes a new instance of the <see cref="SimulatedClock"/> class.</summary>
    /// <param name="startMicros">Local time at start, µs since boot.</param>
    public SimulatedClock(long startMicros = 0) => _now = startMicros;

    /// <summary>Gets the current local time in µs.</summary>
    public long Now => _now;

    /// <inheritdoc />
    public long GetMicroseconds() => _now;

    /// <summary>Moves time forward.</summary>
    /// <param name="micros">How far, in µs; not negative.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="micros"/> is negative.</exception>
    public void Advance(long micros)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(micros);
        _now += micros;
    }

    /// <summary>Moves time forward to an absolute local time.</summary>
    /// <param name="micros">Target time in µs; not before <see cref="Now"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The target is in the past: the clock is monotonic.</exception>
    public void AdvanceTo(long micros)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(micros, _now);
        _now = micros;
    }
}
