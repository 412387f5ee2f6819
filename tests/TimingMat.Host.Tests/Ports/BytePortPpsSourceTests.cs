using System.Diagnostics;
using TimingMat.Core.Hardware;
using TimingMat.Host.Clock;
using TimingMat.Host.Ports;
using Xunit;

namespace TimingMat.Host.Tests.Ports;

/// <summary>PPS edges as bytes on a port (a desktop unit's PPS input): one edge a byte, stamped on arrival, bounded.</summary>
public sealed class BytePortPpsSourceTests : IDisposable
{
    private readonly NullModemBridge _bridge = new();
    private readonly StopwatchClock _clock = new();

    [Fact]
    public void EachByte_IsOneEdge_StampedWhenItArrived_NotWhenTaken()
    {
        using var pps = new BytePortPpsSource(new TcpBytePort("127.0.0.1", _bridge.PortB), _clock);
        using var pulser = new TcpBytePort("127.0.0.1", _bridge.PortA);
        pps.Start();
        pulser.Open();
        Assert.True(_bridge.WaitForPeers(1, 1, TimeSpan.FromSeconds(5)));

        var sent = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            sent.Add(_clock.GetMicroseconds());
            pulser.Write([0x00], 0, 1);
            Thread.Sleep(150);
        }

        // Taken well after they arrived: the stamps must still be the arrival times, not the time they were taken.
        // (Bounds are loose: on a loaded host the bridge's relay thread may be late by tens of milliseconds.)
        Thread.Sleep(1000);
        var taken = _clock.GetMicroseconds();
        var stamps = TakeAll(pps);

        Assert.Equal(3, stamps.Count);
        for (var i = 0; i < 3; i++)
        {
            Assert.InRange(stamps[i] - sent[i], 0, 250_000);
        }

        Assert.True(stamps[0] < stamps[1] && stamps[1] < stamps[2], "one edge a byte, in order");
        Assert.True(taken - stamps[2] >= 500_000, $"stamped {taken - stamps[2]} µs before it was taken: a stamp at taking would be ~0");
        Assert.Equal(3, pps.EdgesReceived);
        Assert.Equal(0, pps.DroppedEdges);
    }

    [Fact]
    public void EdgesBeyondTheRing_AreDroppedAndCounted()
    {
        using var pps = new BytePortPpsSource(new TcpBytePort("127.0.0.1", _bridge.PortB), _clock, capacity: 4);
        using var pulser = new TcpBytePort("127.0.0.1", _bridge.PortA);
        pps.Start();
        pulser.Open();
        Assert.True(_bridge.WaitForPeers(1, 1, TimeSpan.FromSeconds(5)));

        pulser.Write(new byte[10], 0, 10);
        WaitUntil(() => pps.EdgesReceived == 10);

        Assert.Equal(4, TakeAll(pps).Count);
        Assert.Equal(6, pps.DroppedEdges);
    }

    [Fact]
    public void APortThatCannotOpen_FailsAtStart()
    {
        var port = _bridge.PortB;
        _bridge.Dispose();
        using var pps = new BytePortPpsSource(new TcpBytePort("127.0.0.1", port), _clock);

        var error = Assert.Throws<InvalidOperationException>(pps.Start);
        Assert.Contains($"tcp://127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABridgeThatDropsTheConnection_IsReopened_AndEdgesResume()
    {
        using var pps = new BytePortPpsSource(new TcpBytePort("127.0.0.1", _bridge.PortB), _clock);
        pps.Start();
        Assert.True(_bridge.WaitForPeers(0, 1, TimeSpan.FromSeconds(5)));

        // A second peer on the unit's end replaces the first, as replugging an adapter does: the source is cut off.
        using (var intruder = new TcpBytePort("127.0.0.1", _bridge.PortB))
        {
            intruder.Open();
            Thread.Sleep(200);
        }

        WaitUntil(() => pps.Reopens >= 1, seconds: 5);
        using var pulser = new TcpBytePort("127.0.0.1", _bridge.PortA);
        pulser.Open();

        // The source's own reopen is the third peer on its end (after itself and the intruder).
        Assert.True(_bridge.WaitForPeers(1, 3, TimeSpan.FromSeconds(5)));
        pulser.Write([0x00], 0, 1);
        WaitUntil(() => pps.EdgesReceived == 1);

        Assert.Single(TakeAll(pps));
    }

    public void Dispose() => _bridge.Dispose();

    private static List<long> TakeAll(IPpsSource pps)
    {
        var stamps = new List<long>();
        while (pps.TryTakeEdge(out var stamp))
        {
            stamps.Add(stamp);
        }

        return stamps;
    }

    private static void WaitUntil(Func<bool> condition, int seconds = 2)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(seconds), "timed out");
            Thread.Sleep(10);
        }
    }
}
