using TimingMat.Core.Passings;
using TimingMat.Core.RaceDay;
using TimingMat.Simulation.Audit;
using TimingMat.Simulation.Scenarios;
using Xunit;

namespace TimingMat.Simulation.Tests;

public class RaceRulesAuditTests
{
    private const long S = 1_000_000;
    private static readonly long Gun = 1_790_000_000L * S;

    private static readonly AuditMat[] s_mats =
    [
        new(1, "checkin", UnitRole.CheckIn, 0, Gun),
        new(2, "start", UnitRole.Start, 0, Gun + (3600 * S)),
        new(3, "5k", UnitRole.Split, 5, Gun + (7200 * S)),
        new(4, "10k", UnitRole.Split, 10, Gun + (9000 * S)),
        new(5, "15k", UnitRole.Split, 15, Gun + (10800 * S)),
        new(6, "finish", UnitRole.Finish, 21.1, Gun + (12600 * S)),
    ];

    private readonly List<AuditPassing> _passings = [];
    private long _sequence;

    [Fact]
    public void CompleteRun_IsRanked_WithItsNetTime()
    {
        Run("A1", 10, 1500, 3000, 4500, 6330);

        var finding = Audit([new(1, ["A1"])]).Athletes.Single();

        Assert.Equal(AthleteVerdict.Ranked, finding.Verdict);
        Assert.Equal(6320 * S, finding.NetTimeMicros);
    }

    [Fact]
    public void MissingSplit_IsUnranked_AndNamed()
    {
        Run("A1", 10, 1500, null, 4500, 6330);

        var finding = Audit([new(1, ["A1"])]).Athletes.Single();

        Assert.Equal(AthleteVerdict.MissingMat, finding.Verdict);
        Assert.Equal(["10k"], finding.MissingMats);
    }

    [Fact]
    public void MatsOutOfOrder_AreOutOfSequence()
    {
        Run("A1", 10, 3100, 3000, 4500, 6330);

        var finding = Audit([new(1, ["A1"])]).Athletes.Single();

        Assert.Equal(AthleteVerdict.OutOfSequence, finding.Verdict);
        Assert.Equal(["10k"], finding.OutOfSequenceMats);
    }

    [Fact]
    public void FinishAfterCutoff_IsAfterCutoff()
    {
        Run("A1", 10, 1500, 3000, 4500, 12601);

        var finding = Audit([new(1, ["A1"])]).Athletes.Single();

        Assert.Equal(AthleteVerdict.AfterCutoff, finding.Verdict);
        Assert.Equal(["finish"], finding.AfterCutoffMats);
    }

    [Fact]
    public void AthleteNeverOnTheCourse_IsNotJudged()
    {
        Run("A1", 10, 1500, 3000, 4500, 6330);

        var result = Audit([new(1, ["A1"]), new(2, ["B2"])]);

        Assert.Single(result.Athletes);
    }

    [Fact]
    public void TwoAthletesChips_TravellingTogether_AreFlagged()
    {
        Run("A1", 10, 1500, 3000, 4500, 6330);
        Run("B2", 11, 1500.04, 3000.03, 4500.09, 6330.01);
        Run("C3", 20, 1500.05, 3300, 4900, 7000); // beside A1 at 5k only: a coincidence

        var result = Audit([new(1, ["A1"]), new(2, ["B2"]), new(3, ["C3"])]);

        var pair = Assert.Single(result.TwoChipPairs);
        Assert.Equal(("A1", "B2", 1, 2), (pair.ChipA, pair.ChipB, pair.BibA, pair.BibB));
        Assert.Equal(4, pair.MatsTogether);
        Assert.Equal(90_000, pair.LargestGapMicros);
    }

    [Fact]
    public void TwoChipsOfOneAthlete_AreNotAPair()
    {
        Run("A1", 10, 1500, 3000, 4500, 6330);
        Run("A2", 10, 1500.01, 3000.01, 4500.01, 6330.01);

        var result = Audit([new(1, ["A1", "A2"])]);

        Assert.Empty(result.TwoChipPairs);
        Assert.Equal(AthleteVerdict.Ranked, result.Athletes.Single().Verdict);
    }

    [Fact]
    public void ChipsMoreThan100MsApart_AreNotAPair()
    {
        Run("A1", 10, 1500, 3000, 4500, 6330);
        Run("B2", 11, 1500.101, 3000.101, 4500.101, 6330.101);

        Assert.Empty(Audit([new(1, ["A1"]), new(2, ["B2"])]).TwoChipPairs);
    }

    [Fact]
    public void TestTagsMarkersAndCheckIns_AreIgnored_UnknownChipsListed()
    {
        Run("A1", 10, 1500, 3000, 4500, 6330);
        _passings.Add(new(3, ++_sequence, "TEST", Gun + (2000 * S), PassingKind.Crossing, PassingFlags.TestTag));
        _passings.Add(new(2, ++_sequence, string.Empty, Gun, PassingKind.GunStart, PassingFlags.None));
        _passings.Add(new(1, ++_sequence, "A1", Gun + (2 * 3600 * S), PassingKind.Crossing, PassingFlags.None));
        _passings.Add(new(4, ++_sequence, "FFFF", Gun + (3000 * S), PassingKind.Crossing, PassingFlags.None));

        var result = Audit([new(1, ["A1"])]);

        Assert.Equal(AthleteVerdict.Ranked, result.Athletes.Single().Verdict);
        Assert.Equal(["FFFF"], result.UnknownChips);
    }

    private AuditResult Audit(AuditAthlete[] athletes) => RaceRulesAudit.Run(s_mats, athletes, _passings);

    private void Run(string chip, params double?[] secondsAfterGun)
    {
        for (var i = 0; i < secondsAfterGun.Length; i++)
        {
            if (secondsAfterGun[i] is { } s)
            {
                _passings.Add(new(i + 2, ++_sequence, chip, Gun + (long)Math.Round(s * S), PassingKind.Crossing, PassingFlags.None));
            }
        }
    }
}
