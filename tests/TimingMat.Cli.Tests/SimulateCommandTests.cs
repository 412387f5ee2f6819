using System.Text.Json;
using TimingMat.Simulation.Scenarios;
using Xunit;

namespace TimingMat.Cli.Tests;

public class SimulateCommandTests(SimulateCommandTests.FunRunReport fun) : IClassFixture<SimulateCommandTests.FunRunReport>
{
    private readonly FunRunReport _fun = fun;

    // The keys the issue fixes for the JSON report (more may follow them).
    private static readonly string[] IssueKeys =
    [
        "scenario", "seed", "runners", "mats", "reads_generated", "passings_expected", "passings_recorded", "passings_delivered",
        "passings_lost", "duplicates_delivered", "crossing_error_ms", "clock_error_ms", "athletes", "two_chip_pairs",
        "faults_injected", "wall_seconds",
    ];

    [Fact]
    public void Simulate_Json_HasTheIssueKeysFirst_AndHonoursSeedAndRunners()
    {
        var (code, stdout, _) = CliRunner.InProcess("simulate", "--scenario", "fun", "--runners", "150", "--seed", "5", "--json");

        Assert.Equal(0, code);
        using var report = JsonDocument.Parse(stdout);
        var keys = report.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(IssueKeys, keys.Take(IssueKeys.Length));
        Assert.Equal(5, report.RootElement.GetProperty("seed").GetInt32());
        Assert.Equal(150, report.RootElement.GetProperty("runners").GetInt32());
        foreach (var figures in new[] { "crossing_error_ms", "clock_error_ms" })
        {
            Assert.Equal(["p50", "p99", "max"], report.RootElement.GetProperty(figures).EnumerateObject().Select(p => p.Name));
        }

        Assert.Equal(["ranked", "unranked_missing_mat", "out_of_sequence", "after_cutoff"], report.RootElement.GetProperty("athletes").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["injected", "flagged", "missed", "false_flags"], report.RootElement.GetProperty("two_chip_pairs").EnumerateObject().Select(p => p.Name));

        // Issue 15's keys follow the earlier ones.
        var keys15 = new[] { "athletes_truth", "never_read_by_cause", "wrongly_unranked", "timing_points", "referee", "referee_cases", "two_chip_missed" };
        Assert.Equal(keys15, keys.Skip(keys.Count - keys15.Length));
        Assert.Equal(["finished", "finished_ranked", "dropped_out", "skipped_mat", "skipped_mat_ranked", "late_at_cutoff", "late_at_cutoff_ranked", "wrongly", "carried_chips"], report.RootElement.GetProperty("athletes_truth").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["total", "covered_tag", "out_of_reach", "reader_capacity", "reader_silence", "power_cut"], report.RootElement.GetProperty("never_read_by_cause").EnumerateObject().Select(p => p.Name));
        var mat = report.RootElement.GetProperty("mat_details")[1];
        Assert.Equal("start", mat.GetProperty("name").GetString());
        foreach (var key in new[] { "crossing_bias_ms", "crossing_bound_ms", "p99_over_bound", "never_read", "read_budget" })
        {
            Assert.True(mat.TryGetProperty(key, out _), key);
        }

        Assert.Equal(["capacity_reads_per_s", "busiest_minute_utc", "crossings_per_s", "offered_reads_per_s", "delivered_reads_per_s", "reads_per_crossing_p50", "reads_per_crossing_p5", "advice"], mat.GetProperty("read_budget").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1720, mat.GetProperty("read_budget").GetProperty("capacity_reads_per_s").GetDouble());
    }

    [Fact]
    public void Simulate_ScenarioFile_WithAMistake_ExitsScenarioInvalid_NamingThePath()
    {
        var text = ScenarioLoader.BuiltInText("half").Replace("\"reads_per_s\": 430, \"antennas\": 4", "\"reads_per_s\": 430, \"antenas\": 4", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"tm-scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text);
        try
        {
            var (code, _, stderr) = CliRunner.InProcess("simulate", "--scenario", path);

            Assert.Equal(50, code);
            Assert.Contains("antenas", stderr, StringComparison.Ordinal);
            Assert.Contains("$.course.mats[", stderr, StringComparison.Ordinal);
            Assert.Contains("antennas", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Simulate_ABrokerThatNeverReturns_ExitsPassingsLost_WithTheReportWritten_AndWideShowsEveryColumn()
    {
        // The broker goes down before the gun and stays down, and the mats have no LoRa radio to fall back on: every
        // later passing stays in the journals.
        var text = ScenarioLoader.BuiltInText("fun");
        var faults = text.IndexOf("\"faults\"", StringComparison.Ordinal);
        text = text[..faults] + """ "lora": { "fitted": false }, "faults": [ { "kind": "broker_restart", "at": "08:50", "for_s": 36000 } ] }""";
        var path = Path.Combine(Path.GetTempPath(), $"tm-scenario-{Guid.NewGuid():N}.json");
        var json = path + ".report.json";
        File.WriteAllText(path, text);
        try
        {
            var (code, stdout, stderr) = CliRunner.InProcess("simulate", "--scenario", path, "--runners", "60", "--json", json, "--wide");

            Assert.Equal(51, code);
            Assert.Contains("have no delivered passing", stderr, StringComparison.Ordinal);
            using var report = JsonDocument.Parse(File.ReadAllText(json));
            Assert.True(report.RootElement.GetProperty("passings_lost").GetInt64() > 0);
            var r = report.RootElement;
            // Nearly every journaled passing that never left is a lost crossing (a crossing split in two counts once).
            var undelivered = r.GetProperty("passings_recorded").GetInt64() - r.GetProperty("passings_delivered").GetInt64();
            Assert.InRange(r.GetProperty("passings_lost").GetInt64(), undelivered * 95 / 100, undelivered);
            Assert.All(r.GetProperty("mat_details").EnumerateArray().Where(m => !m.GetProperty("name").GetString()!.StartsWith("checkin", StringComparison.Ordinal)), m => Assert.Equal(0, m.GetProperty("delivered").GetInt64()));

            // The report is written before the exit; the wide view (asked of this run to spare the suite another race)
            // has every column, too wide for a terminal.
            Assert.Contains("restamped", stdout, StringComparison.Ordinal);
            Assert.Contains(stdout.Split('\n'), l => l.Length > 100);
        }
        finally
        {
            File.Delete(path);
            File.Delete(json);
        }
    }

    [Fact]
    public void Simulate_Db_KeepsTheCollectorsDatabase_WithEveryDeliveredPassing()
    {
        Assert.True(_fun.Code == 0, _fun.Error + _fun.Out);
        var report = _fun.Report;
        var delivered = report.GetProperty("passings_delivered").GetInt64() + report.GetProperty("markers_delivered").GetInt64();
        using (var store = TimingMat.Collector.PassingStore.Open(_fun.Db))
        {
            Assert.Equal(delivered, store.CountPassings());

            // The collector kept the timing points' lines merged: one crossing per chip and point, every point's.
            var points = report.GetProperty("timing_points").EnumerateArray().ToList();
            Assert.Equal(points.Sum(p => p.GetProperty("recorded").GetInt64()), store.CountCrossings(), tolerance: 2);
            Assert.NotNull(store.ReadCourse());
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var again = CliRunner.InProcess("simulate", "--scenario", "fun", "--runners", "80", "--db", _fun.Db);
        Assert.Equal(12, again.Code);
        Assert.Contains("exists already", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_CourseOut_WritesTheScenariosCourse_ForCollectAndTheAudit()
    {
        Assert.True(_fun.Code == 0, _fun.Error + _fun.Out);
        var course = TimingMat.Collector.Courses.CourseFile.Load(_fun.Course);
        Assert.Equal("fun", course.Name);
        Assert.Equal(["checkin", "start", "2.5k", "finish"], course.TimingPoints.Select(p => p.Name));
        var start = course.Point("start")!;
        Assert.Equal([2], start.Lines[0].Units);
        Assert.Equal([5], start.Lines[1].Units);
        Assert.Equal(3.0, start.Lines[1].OffsetM);
        Assert.Contains("point.2.cutoff = 2026-06-14T09:20:00+01:00", File.ReadAllText(_fun.Course), StringComparison.Ordinal);

        var bad = CliRunner.InProcess("simulate", "--runners", "5", "--course-out", Path.Combine(_fun.Course, "no", "such", "folder.cfg"));
        Assert.Equal(60, bad.Code);
        Assert.Contains("--course-out", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_TheReport_Fits100Columns_ListsEveryFaultWithItsEffect_AndShowsReadsOfferedAndReported()
    {
        var (code, stdout, stderr) = (_fun.Code, _fun.Out, _fun.Error);

        Assert.True(code == 0, stderr + stdout);
        AssertFitsATerminal(stdout);
        var r = _fun.Report;
        AssertReadsOfferedCoverReported(r, stdout);

        // Every fault of the timeline, in time order, with its local time, its mat and its effect.
        var faults = r.GetProperty("faults").EnumerateArray().ToList();
        Assert.Equal(r.GetProperty("faults_injected").GetInt32(), faults.Count);
        Assert.Equal(["gps_loss", "uplink_outage", "power_cut", "broker_restart", "reader_silence"], faults.Select(f => f.GetProperty("kind").GetString()));
        Assert.Equal(["09:05:00", "09:12:00", "09:13:30", "09:16:00", "09:24:00"], faults.Select(f => f.GetProperty("at_local").GetString()));
        Assert.Equal("2026-06-14T08:12:00.000Z", faults[1].GetProperty("at_utc").GetString());
        Assert.All(faults, f => Assert.Equal(0, f.GetProperty("lost").GetInt64()));

        // The GPS loss: the finish timed its runners on the clock in holdover.
        Assert.True(faults[0].GetProperty("timed_in_holdover").GetInt64() > 0);
        Assert.Contains("  09:05:00 finish GPS lost 15 min: ", stdout, StringComparison.Ordinal);

        // The uplink cut: every crossing it delivered left later from the journal or over LoRa.
        var outage = faults[1];
        Assert.True(outage.GetProperty("crossings").GetInt64() > 0);
        Assert.Equal(outage.GetProperty("delivered").GetInt64(), outage.GetProperty("held_in_journal").GetInt64() + outage.GetProperty("delivered_by_lora").GetInt64());
        Assert.Equal(outage.GetProperty("crossings").GetInt64(), outage.GetProperty("delivered").GetInt64() + outage.GetProperty("never_read").GetInt64());
        Assert.Contains(
            $"  09:12:00 2.5k uplink cut 5 min: {outage.GetProperty("crossings").GetInt64():N0} crossings, {outage.GetProperty("held_in_journal").GetInt64():N0} held in the journal",
            stdout.Replace("\n           ", " ", StringComparison.Ordinal),
            StringComparison.Ordinal);

        // The power cut: the mat was blind while off and booting, which never-read counts (not a loss).
        Assert.True(faults[2].GetProperty("never_read").GetInt64() > 0);
        Assert.Contains("  09:13:30 2.5k power cut 20 s: the unit rebooted; ", stdout, StringComparison.Ordinal);
        Assert.Null(faults[3].GetProperty("mat").GetString());
        Assert.Contains("  09:16:00 broker down 20 s: ", stdout, StringComparison.Ordinal);
        Assert.Contains("  09:24:00 finish reader silent 6 s: ", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, "simulate", "--scenario", "no-such-race.json")]
    [InlineData(12, "simulate", "--runners", "0")]
    [InlineData(12, "simulate", "--broker", "http://127.0.0.1:1883")]
    [InlineData(2, "simulate", "--runners", "many")]
    public void Simulate_BadArguments_ExitWithTheirCode_AndAFix(int expected, params string[] args)
    {
        var (code, _, stderr) = CliRunner.InProcess(args);

        Assert.Equal(expected, code);
        Assert.StartsWith($"error TM{expected} ", stderr, StringComparison.Ordinal);
        Assert.Contains("fix:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_BrokerNotListening_ExitsBrokerUnreachable()
    {
        var port = TimingMat.Mqtt.Broker.MosquittoProcess.FreeLoopbackPort();

        var (code, _, stderr) = CliRunner.InProcess("simulate", "--runners", "5", "--broker", $"mqtt://127.0.0.1:{port}");

        Assert.Equal(40, code);
        Assert.Contains($"mqtt://127.0.0.1:{port}", stderr, StringComparison.Ordinal);
        Assert.Contains("Connection refused", stderr, StringComparison.Ordinal);
    }

    // A 100-column terminal shows every line of the default report without wrapping.
    internal static void AssertFitsATerminal(string stdout)
    {
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.True(lines.Count > 40, stdout);
        Assert.All(lines, l => Assert.True(l.Length <= 100, $"{l.Length} columns: {l}"));
    }

    // The model offers reads, the modules report some to the firmware: never more, and the report shows both.
    internal static void AssertReadsOfferedCoverReported(JsonElement r, string stdout)
    {
        long offered = 0, reported = 0;
        foreach (var mat in r.GetProperty("mat_details").EnumerateArray())
        {
            var matOffered = mat.GetProperty("reads").GetInt64();
            var matReported = mat.GetProperty("reads_reported").GetInt64();
            Assert.InRange(matReported, 1, matOffered);
            Assert.Equal(matOffered - matReported, mat.GetProperty("reads_not_reported").GetInt64());
            offered += matOffered;
            reported += matReported;
        }

        Assert.Equal(r.GetProperty("reads_generated").GetInt64(), offered);
        Assert.Contains($"Reads: {offered:N0} offered by the chips, {reported:N0} reported to the firmware", stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// One run of the built-in fun run (300 runners, every kind of fault) with its JSON report, collector database and
    /// course file kept: the tests of the report, the database and the course only read it, so the suite simulates the
    /// race once instead of three times (about 10 s of a core each).
    /// </summary>
    public sealed class FunRunReport : IDisposable
    {
        private readonly TempFolder _dir = new("tm-fun-");
        private readonly JsonDocument? _report;

        public FunRunReport()
        {
            Db = _dir.PathOf("race.db");
            Course = _dir.PathOf("course.cfg");
            var json = _dir.PathOf("report.json");
            (Code, Out, Error) = CliRunner.InProcess("simulate", "--scenario", "fun", "--json", json, "--db", Db, "--course-out", Course);
            _report = File.Exists(json) ? JsonDocument.Parse(File.ReadAllText(json)) : null;
        }

        public int Code { get; }

        public string Out { get; }

        public string Error { get; }

        public string Db { get; }

        public string Course { get; }

        public JsonElement Report => _report?.RootElement ?? throw new InvalidOperationException("the fun run wrote no report: " + Error);

        public void Dispose()
        {
            _report?.Dispose();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            _dir.Dispose();
        }
    }
}
