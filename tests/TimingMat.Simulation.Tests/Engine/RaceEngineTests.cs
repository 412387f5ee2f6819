using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Scenarios;
using Xunit;

namespace TimingMat.Simulation.Tests.Engine;

public class RaceEngineTests
{
    private static readonly Lazy<SimulationReport> s_allFaults = new(() => new RaceEngine(FunRun.Load(), new SimulationOptions()).Run());

    [Fact]
    public void EveryFault_NothingLost_AndEveryPassingAccountedFor()
    {
        var r = s_allFaults.Value;

        Assert.Equal(5, r.FaultsInjected);
        Assert.Equal(0, r.PassingsLost);
        Assert.Equal(r.PassingsRecorded, r.PassingsDelivered);
        Assert.Equal(r.PassingsExpected, r.PassingsDelivered + r.PassingsNeverRead + r.PassingsLost);
        Assert.Equal(0, r.DuplicatesDelivered);
        Assert.Equal(0, r.PhantomPassings);
        Assert.Empty(r.LostCrossings);
        Assert.True(r.PassingsNeverRead < r.PassingsExpected / 20, $"{r.PassingsNeverRead} of {r.PassingsExpected} never read");
    }

    [Fact]
    public void Faults_ShowWhereTheyHit()
    {
        var r = s_allFaults.Value;
        var split = r.MatDetails.Single(m => m.Name == "2.5k");
        var finish = r.MatDetails.Single(m => m.Name == "finish");

        Assert.Equal(2, split.Boots);
        Assert.All(r.MatDetails.Where(m => m.Name != "2.5k"), m => Assert.Equal(1, m.Boots));
        Assert.True(finish.ReaderRestarts >= 1, "the silenced reader must have been restarted by the driver");
        Assert.All(r.MatDetails.Where(m => m.Name != "finish"), m => Assert.Equal(0, m.ReaderRestarts));
        Assert.Equal(4, r.Mats);
    }

    [Fact]
    public void Clocks_AgreeWithTrueUtc_AndCrossingsAreTimedAtThePeak()
    {
        var r = s_allFaults.Value;

        Assert.NotNull(r.ClockErrorMs);
        Assert.InRange(r.ClockErrorMs.P99, 0, 1.0);
        Assert.InRange(r.MatDetails.Single(m => m.Name == "2.5k").CrossingErrorP50Ms, 0, 20);
        Assert.InRange(r.CrossingErrorMs.P50, 0, 30);
        Assert.Equal(0, r.UnsyncedDelivered);
    }

    [Fact]
    public void TwoChipCarriers_AreFlaggedByTheAudit()
    {
        var r = s_allFaults.Value;

        Assert.True(r.TwoChipPairs.Injected >= 3, $"only {r.TwoChipPairs.Injected} carriers injected");
        Assert.InRange(r.TwoChipPairs.Flagged, r.TwoChipPairs.Injected - 1, r.TwoChipPairs.Injected);

        // With two non-start mats, two runners who run the whole race side by side look like one runner with two
        // chips; the audit flags them for review. The half marathon's seven non-start mats flag none.
        Assert.InRange(r.TwoChipFalseFlags, 0, 1);
    }

    [Fact]
    public void AuditCounts_CoverEveryAthleteOnTheCourse()
    {
        var r = s_allFaults.Value;
        var judged = r.Athletes.Ranked + r.Athletes.UnrankedMissingMat + r.Athletes.OutOfSequence + r.Athletes.AfterCutoff;

        Assert.InRange(judged, r.Runners, r.Runners + r.TwoChipPairs.Injected);
        // Dropouts and skippers miss mats, and so do the runners who pass the split while its power is cut (the fault
        // hits the split's busiest minute: the reader is off, those crossings are never read).
        var split = r.MatDetails.Single(m => m.Name == "2.5k");
        Assert.True(r.Athletes.UnrankedMissingMat >= r.Runners - split.Passings - 5, $"{r.Athletes.UnrankedMissingMat} missing a mat but the split saw only {split.Passings} of {r.Runners}");
        Assert.True(r.Athletes.Ranked > r.Runners * 0.75, $"{r.Athletes.Ranked} ranked of {r.Runners}");
    }

    [Fact]
    public void SameSeed_SameReport_OtherSeed_OtherRace()
    {
        var scenario = FunRun.Load(runners: 120, faults: "[]");
        var first = new RaceEngine(scenario, new SimulationOptions()).Run();
        var again = new RaceEngine(scenario, new SimulationOptions { Parallelism = 1 }).Run();
        var other = new RaceEngine(scenario, new SimulationOptions { Seed = 99 }).Run();

        Assert.Equal(first with { WallSeconds = 0 }, again with { WallSeconds = 0 }, new ReportComparer());
        Assert.NotEqual(first.ReadsGenerated, other.ReadsGenerated);
    }

    [Fact]
    public void BrokerThatNeverComesBack_LeavesPassingsUndelivered_AndTheReportSaysSo()
    {
        var scenario = FunRun.Load(runners: 80, faults: """[ { "kind": "broker_restart", "at": "08:59", "for_s": 7200 } ]""");

        var r = new RaceEngine(scenario, new SimulationOptions()).Run();

        Assert.True(r.PassingsLost > 0, "passings still in the journals when the run ends must count as lost");
        Assert.True(r.PassingsRecorded > r.PassingsDelivered);
        Assert.NotEmpty(r.LostCrossings);
    }

    [Fact]
    public void LoraOnlyMat_IsRefusedWithAClearReason()
    {
        var scenario = FunRun.Load(runners: 10, faults: """[ { "kind": "lora_only", "mat": "finish" } ]""");

        var error = Assert.Throws<ScenarioException>(() => new RaceEngine(scenario, new SimulationOptions()));

        Assert.Contains("LoRa", error.Message, StringComparison.Ordinal);
        Assert.Contains("finish", error.Message, StringComparison.Ordinal);
    }

    private sealed class ReportComparer : IEqualityComparer<SimulationReport>
    {
        public bool Equals(SimulationReport? x, SimulationReport? y) =>
            System.Text.Json.JsonSerializer.Serialize(x) == System.Text.Json.JsonSerializer.Serialize(y);

        public int GetHashCode(SimulationReport obj) => 0;
    }
}
