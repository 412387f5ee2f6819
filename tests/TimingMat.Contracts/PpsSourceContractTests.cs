using TimingMat.Core.Hardware;
using Xunit;

namespace TimingMat.Contracts;

/// <summary>
/// What the mat clock may assume of any <see cref="IPpsSource"/>: edges come out oldest first, stamped when they were
/// handled (late by a one-sided delay, never early), and a full capture keeps the oldest and counts what it drops.
/// </summary>
public abstract class PpsSourceContractTests
{
    /// <summary>Gets the source under test, started.</summary>
    protected abstract IPpsSource Source { get; }

    /// <summary>Gets how many edges the source holds until they are taken.</summary>
    protected abstract int Capacity { get; }

    /// <summary>Gets how late a stamp may be after its edge (handler latency, a thread's wake-up).</summary>
    protected abstract long LatenessAllowanceMicros { get; }

    [Fact]
    public void NoEdge_TakesNothing_AndCountsNoDrops()
    {
        Assert.False(Source.TryTakeEdge(out _));
        Assert.Equal(0, Source.DroppedEdges);
    }

    [Fact]
    public void Edges_ComeOutOldestFirst_StampedLateNeverEarly()
    {
        var edges = new long[3];
        for (var i = 0; i < edges.Length; i++)
        {
            edges[i] = Pulse();
            BetweenSeconds();
        }

        AwaitCaptured(edges.Length);

        for (var i = 0; i < edges.Length; i++)
        {
            Assert.True(Source.TryTakeEdge(out var stamp), $"edge {i} missing");
            Assert.InRange(stamp, edges[i], edges[i] + LatenessAllowanceMicros);
        }

        Assert.False(Source.TryTakeEdge(out _));
        Assert.Equal(0, Source.DroppedEdges);
    }

    [Fact]
    public void AFullCapture_KeepsTheOldest_AndCountsTheEdgesItDrops()
    {
        var first = Pulse();
        for (var i = 1; i < Capacity + 3; i++)
        {
            Pulse();
        }

        AwaitCaptured(Capacity + 3);

        Assert.True(Source.TryTakeEdge(out var oldest));
        Assert.InRange(oldest, first, first + LatenessAllowanceMicros);
        var taken = 1;
        while (Source.TryTakeEdge(out _))
        {
            taken++;
        }

        Assert.Equal(Capacity, taken);
        Assert.Equal(3, Source.DroppedEdges);
    }

    [Fact]
    public void TakingEdges_FreesTheCapture_ForTheNextSecond()
    {
        for (var i = 0; i < Capacity + 1; i++)
        {
            Pulse();
        }

        AwaitCaptured(Capacity + 1);
        while (Source.TryTakeEdge(out _))
        {
        }

        BetweenSeconds();
        var next = Pulse();
        AwaitCaptured(Capacity + 2);

        Assert.True(Source.TryTakeEdge(out var stamp));
        Assert.InRange(stamp, next, next + LatenessAllowanceMicros);
        Assert.Equal(1, Source.DroppedEdges);
    }

    /// <summary>Makes one PPS edge happen now.</summary>
    /// <returns>The local µs of the edge itself, before any handler latency.</returns>
    protected abstract long Pulse();

    /// <summary>Waits until the source has handled this many edges in all (kept or dropped); nothing on simulated time.</summary>
    /// <param name="edges">Edges since the test started.</param>
    protected abstract void AwaitCaptured(int edges);

    /// <summary>Lets time pass between two edges so each is handled on its own.</summary>
    protected abstract void BetweenSeconds();
}
