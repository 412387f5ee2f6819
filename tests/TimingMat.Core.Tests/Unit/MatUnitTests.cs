using TimingMat.Core.Clock;
using TimingMat.Core.Passings;
using TimingMat.Core.Tests.Reader;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Mqtt;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// The whole unit pipeline on emulated hardware and simulated time: reader bytes to journal and uplink, with the clock
/// gate holding passings until the GPS gives UTC, and the power-failing and stop paths that make open crossings durable.
/// </summary>
public class MatUnitTests
{
    // A GPS that never gets a fix within a test: the clock stays Unsynced.
    private const double NoFixSeconds = 3600;

    private static readonly byte[] s_chip = ReaderRig.Epc(501);
    private static readonly byte[] s_otherChip = ReaderRig.Epc(502);

    private readonly MemoryFileStore _store = new(capacityBytes: 8L * 1024 * 1024, tearSeed: 3);
    private readonly MqttBrokerEmulator _broker = new();

    [Fact]
    public void PowerFailing_MakesAnOpenCrossingDurable_ThroughATornPowerCut()
    {
        var first = new MatUnitRig(_store, _broker, NoFixSeconds).StartTiming();
        first.Crossing(s_chip, 3_000_000);

        // The chip left at 4.0 s; its strongest reads were at 3.5 s, so the crossing stays open until about 4.35 s.
        first.RunToLocal(4_200_000);
        var unit = first.Unit;
        Assert.True(first.Module.ReadsSent >= 95, $"reads sent: {first.Module.ReadsSent}");
        Assert.Equal(1, unit.Detector.OpenCrossings);
        Assert.Equal(0, unit.Detector.PassingsQueued);
        Assert.Equal(0, unit.Uplink.Journal.LastSequence);

        Assert.True(unit.PowerFailing());

        Assert.Equal(0, unit.Detector.OpenCrossings);
        Assert.Equal(0, unit.Gate.Held);
        Assert.Equal(1, unit.Gate.PassedUnsynced);
        Assert.Equal(1, unit.Uplink.Journal.DurableSequence);
        CutPower(first);

        var second = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(second.Unit.Start());
        var journal = second.Unit.Uplink.Journal;
        Assert.Equal(1, journal.LastSequence);
        Assert.Equal(2, journal.NextSequence);
        var passing = Assert.Single(MatUnitRig.ReadAll(journal));
        Assert.Equal(1, passing.Sequence);
        Assert.Equal(MatUnitRig.UnitId, passing.UnitId);
        Assert.Equal(PassingKind.Crossing, passing.Kind);
        Assert.Equal(s_chip, passing.Epc[..passing.EpcLength]);

        // Made without UTC and released as it was: local µs of the first boot, at the reads' peak.
        Assert.Equal(ClockState.Unsynced, passing.ClockState);
        Assert.Equal(MatTime.UnknownUncertainty, passing.UncertaintyMicros);
        Assert.InRange(passing.TimeUtcMicros, 3_500_000 - 5_000, 3_500_000 + 5_000);
        Assert.InRange(passing.FirstReadUtcMicros, 3_000_000, 3_010_000);
        Assert.InRange(passing.LastReadUtcMicros, 3_990_000, 4_001_000);
        Assert.InRange(passing.Hits, 95, 100);
        Assert.Equal(-4500, passing.MaxRssiCentiDbm);
    }

    [Fact]
    public void WithoutPowerFailing_TheSameCutLosesTheOpenCrossing()
    {
        var first = new MatUnitRig(_store, _broker, NoFixSeconds).StartTiming();
        first.Crossing(s_chip, 3_000_000);
        first.RunToLocal(4_200_000);
        Assert.Equal(1, first.Unit.Detector.OpenCrossings);

        CutPower(first);

        var second = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(second.Unit.Start());
        Assert.Equal(0, second.Unit.Uplink.Journal.LastSequence);
        Assert.Empty(MatUnitRig.ReadAll(second.Unit.Uplink.Journal));
    }

    [Fact]
    public void PowerFailing_CommitsEveryHeldPassing_EvenWhenTheyAreManyTimesWhatTheRingHolds()
    {
        // A small ring and twelve passings held for want of UTC: each round of the power-fail path places only four.
        var first = new MatUnitRig(_store, _broker, NoFixSeconds, configure: s => s.RingCapacity = 4).StartTiming();
        for (var i = 0; i < 12; i++)
        {
            first.Crossing(ReaderRig.Epc(600 + i), 3_000_000 + (i * 1_000_000L));
        }

        first.RunToLocal(16_000_000);
        var unit = first.Unit;
        Assert.Equal(0, unit.Detector.OpenCrossings);
        Assert.Equal(12, unit.Gate.Held);
        Assert.Equal(0, unit.Uplink.Journal.LastSequence);

        Assert.True(unit.PowerFailing());

        Assert.Equal(0, unit.Gate.Held);
        Assert.Equal(12, unit.Gate.PassedUnsynced);
        Assert.Equal(12, unit.Uplink.Journal.DurableSequence);
        CutPower(first);

        var second = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(second.Unit.Start());
        var recovered = MatUnitRig.ReadAll(second.Unit.Uplink.Journal);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), recovered.Select(p => p.Sequence));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => ReaderRig.Epc(600 + i)), recovered.Select(p => p.Epc[..p.EpcLength]));
        for (var i = 0; i < 12; i++)
        {
            Assert.InRange(recovered[i].TimeUtcMicros, 3_500_000 + (i * 1_000_000L) - 5_000, 3_500_000 + (i * 1_000_000L) + 5_000);
        }
    }

    [Fact]
    public void PowerFailing_WithAFailedMedium_SaysSo_KeepsWhatItCouldNotStore_AndStoresItOnceTheMediumAnswers()
    {
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds, configure: s => s.RingCapacity = 4).StartTiming();
        var unit = rig.Unit;

        // A first brown-out warning that passes: the journal stores the first passing (and has a segment to append to).
        rig.Crossing(s_chip, 3_000_000);
        rig.RunToLocal(5_000_000);
        Assert.True(unit.PowerFailing());
        Assert.Equal(1, unit.Uplink.Journal.DurableSequence);

        for (var i = 0; i < 6; i++)
        {
            rig.Crossing(ReaderRig.Epc(600 + i), 6_000_000 + (i * 1_000_000L));
        }

        rig.RunToLocal(13_500_000);
        Assert.Equal(6, unit.Gate.Held);
        _store.Failing = true;

        Assert.False(unit.PowerFailing());

        // The ring filled and the journal refused: the rest stays held (nothing is dropped), and the call returned.
        Assert.Equal(4, unit.Uplink.Ring.Count);
        Assert.Equal(2, unit.Gate.Held);
        Assert.Equal(1, unit.Uplink.Journal.LastSequence);
        Assert.True(unit.Uplink.Journal.StorageFault);

        // Once the medium answers again, the power-fail path stores everything, in order.
        _store.Failing = false;
        Assert.True(unit.PowerFailing());
        Assert.Equal(0, unit.Uplink.Ring.Count);
        Assert.Equal(0, unit.Gate.Held);
        Assert.Equal(7, unit.Uplink.Journal.DurableSequence);
        Assert.Equal(
            new[] { s_chip }.Concat(Enumerable.Range(0, 6).Select(i => ReaderRig.Epc(600 + i))),
            rig.JournalPassings().Select(p => p.Epc[..p.EpcLength]));
    }

    [Theory]
    [InlineData(ReaderProtocol.Mercury)]
    [InlineData(ReaderProtocol.R2000)]
    public void APassingMadeBeforeTheGpsLocks_IsHeld_ThenLeavesTheUplinkRestampedWithUtc(ReaderProtocol protocol)
    {
        var subscriber = MatUnitRig.Subscriber(_broker);
        var rig = new MatUnitRig(_store, _broker, gpsAcquisitionSeconds: 4, protocol).StartTiming();
        var unit = rig.Unit;
        rig.Crossing(s_chip, 2_500_000);

        // Closed at about 3.85 s, long before the clock can lock: held, not journaled, not sent.
        rig.RunToLocal(6_000_000);
        Assert.Equal(ClockState.Unsynced, unit.Clock.State);
        Assert.Equal(1, unit.Gate.Held);
        Assert.Equal(0, unit.Uplink.Journal.LastSequence);
        Assert.True(unit.Uplink.IsOnline);
        Assert.Empty(MatUnitRig.TakePassings(subscriber));

        Assert.True(rig.RunUntil(() => unit.Clock.State == ClockState.Locked, 120_000_000), "the clock never locked");
        var lockedAt = rig.Local;
        rig.RunToLocal(lockedAt + 2_000_000);

        Assert.Equal(0, unit.Gate.Held);
        Assert.Equal(1, unit.Gate.Restamped);
        Assert.Equal(0, unit.Gate.PassedUnsynced);
        Assert.Equal(1, unit.Uplink.Journal.DurableSequence);
        var sent = Assert.Single(MatUnitRig.TakePassings(subscriber));
        Assert.Equal(1, sent.Sequence);
        Assert.Equal(MatUnitRig.UnitId, sent.UnitId);
        Assert.Equal(s_chip, sent.Epc[..sent.EpcLength]);
        Assert.Equal(PassingFlags.None, sent.Flags);

        // UTC of the reads' peak, mapped back along the line fitted after the lock: a time taken before the lock
        // comes out as Holdover (extrapolated), with a bounded uncertainty instead of the unknown one.
        Assert.Equal(ClockState.Holdover, sent.ClockState);
        Assert.InRange(sent.UncertaintyMicros, 1, 5_000);
        Assert.InRange(sent.TimeUtcMicros - rig.TrueUtc(3_000_000), -5_000, 5_000);
        Assert.InRange(sent.FirstReadUtcMicros - rig.TrueUtc(2_500_000), -1_000, 11_000);
        Assert.InRange(sent.LastReadUtcMicros - rig.TrueUtc(3_500_000), -11_000, 1_000);

        // It is exactly what the journal holds.
        var stored = Assert.Single(rig.JournalPassings());
        Assert.Equal(sent.TimeUtcMicros, stored.TimeUtcMicros);
        Assert.Equal(sent.ClockState, stored.ClockState);
    }

    [Fact]
    public void APassingMadeBeforeTheGpsLocks_IsJudgedByTheArmedWindowOnItsUtc()
    {
        // The mat opens ten seconds after boot: a crossing at 3 s is outside, which only its UTC can tell.
        var subscriber = MatUnitRig.Subscriber(_broker);
        var rig = new MatUnitRig(_store, _broker, gpsAcquisitionSeconds: 4);
        rig.StartTiming(opensUtc: MatUnitRig.BootUtc + 10_000_000);
        rig.Crossing(s_chip, 2_500_000);

        Assert.True(rig.RunUntil(() => rig.Unit.Clock.State == ClockState.Locked, 120_000_000), "the clock never locked");
        rig.RunToLocal(rig.Local + 2_000_000);

        var sent = Assert.Single(MatUnitRig.TakePassings(subscriber));
        Assert.Equal(PassingFlags.OutsideArmedWindow, sent.Flags);
        Assert.InRange(sent.TimeUtcMicros - rig.TrueUtc(3_000_000), -5_000, 5_000);
    }

    [Fact]
    public void Stop_ClosesOpenCrossings_AndTheJournalHoldsThem()
    {
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds).StartTiming();
        rig.Crossing(s_chip, 3_000_000);
        rig.Crossing(s_otherChip, 5_000_000);

        // The first chip's crossing closed by reaction time; the second is still open.
        rig.RunToLocal(6_100_000);
        var unit = rig.Unit;
        Assert.Equal(1, unit.Detector.OpenCrossings);
        Assert.Equal(1, unit.Gate.Held);

        unit.Stop();

        Assert.Equal(0, unit.Detector.OpenCrossings);
        Assert.Equal(0, unit.Gate.Held);
        Assert.Equal(2, unit.Uplink.Journal.DurableSequence);
        var stored = rig.JournalPassings();
        Assert.Equal([1L, 2L], stored.Select(p => p.Sequence));
        Assert.Equal(s_chip, stored[0].Epc[..stored[0].EpcLength]);
        Assert.Equal(s_otherChip, stored[1].Epc[..stored[1].EpcLength]);
        Assert.InRange(stored[0].TimeUtcMicros, 3_500_000 - 5_000, 3_500_000 + 5_000);
        Assert.InRange(stored[1].TimeUtcMicros, 5_500_000 - 5_000, 5_500_000 + 5_000);

        // It said goodbye: the retained status is offline and the session is closed.
        Assert.False(unit.Uplink.IsOnline);
        Assert.False(rig.Link.IsConnected);
        var status = System.Text.Encoding.UTF8.GetString(_broker.Retained[unit.Uplink.Topics.Status]);
        Assert.Contains("\"state\":\"offline\"", status, StringComparison.Ordinal);

        // And what it committed survives a power cut.
        _store.CutPower();
        var next = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(next.Unit.Start());
        Assert.Equal(2, MatUnitRig.ReadAll(next.Unit.Uplink.Journal).Count);
    }

    /// <summary>The supply goes as the SimulatedMat cuts it: one more poll with power failing at its first byte, then a torn cut.</summary>
    private void CutPower(MatUnitRig rig)
    {
        _store.ArmCut(0);
        Assert.Throws<PowerCutException>(() =>
        {
            rig.Unit.Poll();
            _store.CutPowerNow();
        });
        _store.Restore();
    }
}
