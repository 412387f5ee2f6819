using TimingMat.Core.Clock;
using TimingMat.Core.Crossings;
using TimingMat.Core.Passings;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Reader;
using TimingMat.Core.Tests.Crossings;
using TimingMat.Emulators.Crossings;
using Xunit;

namespace TimingMat.Core.Tests.RaceDay;

public class RaceDayControlTests
{
    private const long UtcAtZero = 1_790_000_000_000_000;

    private readonly FixedMatTimeSource _time = new(UtcAtZero);
    private readonly RecordingPassingSink _journal = new();
    private readonly PassingQualifier _qualifier;
    private readonly CrossingDetector _detector;
    private readonly TagRead _read = new();

    public RaceDayControlTests()
    {
        _qualifier = new PassingQualifier(_journal);
        _detector = new CrossingDetector(new CrossingSettings { UnitId = 9, Mode = DetectionMode.First, PendingPassings = 2 }, _time, _qualifier);
    }

    [Fact]
    public void UnitBootsInTestMode_CountingReadsPerAntenna_RecordingNothing()
    {
        var control = Control(UnitRole.Finish);

        Read(control, Chip(1), 1_000_000, -5500, antenna: 2);
        Read(control, Chip(1), 1_010_000, -5000, antenna: 2);
        Read(control, Chip(2), 1_020_000, -6000, antenna: 1, reader: 1);
        _detector.Poll(5_000_000);

        Assert.Equal(RaceDayMode.Test, control.Mode);
        Assert.Empty(_journal.Taken);
        Assert.Equal(0, _detector.Reads);
        Assert.Equal(3, control.Monitor.Reads);
        Assert.Equal(2, control.Monitor.ReadsOn(0, 2));
        Assert.Equal(1, control.Monitor.ReadsOn(1, 1));
        Assert.Equal(0, control.Monitor.ReadsOn(0, 1));
        Assert.Equal(-5000, control.Monitor.StrongestRssiCentiDbm);
        Assert.Equal(Chip(2), control.Monitor.LastRead.Epc[..control.Monitor.LastRead.EpcLength]);
    }

    [Fact]
    public void TimingMode_TurnsReadsIntoPassings_AndTestModeStopsItAgain()
    {
        var control = Control(UnitRole.Finish);
        Assert.Equal(RaceDayResult.Accepted, control.EnterTimingMode());
        Read(control, Chip(1), 1_000_000, -5500);
        _detector.Poll(3_000_000);

        control.EnterTestMode();
        Read(control, Chip(2), 4_000_000, -5500);
        _detector.Poll(6_000_000);

        var passing = Assert.Single(_journal.Taken);
        Assert.Equal(Chip(1), passing.Epc[..passing.EpcLength]);
        Assert.Equal(2, control.Monitor.Reads);
    }

    [Fact]
    public void TestTags_AreRecordedButFlagged_AndCountedInTestMode()
    {
        var control = Control(UnitRole.Finish);
        Assert.True(control.TestTags.TryAddHex("54 4D 99"));
        var testTag = new byte[] { 0x54, 0x4D, 0x99, 0x01, 0, 0, 0, 0, 0, 0, 0, 1 };

        Read(control, testTag, 500_000, -5000);
        Assert.Equal(1, control.Monitor.TestTagReads);
        control.EnterTimingMode();
        Read(control, testTag, 1_000_000, -5000);
        Read(control, Chip(1), 1_000_000, -5000);
        _detector.Poll(3_000_000);

        Assert.Equal(PassingFlags.TestTag, _journal.Taken.Single(p => p.Epc[2] == 0x99).Flags);
        Assert.Equal(PassingFlags.None, _journal.Taken.Single(p => p.Epc[2] != 0x99).Flags);
    }

    [Fact]
    public void ArmedWindow_FlagsPassingsBeforeItOpensAndFromTheCutOff_KeepingThemAll()
    {
        var control = Control(UnitRole.Split);
        control.EnterTimingMode();
        Assert.Equal(RaceDayResult.Accepted, control.ArmAt(UtcAtZero + 10_000_000));
        Assert.Equal(RaceDayResult.Accepted, control.CutOffAt(UtcAtZero + 20_000_000));

        Read(control, Chip(1), 9_999_999, -5000);
        Read(control, Chip(2), 10_000_000, -5000);
        Read(control, Chip(3), 19_999_999, -5000);
        Read(control, Chip(4), 20_000_000, -5000);
        _detector.Poll(22_000_000);
        _detector.Poll(22_010_000);

        Assert.Equal(
            [PassingFlags.OutsideArmedWindow, PassingFlags.None, PassingFlags.None, PassingFlags.OutsideArmedWindow],
            _journal.Taken.OrderBy(p => p.Epc[7]).Select(p => p.Flags));
    }

    [Fact]
    public void ArmedWindow_CannotJudgeAnUnsyncedTime_AndLeavesItUnflagged()
    {
        var control = Control(UnitRole.Split);
        control.EnterTimingMode();
        control.CutOffAt(UtcAtZero + 1_000_000);
        _time.State = ClockState.Unsynced;

        Read(control, Chip(1), 5_000_000, -5000);
        _detector.Poll(7_000_000);

        Assert.Equal(PassingFlags.None, Assert.Single(_journal.Taken).Flags);
        Assert.Equal(RaceDayResult.ClockNotSynced, control.ArmNow(7_000_000));
    }

    [Fact]
    public void WindowThatClosesBeforeItOpens_IsRefused()
    {
        var control = Control(UnitRole.Split);

        Assert.Equal(RaceDayResult.Accepted, control.CutOffAt(UtcAtZero + 5_000_000));
        Assert.Equal(RaceDayResult.Invalid, control.ArmAt(UtcAtZero + 6_000_000));
        Assert.Equal(RaceDayResult.Accepted, control.ArmNow(1_000_000));
        Assert.Equal(UtcAtZero + 1_000_000, control.Window.OpensUtcMicros);
        Assert.Equal(RaceDayResult.Invalid, control.CutOffAt(UtcAtZero));
    }

    [Fact]
    public void GunMarker_AtTheStart_IsRecordedWithItsTimeAndClock()
    {
        var control = Control(UnitRole.Start);
        control.EnterTimingMode();

        Assert.Equal(RaceDayResult.Accepted, control.IssueMarker(PassingKind.GunStart, 0, 3_000_000));
        Assert.Equal(RaceDayResult.Accepted, control.IssueMarker(PassingKind.WaveStart, 2, 4_000_000));
        _detector.Poll(4_000_000);

        Assert.Equal([PassingKind.GunStart, PassingKind.WaveStart], _journal.Taken.Select(p => p.Kind));
        var gun = _journal.Taken[0];
        Assert.Equal(UtcAtZero + 3_000_000, gun.TimeUtcMicros);
        Assert.Equal(9, gun.UnitId);
        Assert.Equal(0, gun.EpcLength);
        Assert.Equal(ClockState.Locked, gun.ClockState);
        Assert.Equal(Passing.NoSequence, gun.Sequence);
        Assert.Equal(2, _journal.Taken[1].MarkerValue);
    }

    [Theory]
    [InlineData(UnitRole.Split, PassingKind.GunStart, 0, RaceDayResult.WrongRole)]
    [InlineData(UnitRole.CheckIn, PassingKind.WaveStart, 1, RaceDayResult.WrongRole)]
    [InlineData(UnitRole.Start, PassingKind.CorralOpen, 1, RaceDayResult.WrongRole)]
    [InlineData(UnitRole.CheckIn, PassingKind.CorralOpen, 3, RaceDayResult.Accepted)]
    [InlineData(UnitRole.Finish, PassingKind.GunStart, 1, RaceDayResult.Accepted)]
    [InlineData(UnitRole.Start, PassingKind.WaveStart, 0, RaceDayResult.Invalid)]
    [InlineData(UnitRole.Start, PassingKind.GunStart, -1, RaceDayResult.Invalid)]
    [InlineData(UnitRole.Start, PassingKind.Crossing, 1, RaceDayResult.Invalid)]
    public void Markers_FollowTheUnitsRole(UnitRole role, PassingKind kind, int value, RaceDayResult expected)
    {
        var control = Control(role);
        control.EnterTimingMode();

        Assert.Equal(expected, control.IssueMarker(kind, value, 1_000_000));
    }

    [Fact]
    public void Marker_InTestMode_IsRefused()
    {
        var control = Control(UnitRole.Start);

        Assert.Equal(RaceDayResult.NotInTimingMode, control.IssueMarker(PassingKind.GunStart, 0, 1_000_000));
        _detector.Poll(1_000_000);
        Assert.Empty(_journal.Taken);
    }

    [Fact]
    public void Marker_WhileTheJournalIsFull_AsksToIssueItAgain_AndIsNotLostOnceTaken()
    {
        var control = Control(UnitRole.Start);
        control.EnterTimingMode();
        _journal.Refusing = true;

        Assert.Equal(RaceDayResult.Accepted, control.IssueMarker(PassingKind.GunStart, 0, 1_000_000));
        Assert.Equal(RaceDayResult.Accepted, control.IssueMarker(PassingKind.WaveStart, 1, 1_100_000));
        Assert.Equal(RaceDayResult.QueueFull, control.IssueMarker(PassingKind.WaveStart, 2, 1_200_000));
        _detector.Poll(1_300_000);

        _journal.Refusing = false;
        _detector.Poll(1_400_000);
        Assert.Equal(RaceDayResult.Accepted, control.IssueMarker(PassingKind.WaveStart, 2, 1_200_000));
        _detector.Poll(1_500_000);
        Assert.Equal([0, 1, 2], _journal.Taken.Select(p => p.MarkerValue));
    }

    [Theory]
    [InlineData("check-in", UnitRole.CheckIn)]
    [InlineData("CheckIn", UnitRole.CheckIn)]
    [InlineData("start", UnitRole.Start)]
    [InlineData("turnaround", UnitRole.Turnaround)]
    [InlineData(" finish ", UnitRole.Finish)]
    public void RoleNames_ParseAndPrint(string text, UnitRole role)
    {
        Assert.True(UnitRoleText.TryParse(text, out var parsed));
        Assert.Equal(role, parsed);
        Assert.True(UnitRoleText.TryParse(UnitRoleText.Name(role), out _));
        Assert.False(UnitRoleText.TryParse("middle", out _));
    }

    [Fact]
    public void CheckIn_StartsWithFirstRead_EveryOtherRoleWithPeakSignal()
    {
        Assert.Equal(DetectionMode.First, UnitRoleText.DefaultMode(UnitRole.CheckIn));
        Assert.All([UnitRole.Start, UnitRole.Split, UnitRole.Turnaround, UnitRole.Finish], r => Assert.Equal(DetectionMode.Peak, UnitRoleText.DefaultMode(r)));
        Assert.Equal("not-in-timing-mode", RaceDayText.Name(RaceDayResult.NotInTimingMode));
        Assert.Equal("timing", RaceDayText.Name(RaceDayMode.Timing));
    }

    private static byte[] Chip(int n) => RandomRunnerStream.Epc(n, 1);

    private RaceDayControl Control(UnitRole role) => new(role, _detector, _qualifier, _time);

    private void Read(RaceDayControl control, byte[] epc, long micros, int rssi, int antenna = 1, int reader = 0) =>
        control.OnTagRead(DetectorRig.Fill(_read, epc, micros, rssi, antenna, reader));
}
