using System.Diagnostics;

namespace TimingMat.Simulation.Hil;

/// <summary>
/// The true timeline of a hardware-in-the-loop run: scenario time that runs with the host's monotonic clock from a
/// starting instant, so emulators made for simulated time can be played into a board in real time.
/// </summary>
/// <remarks>
/// The harness is the reference: its stopwatch is true time, and every error the report shows is the board's against
/// it. The host's wall clock is never used, so an NTP step during a run cannot move anything.
/// </remarks>
public sealed class RealTimeline
{
    // Sleeping is accurate to about a millisecond on a loaded host; the last stretch before an edge is spun.
    private const long SpinMicros = 1_500;

    private readonly long _start = Stopwatch.GetTimestamp();

    /// <summary>Initializes a new instance of the <see cref="RealTimeline"/> class, starting now.</summary>
    /// <param name="startTrueUtcMicros">The true (scenario) UTC µs now corresponds to.</param>
    public RealTimeline(long startTrueUtcMicros) => StartTrueUtcMicros = startTrueUtcMicros;

    /// <summary>Gets the true UTC µs at the start.</summary>
    public long StartTrueUtcMicros { get; }

    /// <summary>Gets the µs elapsed since the start.</summary>
    public long ElapsedMicros => Stopwatch.GetElapsedTime(_start).Ticks / 10;

    /// <summary>Gets the true UTC µs now.</summary>
    public long TrueNow => StartTrueUtcMicros + ElapsedMicros;

    /// <summary>Waits until a true time: sleeps most of the way, then spins so the moment is met to a few µs.</summary>
    /// <param name="trueUtcMicros">The true UTC µs to wait for.</param>
    /// <param name="cancel">Ends the wait early.</param>
    /// <returns><c>true</c> at the time; <c>false</c> when cancelled.</returns>
    public bool WaitUntil(long trueUtcMicros, CancellationToken cancel)
    {
        long remaining;
        while ((remaining = trueUtcMicros - TrueNow) > SpinMicros)
        {
            if (cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(Math.Min(100, (remaining - SpinMicros) / 1000.0))))
            {
                return false;
            }
        }

        while (TrueNow < trueUtcMicros)
        {
            Thread.SpinWait(20);
        }

        return !cancel.IsCancellationRequested;
    }
}
