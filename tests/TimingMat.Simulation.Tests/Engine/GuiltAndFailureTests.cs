using TimingMat.Collector;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Scenarios;
using Xunit;

namespace TimingMat.Simulation.Tests.Engine;

/// <summary>The report against the truth: who the system failed and why, the physics beside each mat's error, and backup lines.</summary>
public class GuiltAndFailureTests
{
    // The split's main line without power for a busy minute, the finish's reader silent for 20 s. Then the same with
    // a backup line at the split and at the finish (two modules there: one M6e antenna does not cover the whole mat).
    private static readonly Lazy<(SimulationReport Plain, SimulationReport Backed)> s_runs = new(() =>
    {
        const string faults = """
            [
              { "kind": "power_cut", "mat": "2.5k", "at": "09:13:00", "for_s": 60 },
              { "kind": "reader_silence", "mat": "finish", "at": "09:24", "for_s": 20 }
            ]
            """;
        var plain = FunRun.Text(400, faults, 0.02, 7);
        var backed = plain
            .Replace("\"cutoff\": \"09:50\", \"reader\": { \"type\": \"r2000\", \"reads_per_s\": 430 } }", "\"cutoff\": \"09:50\", \"reader\": { \"type\": \"r2000\", \"reads_per_s\": 430 }, \"backup\": { \"offset_m\": 3 } }", StringComparison.Ordinal)
            .Replace("\"cutoff\": \"09:58\", \"reader\": { \"type\": \"m6e\", \"reads_per_s\": 190 } }", "\"cutoff\": \"09:58\", \"reader\": { \"type\": \"m6e\", \"reads_per_s\": 190 }, \"backup\": { \"offset_m\": 3, \"reader\": { \"type\": \"m6e\", \"reads_per_s\": 190, \"modules\": 2 } } }", StringComparison.Ordinal);
        Assert.NotEqual(plain, backed);
        return (Run(plain, "plain.json"), Run(backed, "backed.json"));
    });

    [Fact]
    public void EveryRunner_IsAccountedFor_AgainstTheTruth()
    {
        foreach (var r in new[] { s_runs.Value.Plain, s_runs.Value.Backed })
        {
            var t = r.AthletesTruth;
            Assert.Equal(r.Runners, t.Finished + t.DroppedOut + t.SkippedMat + t.LateAtCutoff);
            Assert.Equal(t.Finished, t.FinishedRanked + t.Wrongly.Total);
            Assert.Equal(t.Wrongly.Total, t.Wrongly.MissingMat + t.Wrongly.OutOfSequence + t.Wrongly.AfterCutoff + t.Wrongly.NotSeen);
            Assert.True(t.DroppedOut > 0 && t.SkippedMat > 0, "the fun run has dropouts and skippers");
            Assert.Equal(0, t.SkippedMatRanked);

            // The audit ranks the finishers it ranked and at most the carried chips besides (the two-chip rule flags those).
            Assert.InRange(r.Athletes.Ranked, t.FinishedRanked, t.FinishedRanked + t.CarriedChips);
            Assert.Equal(r.PassingsNeverRead, r.NeverReadByCause.Total);
            Assert.Equal(r.NeverReadByCause.Total, r.MatDetails.Sum(m => m.NeverRead.Total));
        }
    }

    [Fact]
    public void WithoutABackupLine_ThePowerCut_UnranksInnocentRunners_AndTheReportSaysWhyAndPutsThemBeforeTheReferee()
    {
        var r = s_runs.Value.Plain;
        var split = r.MatDetails.Single(m => m.Name == "2.5k");

        Assert.True(split.NeverRead.PowerCut >= 5, $"only {split.NeverRead.PowerCut} crossings lost to the cut");
        Assert.True(r.AthletesTruth.Wrongly.MissingMat >= split.NeverRead.PowerCut - 2, $"{r.AthletesTruth.Wrongly.MissingMat} wrongly unranked");
        var victim = r.WronglyUnranked.First(w => w.Mats.Any(m => m.What == "power_cut"));
        Assert.Equal("missing_mat", victim.Verdict);
        Assert.Equal(("2.5k", 0, (string?)null), (victim.Mats[0].Mat, victim.Mats[0].Reads, victim.Mats[0].BackupLine));

        // A known fault, the mat missing the runners around them, and their pace: the referee sees them all.
        Assert.True(victim.OnRefereeList);
        Assert.Equal(r.AthletesTruth.Wrongly.Total, r.AthletesTruth.Wrongly.OnRefereeList);
        Assert.True(r.Referee.MatFault >= r.Referee.Innocent - 3);
        Assert.Equal(r.Referee.Cases, r.Referee.Innocent + r.Referee.WalkedRound + r.Referee.DroppedOut + r.Referee.Other);
        var evidence = r.RefereeCases.First(c => c.Bib == victim.Bib).Points.SelectMany(p => p.Evidence).ToList();
        Assert.Contains(evidence, e => e.StartsWith("mat_fault: 2.5k had a known fault", StringComparison.Ordinal) && e.Contains("power cut on unit 3 (2.5k)", StringComparison.Ordinal));
    }

    [Fact]
    public void WithABackupLine_TheSameFaults_UnrankNobody_AndThePointRecordsEveryCrossing()
    {
        var r = s_runs.Value.Backed;

        Assert.Equal(0, r.PassingsLost);
        Assert.Equal(0, r.AthletesTruth.Wrongly.Total);
        Assert.Equal(r.AthletesTruth.Finished, r.AthletesTruth.FinishedRanked);
        var split = r.TimingPoints.Single(p => p.Name == "2.5k");
        Assert.Equal([3, 5], split.Units);
        Assert.Equal(split.Crossings, split.Recorded);
        Assert.True(split.BackupOnly >= r.MatDetails.Single(m => m.Name == "2.5k").NeverRead.PowerCut, $"{split.BackupOnly} saved by the backup line");
        Assert.Equal(split.Recorded, split.BothLines + split.MainLineOnly + split.BackupOnly);

        // The merged time stays close to the main line's: where both read, it is the main line's own; the crossings
        // only the backup read (a fifth of them here, the power cut's) are moved at the runner's pace over the split.
        var main = r.MatDetails.Single(m => m.Name == "2.5k");
        Assert.InRange(split.ErrorMs.P50, 0, main.CrossingErrorP50Ms * 1.5);
        Assert.InRange(split.ErrorMs.P99, 0, main.CrossingErrorP99Ms * 1.5);
        Assert.InRange(split.BiasMs, -5, 5);

        // The backup unit is a mat of its own in the report, timed against its own line's truth.
        var backup = r.MatDetails.Single(m => m.Name == "2.5k-backup");
        Assert.Equal(5, backup.Unit);
        Assert.InRange(backup.CrossingErrorP50Ms, 0, 20);
        Assert.InRange(backup.CrossingBiasMs, -5, 5);
    }

    [Fact]
    public void EveryMat_ShowsTheBoundBesideItsError_AndItsReadBudget()
    {
        var r = s_runs.Value.Backed;

        foreach (var m in r.MatDetails)
        {
            Assert.NotNull(m.CrossingBoundMs);
            Assert.True(m.CrossingBoundMs.Crossings > 100, m.Name);
            Assert.InRange(m.CrossingBoundMs.P50, 0.5 * m.CrossingErrorP50Ms, 1.3 * m.CrossingErrorP50Ms);
            var budget = m.ReadBudget!;
            Assert.Equal(m.Name switch { "checkin" or "finish" => 190, "finish-backup" => 380, _ => 430 }, budget.CapacityReadsPerS);
            Assert.InRange(budget.DeliveredReadsPerS, 1, budget.CapacityReadsPerS * 1.05);
            Assert.True(budget.OfferedReadsPerS >= budget.DeliveredReadsPerS, m.Name);
            Assert.True(budget.ReadsPerCrossingP50 >= budget.ReadsPerCrossingP5, m.Name);
        }

        // The course mats sit at their bound; the ratio is what the crew reads.
        var split = r.MatDetails.Single(m => m.Name == "2.5k");
        Assert.InRange(split.P99OverBound!.Value, 0.7, 1.5);
        Assert.Equal(Math.Round(split.CrossingErrorP99Ms / split.CrossingBoundMs!.P99!.Value, 2), split.P99OverBound);

        // One M6e module with one antenna across a 5 m check-in mat cannot reach its edges.
        var checkIn = r.MatDetails.Single(m => m.Name == "checkin");
        Assert.True(checkIn.NeverRead.OutOfReach > 0, "chips at the check-in's edges are out of reach");
        Assert.Equal("wider_cover", checkIn.ReadBudget!.Advice);
    }

    [Fact]
    public void TheCollector_KeepsTheMergedCrossings_AsTheAuditMergesThem()
    {
        var db = Path.Combine(Path.GetTempPath(), $"tm-backed-{Guid.NewGuid():N}.db");
        try
        {
            var scenario = ScenarioLoader.Parse(FunRun.Text(120, "[]", 0, 3).Replace("\"cutoff\": \"09:58\", \"reader\": { \"type\": \"m6e\", \"reads_per_s\": 190 } }", "\"cutoff\": \"09:58\", \"reader\": { \"type\": \"m6e\", \"reads_per_s\": 190 }, \"backup\": { \"offset_m\": -2 } }", StringComparison.Ordinal), "backed.json");
            var r = new RaceEngine(scenario, new SimulationOptions { DatabasePath = db }).Run();

            using var store = PassingStore.Open(db);
            var finish = store.ReadCrossings("finish");
            var point = r.TimingPoints.Single(p => p.Name == "finish");
            Assert.Equal(point.Recorded, finish.Count);
            Assert.Equal(point.BothLines, finish.Count(c => c.LinesRead == 2));
            Assert.Equal(Collector.Courses.CourseFile.Write(ScenarioCourse.From(scenario)), store.ReadCourse());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { db, db + "-wal", db + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    private static SimulationReport Run(string text, string name) => new RaceEngine(ScenarioLoader.Parse(text, name), new SimulationOptions()).Run();
}
