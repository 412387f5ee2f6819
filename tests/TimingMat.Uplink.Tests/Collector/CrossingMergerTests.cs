using TimingMat.Collector.Courses;
using Xunit;

namespace TimingMat.Uplink.Tests.Collector;

public class CrossingMergerTests
{
    private const long S = 1_000_000;
    private static readonly long Gun = 1_781_420_400L * S;
    private static readonly Course s_course = CourseFile.Parse(CourseFileTests.TenK, "course.cfg");

    [Fact]
    public void BothLinesRead_OneCrossing_TimedAtLineOne_WithTheBackupAsEvidence()
    {
        // Line 2 lies 3 m after line 1: a runner at 2 m/s reaches it 1.5 s later; it read the chip better.
        var main = new CoursePassing(2, 10, "A", Gun + (20 * S), 8);
        var backup = new CoursePassing(5, 11, "A", Gun + (21_500_000), 25);

        var crossing = Assert.Single(CrossingMerger.MergeChip(s_course, [backup, main]));

        Assert.Equal(("start", 2, 2, 5, 11L, 25), (crossing.TimingPoint, crossing.Line, crossing.LinesRead, crossing.Unit, crossing.Sequence, crossing.Hits));
        Assert.Equal("pair", crossing.TimeFrom);
        Assert.Equal(2.0, crossing.SpeedMps);
        Assert.Equal(Gun + (20 * S), crossing.TimeUtcMicros);
        Assert.Equal([backup, main], crossing.Passings.OrderByDescending(p => p.Hits));
    }

    [Fact]
    public void OnlyTheBackupRead_TheCrossingIsKept_AndMovedAtThePaceOfTheNextSection()
    {
        // The finish's backup line lies 2.5 m before line 1; the chip ran 5k to 10k in 1500 s (3.33 m/s).
        var split = new CoursePassing(3, 1, "B", Gun + (1500 * S), 40);
        var backup = new CoursePassing(6, 1, "B", Gun + (3000 * S), 30);

        var crossings = CrossingMerger.MergeChip(s_course, [backup, split]);

        var finish = crossings.Single(c => c.TimingPoint == "finish");
        Assert.Equal(("pace", 2, 1), (finish.TimeFrom, finish.Line, finish.LinesRead));
        Assert.Equal(Gun + (3000 * S) + 750_000, finish.TimeUtcMicros, tolerance: 2_000);
        Assert.InRange(finish.SpeedMps!.Value, 3.3, 3.34);

        // At a start the pace of the course says nothing about the jog over the line: the role's typical speed.
        var start = Assert.Single(CrossingMerger.MergeChip(s_course, [new CoursePassing(5, 2, "C", Gun + (30 * S), 12)]));
        Assert.Equal(("typical", 2.0), (start.TimeFrom, start.SpeedMps!.Value));
        Assert.Equal(Gun + (30 * S) - 1_500_000, start.TimeUtcMicros);
    }

    [Fact]
    public void ALineSplitBetweenTwoUnits_IsOneLine_AndTheBetterReadUnitTimesIt()
    {
        var left = new CoursePassing(4, 7, "D", Gun + (3100 * S), 9);
        var right = new CoursePassing(7, 3, "D", Gun + (3100 * S) + 40_000, 31);

        var crossing = Assert.Single(CrossingMerger.MergeChip(s_course, [left, right]));

        Assert.Equal(("line", 1, 1, 7), (crossing.TimeFrom, crossing.Line, crossing.LinesRead, crossing.Unit));
        Assert.Equal(right.TimeUtcMicros, crossing.TimeUtcMicros);
        Assert.Null(crossing.SpeedMps);
    }

    [Fact]
    public void PassingsFurtherApartThanTheWindow_AreTwoCrossings_AndUnknownUnitsAreIgnored()
    {
        var first = new CoursePassing(1, 1, "E", Gun - (1200 * S), 50);
        var again = new CoursePassing(1, 9, "E", Gun - (1100 * S), 44);
        var stranger = new CoursePassing(99, 1, "E", Gun, 60);

        var crossings = CrossingMerger.MergeChip(s_course, [again, stranger, first]);

        Assert.Equal([first.TimeUtcMicros, again.TimeUtcMicros], crossings.Select(c => c.TimeUtcMicros));
        Assert.All(crossings, c => Assert.Equal("checkin", c.TimingPoint));
    }

    [Fact]
    public void TheMerge_DependsOnlyOnThePassings_NotOnTheirOrder()
    {
        var random = new Random(5);
        var passings = new List<CoursePassing>();
        for (var chip = 0; chip < 40; chip++)
        {
            var id = $"C{chip:000}";
            var pace = 3 + random.NextDouble();
            if (random.NextDouble() < 0.8)
            {
                passings.Add(new CoursePassing(2, chip, id, Gun + (chip * S), random.Next(3, 30)));
            }

            passings.Add(new CoursePassing(5, chip, id, Gun + (chip * S) + 1_400_000, random.Next(3, 30)));
            passings.Add(new CoursePassing(3, chip, id, Gun + (long)(5000 / pace * S), 40));
            if (random.NextDouble() < 0.7)
            {
                passings.Add(new CoursePassing(4, chip, id, Gun + (long)(10000 / pace * S), random.Next(3, 30)));
            }

            passings.Add(new CoursePassing(6, chip, id, Gun + (long)((10000 - 2.5) / pace * S), random.Next(3, 30)));
        }

        var once = CrossingMerger.Merge(s_course, passings);
        var shuffled = CrossingMerger.Merge(s_course, [.. passings.OrderBy(_ => random.Next())]);

        Assert.Equal(40 * 3, once.Count);
        Assert.Equal(Describe(once), Describe(shuffled));
        Assert.All(once.Where(c => c.TimingPoint == "finish" && c.LinesRead == 1), c => Assert.Equal("pace", c.TimeFrom));

        // The book behind a collector merges a chip at a time, as its passings arrive, to the same crossings.
        var book = new CrossingBook(s_course);
        var written = new Dictionary<(string, string, long), MergedCrossing>();
        foreach (var passing in passings.OrderBy(_ => random.Next()))
        {
            Assert.True(book.Add(passing));
            var (gone, come) = book.Remerge(passing.ChipHex);
            gone.ForEach(c => Assert.True(written.Remove((c.ChipHex, c.TimingPoint, c.TimeUtcMicros))));
            come.ForEach(c => written.Add((c.ChipHex, c.TimingPoint, c.TimeUtcMicros), c));
        }

        Assert.Equal(Describe(once), Describe([.. written.Values.OrderBy(c => c.ChipHex, StringComparer.Ordinal).ThenBy(c => c.TimeUtcMicros)]));
        Assert.False(book.Add(new CoursePassing(42, 1, "C000", Gun, 1)));
    }

    private static List<string> Describe(List<MergedCrossing> crossings) =>
        [.. crossings.OrderBy(c => c.ChipHex, StringComparer.Ordinal).ThenBy(c => c.TimeUtcMicros)
            .Select(c => $"{c.ChipHex} {c.TimingPoint} {c.TimeUtcMicros} {c.Line} {c.Unit} {c.Sequence} {c.LinesRead} {c.TimeFrom} {c.SpeedMps} {string.Join(",", c.Passings.Select(p => $"{p.Unit}:{p.Sequence}").Order())}")];
}
