using TimingMat.Core.Clock;
using TimingMat.Core.Passings;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scenarios;
using TimingMat.Simulation.Scoring;
using TimingMat.Simulation.Tests.Engine;
using Xunit;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Simulation.Tests.Scoring;

/// <summary>
/// Scoring a run that played part of the race (a HIL window): only the crossings in the window are expected, and a
/// unit whose clock the run could not see leaves the clock figures empty.
/// </summary>
public class RaceScorerWindowTests
{
    private static readonly Scenario s_scenario = FunRun.Load(runners: 120, faults: "[]", twoChips: 0);
    private static readonly RaceField s_field = RaceField.Generate(s_scenario, 7);
    private static readonly MatSpec s_start = s_scenario.Mats.Single(m => m.Name == "start");

    [Fact]
    public void Window_ExpectsOnlyItsCrossings_AndCountsNoneOutsideAsNeverRead()
    {
        var crossings = s_field.CrossingsAt(s_start.UnitId);
        var window = new TruthWindow(crossings[10].UtcMicros, crossings[30].UtcMicros);
        var played = crossings.Where(c => window.Contains(c.UtcMicros)).ToList();

        // Every chip read, as if the module had seen the whole race; the board delivered the window's crossings only.
        var report = RaceScorer.Score(Facts(window), s_field, [Outcome(crossings, clockErrors: null)], Delivered(played, offsetMicros: 4_000));

        Assert.Equal(20, played.Count);
        Assert.Equal(20, report.PassingsExpected);
        Assert.Equal(20, report.PassingsDelivered);
        Assert.Equal(0, report.PassingsLost);
        Assert.Equal(0, report.PassingsNeverRead);
        Assert.Equal(0, report.PhantomPassings);
        Assert.Equal(20, report.Runners);
        Assert.Equal(20, report.Athletes.Ranked);
        Assert.Equal(4.0, report.CrossingErrorMs.P50);
        Assert.Null(report.ClockErrorMs);
        Assert.Null(report.MatDetails[0].ClockErrorP99Ms);
    }

    [Fact]
    public void WithoutAWindow_TheSameDeliveryLosesTheRestOfTheRace()
    {
        var crossings = s_field.CrossingsAt(s_start.UnitId);
        var played = crossings.Skip(10).Take(20).ToList();

        var report = RaceScorer.Score(Facts(window: null), s_field, [Outcome(crossings, clockErrors: [250, -300])], Delivered(played, offsetMicros: 4_000));

        Assert.Equal(crossings.Count, report.PassingsExpected);
        Assert.Equal(crossings.Count - 20, report.PassingsLost);
        Assert.Equal(s_field.Runners.Count, report.Runners);
        Assert.NotNull(report.ClockErrorMs);
        Assert.Equal(0.3, report.ClockErrorMs.P99);
    }

    private static RunFacts Facts(TruthWindow? window) => new(7, 0, 0, 60, 60, "test") { Window = window };

    private static MatFacts Outcome(IReadOnlyList<TrueMatCrossing> crossings, IReadOnlyList<long>? clockErrors) => new()
    {
        Spec = s_start,
        ReadsGenerated = crossings.Count * 5,
        ReadsReported = crossings.Count * 5,
        ReadsNotReported = 0,
        ReadsByBib = crossings.ToDictionary(c => c.Runner.Athlete.Bib, _ => 5),
        ClockErrorsMicros = clockErrors,
    };

    private static List<DeliveredPassing> Delivered(IEnumerable<TrueMatCrossing> crossings, long offsetMicros) =>
        [.. crossings.Select((c, i) => new DeliveredPassing(s_start.UnitId, i + 1, c.Runner.Athlete.Bib, c.UtcMicros + offsetMicros, PassingKind.Crossing, PassingFlags.None, ClockState.Locked, c.UtcMicros + (2 * Second)))];
}
