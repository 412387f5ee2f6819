using TimingMat.Collector;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Passings;

namespace TimingMat.Cli.Tests;

/// <summary>
/// A tiny 5 km race with known passings, stored the way the collector stores them: a start (unit 1), a 2 km split
/// (unit 2) and a finish with a cut-off (unit 3). Chip 1 runs clean, chip 2 skips the split, chip 3 is read at the
/// split after the finish, chip 4 finishes after the cut-off, chips 5 and 6 cross the split and the finish within
/// 100 ms of each other (one runner, two chips), unit 9 is on no timing point.
/// </summary>
internal static class KnownRace
{
    public const long S = 1_000_000;

    /// <summary>The gun: 2026-10-04 08:00:00 UTC.</summary>
    public static readonly long Gun = new DateTimeOffset(2026, 10, 4, 8, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;

    public const string Course = """
        course.name = test-5k
        point.1.name = start
        point.1.role = start
        point.1.km = 0
        point.1.line.1.units = 1
        point.2.name = 2k
        point.2.role = split
        point.2.km = 2
        point.2.line.1.units = 2
        point.3.name = finish
        point.3.role = finish
        point.3.km = 5
        point.3.cutoff = 2026-10-04T10:40:00+02:00
        point.3.line.1.units = 3
        """;

    /// <summary>Gets the passings: unit, chip number, time after the gun (µs), reads.</summary>
    public static (int Unit, int Chip, long AfterGun, int Hits)[] Passings { get; } =
    [
        (1, 1, 2 * S, 31), (2, 1, 600 * S, 32), (3, 1, (1500 * S) + 123_456, 33),
        (1, 2, 3 * S, 34), (3, 2, 1600 * S, 35),
        (1, 3, 4 * S, 36), (2, 3, 1700 * S, 37), (3, 3, 1650 * S, 38),
        (1, 4, 5 * S, 39), (2, 4, 1200 * S, 40), (3, 4, 3000 * S, 41),
        (1, 5, 6 * S, 42), (2, 5, 700 * S, 43), (3, 5, 1800 * S, 44),
        (1, 6, 9 * S, 45), (2, 6, (700 * S) + 40_000, 46), (3, 6, (1800 * S) + 60_000, 47),
        (9, 7, 100 * S, 48),
    ];

    /// <summary>Gets a known chip's EPC as the database holds it.</summary>
    public static string Chip(int number) => "E28001000000000000" + number.ToString("X6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes the race's collector database and course file into a folder.</summary>
    /// <param name="folder">Where.</param>
    /// <param name="chips">Only these chips' passings, or all.</param>
    public static (string Db, string Course) Write(TempFolder folder, int[]? chips = null)
    {
        var db = folder.PathOf("race.db");
        var body = new byte[PassingBody.MaxBytes];
        var sequence = new Dictionary<int, long>();
        using (var store = PassingStore.Open(db))
        {
            store.Begin();
            foreach (var (unit, chip, afterGun, hits) in Passings.Where(p => chips == null || chips.Contains(p.Chip)))
            {
                var passing = SyntheticPassings.Make(1, chip, Gun + afterGun);
                passing.UnitId = unit;
                passing.Sequence = sequence[unit] = sequence.GetValueOrDefault(unit) + 1;
                passing.Hits = hits;
                var length = PassingBody.Write(passing, body, 0);
                store.Store(passing, 7, body, 0, length, Gun + afterGun + (2 * S));
            }

            // A gun marker and a test tag: neither is a chip passing.
            var gun = new Passing { Kind = PassingKind.GunStart, UnitId = 1, Sequence = sequence.GetValueOrDefault(1) + 1, TimeUtcMicros = Gun };
            store.Store(gun, 7, body, 0, PassingBody.Write(gun, body, 0), Gun);
            var test = SyntheticPassings.Make(1, 99, Gun - (600 * S));
            test.Sequence = sequence.GetValueOrDefault(1) + 2;
            test.Flags = PassingFlags.TestTag;
            store.Store(test, 7, body, 0, PassingBody.Write(test, body, 0), Gun);
            store.Commit();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return (db, folder.Write("course.cfg", Course));
    }
}
