using TimingMat.Collector.Courses;
using TimingMat.Core.RaceDay;

namespace TimingMat.Simulation.Scenarios;

/// <summary>The course a scenario describes, as the collector and the audit take it (and as <c>simulate --course-out</c> writes it).</summary>
public static class ScenarioCourse
{
    /// <summary>Derives the course: one timing point per listed mat, its unit on line 1 and its backup line's unit on line 2.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="units">Only these units (a run that plays some mats), or null for all.</param>
    /// <returns>The course.</returns>
    public static Course From(Scenario scenario, IReadOnlySet<int>? units = null)
    {
        var points = new List<TimingPoint>();
        foreach (var main in scenario.TimingPoints)
        {
            var lines = scenario.LinesOf(main.Name)
                .Where(m => units == null || units.Contains(m.UnitId))
                .Select(m => new CourseLine(m.Line, m.OffsetM, [m.UnitId]))
                .ToList();
            if (lines.Count > 0)
            {
                points.Add(new TimingPoint(main.Name, RoleOf(main.Role), main.Km, main.OpensUtcMicros, main.CutoffUtcMicros, lines));
            }
        }

        return new Course(scenario.Name, points);
    }

    /// <summary>Gives the core's unit role of a scenario role.</summary>
    /// <param name="role">The scenario's role.</param>
    /// <returns>The unit role.</returns>
    public static UnitRole RoleOf(UnitRole role) => role switch
    {
        UnitRole.CheckIn => UnitRole.CheckIn,
        UnitRole.Start => UnitRole.Start,
        UnitRole.Turnaround => UnitRole.Turnaround,
        UnitRole.Finish => UnitRole.Finish,
        _ => UnitRole.Split,
    };
}
