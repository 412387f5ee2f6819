using System.CommandLine;
using System.Globalization;
using TimingMat.Cli.Infrastructure;
using TimingMat.Collector;
using TimingMat.Collector.Audit;
using TimingMat.Collector.Courses;
using TimingMat.Core.Passings;

namespace TimingMat.Cli.Commands.RaceResults;

/// <summary>
/// <c>timingmat audit --db race.db [--course course.cfg] [--athletes athletes.csv] [--json]</c>: the race-rules audit (<see cref="RaceRulesAudit"/>,
/// the one the simulator's report runs) on a collected database, opened read-only. Exit 70 when any athlete is
/// unranked or two chips travel together, with the reasons per athlete.
/// </summary>
internal static class AuditCommand
{
    public static Command Create(CommandOutput output)
    {
        var db = new Option<string>("--db") { Description = "The collector's database (timingmat collect --db, simulate --db); opened read-only", Required = true, HelpName = "FILE" };
        var course = new Option<string?>("--course") { Description = "The course file: timing points in order, their units, cut-offs (docs/course-format.md); default the course the collector ran with (collect --course)", HelpName = "FILE" };
        var athletes = new Option<string?>("--athletes") { Description = "The registration, bib,chip per line: results by bib, an athlete's second chip is theirs (default: each chip one athlete)", HelpName = "FILE" };
        var json = JsonOption.Create();
        var command = new Command(
            "audit",
            "Check a collected race against the race rules: every course timing point, in order, before its cut-off; two chips within 100 ms at non-start points. Exit 70 when any athlete is unranked or two chips travel together")
        {
            db,
            course,
            athletes,
            json,
        };
        command.SetAction(parse => Run(output, parse.GetValue(db)!, parse.GetValue(course), parse.GetValue(athletes), JsonOption.Target(parse, json)));
        return command;
    }

    private static int Run(CommandOutput output, string database, string? coursePath, string? athletesPath, string? json)
    {
        var course = coursePath == null ? null : RaceInputs.LoadCourse(coursePath);
        var registration = athletesPath == null ? null : LoadAthletes(athletesPath);
        List<StoredPassing> passings;
        using (var race = RaceInputs.OpenDatabase(database))
        {
            course ??= RaceInputs.StoredCourse(race);
            passings = RaceInputs.ReadChipPassings(race);
        }

        var report = Audit(database, course, registration, passings);
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

    private static List<AuditAthlete> LoadAthletes(string path)
    {
        var text = System.Text.Encoding.UTF8.GetString(InputFiles.ReadAllBytes(path));
        try
        {
            return AthleteListFile.Parse(text, path);
        }
        catch (CourseException e)
        {
            throw new CliException(ExitCode.InvalidInput, $"--athletes: {e.Message}.", "fix that line: bib,chip per line (the registration's bib and the chip's EPC in hex).");
        }
    }

    /// <summary>Runs the audit on stored passings: by bib with a registration, else each chip on the course one athlete.</summary>
    private static AuditReport Audit(string database, Course course, List<AuditAthlete>? registration, List<StoredPassing> passings)
    {
        // Without a registration every chip read at a course point is one athlete, named by its chip. That is the
        // simulator's case too (one chip per athlete), so both audits judge the same athletes.
        var courseUnits = course.CoursePoints.SelectMany(p => p.Units).ToHashSet();
        var knownUnits = course.TimingPoints.SelectMany(p => p.Units).ToHashSet();
        var athletes = registration ?? [.. passings.Where(p => courseUnits.Contains(p.Unit)).Select(p => p.ChipHex).Distinct().Order(StringComparer.Ordinal).Select((chip, i) => new AuditAthlete(i + 1, [chip]))];
        var byBib = athletes.ToDictionary(a => a.Bib);
        int? BibOf(int? bib) => registration == null ? null : bib;
        var result = RaceRulesAudit.Run(
            course,
            athletes,
            passings.Select(p => new AuditPassing(p.Unit, p.Sequence, p.ChipHex, p.TimeUtcMicros, PassingKind.Crossing, p.Flags, p.Hits)));
        var unranked = result.Athletes.Where(a => a.Verdict != AthleteVerdict.Ranked).OrderBy(a => a.Bib).Select(a => Unranked(BibOf(a.Bib), string.Join(' ', byBib[a.Bib].ChipHexes), a)).ToList();
        return new AuditReport(
            database,
            course.Name,
            registration == null ? "chip" : "bib",
            result.Athletes.Count,
            result.Count(AthleteVerdict.Ranked),
            new UnrankedCounts(unranked.Count, result.Count(AthleteVerdict.MissingMat), result.Count(AthleteVerdict.OutOfSequence), result.Count(AthleteVerdict.AfterCutoff)),
            passings.Count(p => !knownUnits.Contains(p.Unit)),
            registration == null ? [] : result.UnknownChips,
            [.. result.TwoChipPairs.Select(p => new TwoChipReport(p.ChipA, p.ChipB, BibOf(p.BibA), BibOf(p.BibB), p.MatsTogether, p.MatsBoth, p.LargestGapMicros / 1000.0))],
            unranked,
            result.RefereeCases.Count());
    }

    private static UnrankedAthlete Unranked(int? bib, string chip, AthleteFinding finding)
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
        return new UnrankedAthlete(bib, chip, verdict, reasons, finding.MissingMats, finding.OutOfSequenceMats, finding.AfterCutoffMats, referee);
    }

    private static void Write(TextWriter o, AuditReport r)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine(string.Create(c, $"Audit of {r.Database} against course '{r.Course}' ({(r.IdentifiedBy == "bib" ? "athletes by bib from the registration" : "each chip one athlete")}):"));
        o.WriteLine(string.Create(c, $"  athletes on the course  {r.Athletes,7}"));
        o.WriteLine(string.Create(c, $"  ranked                  {r.Ranked,7}"));
        o.WriteLine(string.Create(c, $"  unranked                {r.Unranked.Total,7}   missing mat {r.Unranked.MissingMat}, out of sequence {r.Unranked.OutOfSequence}, after cut-off {r.Unranked.AfterCutoff}"));
        o.WriteLine(string.Create(c, $"  two-chip pairs          {r.TwoChipPairs.Count,7}"));
        o.WriteLine(string.Create(c, $"  referee cases           {r.RefereeCases,7}"));
        if (r.UnknownUnitPassings > 0)
        {
            o.WriteLine(string.Create(c, $"  not judged: {r.UnknownUnitPassings} passing(s) from units the course does not name (add them to the course file if they read a timing point)"));
        }

        if (r.UnregisteredChips.Count > 0)
        {
            var shown = string.Join(", ", r.UnregisteredChips.Take(10)) + (r.UnregisteredChips.Count > 10 ? ", …" : string.Empty);
            o.WriteLine(string.Create(c, $"  not judged: {r.UnregisteredChips.Count} chip(s) read on the course that the registration does not name: {shown}"));
        }

        if (r.UnrankedAthletes.Count > 0)
        {
            o.WriteLine("Unranked athletes:");
            foreach (var a in r.UnrankedAthletes)
            {
                o.WriteLine($"  {(a.Bib is { } bib ? $"bib {bib} (chip {a.Chip})" : $"chip {a.Chip}")}  {string.Join("; ", a.Reasons)}");
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
                o.WriteLine(string.Create(c, $"  chip {p.ChipA}{(p.BibA is { } a ? $" (bib {a})" : string.Empty)} and chip {p.ChipB}{(p.BibB is { } b ? $" (bib {b})" : string.Empty)}: together at {p.MatsTogether} of the {p.MatsBoth} non-start point(s) both crossed, at most {p.LargestGapMs:0.#} ms apart"));
            }
        }
    }
}
