using TimingMat.Core.Hardware;
using TimingMat.Contracts;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Pps;

namespace TimingMat.Emulators.Tests.Pps;

/// <summary>The emulated PPS capture keeps the PPS-source contract, with the device handler's latency on simulated time.</summary>
public sealed class QueuedPpsSourceContractTests : PpsSourceContractTests
{
    // A typical managed GPIO handler delay on the board.
    private const long HandlerLatencyMicros = 2_500;

    private readonly SimulatedClock _clock = new(5_000_000);
    private readonly QueuedPpsSource _source = new();

    protected override IPpsSource Source => _source;

    protected override int Capacity => 8;

    protected override long LatenessAllowanceMicros => HandlerLatencyMicros;

    protected override long Pulse()
    {
        var edge = _clock.Now;
        _source.Capture(edge + HandlerLatencyMicros);
        _clock.Advance(1);
        return edge;
    }

    protected override void AwaitCaptured(int edges)
    {
    }

    protected override void BetweenSeconds() => _clock.Advance(1_000_000);
}
