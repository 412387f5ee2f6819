using TimingMat.Collector.Courses;
using TimingMat.Core.Passings;
using TimingMat.Core.RaceDay;
using TimingMat.Collector.Audit;
using Xunit;

namespace TimingMat.Simulation.Tests;

public class RaceRulesAuditTests
{
    private const long S = 1_000_000;
    private static readonly long Gun = 1_790_000_000L * S;

    // Unit 1 check-in, 2 start (backup line unit 7, 3 m after it), 3 5k, 4 10k, 5 15k, 6 finish.
    private static readonly Course s_course = new("test",
    [
        Point("checkin", UnitRole.CheckIn, 0, Gun, 1),
        new TimingPoint("start", UnitRole.Start, 0, null, Gun + (3600 * S), [new CourseLine(1, 0, [2]), new CourseLine(2, 3, [7])]),
        Point("5k", UnitRole.Split, 5, Gun + (7200 * S), 3),
        Point("10k", UnitRole.Split, 10, Gun + (9000 * S), 4),
        Point("15k", UnitRole.Split, 15, Gun + (10800 * S), 5),
        Point("finish", UnitRole.Finish, 21.1, Gun + (12600 * S), 6),
    ]);

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

    [Fact]
    public void ABackupLine_GivesTheCrossingLineOneMissed_AndBothLinesCountOnce()
    {
        Run("A1", null, 1500, 3000, 4500, 6330);
        _passings.Add(new(7, ++_sequence, "A1", Gun + (11_500_000), PassingKind.Crossing, PassingFlags.None, Hits: 12));
        Run("B2", 20, 1600, 3200, 4800, 6800);
        _passings.Add(new(7, ++_sequence, "B2", Gun + (21_500_000), PassingKind.Crossing, PassingFlags.None, Hits: 40));

        var result = Audit([new(1, ["A1"]), new(2, ["B2"])]);

        Assert.All(result.Athletes, a => Assert.Equal(AthleteVerdict.Ranked, a.Verdict));

        // A1: only the backup line, moved 3 m back at a jogging start's 2 m/s; B2: both lines, timed at line 1.
        Assert.Equal((6330 * S) - (11_500_000 - 1_500_000), result.Athletes.Single(a => a.Bib == 1).NetTimeMicros);
        Assert.Equal((6800 - 20) * S, result.Athletes.Single(a => a.Bib == 2).NetTimeMicros);
        Assert.Equal(2, result.Crossings.Count(c => c.TimingPoint == "start"));
        Assert.Empty(result.RefereeCases);
    }

    [Fact]
    public void WhenBackupLinesOnlyCountAsEvidence_ABackupRead_SendsTheAthleteToTheReferee()
    {
        Run("A1", null, 1500, 3000, 4500, 6330);
        _passings.Add(new(7, ++_sequence, "A1", Gun + (11_500_000), PassingKind.Crossing, PassingFlags.None, Hits: 12));

        var finding = Audit([new(1, ["A1"])], new AuditOptions(BackupLinesDecide: false)).Athletes.Single();

        Assert.Equal(AthleteVerdict.MissingMat, finding.Verdict);
        var evidence = Assert.Single(Assert.Single(finding.Referee!.Gaps).Evidence, e => e.Kind == "backup_line");
        Assert.Contains("start's backup line (unit 7) read the chip at ", evidence.Detail, StringComparison.Ordinal);
        Assert.Contains("(12 reads)", evidence.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void OneSplitMissing_WithAPaceLikeTheirOwn_GoesToTheReferee_WithTheWindowTheyWereDue()
    {
        Run("A1", 10, 1510, null, 4510, 6340);

        var finding = Audit([new(1, ["A1"])]).Athletes.Single();

        Assert.Equal(AthleteVerdict.MissingMat, finding.Verdict);
        var referee = Assert.Single(finding.Referee!.Gaps);
        Assert.Equal("10k", referee.TimingPoint);

        // 5k at 1510 s, 15k at 4510 s: 300 s/km, so 10k at 3010 s ± 20 % of the 1500 s from the 5k.
        Assert.Equal(Gun + (3010 * S) - (300 * S), referee.ExpectedFromUtcMicros);
        Assert.Equal(Gun + (3010 * S) + (300 * S), referee.ExpectedToUtcMicros);
        var pace = Assert.Single(referee.Evidence);
        Assert.Equal("pace", pace.Kind);
        Assert.Equal("5:00 min/km from 5k to 15k across 10k, 5:00 min/km over the rest of the race", pace.Detail);
    }

    [Fact]
    public void AKnownFaultAtThePoint_AndAPointThatMissedManyAroundThem_AreEvidence()
    {
        // Ten runners a few seconds apart; the 10k misses six of them within a minute, as a silent reader would.
        for (var i = 0; i < 10; i++)
        {
            Run($"R{i}", 10 + i, 1500 + (3 * i), i < 6 ? null : 3000 + (3 * i), 4500 + (3 * i), 6330 + (3 * i));
        }

        // And a hundred more through the day, all read: the 10k's misses are concentrated in that minute.
        for (var i = 0; i < 100; i++)
        {
            Run($"L{i}", 40 + i, 1600 + (20 * i), 3200 + (20 * i), 4800 + (20 * i), 6800 + (20 * i));
        }

        var athletes = Enumerable.Range(0, 10).Select(i => new AuditAthlete(i + 1, [$"R{i}"])).Concat(Enumerable.Range(0, 100).Select(i => new AuditAthlete(100 + i, [$"L{i}"]))).ToArray();
        var fault = new KnownFault("10k", Gun + (2990 * S), Gun + (3020 * S), "reader silent on unit 4");

        var result = Audit(athletes, faults: [fault]);

        var cases = result.RefereeCases.ToList();
        Assert.Equal(Enumerable.Range(1, 6), cases.Select(c => c.Bib));
        Assert.All(cases, c => Assert.Equal(["mat_fault", "mat_gap", "mat_rate", "pace"], Assert.Single(c.Gaps).Evidence.Select(e => e.Kind)));
        var evidence = cases[0].Gaps[0].Evidence;
        Assert.Equal("10k has no crossing of 5.45 % of the runners who went on past it, the other points of 0.0 %: the point misses runners", evidence[2].Detail);
        Assert.Contains("10k had a known fault from ", evidence[0].Detail, StringComparison.Ordinal);
        Assert.Contains("reader silent on unit 4", evidence[0].Detail, StringComparison.Ordinal);
        Assert.Contains("10k has no crossing of 5 of the 9 runners due there within a minute of this athlete, where it missed 0.0 % of the others", evidence[1].Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void ClearCases_AreNotSentToTheReferee()
    {
        Run("TWO", 10, 1500, null, null, 6330);                 // two points missing: left the course
        Run("DNF", 11, 1500, 3000, 4500, null);                 // no finish and nothing for it: dropped out
        Run("FAST", 12, 1500, null, 1900, 6330);                // 5k to 15k in 400 s: not their pace
        Run("ODD", 13, 1500, 3000, null, 2900);                 // missing and out of order

        var result = Audit([new(1, ["TWO"]), new(2, ["DNF"]), new(3, ["FAST"]), new(4, ["ODD"])]);

        Assert.All(result.Athletes, a => Assert.Equal(AthleteVerdict.MissingMat, a.Verdict));
        Assert.Empty(result.RefereeCases);

        // A finish with a known fault at the time the athlete was due there is a case after all.
        var fault = new KnownFault("finish", Gun + (6000 * S), Gun + (6100 * S), "power cut on unit 6");
        Assert.Equal([2], Audit([new(2, ["DNF"])], faults: [fault]).RefereeCases.Select(c => c.Bib));
    }

    private static TimingPoint Point(string name, UnitRole role, double km, long cutoff, int unit) => new(name, role, km, null, cutoff, [new CourseLine(1, 0, [unit])]);

    private AuditResult Audit(AuditAthlete[] athletes, AuditOptions? options = null, IReadOnlyList<KnownFault>? faults = null) => RaceRulesAudit.Run(s_course, athletes, _passings, options, faults);

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
