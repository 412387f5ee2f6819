using TimingMat.Core.RaceDay;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scenarios;
using Xunit;

namespace TimingMat.Simulation.Tests;

public class RaceFieldTests
{
    private static readonly Scenario s_half = ScenarioLoader.LoadBuiltIn("half");
    private static readonly RaceField s_field = RaceField.Generate(s_half, seed: 1);

    [Fact]
    public void SameSeed_SameRace()
    {
        var again = RaceField.Generate(s_half, seed: 1, runnerCount: 500);
        var first = RaceField.Generate(s_half, seed: 1, runnerCount: 500);
        var other = RaceField.Generate(s_half, seed: 2, runnerCount: 500);

        Assert.Equal(first.CrossingsAt(9).Select(c => c.UtcMicros), again.CrossingsAt(9).Select(c => c.UtcMicros));
        Assert.NotEqual(first.CrossingsAt(9).Select(c => c.UtcMicros), other.CrossingsAt(9).Select(c => c.UtcMicros));
    }

    [Fact]
    public void EveryStarter_HasABib_AndCarriedChipsBelongToNonRunners()
    {
        Assert.Equal(8000, s_field.Runners.Count);
        Assert.Equal(s_field.Runners.Count + s_field.TwoChipCarriers, s_field.Athletes.Count);
        Assert.Equal(s_field.Athletes.Count, s_field.Athletes.Select(a => a.Bib).Distinct().Count());
        Assert.All(s_field.Runners.Where(r => r.Carried != null), r => Assert.False(r.Carried!.Runs));
        Assert.InRange(s_field.TwoChipCarriers, 5, 35); // 0.2 % of 8,000
    }

    [Fact]
    public void StartMat_FlowsAtTheScenarioRate()
    {
        var start = s_half.MatWithRole(UnitRole.Start)!;
        var wave1 = s_field.CrossingsAt(start.UnitId).Where(c => c.Runner.Athlete.Wave == 1 && !c.Runner.LateStart).ToList();

        var seconds = (wave1[^1].UtcMicros - wave1[0].UtcMicros) / 1e6;
        Assert.InRange(wave1.Count / seconds, 22, 28);
        Assert.True(wave1[0].UtcMicros > s_half.Waves[0].GunUtcMicros);
    }

    [Fact]
    public void Crossings_AreInTimeOrder_AndFollowTheCourse()
    {
        foreach (var mat in s_half.Mats)
        {
            var crossings = s_field.CrossingsAt(mat.UnitId);
            Assert.True(crossings.Zip(crossings.Skip(1)).All(p => p.First.UtcMicros <= p.Second.UtcMicros), mat.Name);
        }

        var runner = s_field.Runners.First(r => r.DropoutKm == null && r.SkippedUnitId == null);
        var times = s_half.TimingPoints.Where(m => m.Role != UnitRole.CheckIn).Select(m => runner.TimeAtKm(m.Km, s_half.DistanceKm)).ToList();
        Assert.True(times.Zip(times.Skip(1)).All(p => p.First < p.Second));
    }

    [Fact]
    public void Dropouts_AndSkippers_AreMissingWhereTheTruthSaysSo()
    {
        var dropout = s_field.Runners.First(r => r.DropoutKm is < 9);
        var skipper = s_field.Runners.First(r => r.SkippedUnitId != null);
        var tenK = s_half.Mats.Single(m => m.Name == "10k").UnitId;

        Assert.DoesNotContain(s_field.CrossingsAt(tenK), c => c.Runner == dropout);
        Assert.DoesNotContain(s_field.CrossingsAt(skipper.SkippedUnitId!.Value), c => c.Runner == skipper);
        Assert.Contains(s_field.CrossingsAt(s_half.MatWithRole(UnitRole.Finish)!.UnitId), c => c.Runner == skipper || skipper.DropoutKm != null);
    }

    [Fact]
    public void ABackupLine_SeesEveryRunnerOfItsMainLine_OffsetOverSpeedLater()
    {
        foreach (var backup in s_half.Mats.Where(m => m.Line == 2))
        {
            var main = s_field.CrossingsAt(s_half.Mats.Single(m => m.Name == backup.BackupOf).UnitId).ToDictionary(c => c.Runner.Athlete.Bib);
            var lines = s_field.CrossingsAt(backup.UnitId);

            Assert.Equal(main.Count, lines.Count);
            Assert.All(lines, c =>
            {
                var m = main[c.Runner.Athlete.Bib];
                Assert.Equal((backup.UnitId, m.SpeedMetersPerSecond), (c.UnitId, c.SpeedMetersPerSecond));
                Assert.Equal(m.UtcMicros + (long)Math.Round(3.0 / m.SpeedMetersPerSecond * 1e6), c.UtcMicros);
            });
        }

        // Adding backup lines leaves the main lines' truth as it was (the same draws in the same order).
        var plainText = System.Text.RegularExpressions.Regex.Replace(ScenarioLoader.BuiltInText("half"), @", ""backup"": \{ ""offset_m"": 3(, ""reader"": \{[^}]*\})? \}", string.Empty);
        var noBackups = ScenarioLoader.Parse(plainText, "plain.json");
        Assert.Equal(9, noBackups.Mats.Count);
        var plain = RaceField.Generate(noBackups, seed: 1);
        foreach (var mat in noBackups.Mats)
        {
            Assert.Equal(plain.CrossingsAt(mat.UnitId).Select(c => (c.Runner.Athlete.Bib, c.UtcMicros)), s_field.CrossingsAt(mat.UnitId).Select(c => (c.Runner.Athlete.Bib, c.UtcMicros)));
        }
    }

    [Fact]
    public void CheckIns_FallInsideTheirMatsWindow_ForTheRightCorrals()
    {
        foreach (var mat in s_half.Mats.Where(m => m.Role == UnitRole.CheckIn))
        {
            var crossings = s_field.CrossingsAt(mat.UnitId);
            Assert.NotEmpty(crossings);
            Assert.All(crossings, c => Assert.InRange(c.UtcMicros, mat.OpensUtcMicros, mat.CutoffUtcMicros));
            Assert.All(crossings, c => Assert.Contains(c.Runner.Athlete.Corral, mat.Corrals));
        }
    }

    [Fact]
    public void SomeSlowRunners_MissTheFinishCutoff()
    {
        var finish = s_half.MatWithRole(UnitRole.Finish)!;
        var late = s_field.CrossingsAt(finish.UnitId).Count(c => c.UtcMicros > finish.CutoffUtcMicros);

        Assert.InRange(late, 1, 400);
    }

    [Fact]
    public void Epc_CarriesTheBib()
    {
        Assert.Equal("544D00000000000000003039", Convert.ToHexString(RaceField.Epc(12345)));
    }
}
