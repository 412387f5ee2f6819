using TimingMat.Core.Hardware;
using TimingMat.Contracts;
using TimingMat.Host.Clock;
using TimingMat.Host.Ports;
using Xunit;

namespace TimingMat.Host.Tests.Ports;

/// <summary>
/// The desktop PPS input (one byte an edge over a TCP bridge, stamped by its own thread) keeps the PPS-source contract
/// in real time. A second between edges would make the test slow: 50 ms keeps each edge a separate arrival.
/// </summary>
public sealed class BytePortPpsSourceContractTests : PpsSourceContractTests, IDisposable
{
    private readonly NullModemBridge _bridge = new();
    private readonly StopwatchClock _clock = new();
    private readonly BytePortPpsSource _source;
    private readonly TcpBytePort _pulser;

    public BytePortPpsSourceContractTests()
    {
        _source = new BytePortPpsSource(new TcpBytePort("127.0.0.1", _bridge.PortB), _clock);
        _pulser = new TcpBytePort("127.0.0.1", _bridge.PortA);
        _source.Start();
        _pulser.Open();
        Assert.True(_bridge.WaitForPeers(1, 1, TimeSpan.FromSeconds(5)));
    }

    protected override IPpsSource Source => _source;

    protected override int Capacity => 8;

    // Loopback TCP plus a thread's wake-up on a loaded two-core machine.
    protected override long LatenessAllowanceMicros => 250_000;

    public void Dispose()
    {
        _pulser.Dispose();
        _source.Dispose();
        _bridge.Dispose();
    }

    protected override long Pulse()
    {
        var edge = _clock.GetMicroseconds();
        _pulser.Write([0x00], 0, 1);
        return edge;
    }

    protected override void AwaitCaptured(int edges)
    {
        for (var i = 0; i < 5_000 && _source.EdgesReceived < edges; i++)
        {
            Thread.Sleep(1);
        }

        Assert.Equal(edges, _source.EdgesReceived);
    }

    protected override void BetweenSeconds() => Thread.Sleep(50);
}
