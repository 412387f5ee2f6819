using TimingMat.Collector.Courses;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Simulation.Scoring;

/// <summary>Scores each timing point's merged crossings against the truth at its main line: what each line saved, and how well the merged time is.</summary>
internal static class TimingPointScore
{
    /// <summary>Scores the points.</summary>
    /// <param name="scenario">The scenario.</param>
    /// <param name="course">The scored course.</param>
    /// <param name="field">The truth.</param>
    /// <param name="window">The span of true time played, or null.</param>
    /// <param name="crossings">The audit's merged crossings.</param>
    /// <returns>One entry per timing point, in course order.</returns>
    public static List<TimingPointFigures> Score(Scenario scenario, Course course, RaceField field, TruthWindow? window, IReadOnlyList<MergedCrossing> crossings)
    {
        var byPoint = crossings.GroupBy(c => c.TimingPoint).ToDictionary(
            g => g.Key,
            g => g.GroupBy(c => c.ChipHex, StringComparer.Ordinal).ToDictionary(h => h.Key, h => h.ToList(), StringComparer.Ordinal));
        var result = new List<TimingPointFigures>();
        foreach (var point in course.TimingPoints)
        {
            var main = scenario.Mats.First(m => m.Name == point.Name);
            var merged = byPoint.GetValueOrDefault(point.Name) ?? [];
            long crossingsTrue = 0, recorded = 0, both = 0, mainOnly = 0, backupOnly = 0, timedByBackup = 0;
            var errors = new List<long>();
            foreach (var crossing in field.CrossingsAt(main.UnitId).Where(c => window == null || window.Contains(c.UtcMicros)))
            {
                foreach (var chip in crossing.Runner.Chips)
                {
                    crossingsTrue++;
                    if (!merged.TryGetValue(chip.ChipHex, out var candidates))
                    {
                        continue;
                    }

                    var best = candidates.MinBy(c => Math.Abs(c.TimeUtcMicros - crossing.UtcMicros))!;
                    if (Math.Abs(best.TimeUtcMicros - crossing.UtcMicros) > RaceScorer.MatchWindowMicros)
                    {
                        continue;
                    }

                    recorded++;
                    errors.Add(best.TimeUtcMicros - crossing.UtcMicros);
                    if (best.LinesRead > 1)
                    {
                        both++;
                    }
                    else if (best.Line == 1)
                    {
                        mainOnly++;
                    }
                    else
                    {
                        backupOnly++;
                    }

                    timedByBackup += best.Line != 1 ? 1 : 0;
                }
            }

            result.Add(new TimingPointFigures(point.Name, [.. point.Units], crossingsTrue, recorded, both, mainOnly, backupOnly, timedByBackup, ErrorFigures.FromMicros(errors), errors.Count == 0 ? 0 : Math.Round(errors.Average() / 1000.0, 3)));
        }

        return result;
    }
}
