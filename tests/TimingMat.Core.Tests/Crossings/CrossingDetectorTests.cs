using TimingMat.Core.Clock;
using TimingMat.Core.Crossings;
using TimingMat.Core.Passings;
using Xunit;

namespace TimingMat.Core.Tests.Crossings;

public class CrossingDetectorTests
{
    private static readonly byte[] s_chip = DetectorRig.Chip(7);

    [Fact]
    public void ReadsOfOneChip_BecomeOnePassing_WithEveryFieldFilled()
    {
        var rig = new DetectorRig();
        rig.Crossing(s_chip, 1_000_000, 700_000, 1_300_000, 20_000);
        rig.PollUntil(3_000_000);

        var passing = Assert.Single(rig.Sink.Taken);
        Assert.Equal(PassingKind.Crossing, passing.Kind);
        Assert.Equal(42, passing.UnitId);
        Assert.Equal(Passing.NoSequence, passing.Sequence);
        Assert.Equal(s_chip, passing.Epc[..passing.EpcLength]);
        Assert.Equal(31, passing.Hits);
        Assert.Equal(-4500, passing.MaxRssiCentiDbm);
        Assert.Equal(1, passing.BestAntenna);
        Assert.Equal(DetectorRig.UtcAtZero + 700_000, passing.FirstReadUtcMicros);
        Assert.Equal(DetectorRig.UtcAtZero + 1_300_000, passing.LastReadUtcMicros);
        Assert.Equal(ClockState.Locked, passing.ClockState);
        Assert.Equal(5, passing.UncertaintyMicros);
        Assert.Equal(PassingFlags.None, passing.Flags);
        Assert.InRange(DetectorRig.Local(passing), 999_950, 1_000_050);
        Assert.Equal(1, rig.Detector.CrossingsOpened);
        Assert.Equal(1, rig.Detector.PassingsDelivered);
        Assert.Equal(0, rig.Detector.FitFallbacks);
    }

    [Fact]
    public void PeakMode_FitsTheApexBetweenReads_NotTheStrongestRead()
    {
        // Reads every 25 ms; the true peak lies 7.3 ms after a read, where no read was taken.
        var rig = new DetectorRig();
        rig.Crossing(s_chip, 1_007_300, 650_000, 1_350_000, 25_000);
        rig.PollUntil(3_000_000);

        Assert.InRange(DetectorRig.Local(Assert.Single(rig.Sink.Taken)), 1_007_200, 1_007_400);
    }

    [Fact]
    public void PeakMode_ClosesExactlyOneReactionWindowAfterTheLastPeak()
    {
        var rig = new DetectorRig();
        rig.Crossing(s_chip, 1_000_000, 800_000, 1_200_000, 10_000);

        // The strongest read was at 1.000 s; the chip stays in the field, weaker, which does not hold the crossing open.
        rig.Detector.Poll(1_849_999);
        Assert.Empty(rig.Sink.Taken);
        rig.Detector.Poll(1_850_000);
        Assert.Single(rig.Sink.Taken);
    }

    [Fact]
    public void FirstMode_TimesTheFirstRead_AndClosesOnceTheChipIsGone()
    {
        var rig = new DetectorRig(s => s.Mode = DetectionMode.First);
        rig.Crossing(s_chip, 1_000_000, 700_000, 1_300_000, 10_000);

        rig.Detector.Poll(2_149_999);
        Assert.Empty(rig.Sink.Taken);
        rig.Detector.Poll(2_150_000);
        Assert.Equal(700_000, DetectorRig.Local(Assert.Single(rig.Sink.Taken)));
    }

    [Fact]
    public void LastMode_TimesTheLastRead()
    {
        var rig = new DetectorRig(s => s.Mode = DetectionMode.Last);
        rig.Crossing(s_chip, 1_000_000, 700_000, 1_300_000, 10_000);
        rig.PollUntil(3_000_000);

        Assert.Equal(1_300_000, DetectorRig.Local(Assert.Single(rig.Sink.Taken)));
    }

    [Fact]
    public void FirstAndLastMode_GivesARecordAtEachEnd_OrOneForASingleRead()
    {
        var rig = new DetectorRig(s => s.Mode = DetectionMode.FirstAndLast);
        rig.Crossing(s_chip, 1_000_000, 700_000, 1_300_000, 10_000);
        rig.Read(DetectorRig.Chip(8), 1_000_000, -7000);
        rig.PollUntil(3_000_000);

        var chip7 = rig.Sink.Taken.Where(p => p.Epc[..p.EpcLength].SequenceEqual(s_chip)).ToList();
        Assert.Equal([700_000L, 1_300_000L], chip7.Select(DetectorRig.Local));
        Assert.All(chip7, p => Assert.Equal(61, p.Hits));
        Assert.Equal(1_000_000, DetectorRig.Local(Assert.Single(rig.Sink.Taken, p => p.Epc[9] == 1 && p.Epc[7] == 8)));
        Assert.Equal(3, rig.Sink.Taken.Count);
    }

    [Fact]
    public void ContinuousMode_GivesOneRecordPerInterval_WhileTheChipStays()
    {
        var rig = new DetectorRig(s => s.Mode = DetectionMode.Continuous);
        for (var t = 0L; t <= 3_400_000; t += 100_000)
        {
            // The strongest read of each second is at +500 ms.
            rig.Read(s_chip, t, t % 1_000_000 == 500_000 ? -5000 : -6000);
            rig.Detector.Poll(t);
        }

        rig.PollUntil(5_000_000);

        Assert.Equal([11, 11, 11, 2], rig.Sink.Taken.Select(p => p.Hits));
        Assert.Equal([500_000L, 1_500_000L, 2_500_000L, 3_350_000L], rig.Sink.Taken.Select(DetectorRig.Local));
        Assert.Equal(0, rig.Detector.DeadTimeReads);
    }

    [Fact]
    public void DeadTime_AbsorbsReadsUntilItEnds_ThenTheChipCrossesAgain()
    {
        var rig = new DetectorRig(s => s.Mode = DetectionMode.First);
        rig.Crossing(s_chip, 1_100_000, 1_000_000, 1_200_000, 10_000);
        rig.PollUntil(3_000_000);
        Assert.Single(rig.Sink.Taken);

        rig.Read(s_chip, 5_999_999, -6000);
        rig.PollUntil(7_000_000);
        Assert.Single(rig.Sink.Taken);
        Assert.Equal(1, rig.Detector.DeadTimeReads);

        rig.Read(s_chip, 7_000_000, -6000);
        rig.PollUntil(8_000_000);
        Assert.Equal(2, rig.Sink.Taken.Count);
        Assert.Equal(7_000_000, DetectorRig.Local(rig.Sink.Taken[1]));
    }

    [Fact]
    public void DeadTime_EndsExactlyFiveSecondsAfterThePassing()
    {
        var rig = new DetectorRig(s => s.Mode = DetectionMode.First);
        rig.Read(s_chip, 1_000_000, -5000);
        rig.PollUntil(2_000_000);

        rig.Read(s_chip, 6_000_000, -5000);
        rig.PollUntil(8_000_000);

        Assert.Equal([1_000_000L, 6_000_000L], rig.Sink.Taken.Select(DetectorRig.Local));
        Assert.Equal(0, rig.Detector.DeadTimeReads);
    }

    [Fact]
    public void ChipStandingOnTheMat_GivesItsCrossingAndOneStrayPassing_NotOnePerDeadTime()
    {
        var rig = new DetectorRig();

        // Crosses with a peak at 1 s, then stands weaker on the mat until 30 s (a finisher who stopped past the line).
        rig.Crossing(s_chip, 1_000_000, 700_000, 1_300_000, 20_000);
        for (var t = 1_350_000L; t <= 30_000_000; t += 50_000)
        {
            rig.Read(s_chip, t, t % 1_000_000 == 0 ? -7400 : -7500);
            rig.Detector.Poll(t);
        }

        rig.PollUntil(40_000_000);

        Assert.Equal(2, rig.Sink.Taken.Count);
        Assert.Equal(PassingFlags.None, rig.Sink.Taken[0].Flags);
        // Standing reads inside the reaction window pull the fitted peak somewhat late (FitSpanCentiDb can exclude them).
        Assert.InRange(DetectorRig.Local(rig.Sink.Taken[0]), 990_000, 1_100_000);
        Assert.Equal(PassingFlags.Stray, rig.Sink.Taken[1].Flags);
        Assert.Equal(DetectorRig.UtcAtZero + 30_000_000, rig.Sink.Taken[1].LastReadUtcMicros);
    }

    [Theory]
    [InlineData((1L << 29) - 3_000_000)]
    [InlineData(7L * 3600 * 1_000_000)]
    public void DeadTimeAndStrays_AreDecidedToTheMicrosecond_HoweverLongTheUnitHasRun(long start)
    {
        // The chips' times are µs after an epoch that moves every 2^29 µs (~9 min): the first start puts a move inside
        // the first chip's dead time, the second is seven hours into a race day. A chip standing 20 minutes on the mat
        // outlives the 17.9 minutes a stored time is kept exactly.
        var (atBoot, first) = RaceOfTwoChips(0);
        var (late, rig) = RaceOfTwoChips(start);

        Assert.Equal(atBoot, late);
        Assert.Equal(4, late.Count);
        Assert.InRange(late[0].Time, 999_950, 1_000_050);
        Assert.InRange(late[1].Time - late[0].Time, 5_350_000, 5_450_000);
        Assert.Equal(PassingFlags.None, late[2].Flags);
        Assert.Equal((PassingFlags.Stray, 1_210_000_000L), (late[3].Flags, late[3].LastRead));
        // The first chip's read a µs before its dead time ended, and the standing chip's reads in its dead time.
        Assert.Equal(1 + 84, rig.Detector.DeadTimeReads);
        Assert.Equal(first.Detector.DeadTimeReads, rig.Detector.DeadTimeReads);
        Assert.Equal(2, rig.Detector.MostChipsTracked);
        Assert.Equal(1, rig.Detector.MostOpenCrossings);
        Assert.Equal(0, rig.Detector.ChipsTracked);
    }

    private static (List<(long Time, PassingFlags Flags, int Hits, long LastRead)> Passings, DetectorRig Rig) RaceOfTwoChips(long start)
    {
        var rig = new DetectorRig();
        var standing = DetectorRig.Chip(8);
        rig.Crossing(s_chip, start + 1_000_000, start + 700_000, start + 1_300_000, 20_000);
        rig.PollUntil(start + 3_000_000);
        var firstPassing = DetectorRig.Local(Assert.Single(rig.Sink.Taken)) - start;

        // One µs before its dead time ends the chip is absorbed; then it crosses again.
        rig.Read(s_chip, start + firstPassing + 4_999_999, -5000);
        rig.PollUntil(start + firstPassing + 5_000_000);
        rig.Crossing(s_chip, start + firstPassing + 5_400_000, start + firstPassing + 5_000_000, start + firstPassing + 5_800_000, 20_000);
        rig.PollUntil(start + 10_000_000);
        for (var t = start + 10_000_000; t <= start + 1_210_000_000; t += 50_000)
        {
            rig.Read(standing, t, t == start + 10_500_000 ? -6000 : -6100);
            rig.Detector.Poll(t);
        }

        rig.PollUntil(start + 1_220_000_000);
        var passings = rig.Sink.Taken.Select(p => (DetectorRig.Local(p) - start, p.Flags, p.Hits, p.LastReadUtcMicros - DetectorRig.UtcAtZero - start)).ToList();
        return (passings, rig);
    }

    [Fact]
    public void ChipReadBriefly_IsNotStray_HoweverLateTheNextPoll()
    {
        var rig = new DetectorRig(s => s.Mode = DetectionMode.Last);
        rig.Read(s_chip, 1_000_000, -6000);
        rig.Read(s_chip, 1_200_000, -6000);

        rig.Detector.Poll(60_000_000);

        Assert.Equal(PassingFlags.None, Assert.Single(rig.Sink.Taken).Flags);
    }

    [Fact]
    public void LastMode_RunnerStandingAtTheStart_GivesOneStrayPassingAtTheLastRead()
    {
        var rig = new DetectorRig(s => s.Mode = DetectionMode.Last);
        for (var t = 0L; t <= 20_000_000; t += 50_000)
        {
            rig.Read(s_chip, t, -6000 + (int)(t / 50_000 % 3 * 100));
            rig.Detector.Poll(t);
        }

        rig.PollUntil(25_000_000);

        var passing = Assert.Single(rig.Sink.Taken);
        Assert.Equal(PassingFlags.Stray, passing.Flags);
        Assert.Equal(20_000_000, DetectorRig.Local(passing));
    }

    [Fact]
    public void AntennasAndReaders_AreMergedByChip_EachAtItsOwnLevel()
    {
        // Antenna 1 of reader 0 sees the whole crossing; antenna 3 of reader 1, farther away (6 dB weaker), only its
        // second half. One closest distance for both would pull the apex late; one per antenna keeps it on the peak.
        var rig = new DetectorRig(s => s.SamplesPerCrossing = 64);
        for (var t = 700_000L; t <= 1_300_000; t += 20_000)
        {
            rig.Read(s_chip, t, DetectorRig.RssiAt(t, 1_000_000), antenna: 1, reader: 0);
            if (t >= 1_000_000)
            {
                rig.Read(s_chip, t + 5_000, DetectorRig.FartherRssiAt(t + 5_000, 1_000_000, 600), antenna: 3, reader: 1);
            }

            rig.Detector.Poll(t);
        }

        rig.PollUntil(3_000_000);

        var passing = Assert.Single(rig.Sink.Taken);
        Assert.Equal(47, passing.Hits);
        Assert.Equal(1, passing.BestAntenna);
        Assert.InRange(DetectorRig.Local(passing), 999_800, 1_000_200);
    }

    [Fact]
    public void TwoChips10MsApart_StayTwoPassings_WithTheirOwnTimes()
    {
        var rig = new DetectorRig();
        var a = DetectorRig.Chip(1);
        var b = DetectorRig.Chip(2);
        for (var t = 700_000L; t <= 1_300_000; t += 20_000)
        {
            rig.Read(a, t, DetectorRig.RssiAt(t, 1_000_000));
            rig.Read(b, t + 3_000, DetectorRig.RssiAt(t + 3_000, 1_010_000));
            rig.Detector.Poll(t + 3_000);
        }

        rig.PollUntil(3_000_000);

        Assert.Equal(2, rig.Sink.Taken.Count);
        var timeA = DetectorRig.Local(rig.Sink.Taken.Single(p => p.Epc[7] == 1));
        var timeB = DetectorRig.Local(rig.Sink.Taken.Single(p => p.Epc[7] == 2));
        Assert.InRange(timeA, 999_900, 1_000_100);
        Assert.InRange(timeB - timeA, 9_800, 10_200);
    }

    [Fact]
    public void FewReads_FallBackToTheStrongestRead_AndTiedStrongestReadsToTheirMiddle()
    {
        var rig = new DetectorRig();
        rig.Read(s_chip, 1_000_000, -6000);
        rig.Read(s_chip, 1_040_000, -5000);
        rig.Read(s_chip, 1_080_000, -5000);
        rig.Read(s_chip, 1_120_000, -6500);
        rig.PollUntil(3_000_000);

        Assert.Equal(1_060_000, DetectorRig.Local(Assert.Single(rig.Sink.Taken)));
        Assert.Equal(1, rig.Detector.FitFallbacks);
    }

    [Fact]
    public void ReadsThatOnlyRise_FallBackToTheStrongestRead()
    {
        // Closed by capacity while still approaching the antenna: a parabola's apex would lie beyond the reads.
        var rig = new DetectorRig();
        for (var i = 0; i < 8; i++)
        {
            rig.Read(s_chip, 1_000_000 + (i * 20_000), -7000 + (i * i * 50));
        }

        rig.PollUntil(3_000_000);

        Assert.Equal(1_140_000, DetectorRig.Local(Assert.Single(rig.Sink.Taken)));
        Assert.Equal(1, rig.Detector.FitFallbacks);
    }

    [Fact]
    public void FullCrossings_CloseTheOldestEarly_FlaggedAndCounted_NeverDropped()
    {
        var rig = new DetectorRig(s =>
        {
            s.ChipCapacity = 16;
            s.OpenCrossingCapacity = 2;
        });

        // Five chips in the field together; only two crossings fit.
        for (var t = 0L; t < 500_000; t += 10_000)
        {
            for (var chip = 1; chip <= 5; chip++)
            {
                if (t >= chip * 50_000)
                {
                    rig.Read(DetectorRig.Chip(chip), t, -6000);
                }
            }
        }

        rig.PollUntil(10_000_000);

        Assert.True(rig.Detector.CapacityClosed > 0);
        Assert.Equal(rig.Detector.CapacityClosed, rig.Sink.Taken.Count(p => p.Flags.HasFlag(PassingFlags.CapacityClosed)));
        Assert.Equal([1, 2, 3, 4, 5], rig.Sink.Taken.Select(p => (int)p.Epc[7]).Distinct().Order());
        Assert.Equal(rig.Detector.CrossingsOpened, rig.Sink.Taken.Count);
        Assert.Equal(0, rig.Detector.RefusedReads);
    }

    [Fact]
    public void FullChipTable_ForgetsTheChipHeardLongestAgo_AndCountsIt()
    {
        var rig = new DetectorRig(s =>
        {
            s.ChipCapacity = 4;
            s.OpenCrossingCapacity = 4;
        });
        for (var chip = 1; chip <= 6; chip++)
        {
            rig.Read(DetectorRig.Chip(chip), chip * 1_000_000L, -6000);
            rig.PollUntil((chip * 1_000_000L) + 900_000);
        }

        Assert.Equal(6, rig.Sink.Taken.Count);
        Assert.Equal(2, rig.Detector.ForgottenChips);
        Assert.Equal(4, rig.Detector.ChipsTracked);

        // Chip 1 was forgotten: a read inside its dead time now starts a new crossing (the counted risk).
        rig.Read(DetectorRig.Chip(1), 6_950_000, -6000);
        Assert.Equal(1, rig.Detector.OpenCrossings);
    }

    [Fact]
    public void BackPressure_KeepsPassingsQueued_AndDeliversThemInOrderLater()
    {
        var rig = new DetectorRig();
        rig.Sink.Refusing = true;
        for (var chip = 1; chip <= 3; chip++)
        {
            rig.Read(DetectorRig.Chip(chip), chip * 100_000L, -6000);
        }

        rig.PollUntil(2_000_000);
        Assert.Equal(3, rig.Detector.PendingPassings);
        Assert.Empty(rig.Sink.Taken);
        Assert.True(rig.Detector.BackPressureStalls > 0);

        rig.Sink.Refusing = false;
        Assert.Equal(3, rig.Detector.Poll(2_010_000));
        Assert.Equal([1, 2, 3], rig.Sink.Taken.Select(p => (int)p.Epc[7]));
        Assert.Equal(0, rig.Detector.PendingPassings);
    }

    [Fact]
    public void SustainedBackPressure_WithEverythingFull_RefusesReadsAndCountsThem()
    {
        var rig = new DetectorRig(s =>
        {
            s.ChipCapacity = 8;
            s.OpenCrossingCapacity = 2;
            s.PendingPassings = 2;
        });
        rig.Sink.Refusing = true;
        rig.Read(DetectorRig.Chip(1), 0, -6000);
        rig.Read(DetectorRig.Chip(2), 0, -6000);
        rig.PollUntil(1_000_000);
        Assert.Equal(2, rig.Detector.PendingPassings);

        rig.Read(DetectorRig.Chip(3), 1_000_000, -6000);
        rig.Read(DetectorRig.Chip(4), 1_000_000, -6000);
        rig.Read(DetectorRig.Chip(5), 1_000_000, -6000);

        Assert.Equal(1, rig.Detector.RefusedReads);
        rig.Sink.Refusing = false;
        rig.PollUntil(3_000_000);
        Assert.Equal([1, 2, 3, 4], rig.Sink.Taken.Select(p => (int)p.Epc[7]).Order());
    }

    [Fact]
    public void EmptyOrOverlongEpc_IsCountedAndIgnored()
    {
        var rig = new DetectorRig(s => s.MaxEpcBytes = 12);
        rig.Read([], 0, -6000);
        rig.Read(new byte[16], 0, -6000);
        rig.PollUntil(2_000_000);

        Assert.Equal(2, rig.Detector.RejectedReads);
        Assert.Equal(2, rig.Detector.Reads);
        Assert.Empty(rig.Sink.Taken);
    }

    [Fact]
    public void UnsyncedClock_StampsLocalTimeAndSaysSo()
    {
        var rig = new DetectorRig();
        rig.Time.State = ClockState.Unsynced;
        rig.Read(s_chip, 1_000_000, -6000);
        rig.PollUntil(2_000_000);

        var passing = Assert.Single(rig.Sink.Taken);
        Assert.Equal(1_000_000, passing.TimeUtcMicros);
        Assert.Equal(ClockState.Unsynced, passing.ClockState);
        Assert.Equal(MatTime.UnknownUncertainty, passing.UncertaintyMicros);
    }

    [Fact]
    public void CloseAll_EndsEveryOpenCrossingNow()
    {
        var rig = new DetectorRig();
        rig.Read(DetectorRig.Chip(1), 1_000_000, -6000);
        rig.Read(DetectorRig.Chip(2), 1_000_000, -6000);

        Assert.True(rig.Detector.CloseAll());

        Assert.Equal(2, rig.Sink.Taken.Count);
        Assert.Equal(0, rig.Detector.OpenCrossings);
    }

    [Fact]
    public void LongCrossing_IsAveragedInFixedMemory_AndStillTimedAtItsPeak()
    {
        // 1201 reads at 1 ms spacing: far more than the 32 entries a crossing keeps.
        var rig = new DetectorRig();
        rig.Crossing(s_chip, 1_000_000, 400_000, 1_600_000, 1_000, tauMicros: 450_000);
        rig.PollUntil(4_000_000);

        var passing = Assert.Single(rig.Sink.Taken);
        Assert.Equal(1201, passing.Hits);
        Assert.InRange(DetectorRig.Local(passing), 999_000, 1_001_000);
    }

    [Fact]
    public void LongCrossing_OnFourInterleavedAntennas_KeepsEachAntennasLevel()
    {
        // A multiplexed reader cycles four ports read by read, each port at its own level: merging must keep to one
        // antenna per entry, or the levels would blur into the curve.
        var rig = new DetectorRig();
        var k = 0;
        for (var t = 500_000L; t <= 1_500_000; t += 2_500, k++)
        {
            var port = (k % 4) + 1;
            rig.Read(s_chip, t, DetectorRig.FartherRssiAt(t, 1_000_000, port * 300, tauMicros: 450_000), antenna: port);
            rig.Detector.Poll(t);
        }

        rig.PollUntil(4_000_000);

        var passing = Assert.Single(rig.Sink.Taken);
        Assert.Equal(401, passing.Hits);
        Assert.InRange(DetectorRig.Local(passing), 998_000, 1_002_000);
    }
}
