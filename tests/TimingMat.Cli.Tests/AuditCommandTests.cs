using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Xunit;

namespace TimingMat.Cli.Tests;

public class AuditCommandTests
{
    // A 5 km race small enough to simulate in seconds, with dropouts, skipped mats, a tight finish cut-off and
    // runners carrying a second chip, so every rule the audit checks has athletes to catch.
    private const string FiveK = """
        {
          "name": "five",
          "description": "5 km, 1 wave, 3 timing points",
          "date": "2026-10-04",
          "utc_offset": "+02:00",
          "seed": 3,
          "waves": [ { "number": 1, "gun": "08:00:00" } ],
          "corrals": [ { "name": "A", "wave": 1, "share": 1.0 } ],
          "course": {
            "distance_km": 5,
            "mats": [
              { "name": "start", "role": "start", "km": 0, "cutoff": "08:10", "reader": { "type": "r2000", "reads_per_s": 430 } },
              { "name": "2k", "role": "split", "km": 2, "cutoff": "08:30", "reader": { "type": "r2000", "reads_per_s": 430 } },
              { "name": "finish", "role": "finish", "km": 5, "cutoff": "08:40", "reader": { "type": "r2000", "reads_per_s": 430 } }
            ]
          },
          "runners": {
            "count": 60,
            "pace_s_per_km": { "median": 330, "spread": 0.25, "fastest": 170, "slowest": 660 },
            "start_rate_per_s": 5,
            "two_chips_share": 0.05,
            "bad_bib_share": 0.0,
            "dropout_share": 0.1,
            "skip_mat_share": 0.05,
            "late_start_share": 0.0,
            "checkin_share": 0.0
          },
          "gps": { "oscillator_ppm": 20, "wander_ppm": 0.5, "latency": "heavy" },
          "faults": []
        }
        """;

    [Fact]
    public void Audit_KnownRace_NamesEachRuleBroken_PerChip_AndExits70()
    {
        using var folder = new TempFolder("tm-audit-");
        var (db, course) = KnownRace.Write(folder);
        var before = Hash(db);

        var (code, stdout, stderr) = CliRunner.InProcess("audit", "--db", db, "--course", course);

        Assert.Equal(70, code);
        Assert.Contains("error TM70 rule-violations: 3 of 6 athlete(s) unranked, 1 two-chip pair(s).", stderr, StringComparison.Ordinal);
        Assert.Contains("fix:", stderr, StringComparison.Ordinal);
        Assert.Contains("  unranked                      3   missing mat 1, out of sequence 1, after cut-off 1", stdout, StringComparison.Ordinal);
        Assert.Contains($"  chip {KnownRace.Chip(2)}  missing mat: no crossing at 2k", stdout, StringComparison.Ordinal);
        Assert.Contains($"  chip {KnownRace.Chip(3)}  out of sequence: crossed finish no later than the course point before it", stdout, StringComparison.Ordinal);
        Assert.Contains($"  chip {KnownRace.Chip(4)}  after cut-off: passed finish after its cut-off", stdout, StringComparison.Ordinal);
        Assert.Contains($"  chip {KnownRace.Chip(5)} and chip {KnownRace.Chip(6)}: together at 2 of the 2 non-start point(s) both crossed, at most 60 ms apart", stdout, StringComparison.Ordinal);
        Assert.Contains("not judged: 1 passing(s) from units the course does not name", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(KnownRace.Chip(1), stdout, StringComparison.Ordinal);
        Assert.Equal(before, Hash(db));
    }

    [Fact]
    public void Audit_Json_CountsAndReasons()
    {
        using var folder = new TempFolder("tm-audit-");
        var (db, course) = KnownRace.Write(folder);

        var (code, stdout, _) = CliRunner.InProcess("audit", "--db", db, "--course", course, "--json");

        Assert.Equal(70, code);
        using var report = JsonDocument.Parse(stdout.Split('\n')[0]);
        var r = report.RootElement;
        Assert.Equal(6, r.GetProperty("athletes").GetInt32());
        Assert.Equal(3, r.GetProperty("ranked").GetInt32());
        Assert.Equal(1, r.GetProperty("unranked").GetProperty("out_of_sequence").GetInt32());
        var unranked = r.GetProperty("unranked_athletes").EnumerateArray().ToList();
        Assert.Equal([KnownRace.Chip(2), KnownRace.Chip(3), KnownRace.Chip(4)], unranked.Select(a => a.GetProperty("chip").GetString()));
        Assert.Equal(["missing_mat", "out_of_sequence", "after_cutoff"], unranked.Select(a => a.GetProperty("verdict").GetString()));
        Assert.Equal("finish", unranked[2].GetProperty("after_cutoff_mats")[0].GetString());
        var pair = r.GetProperty("two_chip_pairs")[0];
        Assert.Equal(KnownRace.Chip(5), pair.GetProperty("chip_a").GetString());
        Assert.Equal(60.0, pair.GetProperty("largest_gap_ms").GetDouble());
    }

    [Fact]
    public void Audit_OnTheDatabaseSimulateKept_AgreesWithTheSimulateReport()
    {
        using var folder = new TempFolder("tm-audit-sim-");
        var db = folder.PathOf("sim.db");
        var course = folder.PathOf("course.cfg");
        var scenario = folder.Write("five.json", FiveK);
        var sim = CliRunner.InProcess("simulate", "--scenario", scenario, "--db", db, "--course-out", course, "--json");
        Assert.True(sim.Code == 0, sim.Error);
        SqliteConnection.ClearAllPools();
        using var simulated = JsonDocument.Parse(sim.Out);
        var expected = simulated.RootElement.GetProperty("athletes");

        var (code, stdout, stderr) = CliRunner.InProcess("audit", "--db", db, "--course", course, "--json");

        using var audit = JsonDocument.Parse(stdout.Split('\n')[0]);
        var r = audit.RootElement;
        Assert.Equal(expected.GetProperty("ranked").GetInt32(), r.GetProperty("ranked").GetInt32());
        Assert.Equal(expected.GetProperty("unranked_missing_mat").GetInt32(), r.GetProperty("unranked").GetProperty("missing_mat").GetInt32());
        Assert.Equal(expected.GetProperty("out_of_sequence").GetInt32(), r.GetProperty("unranked").GetProperty("out_of_sequence").GetInt32());
        Assert.Equal(expected.GetProperty("after_cutoff").GetInt32(), r.GetProperty("unranked").GetProperty("after_cutoff").GetInt32());
        Assert.Equal(simulated.RootElement.GetProperty("two_chip_pairs").GetProperty("flagged").GetInt32() + simulated.RootElement.GetProperty("two_chip_pairs").GetProperty("false_flags").GetInt32(), r.GetProperty("two_chip_pairs").GetArrayLength());
        Assert.True(expected.GetProperty("unranked_missing_mat").GetInt32() > 0 && expected.GetProperty("after_cutoff").GetInt32() > 0, "the 5 km race has dropouts and slow runners: a run with nobody unranked proves nothing");
        Assert.True(r.GetProperty("two_chip_pairs").GetArrayLength() > 0, "the 5 km race has runners carrying two chips");
        Assert.Equal(70, code);
        Assert.Contains("rule-violations", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_CleanRace_ExitsZero()
    {
        using var folder = new TempFolder("tm-audit-");
        var (db, course) = KnownRace.Write(folder, chips: [1]);

        var (code, stdout, stderr) = CliRunner.InProcess("audit", "--db", db, "--course", course);

        Assert.True(code == 0, stderr);
        Assert.Contains("  ranked                        1", stdout, StringComparison.Ordinal);
        Assert.Contains("  unranked                      0", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing.db", null, 10, "does not exist")]
    [InlineData("folder", null, 11, "is a folder")]
    [InlineData("text.db", "not a database at all, just text that is long enough to fill a SQLite header page ..........", 12, "not a SQLite database")]
    [InlineData("empty.db", "", 12, "is empty")]
    [InlineData("other.db", "sqlite:CREATE TABLE results(bib INTEGER)", 12, "not a TimingMat collector database")]
    public void Audit_BadDatabase_SaysWhat_WithAFix_AndLeavesTheFileAlone(string name, string? content, int expected, string message)
    {
        using var folder = new TempFolder("tm-audit-bad-");
        var (_, course) = KnownRace.Write(folder);
        var db = folder.PathOf(name);
        if (name == "folder")
        {
            Directory.CreateDirectory(db);
        }
        else if (content?.StartsWith("sqlite:", StringComparison.Ordinal) == true)
        {
            using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = content["sqlite:".Length..];
            command.ExecuteNonQuery();
        }
        else if (content != null)
        {
            File.WriteAllText(db, content);
        }

        var before = File.Exists(db) ? Hash(db) : null;

        var (code, _, stderr) = CliRunner.InProcess("audit", "--db", db, "--course", course);

        Assert.Equal(expected, code);
        Assert.StartsWith($"error TM{expected} ", stderr, StringComparison.Ordinal);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("  fix: ", stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.Exists(db) ? Hash(db) : null);
    }

    [Fact]
    public void Audit_CourseFileError_NamesTheLine()
    {
        using var folder = new TempFolder("tm-audit-course-");
        var (db, _) = KnownRace.Write(folder);
        var course = folder.Write("bad.cfg", KnownRace.Course.Replace("point.2.km = 2", "point.2.km = two", StringComparison.Ordinal));

        var (code, _, stderr) = CliRunner.InProcess("audit", "--db", db, "--course", course);

        Assert.Equal(12, code);
        Assert.Contains("line 8: point.2.km = two", stderr, StringComparison.Ordinal);
        Assert.Contains("docs/course-format.md", stderr, StringComparison.Ordinal);
        Assert.Equal(10, CliRunner.InProcess("audit", "--db", db, "--course", folder.PathOf("none.cfg")).Code);
    }

    [Fact]
    public void Audit_WithoutCourse_UsesTheCourseTheCollectorRanWith_OrSaysToGiveOne()
    {
        using var folder = new TempFolder("tm-audit-stored-");
        var (db, course) = KnownRace.Write(folder);

        var none = CliRunner.InProcess("audit", "--db", db);
        Assert.Equal(12, none.Code);
        Assert.Contains("holds none (its collector ran without --course)", none.Error, StringComparison.Ordinal);
        Assert.Contains("fix: give --course course.cfg", none.Error, StringComparison.Ordinal);

        // A collector with the course stores it (meta 'course'); the audit then needs no --course.
        using (var store = TimingMat.Collector.PassingStore.Open(db))
        {
            var parsed = TimingMat.Collector.Courses.CourseFile.Load(course);
            var book = new TimingMat.Collector.Courses.CrossingBook(parsed);
            store.UseCourse(book);
        }

        var (code, stdout, stderr) = CliRunner.InProcess("audit", "--db", db);

        Assert.Equal(70, code);
        Assert.Contains("against course 'test-5k'", stdout, StringComparison.Ordinal);
        Assert.Contains("3 of 6 athlete(s) unranked", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Audit_WithTheRegistration_ReportsByBib_AndAnAthletesSecondChipIsTheirs()
    {
        using var folder = new TempFolder("tm-audit-bibs-");
        var (db, course) = KnownRace.Write(folder);

        // Chips 5 and 6 are one athlete's two tags (bib 105), chip 2 is not registered.
        var athletes = folder.Write("athletes.csv", $"bib,chip\n101,{KnownRace.Chip(1)}\n103,{KnownRace.Chip(3)}\n104,{KnownRace.Chip(4)}  # late starter\n105,{KnownRace.Chip(5)}\n105,{KnownRace.Chip(6).ToLowerInvariant()}\n");

        var (code, stdout, stderr) = CliRunner.InProcess("audit", "--db", db, "--course", course, "--athletes", athletes);

        Assert.Equal(70, code);
        Assert.Contains("2 of 4 athlete(s) unranked, 0 two-chip pair(s).", stderr, StringComparison.Ordinal);
        Assert.Contains($"  bib 103 (chip {KnownRace.Chip(3)})  out of sequence: crossed finish no later than the course point before it", stdout, StringComparison.Ordinal);
        Assert.Contains($"  bib 104 (chip {KnownRace.Chip(4)})  after cut-off: passed finish after its cut-off", stdout, StringComparison.Ordinal);
        Assert.Contains($"not judged: 1 chip(s) read on the course that the registration does not name: {KnownRace.Chip(2)}", stdout, StringComparison.Ordinal);

        var twice = folder.Write("twice.csv", $"101,{KnownRace.Chip(1)}\n102,{KnownRace.Chip(1)}\n");
        var bad = CliRunner.InProcess("audit", "--db", db, "--course", course, "--athletes", twice);
        Assert.Equal(12, bad.Code);
        Assert.Contains("line 2: chip " + KnownRace.Chip(1) + " is registered to bib 102 here and to bib 101 on line 1", bad.Error, StringComparison.Ordinal);
        var garbage = folder.Write("garbage.csv", "bib,chip\n12,not-a-chip\n");
        Assert.Contains("garbage.csv: line 2: '12,not-a-chip': expected a bib", CliRunner.InProcess("audit", "--db", db, "--course", course, "--athletes", garbage).Error, StringComparison.Ordinal);
    }

    private static string Hash(string path)
    {
        SqliteConnection.ClearAllPools();
        return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
    }
}
