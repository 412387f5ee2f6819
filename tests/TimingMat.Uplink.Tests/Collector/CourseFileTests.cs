using TimingMat.Collector.Courses;
using TimingMat.Core.RaceDay;
using Xunit;

namespace TimingMat.Uplink.Tests.Collector;

public class CourseFileTests
{
    public const string TenK = """
        # A 10 km race: check-in, start and finish with backup lines 3 m after line 1, one split.
        course.name = city-10k

        point.1.name = checkin
        point.1.role = checkin
        point.1.opens = 2026-06-14T08:30:00+02:00
        point.1.cutoff = 2026-06-14T08:58:00+02:00
        point.1.line.1.units = 1

        point.2.name = start
        point.2.role = start
        point.2.km = 0
        point.2.cutoff = 2026-06-14T09:30:00+02:00
        point.2.line.1.units = 2
        point.2.line.2.units = 5
        point.2.line.2.offset_m = 3

        point.3.name = 5k
        point.3.role = split
        point.3.km = 5
        point.3.cutoff = 2026-06-14T10:15:00+02:00
        point.3.line.1.units = 3

        point.4.name = finish   # the line in front of the town hall
        point.4.role = finish
        point.4.km = 10
        point.4.cutoff = 2026-06-14T11:00:00+02:00
        point.4.line.1.units = 4, 7
        point.4.line.2.units = 6
        point.4.line.2.offset_m = -2.5
        """;

    [Fact]
    public void ACourse_ReadsItsPointsLinesAndTimes()
    {
        var course = CourseFile.Parse(TenK, "course.cfg");

        Assert.Equal("city-10k", course.Name);
        Assert.Equal(["checkin", "start", "5k", "finish"], course.TimingPoints.Select(p => p.Name));
        Assert.Equal([UnitRole.CheckIn, UnitRole.Start, UnitRole.Split, UnitRole.Finish], course.TimingPoints.Select(p => p.Role));
        Assert.Equal(["start", "5k", "finish"], course.CoursePoints.Select(p => p.Name));
        var finish = course.Point("finish")!;
        Assert.Equal(10, finish.Km);
        Assert.Equal([4, 7], finish.Lines[0].Units);
        Assert.Equal(-2.5, finish.Lines[1].OffsetM);
        Assert.Equal(new DateTimeOffset(2026, 6, 14, 9, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000, finish.CutoffUtcMicros);
        Assert.Null(course.Point("5k")!.OpensUtcMicros);
        Assert.True(course.TryFind(6, out var point, out var line));
        Assert.Equal(("finish", 2), (point.Name, line.Number));
        Assert.False(course.TryFind(8, out _, out _));
        Assert.Equal(Course.DefaultMergeWindowMicros, course.MergeWindowMicros);
    }

    [Fact]
    public void WriteThenParse_GivesTheSameCourse()
    {
        var course = CourseFile.Parse(TenK + "\ncourse.merge_window_s = 4.5\n", "course.cfg");

        var text = CourseFile.Write(course, TimeSpan.FromHours(2));
        var again = CourseFile.Parse(text, "written.cfg");

        Assert.Equal(4_500_000, again.MergeWindowMicros);
        Assert.Equal(course.Name, again.Name);
        Assert.Equal(course.TimingPoints.Count, again.TimingPoints.Count);
        for (var i = 0; i < course.TimingPoints.Count; i++)
        {
            var (a, b) = (course.TimingPoints[i], again.TimingPoints[i]);
            Assert.Equal((a.Name, a.Role, a.Km, a.OpensUtcMicros, a.CutoffUtcMicros), (b.Name, b.Role, b.Km, b.OpensUtcMicros, b.CutoffUtcMicros));
            Assert.Equal(a.Lines.Select(l => (l.Number, l.OffsetM, string.Join(",", l.Units))), b.Lines.Select(l => (l.Number, l.OffsetM, string.Join(",", l.Units))));
        }

        Assert.Contains("point.4.cutoff = 2026-06-14T11:00:00+02:00", text, StringComparison.Ordinal);
        Assert.Equal(text, CourseFile.Write(again, TimeSpan.FromHours(2)));
    }

    [Theory]
    [InlineData("point.2.rol = start", "line 31: point.2.rol = start: unknown key; expected one of course.name")]
    [InlineData("point.2.role = split", "line 31: point.2.role = split: point.2.role is already set on line 11 (to start)")]
    [InlineData("point.3.line.1.offset_m = 1", "line 31: point.3.line.1.offset_m = 1: line 1 is the reference line, its offset is 0")]
    [InlineData("point.0.name = x", "line 31: point.0.name = x: unknown key")]
    [InlineData("course.merge_window_s = 0", "line 31: course.merge_window_s = 0: out of range; expected seconds, 1-600")]
    [InlineData("nonsense", "line 31: expected 'key = value', found 'nonsense'")]
    public void ABadLine_IsRefused_WithItsLineKeyValueAndWhatIsExpected(string line, string message)
    {
        var error = Assert.Throws<CourseException>(() => CourseFile.Parse(TenK + "\n" + line + "\n", "course.cfg"));

        Assert.True(error.Message.StartsWith("course.cfg: " + message, StringComparison.Ordinal), error.Message);
    }

    [Theory]
    [InlineData("point.3.km = 5", "point.3.km = five", "line 20: point.3.km = five: not a number; expected km along the course, 0-250")]
    [InlineData("point.3.role = split", "point.3.role = lap", "line 19: point.3.role = lap: unknown role; expected check-in, start, split, turnaround or finish")]
    [InlineData("point.3.cutoff = 2026-06-14T10:15:00+02:00", "point.3.cutoff = 10:15", "line 21: point.3.cutoff = 10:15: not a time; expected a date and time with its UTC offset")]
    [InlineData("point.3.line.1.units = 3", "point.3.line.1.units = 3, x", "line 22: point.3.line.1.units = 3, x: 'x' is not a unit id")]
    [InlineData("point.3.line.1.units = 3", "point.3.line.1.units = 5", "line 22: point.3.line.1.units = 5: unit 5 is already on point.2 line 2; a unit reads one line of one timing point")]
    [InlineData("point.3.role = split", "", "point.3.role is required")]
    [InlineData("point.3.km = 5", "point.3.km = 12", "'finish' at 10 km is not after '5k' at 12 km; number the points in course order")]
    [InlineData("point.2.role = start", "point.2.role = split", "a course needs exactly one start and one finish point; found 0 start and 1 finish")]
    [InlineData("point.2.line.2.offset_m = 3", "point.2.line.2.offset_m = 0", "point.2.line.2.offset_m = 0: a backup line lies a few metres from line 1")]
    [InlineData("point.1.cutoff = 2026-06-14T08:58:00+02:00", "point.1.km = 0", "point.1.km = 0: a check-in is not on the course; leave km out")]
    [InlineData("course.name = city-10k", "", "course.name is required")]
    public void ACourseThatDoesNotAddUp_IsRefused_NamingWhatIsWrong(string line, string replacement, string message)
    {
        Assert.Contains(line, TenK, StringComparison.Ordinal);

        var error = Assert.Throws<CourseException>(() => CourseFile.Parse(TenK.Replace(line, replacement, StringComparison.Ordinal), "course.cfg"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("course.cfg: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("point.3.", "point.9.", "point 3 is missing: timing points are numbered 1, 2, 3 … in course order, without gaps (found point 4)")]
    [InlineData("point.2.line.2.", "point.2.line.3.", "line 15: point.2 has line 3 but no line 2: lines are numbered 1 (the main line), 2 … (backup lines)")]
    public void AGapInTheNumbering_IsRefused(string from, string to, string message)
    {
        var text = TenK.Replace(from, to, StringComparison.Ordinal);

        var error = Assert.Throws<CourseException>(() => CourseFile.Parse(text, "course.cfg"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
