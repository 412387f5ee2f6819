using TimingMat.Core.Clock;
using TimingMat.Core.Hardware;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Gps;
using TimingMat.Emulators.Pps;
using TimingMat.Emulators.Serial;
using Xunit;

namespace TimingMat.Core.Tests.Clock;

public class MatClockTests
{
    private static readonly DateTime s_raceMorning = new(2026, 10, 4, 6, 30, 0, DateTimeKind.Utc);

    private static long Minute => 60_000_000;

    [Fact]
    public void ColdStart_IsUnsyncedUntilTheFix_ThenLocksWithinAMinute_OnTime()
    {
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 3, AcquisitionSeconds = 30 }, s_raceMorning);

        h.RunFor(29);
        var (before, _) = h.Now();
        Assert.Equal(ClockState.Unsynced, before.State);
        Assert.Equal(h.Rig.Clock.Now, before.UtcMicros);
        Assert.Equal(MatTime.UnknownUncertainty, before.UncertaintyMicros);

        h.RunFor(151);

        var firstFix = h.Rig.Gps.FirstFixUtcMicros!.Value;
        Assert.Equal(h.StartUtc + ClockRig.Seconds(30), firstFix);
        Assert.Equal([ClockState.Locked], h.Transitions.Select(t => t.State));
        Assert.InRange(h.FirstLockUtc!.Value - firstFix, ClockRig.Seconds(15), ClockRig.Seconds(60));
        Assert.Equal(0, h.BeyondUncertainty);
        Assert.InRange(h.MaxLockedError, 0, 1_000);
        var (now, error) = h.Now();
        Assert.Equal(ClockState.Locked, now.State);
        Assert.InRange(Math.Abs(error), 0, now.UncertaintyMicros);
        Assert.InRange(now.UncertaintyMicros, 100, 1_000);
        Assert.InRange(h.Clock.FrequencyErrorPpb, 7_300 - 2_000, 7_300 + 2_000);
        Assert.Equal(1, h.Clock.LockCount);
        Assert.Equal(0, h.Clock.TimeJumps);
        Assert.Equal(0, h.Clock.LabelMismatches);
        Assert.True(h.Clock.GpsFix);
        Assert.InRange(h.Clock.Satellites, 7, 12);
    }

    [Fact]
    public void UnderHeavyLatency_TheLockedErrorStaysFarBelowTheMeanLatency()
    {
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 5, AcquisitionSeconds = 5, Latency = PpsLatencyModel.Heavy }, s_raceMorning, ppm: -11.2, wanderPpm: 0.5);

        h.RunFor(6 * 60);

        // The mean latency is 4.3 ms; the lower envelope follows the quick handler runs.
        Assert.InRange(h.MaxLockedError, 0, 1_000);
        Assert.Equal(0, h.BeyondUncertainty);
        Assert.Equal(0, h.Clock.EdgesUnconfirmed);
        Assert.Equal(h.Clock.EdgesSeen, h.Clock.EdgesCommitted + h.Clock.EdgesRejected);
    }

    [Fact]
    public void PpsWithoutNmea_NeverLocks_AndSaysTheNmeaIsMissing()
    {
        var all = new GpsCondition(GpsConditionKind.NmeaCut, 0, long.MaxValue);
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 1, AcquisitionSeconds = 0, Schedule = [all] }, s_raceMorning);

        h.RunFor(120);

        Assert.Empty(h.Transitions);
        Assert.Equal(ClockState.Unsynced, h.Now().Time.State);
        Assert.True(h.Clock.NmeaMissing);
        Assert.False(h.Clock.PpsMissing);
        Assert.InRange(h.Clock.EdgesUnconfirmed, 115, 120);
        Assert.Equal(0, h.Clock.EdgesCommitted);
    }

    [Fact]
    public void NmeaWithoutPps_NeverLocks_AndSaysThePpsIsMissing()
    {
        var all = new GpsCondition(GpsConditionKind.PpsCut, 0, long.MaxValue);
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 1, AcquisitionSeconds = 0, Schedule = [all] }, s_raceMorning);

        h.RunFor(120);

        Assert.Empty(h.Transitions);
        Assert.True(h.Clock.PpsMissing);
        Assert.False(h.Clock.NmeaMissing);
        Assert.Equal(0, h.Clock.EdgesSeen);
        Assert.InRange(h.Clock.LabelsOutsideWindow, 200, 240);
    }

    [Fact]
    public void SkyBlocked_GoesIntoHoldover_WithGrowingUncertainty_ThenRelocks()
    {
        var from = ClockRig.Micros(s_raceMorning) + (3 * Minute);
        var blocked = new GpsCondition(GpsConditionKind.NoFix, from, from + (10 * Minute));
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 2, AcquisitionSeconds = 10, Schedule = [blocked] }, s_raceMorning, wanderPpm: 0.5);

        h.RunUntil(from);
        Assert.Equal(ClockState.Locked, h.State);
        var (lockedTime, _) = h.Now();

        h.RunFor(5);
        Assert.Equal(ClockState.Holdover, h.State);
        var holdoverStart = h.Transitions.Last().AtUtc;
        // The last edge was one second before the sky closed; 3.5 s of silence after it.
        Assert.InRange(holdoverStart - from, ClockRig.Seconds(2), ClockRig.Seconds(4));

        h.RunFor(60);
        var (oneMinute, errorOneMinute) = h.Now();
        h.RunUntil(from + (10 * Minute) - ClockRig.Seconds(1));
        var (tenMinutes, errorTenMinutes) = h.Now();

        Assert.Equal(ClockState.Holdover, oneMinute.State);
        Assert.Equal(ClockState.Holdover, tenMinutes.State);
        Assert.True(oneMinute.UncertaintyMicros > lockedTime.UncertaintyMicros);
        Assert.True(tenMinutes.UncertaintyMicros > oneMinute.UncertaintyMicros + 1_000, "2 ppm over 9 minutes is 1,080 µs more");
        Assert.InRange(Math.Abs(errorOneMinute), 0, oneMinute.UncertaintyMicros);
        Assert.InRange(Math.Abs(errorTenMinutes), 0, tenMinutes.UncertaintyMicros);
        Assert.True(h.Clock.EdgesUnconfirmed == 0, "the receiver sends no PPS without a fix");

        h.RunFor(30);

        Assert.Equal([ClockState.Locked, ClockState.Holdover, ClockState.Locked], h.Transitions.Select(t => t.State));
        Assert.InRange(h.Transitions[2].AtUtc - (from + (10 * Minute)), ClockRig.Seconds(5), ClockRig.Seconds(15));
        Assert.Equal(2, h.Clock.LockCount);
        Assert.Equal(1, h.Clock.HoldoverCount);
        Assert.Equal(0, h.BeyondUncertainty);
        Assert.InRange(h.MaxLockedError, 0, 1_000);
    }

    [Fact]
    public void AStampTakenWhileLocked_KeepsItsLockedState_WhenConvertedInHoldover()
    {
        var from = ClockRig.Micros(s_raceMorning) + (2 * Minute);
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 2, AcquisitionSeconds = 5, Schedule = [new GpsCondition(GpsConditionKind.NoFix, from, from + Minute)] }, s_raceMorning);
        h.RunUntil(from - ClockRig.Seconds(10));
        var stamp = h.Rig.Clock.Now;
        var whenTaken = h.At(stamp);

        h.RunFor(40);
        var later = h.At(stamp);

        Assert.Equal(ClockState.Holdover, h.State);
        Assert.Equal(ClockState.Locked, later.Time.State);
        Assert.InRange(Math.Abs(later.Time.UtcMicros - whenTaken.Time.UtcMicros), 0, 200);
        Assert.InRange(Math.Abs(later.Error), 0, later.Time.UncertaintyMicros);
        Assert.Equal(ClockState.Holdover, h.Now().Time.State);
    }

    [Fact]
    public void AStampTakenBeforeTheFirstLock_IsExtrapolatedBack_AsHoldover()
    {
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 4, AcquisitionSeconds = 20 }, s_raceMorning);
        h.RunFor(10);
        var early = h.Rig.Clock.Now;
        Assert.Equal(ClockState.Unsynced, h.At(early).Time.State);

        h.RunFor(120);
        var (time, error) = h.At(early);

        Assert.Equal(ClockState.Holdover, time.State);
        Assert.InRange(Math.Abs(error), 0, time.UncertaintyMicros);
        Assert.True(time.UncertaintyMicros > h.At(h.Rig.Clock.Now - ClockRig.Seconds(60)).Time.UncertaintyMicros, "a stamp inside the fit window is surer");
    }

    [Fact]
    public void PpsWireCutWhileLocked_IsHoldoverThreeAndAHalfSecondsAfterTheLastEdge_AndSaysSo()
    {
        var from = ClockRig.Micros(s_raceMorning) + (2 * Minute);
        var cut = new GpsCondition(GpsConditionKind.PpsCut, from, from + Minute);
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 6, AcquisitionSeconds = 5, Schedule = [cut] }, s_raceMorning);

        h.RunUntil(from + ClockRig.Seconds(10));

        Assert.Equal(ClockState.Holdover, h.State);
        Assert.InRange(h.Transitions.Last().AtUtc - from, ClockRig.Seconds(2), ClockRig.Seconds(4));
        Assert.True(h.Clock.PpsMissing);

        h.RunUntil(from + Minute + ClockRig.Seconds(20));
        Assert.Equal(ClockState.Locked, h.State);
        Assert.False(h.Clock.PpsMissing);
        Assert.Equal(0, h.BeyondUncertainty);
    }

    [Fact]
    public void NmeaWireCutWhileLocked_BridgesTenSeconds_ThenHoldover()
    {
        var from = ClockRig.Micros(s_raceMorning) + (2 * Minute);
        var cut = new GpsCondition(GpsConditionKind.NmeaCut, from, from + Minute);
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 7, AcquisitionSeconds = 5, Schedule = [cut] }, s_raceMorning);
        h.RunUntil(from);
        var committed = h.Clock.EdgesCommitted;

        h.RunFor(8);
        Assert.Equal(ClockState.Locked, h.State);
        Assert.InRange(h.Clock.EdgesCommitted - committed, 7, 9);

        h.RunFor(12);
        Assert.Equal(ClockState.Holdover, h.State);
        // Bridged edges up to 10 s after the last confirmed one (at from - 1 s), then 3.5 s of waiting.
        Assert.InRange(h.Transitions.Last().AtUtc - from, ClockRig.Seconds(10), ClockRig.Seconds(14));
        Assert.True(h.Clock.NmeaMissing);

        h.RunUntil(from + Minute + ClockRig.Seconds(20));
        Assert.Equal(ClockState.Locked, h.State);
        Assert.Equal(0, h.BeyondUncertainty);
    }

    [Fact]
    public void PulsesWithoutAFix_AreNeverUsed()
    {
        // This receiver pulses from its own oscillator, 370 ms off the second, until it has a fix.
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 8, AcquisitionSeconds = 60, PpsWithoutFix = true }, s_raceMorning);

        h.RunFor(59);
        Assert.Equal(ClockState.Unsynced, h.State);
        Assert.InRange(h.Clock.EdgesUnconfirmed, 55, 60);
        Assert.Equal(0, h.Clock.EdgesCommitted);

        h.RunFor(60);
        Assert.Equal(ClockState.Locked, h.State);
        Assert.InRange(h.MaxLockedError, 0, 1_000);
    }

    [Fact]
    public void GpsTimeJump_IsFollowedAfterThreeAgreeingLabels_AndBack()
    {
        // The receiver mislabels its seconds by +2 s for a minute (GPS time before the UTC offset is known).
        var from = ClockRig.Micros(s_raceMorning) + (2 * Minute);
        var offset = new GpsCondition(GpsConditionKind.LabelOffset, from, from + Minute, OffsetSeconds: 2);
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 9, AcquisitionSeconds = 5, Schedule = [offset] }, s_raceMorning);

        h.RunUntil(from + ClockRig.Seconds(2.5));
        Assert.Equal(0, h.Clock.TimeJumps);
        Assert.InRange(h.Now().Error, -1_000, 1_000);

        h.RunUntil(from + ClockRig.Seconds(10));
        Assert.Equal(1, h.Clock.TimeJumps);
        Assert.Equal(2, h.Clock.LastJumpSeconds);
        Assert.InRange(h.Now().Error, 2_000_000 - 1_000, 2_000_000 + 1_000);
        Assert.Equal(ClockState.Locked, h.State);

        h.RunUntil(from + Minute + ClockRig.Seconds(10));
        Assert.Equal(2, h.Clock.TimeJumps);
        Assert.Equal(-2, h.Clock.LastJumpSeconds);
        Assert.InRange(h.Now().Error, -1_000, 1_000);
        Assert.Equal(ClockState.Locked, h.State);
    }

    [Fact]
    public void OneOddLabel_IsIgnored()
    {
        var from = ClockRig.Micros(s_raceMorning) + (2 * Minute) + 500_000;
        var glitch = new GpsCondition(GpsConditionKind.LabelOffset, from, from + 1_000_000, OffsetSeconds: -1);
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 9, AcquisitionSeconds = 5, Schedule = [glitch] }, s_raceMorning);

        h.RunFor(4 * 60);

        Assert.Equal(0, h.Clock.TimeJumps);
        Assert.Equal(1, h.Clock.LabelMismatches);
        Assert.InRange(h.MaxLockedError, 0, 1_000);
    }

    [Fact]
    public void NewYearsEve_MidnightAndTheDateRollOver()
    {
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 10, AcquisitionSeconds = 5 }, new DateTime(2026, 12, 31, 23, 57, 0, DateTimeKind.Utc));

        h.RunFor(5 * 60);

        Assert.Equal([ClockState.Locked], h.Transitions.Select(t => t.State));
        Assert.Equal(0, h.Clock.LabelMismatches);
        Assert.Equal(0, h.Clock.TimeJumps);
        Assert.InRange(h.MaxLockedError, 0, 1_000);
        var (now, _) = h.Now();
        Assert.InRange(now.UtcMicros - ClockRig.Micros(new DateTime(2027, 1, 1, 0, 2, 0, DateTimeKind.Utc)), -1_000, 1_000);
    }

    [Fact]
    public void DatesBeforeMinYear_AreARtcOrRolloverBug_AndNeverLock()
    {
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 12, AcquisitionSeconds = 5 }, new DateTime(2006, 5, 20, 9, 0, 0, DateTimeKind.Utc));

        h.RunFor(90);

        Assert.Equal(ClockState.Unsynced, h.State);
        Assert.True(h.Clock.EdgesCommitted > 60);
    }

    [Fact]
    public void LockingAcrossMidnight_NumbersTheSecondsRight()
    {
        // The first fix comes 15 s before midnight: the lock's labels straddle the date change.
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 11, AcquisitionSeconds = 15 }, new DateTime(2027, 2, 28, 23, 59, 30, DateTimeKind.Utc));

        h.RunFor(90);

        Assert.Equal(ClockState.Locked, h.State);
        Assert.Equal(0, h.Clock.TimeJumps);
        Assert.InRange(h.MaxLockedError, 0, 1_000);
    }

    [Fact]
    public void LeapSecond_IsInsertedWithoutAJump()
    {
        var leap = ClockRig.Micros(new DateTime(2016, 12, 31, 23, 59, 59, DateTimeKind.Utc));
        var options = new GpsEmulatorOptions { Seed = 12, AcquisitionSeconds = 5, LeapSecondAfterUtcMicros = leap };

        // The last leap second so far; the clock takes dates from 2020 on unless told otherwise.
        var h = new ClockRig(options, new DateTime(2016, 12, 31, 23, 58, 0, DateTimeKind.Utc), settings: new MatClockSettings { MinYear = 2016 });

        h.RunUntil(leap + 1_500_000);
        var duringLeap = h.Rig.Clock.Now;
        h.RunFor(2);
        var (inside, _) = h.At(duringLeap);

        // 23:59:60.5 has no POSIX µs: it reads as the last µs of 23:59:59, and says it may be a second off.
        // (Until the 23:59:60 label arrives, nothing tells the clock that this second is a leap.)
        Assert.Equal(leap + 999_999, inside.UtcMicros);
        Assert.True(inside.UncertaintyMicros > 1_000_000);

        h.RunFor(60);
        Assert.Equal(1, h.Clock.LeapSeconds);
        Assert.Equal(0, h.Clock.TimeJumps);
        Assert.Equal(0, h.Clock.LabelMismatches);
        var (after, error) = h.Now();
        Assert.InRange(error, -1_000, 1_000);
        Assert.InRange(after.UtcMicros - ClockRig.Micros(new DateTime(2017, 1, 1, 0, 1, 1, 500, DateTimeKind.Utc)), -1_000, 1_000);

        // Once the fit window holds only seconds after the leap, the count is plain POSIX again.
        h.RunFor(5 * 60);
        Assert.InRange(h.Now().Error, -1_000, 1_000);
        Assert.Equal(0, h.BeyondUncertainty);
    }

    [Fact]
    public void A32BitCounterThatWraps_IsUnwrapped_WhenTheSettingsSaySo()
    {
        const long Wrap = 1L << 32;
        var settings = new MatClockSettings { CounterWrapMicros = Wrap };
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 13, AcquisitionSeconds = 5 }, s_raceMorning, settings: settings, localAtBoot: Wrap - (90 * 1_000_000L), counter: l => l % Wrap);

        h.RunFor(3 * 60);

        Assert.Equal([ClockState.Locked], h.Transitions.Select(t => t.State));
        Assert.Equal(0, h.Clock.TimebaseResets);
        Assert.True(h.Rig.Clock.Now > Wrap);
        Assert.InRange(h.MaxLockedError, 0, 1_000);
        Assert.Equal(0, h.BeyondUncertainty);
    }

    [Fact]
    public void ACounterThatRunsBackwards_StartsTheClockOver()
    {
        // Without the wrap setting a 32-bit counter's wrap looks like a reboot: nothing measured before holds.
        const long Wrap = 1L << 32;
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 13, AcquisitionSeconds = 5 }, s_raceMorning, localAtBoot: Wrap - (90 * 1_000_000L), counter: l => l % Wrap);

        h.RunFor(100);
        Assert.Equal(1, h.Clock.TimebaseResets);
        Assert.Equal(ClockState.Unsynced, h.State);
        Assert.Equal(ClockState.Unsynced, h.Now().Time.State);

        h.RunFor(60);
        Assert.Equal([ClockState.Locked, ClockState.Unsynced, ClockState.Locked], h.Transitions.Select(t => t.State));
        Assert.InRange(h.MaxLockedError, 0, 1_000);
    }

    [Theory]
    [InlineData(true, false, false, true)]
    [InlineData(false, true, true, true)]
    [InlineData(true, true, true, true)]
    [InlineData(false, true, false, false)]
    public void SentenceSets_LockWhenTheyGiveADateAndAFix(bool rmc, bool gga, bool zda, bool locks)
    {
        var options = new GpsEmulatorOptions { Seed = 14, AcquisitionSeconds = 5, SendRmc = rmc, SendGga = gga, SendZda = zda };
        var h = new ClockRig(options, s_raceMorning);

        h.RunFor(90);

        Assert.Equal(locks ? ClockState.Locked : ClockState.Unsynced, h.State);
        Assert.InRange(h.MaxLockedError, 0, 1_000);
    }

    [Fact]
    public void CorruptedSentencesAndA115200BaudLink_StillLock()
    {
        var options = new GpsEmulatorOptions { Seed = 15, AcquisitionSeconds = 5, CorruptSentenceRate = 0.2, SendZda = true, Talker = "GP" };
        var h = new ClockRig(options, s_raceMorning, baudRate: 115_200);

        h.RunFor(3 * 60);

        Assert.Equal(ClockState.Locked, h.State);
        // Every corrupted sentence is rejected (the last burst may still be on the wire).
        Assert.InRange(h.Clock.Nmea.Rejected, h.Rig.Gps.SentencesCorrupted - 3, h.Rig.Gps.SentencesCorrupted);
        Assert.True(h.Rig.Gps.SentencesCorrupted > 50);
        Assert.InRange(h.MaxLockedError, 0, 1_000);
        Assert.Equal(0, h.BeyondUncertainty);
    }

    [Fact]
    public void AGlitchOnThePpsLine_BeforeTheRealEdge_IsRejected()
    {
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 16, AcquisitionSeconds = 5 }, s_raceMorning);
        h.RunFor(2 * 60);
        var rejected = h.Clock.EdgesRejected;

        // 40 ms before the next top of the second, a spike on the wire reaches the handler.
        var nextSecond = ((h.TrueNow / 1_000_000) + 1) * 1_000_000;
        h.RunUntil(nextSecond - 40_000);
        h.Rig.Pps.Capture(h.Rig.Clock.Now);
        h.RunFor(30);

        Assert.Equal(rejected + 1, h.Clock.EdgesRejected);
        Assert.InRange(h.MaxLockedError, 0, 1_000);
        Assert.Equal(ClockState.Locked, h.State);
    }

    [Fact]
    public void SameSeed_SameTimes()
    {
        static List<long> Run()
        {
            var h = new ClockRig(new GpsEmulatorOptions { Seed = 17, AcquisitionSeconds = 5 }, s_raceMorning, wanderPpm: 0.5);
            var times = new List<long>();
            h.RunFor(60, () => times.Add(h.Now().Time.UtcMicros));
            return times;
        }

        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Polling_AllocatesNothing()
    {
        var h = new ClockRig(new GpsEmulatorOptions { Seed = 18, AcquisitionSeconds = 5, SendZda = true }, s_raceMorning);
        h.RunFor(60);
        long allocated = 0;

        for (var i = 0; i < 3_000; i++)
        {
            h.Rig.Gps.StepBy(ClockRig.Poll);
            var before = GC.GetAllocatedBytesForCurrentThread();
            h.Clock.Poll();
            h.Clock.Now();
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(ClockState.Locked, h.Clock.State);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Constructor_RefusesMissingPartsAndInconsistentSettings()
    {
        var clock = new SimulatedClock();
        var line = new SerialLine(clock);
        var pps = new QueuedPpsSource();

        Assert.Throws<ArgumentNullException>(() => new MatClock(null!, line.UnitEnd, pps));
        Assert.Throws<ArgumentNullException>(() => new MatClock(clock, null!, pps));
        Assert.Throws<ArgumentNullException>(() => new MatClock(clock, line.UnitEnd, (IPpsSource)null!));
        Assert.Throws<ArgumentException>(() => new MatClock(clock, line.UnitEnd, pps, new MatClockSettings { LabelWindowEndMicros = 1_000 }));
        Assert.Throws<ArgumentException>(() => new MatClock(clock, line.UnitEnd, pps, new MatClockSettings { LockEdges = 1_000 }));
        Assert.Throws<ArgumentException>(() => new MatClock(clock, line.UnitEnd, pps, new MatClockSettings { HoldoverAfterMicros = 500_000 }));
    }
}
