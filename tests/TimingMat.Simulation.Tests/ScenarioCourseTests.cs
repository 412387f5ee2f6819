using TimingMat.Collector.Courses;
using TimingMat.Simulation.Scenarios;
using Xunit;

namespace TimingMat.Simulation.Tests;

public class ScenarioCourseTests
{
    [Fact]
    public void TheHalf_WritesEveryTimingPoint_WithItsBackupLinesUnits_AndLocalCutoffs()
    {
        // What `simulate --course-out` writes for the default race, without running it.
        var half = ScenarioLoader.LoadBuiltIn("half");

        var text = CourseFile.Write(ScenarioCourse.From(half), half.UtcOffset);
        var course = CourseFile.Parse(text, "half.cfg");

        Assert.Equal("half", course.Name);
        Assert.Equal(["checkin-1", "checkin-2", "start", "5k", "10k", "turnaround", "15k", "20k", "finish"], course.TimingPoints.Select(p => p.Name));
        var start = course.Point("start")!;
        Assert.Equal([3], start.Lines[0].Units);
        Assert.Equal([10], start.Lines[1].Units);
        Assert.Equal(3.0, start.Lines[1].OffsetM);
        Assert.Equal([16], course.Point("finish")!.Lines[1].Units);
        Assert.Contains("point.3.cutoff = 2026-10-04T08:45:00+02:00", text, StringComparison.Ordinal);
    }
}
