using TimingMat.Core.Clock;

namespace TimingMat.Emulators.Crossings;

/// <summary>
/// A mat clock with a fixed mapping from local µs to UTC (locked, constant uncertainty): what a GPS-locked unit
/// gives, without the clock's own error, so crossing figures measure the detector alone. Tests use it too.
/// </summary>
/// <param name="utcAtZeroMicros">UTC µs at local time 0.</param>
/// <param name="state">The clock state every time carries.</param>
/// <param name="uncertaintyMicros">The uncertainty every time carries.</param>
public sealed class FixedMatTimeSource(long utcAtZeroMicros, ClockState state = ClockState.Locked, long uncertaintyMicros = 5) : IMatTimeSource
{
    /// <summary>Gets the UTC µs at local time 0.</summary>
    public long UtcAtZeroMicros => utcAtZeroMicros;

    /// <summary>Gets or sets the clock state every time carries (tests switch it).</summary>
    public ClockState State { get; set; } = state;

    /// <inheritdoc />
    public MatTime ToMatTime(long localMicros) =>
        State == ClockState.Unsynced
            ? new MatTime(localMicros, ClockState.Unsynced, MatTime.UnknownUncertainty)
            : new MatTime(utcAtZeroMicros + localMicros, State, uncertaintyMicros);
}
