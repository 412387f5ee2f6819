using System.CommandLine;
using System.Globalization;
using TimingMat.Cli.Infrastructure;
using TimingMat.Collector;
using TimingMat.Collector.Audit;
using TimingMat.Collector.Courses;
using TimingMat.Core.Passings;

namespace TimingMat.Cli.Commands.RaceResults;

/// <summary>
/// <c>timingmat audit --db race.db [--course course.cfg] [--json]</c>: the race-rules audit (<see cref="RaceRulesAudit"/>,
/// the one the simulator's report runs) on a collected database, opened read-only. Exit 70 when any athlete is
/// unranked or two chips travel together, with the reasons per athlete.
/// </summary>
internal static class AuditCommand
{
    public static Command Create(CommandOutput output)
    {
        var db = new Option<string>("--db") { Description = "The collector's database (timingmat collect --db, simulate --db); opened read-only", Required = true, HelpName = "FILE" };
        var course = new Option<string?>("--course") { Description = "The course file: timing points in order, their units, cut-offs (docs/course-format.md); default the course the collector ran with (collect --course)", HelpName = "FILE" };
        var json = JsonOption.Create();
        var command = new Command(
            "audit",
            "Check a collected race against the race rules: every course timing point, in order, before its cut-off; two chips within 100 ms at non-start points. Exit 70 when any athlete is unranked or two chips travel together")
        {
            db,
            course,
            json,
        };
        command.SetAction(parse => Run(output, parse.GetValue(db)!, parse.GetValue(course), JsonOption.Target(parse, json)));
        return command;
    }

    private static int Run(CommandOutput output, string database, string? coursePath, string? json)
    {
        var course = coursePath == null ? null : RaceInputs.LoadCourse(coursePath);
        List<StoredPassing> passings;
        using (var race = RaceInputs.OpenDatabase(database))
        {
            course ??= RaceInputs.StoredCourse(race);
            passings = RaceInputs.ReadChipPassings(race);
        }

        var report = Audit(database, course, passings);
        if (json != JsonOption.StandardOutput)
        {
            Write(output.Out, report);
        }

        if (json != null)
        {
            output.WriteJson(report, json == JsonOption.StandardOutput ? null : json);
        }

        if (report.Unranked.Total > 0 || report.TwoChipPairs.Count > 0)
        {
            throw new CliException(
                ExitCode.RuleViolations,
                string.Create(CultureInfo.InvariantCulture, $"{report.Unranked.Total} of {report.Athletes} athlete(s) unranked, {report.TwoChipPairs.Count} two-chip pair(s)."),
                "review the athletes listed above before publishing results; a referee case shows what speaks for the athlete at a missing point.");
        }

        return (int)ExitCode.Ok;
    }

    /// <summary>Runs the audit on stored passings, each chip on the course one athlete.</summary>
    private static AuditReport Audit(string database, Course course, List<StoredPassing> passings)
    {
        // The database holds no registration: every chip read at a course point is one athlete, named by its chip.
        // That is the simulator's case too (one chip per athlete), so both audits judge the same athletes.
        var courseUnits = course.CoursePoints.SelectMany(p => p.Units).ToHashSet();
        var knownUnits = course.TimingPoints.SelectMany(p => p.Units).ToHashSet();
        var chips = passings.Where(p => courseUnits.Contains(p.Unit)).Select(p => p.ChipHex).Distinct().Order(StringComparer.Ordinal).ToList();
        var athletes = chips.Select((chip, i) => new AuditAthlete(i + 1, [chip])).ToList();
        var result = RaceRulesAudit.Run(
            course,
            athletes,
            passings.Select(p => new AuditPassing(p.Unit, p.Sequence, p.ChipHex, p.TimeUtcMicros, PassingKind.Crossing, p.Flags, p.Hits)));
        var unranked = result.Athletes.Where(a => a.Verdict != AthleteVerdict.Ranked).OrderBy(a => a.Bib).Select(a => Unranked(chips[a.Bib - 1], a)).ToList();
        return new AuditReport(
            database,
            course.Name,
            "chip",
            result.Athletes.Count,
            result.Count(AthleteVerdict.Ranked),
            new UnrankedCounts(unranked.Count, result.Count(AthleteVerdict.MissingMat), result.Count(AthleteVerdict.OutOfSequence), result.Count(AthleteVerdict.AfterCutoff)),
            passings.Count(p => !knownUnits.Contains(p.Unit)),
            [.. result.TwoChipPairs.Select(p => new TwoChipReport(p.ChipA, p.ChipB, p.MatsTogether, p.MatsBoth, p.LargestGapMicros / 1000.0))],
            unranked,
            result.RefereeCases.Count());
    }

    private static UnrankedAthlete Unranked(string chip, AthleteFinding finding)
    {
        var reasons = new List<string>();
        if (finding.MissingMats.Count > 0)
        {
            reasons.Add("missing mat: no crossing at " + string.Join(", ", finding.MissingMats));
        }

        if (finding.OutOfSequenceMats.Count > 0)
        {
            reasons.Add("out of sequence: crossed " + string.Join(", ", finding.OutOfSequenceMats) + " no later than the course point before it");
        }

        if (finding.AfterCutoffMats.Count > 0)
        {
            reasons.Add("after cut-off: passed " + string.Join(", ", finding.AfterCutoffMats) + " after its cut-off");
        }

        var verdict = finding.Verdict switch
        {
            AthleteVerdict.MissingMat => "missing_mat",
            AthleteVerdict.OutOfSequence => "out_of_sequence",
            _ => "after_cutoff",
        };
        var referee = finding.Referee?.Gaps.SelectMany(g => g.Evidence.Select(e => $"{g.TimingPoint}: {e.Kind}: {e.Detail}")).ToList();
        return new UnrankedAthlete(chip, verdict, reasons, finding.MissingMats, finding.OutOfSequenceMats, finding.AfterCutoffMats, referee);
    }

    private static void Write(TextWriter o, AuditReport r)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(c, $"Audit of {r.Database} against course '{r.Course}' (each chip one athlete):"));
        o.WriteLine(string.Create(c, $"  athletes on the course  {r.Athletes,7}"));
        o.WriteLine(string.Create(c, $"  ranked                  {r.Ranked,7}"));
        o.WriteLine(string.Create(c, $"  unranked                {r.Unranked.Total,7}   missing mat {r.Unranked.MissingMat}, out of sequence {r.Unranked.OutOfSequence}, after cut-off {r.Unranked.AfterCutoff}"));
        o.WriteLine(string.Create(c, $"  two-chip pairs          {r.TwoChipPairs.Count,7}"));
        o.WriteLine(string.Create(c, $"  referee cases           {r.RefereeCases,7}"));
        if (r.UnknownUnitPassings > 0)
        {
            o.WriteLine(string.Create(c, $"  not judged: {r.UnknownUnitPassings} passing(s) from units the course does not name (add them to the course file if they read a timing point)"));
        }

        if (r.UnrankedAthletes.Count > 0)
        {
            o.WriteLine("Unranked athletes:");
            foreach (var a in r.UnrankedAthletes)
            {
                o.WriteLine($"  chip {a.Chip}  {string.Join("; ", a.Reasons)}");
                foreach (var evidence in a.Referee ?? [])
                {
                    o.WriteLine($"      referee: {evidence}");
                }
            }
        }

        if (r.TwoChipPairs.Count > 0)
        {
            o.WriteLine("Two chips within 100 ms at non-start points (one runner carrying two chips):");
            foreach (var p in r.TwoChipPairs)
            {
                o.WriteLine(string.Create(c, $"  chip {p.ChipA} and chip {p.ChipB}: together at {p.MatsTogether} of the {p.MatsBoth} non-start point(s) both crossed, at most {p.LargestGapMs:0.#} ms apart"));
            }
        }
    }
}
