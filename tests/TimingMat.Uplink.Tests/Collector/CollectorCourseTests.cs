using Microsoft.Data.Sqlite;
using TimingMat.Collector;
using TimingMat.Collector.Courses;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Mqtt;
using TimingMat.Emulators.Passings;
using Xunit;

namespace TimingMat.Uplink.Tests.Collector;

public sealed class CollectorCourseTests : IDisposable
{
    private const long S = 1_000_000;
    private static readonly long Gun = 1_781_420_400L * S;
    private readonly string _dir = Directory.CreateTempSubdirectory("tm-course-").FullName;

    [Fact]
    public void ACollectorWithACourse_KeepsEachPointsLinesMerged_AsPassingsArrive_AndAgainAfterARestart()
    {
        var db = Path.Combine(_dir, "race.db");
        var course = CourseFile.Parse(CourseFileTests.TenK, "course.cfg");
        using (var store = PassingStore.Open(db))
        {
            var collector = NewCollector(store, course);

            // Start line 1 (unit 2) reads chips 1 and 2; the backup line (unit 5), 3 m on, reads 2 better and 3 alone.
            collector.StoreRun(2, 77, 0, [Passing(2, 1, 1, Gun + (10 * S), 6), Passing(2, 2, 2, Gun + (11 * S), 5)], PassingStore.SourceMqtt);
            collector.StoreRun(5, 78, 0, [Passing(5, 1, 2, Gun + (12_500_000), 20), Passing(5, 2, 3, Gun + (13 * S), 9)], PassingStore.SourceMqtt);

            var start = store.ReadCrossings("start");
            Assert.Equal(["E28002000000000000000001", "E28002000000000000000002", "E28002000000000000000003"], start.Select(c => c.ChipHex));
            Assert.Equal([Gun + (10 * S), Gun + (11 * S), Gun + (13 * S) - 1_500_000], start.Select(c => c.TimeUtcMicros));
            Assert.Equal(["line", "pair", "typical"], start.Select(c => c.TimeFrom));
            Assert.Equal([1, 2, 1], start.Select(c => c.LinesRead));
            Assert.Equal([new CoursePassing(2, 2, "E28002000000000000000002", 0, 0), new CoursePassing(5, 1, "E28002000000000000000002", 0, 0)], start[1].Passings);

            // Markers and test tags are no crossings.
            var marker = new Passing { Kind = PassingKind.GunStart, UnitId = 2, Sequence = 3, TimeUtcMicros = Gun };
            var test = Passing(2, 4, 9, Gun + (20 * S), 30);
            test.Flags = PassingFlags.TestTag;
            collector.StoreRun(2, 77, 2, [marker, test], PassingStore.SourceMqtt);
            Assert.Equal(3, store.CountCrossings());
            Assert.Equal(4, collector.ChipsMerged);
        }

        // A restart with the same course finds the crossings as they were; another course merges them again.
        using (var store = PassingStore.Open(db))
        {
            NewCollector(store, course);
            Assert.Equal(3, store.CountCrossings());
            Assert.Equal(CourseFile.Write(course), store.ReadCourse());

            var farther = CourseFile.Parse(CourseFileTests.TenK.Replace("point.2.line.2.offset_m = 3", "point.2.line.2.offset_m = 4", StringComparison.Ordinal), "course.cfg");
            NewCollector(store, farther);
            Assert.Equal(Gun + (13 * S) - 2_000_000, store.ReadCrossings("start").Single(c => c.ChipHex.EndsWith('3')).TimeUtcMicros);
            Assert.Equal(CourseFile.Write(farther), store.ReadCourse());
        }
    }

    [Fact]
    public void ADatabaseOfSchema2_IsMigrated_KeepingEveryPassing_AndItsCrossingsFillInWithACourse()
    {
        // Written by `timingmat simulate --runners 30 --seed 3 --db` before schema 3 (the half marathon's nine units).
        var db = Path.Combine(_dir, "old.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Collector", "Fixtures", "collector-v2.db"), db);
        Assert.Equal("2", Meta(db, "schema_version"));

        using (var store = PassingStore.Open(db))
        {
            Assert.Equal(245, store.CountPassings());
            Assert.Equal(0, store.CountCrossings());
            Assert.Null(store.ReadCourse());
            Assert.Equal(Enumerable.Range(1, 9), store.LoadLedger().Select(u => u.Unit));
            Assert.Equal(32, store.ReadPassings(3).Count);
        }

        Assert.Equal("3", Meta(db, "schema_version"));

        using (var store = PassingStore.Open(db))
        {
            var collector = NewCollector(store, CourseFile.Parse(OldHalf, "half.cfg"));
            Assert.Equal(0, collector.PassingsStored);
            var crossings = store.ReadCrossings();

            // Every crossing passing of units 3–9 (the course) and 1–2 (check-ins), one crossing each: no backup lines then.
            var markers = Enumerable.Range(1, 9).Sum(u => store.ReadPassings(u).Count(p => p.Passing.Kind != PassingKind.Crossing));
            Assert.Equal(6, markers);
            Assert.Equal(245 - markers, crossings.Count);
            Assert.All(crossings, c => Assert.Equal(("line", 1), (c.TimeFrom, c.LinesRead)));
            Assert.Equal(30, crossings.Count(c => c.TimingPoint == "finish"));
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private const string OldHalf = """
        course.name = half
        point.1.name = checkin-1
        point.1.role = check-in
        point.1.line.1.units = 1
        point.2.name = checkin-2
        point.2.role = check-in
        point.2.line.1.units = 2
        point.3.name = start
        point.3.role = start
        point.3.km = 0
        point.3.line.1.units = 3
        point.4.name = 5k
        point.4.role = split
        point.4.km = 5
        point.4.line.1.units = 4
        point.5.name = 10k
        point.5.role = split
        point.5.km = 10
        point.5.line.1.units = 5
        point.6.name = turnaround
        point.6.role = turnaround
        point.6.km = 10.55
        point.6.line.1.units = 6
        point.7.name = 15k
        point.7.role = split
        point.7.km = 15
        point.7.line.1.units = 7
        point.8.name = 20k
        point.8.role = split
        point.8.km = 20
        point.8.line.1.units = 8
        point.9.name = finish
        point.9.role = finish
        point.9.km = 21.0975
        point.9.line.1.units = 9
        """;

    private static PassingCollector NewCollector(PassingStore store, Course course)
    {
        var clock = new SimulatedClock(S);
        return new PassingCollector(new MqttBrokerEmulator(clock).CreateLink(), store, clock, new CollectorOptions { Course = course }, () => Gun);
    }

    private static Passing Passing(int unit, long sequence, int chip, long time, int hits)
    {
        // Every unit's synthetic chip numbers are the same chips here: the EPC of unit 2's numbering.
        var passing = SyntheticPassings.Make(2, chip, time);
        passing.UnitId = unit;
        passing.Sequence = sequence;
        passing.Hits = hits;
        return passing;
    }

    private static string? Meta(string db, string key)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = db, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return command.ExecuteScalar() as string;
    }
}
