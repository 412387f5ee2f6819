using TimingMat.Core.Hardware;
using TimingMat.Emulators.Clock;

namespace TimingMat.Tent.Emulation;

/// <summary>
/// An emulated unit's µs counter read at any moment, from any thread: what its link stamps a message with when it
/// arrives (<see cref="MqttMessage.ReceivedMicros"/>), as a board's receive thread reads its timer. The unit's
/// <see cref="SimulatedClock"/> only moves when the fleet steps it; this adds the real time since that step.
/// </summary>
/// <remarks>
/// Over the few milliseconds between steps the crystal's error (tens of ppm) is far below a microsecond, so the real
/// time elapsed is the counter's.
/// </remarks>
internal sealed class ArrivalStampClock(Func<long> trueNow) : IMicrosecondClock
{
    private readonly object _sync = new();
    private long _steppedTrueUtc = long.MaxValue;
    private long _steppedLocal;

    /// <summary>Notes where a step left the unit: the true time and its counter then.</summary>
    public void Stepped(long trueUtc, long local)
    {
        lock (_sync)
        {
            _steppedTrueUtc = trueUtc;
            _steppedLocal = local;
        }
    }

    /// <inheritdoc />
    public long GetMicroseconds()
    {
        var now = trueNow();
        lock (_sync)
        {
            return _steppedLocal + Math.Max(0, now - _steppedTrueUtc);
        }
    }
}
