using TimingMat.Core.Lora;
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
    public void BrokerThatNeverComesBack_WithoutRadios_LeavesPassingsUndelivered_AndTheReportSaysSo()
    {
        const string faults = """[ { "kind": "broker_restart", "at": "08:59", "for_s": 7200 } ]""";
        var scenario = FunRun.Load(runners: 80, faults: faults, lora: "\"lora\": { \"fitted\": false },");

        var r = new RaceEngine(scenario, new SimulationOptions()).Run();

        Assert.True(r.PassingsLost > 0, "passings still in the journals when the run ends must count as lost");
        Assert.True(r.PassingsRecorded > r.PassingsDelivered);
        Assert.NotEmpty(r.LostCrossings);

        // With the boards' radios, every mat still timing falls back to LoRa and the race is saved (the check-in
        // closed at 08:58 and had delivered everything over MQTT).
        var saved = new RaceEngine(FunRun.Load(runners: 80, faults: faults), new SimulationOptions()).Run();
        Assert.Equal(0, saved.PassingsLost);
        Assert.Equal(3, saved.Lora!.MatsTransmitting);
        var checkIn = saved.MatDetails.Single(m => m.Name == "checkin");
        Assert.Equal(saved.PassingsDelivered - checkIn.Delivered + 1, saved.Lora.PassingsDelivered); // + the 09:00 gun marker
    }

    [Fact]
    public void LoraOnlyMat_DeliversEveryPassingOverLoRa_AndNothingIsLost()
    {
        var r = new RaceEngine(FunRun.Load(runners: 200, faults: """[ { "kind": "lora_only", "mat": "finish" } ]"""), new SimulationOptions()).Run();
        var finish = r.MatDetails.Single(m => m.Name == "finish");

        Assert.Equal(0, r.PassingsLost);
        Assert.Equal(r.PassingsRecorded, r.PassingsDelivered);
        Assert.NotNull(r.Lora);
        Assert.Equal(1, r.Lora.MatsTransmitting);
        Assert.True(finish.Delivered > 150, $"only {finish.Delivered} finish passings");
        Assert.Equal(finish.Delivered, r.Lora.PassingsDelivered);
        Assert.Equal(0, r.Lora.UnresolvedChips);
        Assert.True(r.Lora.PacketsReceived * LoRaPassingPacket.MaxRecords >= finish.Delivered, $"{r.Lora.PacketsReceived} packets for {finish.Delivered} passings");
        Assert.Equal(0, r.Lora.PacketsRefused);

        // LoRa carries ms, the journal µs: the finish is timed as well as over MQTT, give or take a millisecond.
        Assert.InRange(finish.CrossingErrorP50Ms, 0, 20);
        Assert.InRange(r.Lora.DeliveryLatencyMs.P50, 0, 30_000);
    }

    [Fact]
    public void UplinkOutage_FallsBackToLoRa_UntilMqttReturns()
    {
        var r = s_allFaults.Value;

        Assert.NotNull(r.Lora);
        Assert.Equal(1, r.Lora.MatsTransmitting);
        Assert.True(r.Lora.PassingsDelivered > 0, "the split's five-minute outage must go over LoRa after 30 s");
        Assert.True(r.Lora.PassingsDelivered < r.MatDetails.Single(m => m.Name == "2.5k").Delivered, "MQTT carries the rest once it is back");
        Assert.True(r.Lora.AirtimeSeconds > 0);
    }

    [Fact]
    public void AStartMatWithFourReaderModules_TimesCloserThanOneModule_AndLosesNothing()
    {
        // The same start mat read by one four-port module, then by four one-port modules on their own UARTs into one unit.
        const string one = "\"name\": \"start\", \"role\": \"start\", \"km\": 0, \"cutoff\": \"09:20\", \"reader\": { \"type\": \"r2000\", \"reads_per_s\": 430 }";
        var four = one.Replace("\"reads_per_s\": 430 }", "\"reads_per_s\": 430, \"antennas\": 1, \"modules\": 4 }", StringComparison.Ordinal);
        var text = FunRun.Text(300, "[ { \"kind\": \"reader_silence\", \"mat\": \"start\", \"at\": \"09:00:10\", \"for_s\": 5 } ]", 0, 7);
        Assert.Contains(one, text, StringComparison.Ordinal);

        var single = new RaceEngine(ScenarioLoader.Parse(text, "one.json"), new SimulationOptions()).Run();
        var multi = new RaceEngine(ScenarioLoader.Parse(text.Replace(one, four, StringComparison.Ordinal), "four.json"), new SimulationOptions()).Run();

        var a = single.MatDetails.Single(m => m.Name == "start");
        var b = multi.MatDetails.Single(m => m.Name == "start");
        Assert.Equal(0, multi.PassingsLost);
        Assert.Equal(0, multi.DuplicatesDelivered);
        Assert.Equal(a.Delivered, b.Delivered, tolerance: 3);
        Assert.True(b.ReadsReported > 3 * a.ReadsReported, $"reads reported: one module {a.ReadsReported}, four {b.ReadsReported}");
        Assert.True(b.CrossingErrorP50Ms < a.CrossingErrorP50Ms * 0.75, $"p50 one module {a.CrossingErrorP50Ms} ms, four {b.CrossingErrorP50Ms} ms");

        // The silence hangs every module on the mat; each driver restarts its own.
        Assert.InRange(b.ReaderRestarts, 4, 8);
        Assert.InRange(a.ReaderRestarts, 1, 2);

        // The other mats are untouched by the change.
        Assert.Equal(single.MatDetails.Single(m => m.Name == "finish"), multi.MatDetails.Single(m => m.Name == "finish"));
    }

    [Fact]
    public void WithoutRadios_TheOutageWaitsForMqtt_AndLoRaOnlyIsRefused()
    {
        const string noRadio = "\"lora\": { \"fitted\": false },";
        var r = new RaceEngine(FunRun.Load(runners: 80, faults: """[ { "kind": "uplink_outage", "mat": "2.5k", "at": "09:10", "for_s": 300 } ]""", lora: noRadio), new SimulationOptions()).Run();

        Assert.Null(r.Lora);
        Assert.Equal(0, r.PassingsLost);

        var scenario = FunRun.Load(runners: 10, faults: """[ { "kind": "lora_only", "mat": "finish" } ]""", lora: noRadio);
        var error = Assert.Throws<ScenarioException>(() => new RaceEngine(scenario, new SimulationOptions()));
        Assert.Contains("$.lora.fitted", error.Message, StringComparison.Ordinal);
        Assert.Contains("finish", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoLoRaOnlyMats_OnALossyChannel_ResendAndLoseNothing_Reproducibly()
    {
        var scenario = FunRun.Load(
            runners: 150,
            faults: """[ { "kind": "lora_only", "mat": "2.5k" }, { "kind": "lora_only", "mat": "finish" } ]""",
            lora: "\"lora\": { \"packet_loss\": 0.2 },");

        var first = new RaceEngine(scenario, new SimulationOptions()).Run();
        var again = new RaceEngine(scenario, new SimulationOptions { Parallelism = 1 }).Run();

        Assert.Equal(0, first.PassingsLost);
        Assert.NotNull(first.Lora);
        Assert.Equal(2, first.Lora.MatsTransmitting);
        Assert.True(first.Lora.Unanswered > 0, "a 20 % lossy channel must cost re-sends");
        Assert.True(first.Lora.Losses > 0);
        Assert.Equal(first with { WallSeconds = 0 }, again with { WallSeconds = 0 }, new ReportComparer());
    }

    private sealed class ReportComparer : IEqualityComparer<SimulationReport>
    {
        public bool Equals(SimulationReport? x, SimulationReport? y) =>
            System.Text.Json.JsonSerializer.Serialize(x) == System.Text.Json.JsonSerializer.Serialize(y);

        public int GetHashCode(SimulationReport obj) => 0;
    }
}
