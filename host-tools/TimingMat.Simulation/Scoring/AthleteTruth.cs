using TimingMat.Collector.Audit;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Simulation.Scoring;

/// <summary>
/// Sets the audit's verdicts against the truth, runner by runner: a runner who dropped out did not finish (that is
/// not an unranking), one who walked round a mat or passed one after its cut-off is rightly unranked, and a runner who
/// passed every timing point in order and in time but is not ranked was failed by the system.
/// </summary>
internal static class AthleteTruth
{
    private const int ListedAthletes = 50;

    /// <summary>Judges the verdicts.</summary>
    /// <param name="runners">The starters scored.</param>
    /// <param name="course">The main line of every scored course timing point (no check-in), in course order.</param>
    /// <param name="scenario">The scenario (the timing points' lines).</param>
    /// <param name="field">The truth.</param>
    /// <param name="window">The span of true time played, or null for the whole race.</param>
    /// <param name="audit">The audit's findings.</param>
    /// <param name="fates">What became of a true crossing, by unit and bib (null when it is not in the truth played).</param>
    /// <returns>The figures, up to 50 wrongly unranked athletes with why, and who the referee's list holds.</returns>
    public static (AthleteTruthFigures Figures, List<WronglyUnrankedAthlete> Wrongly, RefereeFigures Referee) Judge(
        IReadOnlyList<RunnerPlan> runners,
        IReadOnlyList<MatSpec> course,
        Scenario scenario,
        RaceField field,
        TruthWindow? window,
        AuditResult audit,
        Func<int, int, CrossingFate?> fates)
    {
        var findings = audit.Athletes.ToDictionary(a => a.Bib);
        int refereeInnocent = 0, refereeSkipped = 0, refereeDropped = 0;
        var crossed = new Dictionary<(int Unit, int Bib), long>();
        foreach (var mat in course)
        {
            foreach (var crossing in field.CrossingsAt(mat.UnitId))
            {
                if (window == null || window.Contains(crossing.UtcMicros))
                {
                    crossed[(mat.UnitId, crossing.Runner.Athlete.Bib)] = crossing.UtcMicros;
                }
            }
        }

        int finished = 0, finishedRanked = 0, droppedOut = 0, skipped = 0, skippedRanked = 0, late = 0, lateRanked = 0;
        int missing = 0, outOfSequence = 0, afterCutoff = 0, notSeen = 0;
        var listed = new List<WronglyUnrankedAthlete>();
        foreach (var runner in runners)
        {
            var bib = runner.Athlete.Bib;
            var ranked = findings.TryGetValue(bib, out var finding) && finding.Verdict == AthleteVerdict.Ranked;
            var referee = finding?.Referee != null;
            var absent = course.Where(m => !crossed.ContainsKey((m.UnitId, bib))).ToList();
            if (absent.Count > 0)
            {
                if (absent.All(m => m.UnitId == runner.SkippedUnitId))
                {
                    skipped++;
                    skippedRanked += ranked ? 1 : 0;
                    refereeSkipped += referee ? 1 : 0;
                }
                else
                {
                    droppedOut++;
                    refereeDropped += referee ? 1 : 0;
                }

                continue;
            }

            if (course.Any(m => crossed[(m.UnitId, bib)] > m.CutoffUtcMicros))
            {
                late++;
                lateRanked += ranked ? 1 : 0;
                continue;
            }

            finished++;
            if (ranked)
            {
                finishedRanked++;
                continue;
            }

            refereeInnocent += referee ? 1 : 0;

            var verdict = finding?.Verdict;
            switch (verdict)
            {
                case AthleteVerdict.MissingMat:
                    missing++;
                    break;
                case AthleteVerdict.OutOfSequence:
                    outOfSequence++;
                    break;
                case AthleteVerdict.AfterCutoff:
                    afterCutoff++;
                    break;
                default:
                    notSeen++;
                    break;
            }

            if (listed.Count < ListedAthletes)
            {
                listed.Add(Explain(bib, finding, course, scenario, fates));
            }
        }

        var wrongly = new WronglyUnrankedFigures(missing + outOfSequence + afterCutoff + notSeen, missing, outOfSequence, afterCutoff, notSeen, refereeInnocent);
        var carried = runners.Count(r => r.Carried != null);
        var cases = audit.RefereeCases.ToList();
        int Having(string kind) => cases.Count(c => c.Gaps.Any(g => g.Evidence.Any(e => e.Kind == kind)));
        var refereeFigures = new RefereeFigures(cases.Count, refereeInnocent, refereeSkipped, refereeDropped, cases.Count - refereeInnocent - refereeSkipped - refereeDropped, Having("mat_fault"), Having("mat_gap"), Having("mat_rate"), Having("backup_line"), Having("pace"));
        return (new AthleteTruthFigures(finished, finishedRanked, droppedOut, skipped, skippedRanked, late, lateRanked, wrongly, carried), listed, refereeFigures);
    }

    private static string What(CrossingFate fate) => fate.What == "delivered" ? "mistimed" : fate.What;

    /// <summary>Gives the report's name of a verdict.</summary>
    /// <param name="verdict">The verdict, or null for an athlete the audit never saw.</param>
    /// <returns>snake_case name.</returns>
    public static string VerdictName(AthleteVerdict? verdict) => verdict switch
    {
        AthleteVerdict.Ranked => "ranked",
        AthleteVerdict.MissingMat => "missing_mat",
        AthleteVerdict.OutOfSequence => "out_of_sequence",
        AthleteVerdict.AfterCutoff => "after_cutoff",
        _ => "not_seen",
    };

    private static WronglyUnrankedAthlete Explain(int bib, AthleteFinding? finding, IReadOnlyList<MatSpec> course, Scenario scenario, Func<int, int, CrossingFate?> fates)
    {
        IEnumerable<string> names = finding?.Verdict switch
        {
            AthleteVerdict.MissingMat => finding.MissingMats,
            AthleteVerdict.OutOfSequence => finding.OutOfSequenceMats,
            AthleteVerdict.AfterCutoff => finding.AfterCutoffMats,
            _ => course.Select(m => m.Name),
        };
        var mats = new List<WrongMat>();
        foreach (var name in names)
        {
            var spec = course.FirstOrDefault(m => m.Name == name);
            if (spec != null && fates(spec.UnitId, bib) is { } fate)
            {
                var backup = scenario.LinesOf(name).FirstOrDefault(m => m.Line == 2) is { } b && fates(b.UnitId, bib) is { } backupFate ? What(backupFate) : null;
                mats.Add(new WrongMat(name, RaceScorer.Iso(fate.TrueUtcMicros), What(fate), fate.Reads, fate.ErrorMicros is { } e ? Math.Round(e / 1000.0, 1) : null, backup));
            }
        }

        return new WronglyUnrankedAthlete(bib, VerdictName(finding?.Verdict), finding?.Referee != null, mats);
    }
}
