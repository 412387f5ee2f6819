using TimingMat.Core.Clock;
using TimingMat.Core.Passings;
using TimingMat.Core.Tests.Journal;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Crossings;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// The clock gate between the crossing detector and the qualifier: holds passings made without UTC, re-stamps them
/// when the clock has it, passes them on unsynced when full, retries after a refusal and lets everything go on as it
/// is when power fails.
/// </summary>
public class ClockGateTests
{
    // UTC µs at local time 0 once the clock locks (2026-10-04 08:00:00).
    private const long UtcAtZero = SamplePassings.RaceStartUtcMicros;

    private readonly FixedMatTimeSource _time = new(UtcAtZero, ClockState.Unsynced, uncertaintyMicros: 250);
    private readonly RecordingPassingSink _next = new();

    [Fact]
    public void SyncedPassings_GoStraightOn_Unchanged_AndAreNeverHeld()
    {
        var gate = new ClockGate(_time, _next, 8);
        var locked = SamplePassings.Make(1);
        var holdover = SamplePassings.Make(2);
        holdover.ClockState = ClockState.Holdover;

        Assert.True(gate.TryAccept(locked));
        Assert.True(gate.TryAccept(holdover));

        Assert.Equal(2, _next.Taken.Count);
        SamplePassings.AssertSame(SamplePassings.Make(1), _next.Taken[0]);
        SamplePassings.AssertSame(holdover, _next.Taken[1]);
        Assert.Equal(0, gate.Held);
        Assert.Equal(0, gate.Restamped);
        Assert.Equal(0, gate.PassedUnsynced);
    }

    [Fact]
    public void SyncedPassing_RefusedDownstream_IsRefusedToTheProducer_NotHeld()
    {
        var gate = new ClockGate(_time, _next, 8);
        _next.Refusing = true;

        Assert.False(gate.TryAccept(SamplePassings.Make(1)));

        Assert.Equal(1, _next.Refused);
        Assert.Equal(0, gate.Held);
        Assert.Equal(0, gate.PassedUnsynced);
    }

    [Fact]
    public void UnsyncedPassings_AreHeld_WhileTheClockHasNoUtc()
    {
        var gate = new ClockGate(_time, _next, 8);

        Assert.True(gate.TryAccept(Unsynced(1, 3_000_000)));
        Assert.True(gate.TryAccept(Unsynced(2, 4_000_000)));
        Assert.True(gate.TryAccept(Unsynced(3, 5_000_000)));

        Assert.Equal(0, gate.Poll());
        Assert.Equal(0, gate.Poll());
        Assert.Equal(3, gate.Held);
        Assert.Empty(_next.Taken);
        Assert.Equal(0, _next.Refused);
        Assert.Equal(0, gate.Restamped);
        Assert.Equal(0, gate.PassedUnsynced);
    }

    [Fact]
    public void OnceTheClockLocks_HeldPassingsGoOnInOrder_RestampedToWhatTheClockMapsTheirLocalTimesTo()
    {
        var gate = new ClockGate(_time, _next, 8);
        var offered = new[] { Unsynced(1, 3_000_000), Unsynced(2, 4_500_123), Unsynced(3, 6_250_999) };
        foreach (var passing in offered)
        {
            Assert.True(gate.TryAccept(passing));
        }

        _time.State = ClockState.Holdover;
        Assert.Equal(3, gate.Poll());

        Assert.Equal(0, gate.Held);
        Assert.Equal(3, gate.Restamped);
        Assert.Equal(0, gate.PassedUnsynced);
        Assert.Equal(3, _next.Taken.Count);
        for (var i = 0; i < offered.Length; i++)
        {
            var local = offered[i];
            var sent = _next.Taken[i];
            Assert.Equal(UtcAtZero + local.TimeUtcMicros, sent.TimeUtcMicros);
            Assert.Equal(UtcAtZero + local.FirstReadUtcMicros, sent.FirstReadUtcMicros);
            Assert.Equal(UtcAtZero + local.LastReadUtcMicros, sent.LastReadUtcMicros);
            Assert.Equal(ClockState.Holdover, sent.ClockState);
            Assert.Equal(250, sent.UncertaintyMicros);

            // Everything but the time is the passing as it was made.
            Assert.Equal(PassingKind.Crossing, sent.Kind);
            Assert.Equal(local.UnitId, sent.UnitId);
            Assert.Equal(local.Epc[..local.EpcLength], sent.Epc[..sent.EpcLength]);
            Assert.Equal(local.Hits, sent.Hits);
            Assert.Equal(local.MaxRssiCentiDbm, sent.MaxRssiCentiDbm);
            Assert.Equal(local.BestAntenna, sent.BestAntenna);
            Assert.Equal(local.Flags, sent.Flags);
            Assert.Equal(local.MarkerValue, sent.MarkerValue);
        }

        // Nothing is left to send twice.
        Assert.Equal(0, gate.Poll());
        Assert.Equal(3, _next.Taken.Count);
    }

    [Fact]
    public void AHeldMarker_IsRestamped_WithItsReadTimesEqualToItsTime()
    {
        var gate = new ClockGate(_time, _next, 8);
        var gun = Unsynced(1, 7_000_000);
        gun.Kind = PassingKind.GunStart;
        gun.EpcLength = 0;
        gun.Hits = 0;
        gun.MarkerValue = 3;
        Assert.True(gate.TryAccept(gun));

        _time.State = ClockState.Locked;
        Assert.Equal(1, gate.Poll());

        var sent = Assert.Single(_next.Taken);
        Assert.Equal(PassingKind.GunStart, sent.Kind);
        Assert.Equal(3, sent.MarkerValue);
        Assert.Equal(UtcAtZero + 7_000_000, sent.TimeUtcMicros);
        Assert.Equal(UtcAtZero + 7_000_000, sent.FirstReadUtcMicros);
        Assert.Equal(UtcAtZero + 7_000_000, sent.LastReadUtcMicros);
        Assert.Equal(ClockState.Locked, sent.ClockState);
        Assert.Equal(250, sent.UncertaintyMicros);
        Assert.Equal(1, gate.Restamped);
    }

    [Fact]
    public void Holding_CopiesThePassing_SoTheProducerMayReuseItsInstance()
    {
        var gate = new ClockGate(_time, _next, 8);
        var reused = Unsynced(1, 3_000_000);
        Assert.True(gate.TryAccept(reused));
        reused.TimeUtcMicros = 9_999_999;
        reused.Epc[0] = 0x00;
        Assert.True(gate.TryAccept(reused));

        _time.State = ClockState.Locked;
        Assert.Equal(2, gate.Poll());

        Assert.Equal(UtcAtZero + 3_000_000, _next.Taken[0].TimeUtcMicros);
        Assert.Equal(0xE2, _next.Taken[0].Epc[0]);
        Assert.Equal(UtcAtZero + 9_999_999, _next.Taken[1].TimeUtcMicros);
        Assert.Equal(0x00, _next.Taken[1].Epc[0]);
    }

    [Fact]
    public void AnUnsyncedPassingOfferedAfterTheLock_IsHeld_AndRestampedAtTheNextPoll()
    {
        // Made before the lock, it waited in the detector's queue while the sink was busy.
        var gate = new ClockGate(_time, _next, 8);
        _time.State = ClockState.Locked;

        Assert.True(gate.TryAccept(Unsynced(1, 3_000_000)));
        Assert.Equal(1, gate.Held);
        Assert.Empty(_next.Taken);

        Assert.Equal(1, gate.Poll());
        Assert.Equal(UtcAtZero + 3_000_000, Assert.Single(_next.Taken).TimeUtcMicros);
        Assert.Equal(ClockState.Locked, _next.Taken[0].ClockState);
    }

    [Fact]
    public void WhenFull_FurtherPassingsGoOnUnchanged_FlaggedByTheirUnsyncedState_AndTheHeldOnesAreRestampedLater()
    {
        var gate = new ClockGate(_time, _next, 3);
        for (var i = 1; i <= 5; i++)
        {
            Assert.True(gate.TryAccept(Unsynced(i, i * 1_000_000)));
        }

        Assert.Equal(3, gate.Held);
        Assert.Equal(2, gate.PassedUnsynced);
        Assert.Equal(2, _next.Taken.Count);
        SamplePassings.AssertSame(Unsynced(4, 4_000_000), _next.Taken[0]);
        SamplePassings.AssertSame(Unsynced(5, 5_000_000), _next.Taken[1]);
        Assert.All(_next.Taken, p => Assert.Equal(MatTime.UnknownUncertainty, p.UncertaintyMicros));

        _time.State = ClockState.Locked;
        Assert.Equal(3, gate.Poll());

        Assert.Equal(
            [4_000_000, 5_000_000, UtcAtZero + 1_000_000, UtcAtZero + 2_000_000, UtcAtZero + 3_000_000],
            _next.Taken.Select(p => p.TimeUtcMicros));
        Assert.Equal(
            [ClockState.Unsynced, ClockState.Unsynced, ClockState.Locked, ClockState.Locked, ClockState.Locked],
            _next.Taken.Select(p => p.ClockState));
        Assert.Equal(3, gate.Restamped);
        Assert.Equal(2, gate.PassedUnsynced);
        Assert.Equal(0, gate.Held);
    }

    [Fact]
    public void WhenFull_AndTheNextSinkRefuses_ThePassingIsRefused_AndNotCountedAsPassedOn()
    {
        var gate = new ClockGate(_time, _next, 2);
        Assert.True(gate.TryAccept(Unsynced(1, 1_000_000)));
        Assert.True(gate.TryAccept(Unsynced(2, 2_000_000)));
        _next.Refusing = true;

        Assert.False(gate.TryAccept(Unsynced(3, 3_000_000)));

        Assert.Equal(2, gate.Held);
        Assert.Equal(0, gate.PassedUnsynced);
        Assert.Equal(1, _next.Refused);
        Assert.Empty(_next.Taken);
    }

    [Theory]
    [InlineData(-5)]
    [InlineData(0)]
    [InlineData(1)]
    public void ACapacityBelowTwo_HoldsTwo(int capacity)
    {
        var gate = new ClockGate(_time, _next, capacity);

        Assert.True(gate.TryAccept(Unsynced(1, 1_000_000)));
        Assert.True(gate.TryAccept(Unsynced(2, 2_000_000)));
        Assert.True(gate.TryAccept(Unsynced(3, 3_000_000)));

        Assert.Equal(2, gate.Held);
        Assert.Equal(1, gate.PassedUnsynced);
        Assert.Equal(3_000_000, Assert.Single(_next.Taken).TimeUtcMicros);
    }

    [Fact]
    public void WhenTheNextSinkRefuses_PollStopsAtTheOldest_KeepsEveryPassing_AndTriesAgainNextPoll()
    {
        var gate = new ClockGate(_time, _next, 8);
        for (var i = 1; i <= 3; i++)
        {
            Assert.True(gate.TryAccept(Unsynced(i, i * 1_000_000)));
        }

        _time.State = ClockState.Locked;
        _next.Refusing = true;
        Assert.Equal(0, gate.Poll());

        // One refusal ends the poll: the gate does not hammer a full ring.
        Assert.Equal(1, _next.Refused);
        Assert.Equal(3, gate.Held);
        Assert.Equal(0, gate.Restamped);
        Assert.Equal(0, gate.PassedUnsynced);

        _next.Refusing = false;
        Assert.Equal(3, gate.Poll());
        Assert.Equal([UtcAtZero + 1_000_000, UtcAtZero + 2_000_000, UtcAtZero + 3_000_000], _next.Taken.Select(p => p.TimeUtcMicros));
        Assert.Equal(3, gate.Restamped);
        Assert.Equal(0, gate.Held);
    }

    [Fact]
    public void ASinkThatTakesOnlySome_GetsTheRestInOrderAtTheNextPolls()
    {
        var quota = new QuotaSink(_next) { Quota = 2 };
        var gate = new ClockGate(_time, quota, 8);
        for (var i = 1; i <= 5; i++)
        {
            Assert.True(gate.TryAccept(Unsynced(i, i * 1_000_000)));
        }

        _time.State = ClockState.Locked;
        Assert.Equal(2, gate.Poll());
        Assert.Equal(3, gate.Held);
        Assert.Equal(2, gate.Restamped);

        quota.Quota = 2;
        Assert.Equal(2, gate.Poll());
        Assert.Equal(1, gate.Held);

        quota.Quota = 10;
        Assert.Equal(1, gate.Poll());

        Assert.Equal(0, gate.Held);
        Assert.Equal(5, gate.Restamped);
        Assert.Equal(2, quota.Refused);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => UtcAtZero + (i * 1_000_000L)), _next.Taken.Select(p => p.TimeUtcMicros));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => Unsynced(i, 0).Hits), _next.Taken.Select(p => p.Hits));
    }

    [Fact]
    public void ReleaseAll_SendsEveryHeldPassingOnAsItIs_InOrder()
    {
        var gate = new ClockGate(_time, _next, 8);
        for (var i = 1; i <= 4; i++)
        {
            Assert.True(gate.TryAccept(Unsynced(i, i * 1_000_000)));
        }

        Assert.True(gate.ReleaseAll());

        Assert.Equal(0, gate.Held);
        Assert.Equal(4, gate.PassedUnsynced);
        Assert.Equal(0, gate.Restamped);
        Assert.Equal(4, _next.Taken.Count);
        for (var i = 1; i <= 4; i++)
        {
            SamplePassings.AssertSame(Unsynced(i, i * 1_000_000), _next.Taken[i - 1]);
        }

        // Nothing is left for a later lock to send twice.
        _time.State = ClockState.Locked;
        Assert.Equal(0, gate.Poll());
        Assert.Equal(4, _next.Taken.Count);
    }

    [Fact]
    public void ReleaseAll_WithNothingHeld_IsDone()
    {
        var gate = new ClockGate(_time, _next, 8);

        Assert.True(gate.ReleaseAll());
        Assert.Equal(0, gate.PassedUnsynced);
        Assert.Empty(_next.Taken);
    }

    [Fact]
    public void ReleaseAll_WhenTheNextSinkRefuses_SaysSo_KeepsTheRest_AndFinishesWhenCalledAgain()
    {
        var quota = new QuotaSink(_next) { Quota = 2 };
        var gate = new ClockGate(_time, quota, 8);
        for (var i = 1; i <= 5; i++)
        {
            Assert.True(gate.TryAccept(Unsynced(i, i * 1_000_000)));
        }

        Assert.False(gate.ReleaseAll());
        Assert.Equal(3, gate.Held);
        Assert.Equal(2, gate.PassedUnsynced);

        quota.Quota = 0;
        Assert.False(gate.ReleaseAll());
        Assert.Equal(3, gate.Held);
        Assert.Equal(2, gate.PassedUnsynced);

        quota.Quota = 10;
        Assert.True(gate.ReleaseAll());
        Assert.Equal(0, gate.Held);
        Assert.Equal(5, gate.PassedUnsynced);
        Assert.Equal([1_000_000, 2_000_000, 3_000_000, 4_000_000, 5_000_000], _next.Taken.Select(p => p.TimeUtcMicros));
        Assert.All(_next.Taken, p => Assert.Equal(ClockState.Unsynced, p.ClockState));
    }

    /// <summary>A crossing the detector stamped while the clock was Unsynced: local µs since boot, unknown uncertainty.</summary>
    private static Passing Unsynced(int index, long localMicros)
    {
        var passing = SamplePassings.Make(index);
        passing.TimeUtcMicros = localMicros;
        passing.FirstReadUtcMicros = localMicros - 180_000;
        passing.LastReadUtcMicros = localMicros + 170_000;
        passing.ClockState = ClockState.Unsynced;
        passing.UncertaintyMicros = MatTime.UnknownUncertainty;
        return passing;
    }

    /// <summary>Takes up to <see cref="Quota"/> more passings into a recording sink, then refuses (a ring with a few free slots).</summary>
    private sealed class QuotaSink(RecordingPassingSink inner) : IPassingSink
    {
        public int Quota { get; set; }

        public int Refused { get; private set; }

        public bool TryAccept(Passing passing)
        {
            if (Quota <= 0)
            {
                Refused++;
                return false;
            }

            Quota--;
            return inner.TryAccept(passing);
        }
    }
}
