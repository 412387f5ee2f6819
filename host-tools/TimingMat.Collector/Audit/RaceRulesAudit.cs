using TimingMat.Collector.Courses;
using TimingMat.Core.Passings;
using TimingMat.Core.RaceDay;

namespace TimingMat.Collector.Audit;

/// <summary>
/// Checks delivered passings against the race rules, the way a timing crew reviews results before publishing: every
/// athlete must pass every course timing point, in course order, before each point's cut-off; and at every non-start
/// point, two different athletes' chips within 0.1 s of each other that keep travelling together mean one runner
/// carried two chips. A timing point's lines are merged first (<see cref="CrossingMerger"/>): a main and a backup line
/// give one crossing. Check-ins are not part of the course sequence. Test tags and markers are ignored.
/// </summary>
/// <remarks>
/// An athlete who lacks one timing point while the rest of their race is consistent is not silently unranked: the
/// finding carries a <see cref="RefereeCase"/> with the time window they were due there and the evidence
/// (<see cref="AuditResult.RefereeCases"/>), apart from the clear cases (two points missing, a finish with nothing for it).
/// </remarks>
public static class RaceRulesAudit
{
    /// <summary>Audits a race.</summary>
    /// <param name="course">The course: timing points in order and the units of their lines.</param>
    /// <param name="athletes">Registered athletes and their chips.</param>
    /// <param name="passings">Delivered passings (duplicates by unit and sequence are harmless).</param>
    /// <param name="options">Tuning, or null for the race rules' defaults.</param>
    /// <param name="faults">Faults the crew knows the timing points had, for the referee's evidence, or null.</param>
    /// <returns>Findings per athlete and the suspicious chip pairs.</returns>
    public static AuditResult Run(Course course, IReadOnlyList<AuditAthlete> athletes, IEnumerable<AuditPassing> passings, AuditOptions? options = null, IReadOnlyList<KnownFault>? faults = null)
    {
        options ??= new AuditOptions();
        var points = course.CoursePoints.ToList();
        var courseUnits = points.SelectMany(p => p.Units).ToHashSet();
        var knownUnits = course.TimingPoints.SelectMany(p => p.Units).ToHashSet();
        var bibOfChip = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var athlete in athletes)
        {
            foreach (var chip in athlete.ChipHexes)
            {
                bibOfChip[chip] = athlete.Bib;
            }
        }

        var toMerge = new List<CoursePassing>();
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var p in passings)
        {
            if (p.Kind != PassingKind.Crossing || (p.Flags & PassingFlags.TestTag) != 0 || !knownUnits.Contains(p.UnitId))
            {
                continue;
            }

            if (courseUnits.Contains(p.UnitId) && !bibOfChip.ContainsKey(p.ChipHex))
            {
                unknown.Add(p.ChipHex);
            }

            toMerge.Add(new CoursePassing(p.UnitId, p.Sequence, p.ChipHex, p.TimeUtcMicros, p.Hits));
        }

        var crossings = CrossingMerger.Merge(course, toMerge);

        // Earliest crossing per chip per course point; a chip read twice at a point (re-crossing, continuous mode) counts once.
        var index = points.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var firstAt = new Dictionary<(string Chip, int Point), long>();
        var backupOnly = new Dictionary<(string Chip, int Point), MergedCrossing>();
        foreach (var c in crossings)
        {
            if (!index.TryGetValue(c.TimingPoint, out var i))
            {
                continue;
            }

            var key = (c.ChipHex, i);
            if (!options.BackupLinesDecide && c.LinesRead == 1 && c.Line != 1)
            {
                backupOnly.TryAdd(key, c);
                continue;
            }

            if (!firstAt.TryGetValue(key, out var t) || c.TimeUtcMicros < t)
            {
                firstAt[key] = c.TimeUtcMicros;
            }
        }

        var times = new Dictionary<int, long?[]>();
        var findings = new List<AthleteFinding>();
        foreach (var athlete in athletes)
        {
            var athleteTimes = TimesOf(athlete, points.Count, firstAt);
            var finding = Judge(athlete, points, athleteTimes);
            if (finding != null)
            {
                times[athlete.Bib] = athleteTimes;
                findings.Add(finding);
            }
        }

        var referee = new RefereeEvidenceFinder(points, times, backupOnly, faults ?? [], options);
        for (var i = 0; i < findings.Count; i++)
        {
            if (referee.CaseFor(findings[i], athletes) is { } refereeCase)
            {
                findings[i] = findings[i] with { Referee = refereeCase };
            }
        }

        return new AuditResult(findings, FindTwoChipPairs(points, firstAt, bibOfChip, options), [.. unknown], crossings);
    }

    private static long?[] TimesOf(AuditAthlete athlete, int points, Dictionary<(string Chip, int Point), long> firstAt)
    {
        // An athlete's time at a point is the earliest crossing of any chip registered to them.
        var times = new long?[points];
        for (var i = 0; i < points; i++)
        {
            foreach (var chip in athlete.ChipHexes)
            {
                if (firstAt.TryGetValue((chip, i), out var t) && (times[i] == null || t < times[i]))
                {
                    times[i] = t;
                }
            }
        }

        return times;
    }

    private static AthleteFinding? Judge(AuditAthlete athlete, List<TimingPoint> course, long?[] times)
    {
        if (times.All(t => t == null))
        {
            return null; // never on the course: did not start
        }

        var missing = new List<string>();
        var outOfSequence = new List<string>();
        var afterCutoff = new List<string>();
        long? previous = null;
        for (var i = 0; i < course.Count; i++)
        {
            if (times[i] is not { } t)
            {
                missing.Add(course[i].Name);
                continue;
            }

            if (previous is { } p && t <= p)
            {
                outOfSequence.Add(course[i].Name);
            }

            if (course[i].CutoffUtcMicros is { } cutoff && t > cutoff)
            {
                afterCutoff.Add(course[i].Name);
            }

            previous = t;
        }

        var verdict = missing.Count > 0 ? AthleteVerdict.MissingMat
            : outOfSequence.Count > 0 ? AthleteVerdict.OutOfSequence
            : afterCutoff.Count > 0 ? AthleteVerdict.AfterCutoff
            : AthleteVerdict.Ranked;
        var start = course.FindIndex(p => p.Role == UnitRole.Start);
        var finish = course.FindIndex(p => p.Role == UnitRole.Finish);
        long? net = start >= 0 && finish >= 0 && times[start] is { } s && times[finish] is { } f ? f - s : null;
        return new AthleteFinding(athlete.Bib, verdict, missing, outOfSequence, afterCutoff, net);
    }

    private static List<TwoChipPair> FindTwoChipPairs(List<TimingPoint> course, Dictionary<(string Chip, int Point), long> firstAt, Dictionary<string, int> bibOfChip, AuditOptions options)
    {
        var nonStart = Enumerable.Range(0, course.Count).Where(i => course[i].Role != UnitRole.Start).ToList();
        var byPoint = firstAt.GroupBy(kv => kv.Key.Point).ToDictionary(g => g.Key, g => g.Select(kv => (Chip: kv.Key.Chip, Time: kv.Value)).OrderBy(x => x.Time).ToList());
        var together = new Dictionary<(string A, string B), (int Mats, long Gap)>();
        foreach (var point in nonStart)
        {
            if (!byPoint.TryGetValue(point, out var atPoint))
            {
                continue;
            }

            for (var i = 0; i < atPoint.Count; i++)
            {
                for (var j = i + 1; j < atPoint.Count && atPoint[j].Time - atPoint[i].Time <= options.TwoChipWindowMicros; j++)
                {
                    var a = atPoint[i].Chip;
                    var b = atPoint[j].Chip;
                    if (bibOfChip.TryGetValue(a, out var bibA) && bibOfChip.TryGetValue(b, out var bibB) && bibA == bibB)
                    {
                        continue; // one athlete's own second chip
                    }

                    var key = string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
                    var gap = atPoint[j].Time - atPoint[i].Time;
                    together[key] = together.TryGetValue(key, out var seen) ? (seen.Mats + 1, Math.Max(seen.Gap, gap)) : (1, gap);
                }
            }
        }

        var required = Math.Min(options.MinMatsTogether, nonStart.Count);
        var pairs = new List<TwoChipPair>();
        foreach (var ((a, b), (mats, gap)) in together)
        {
            if (mats < required)
            {
                continue;
            }

            var both = nonStart.Count(p => firstAt.ContainsKey((a, p)) && firstAt.ContainsKey((b, p)));
            if (mats >= options.MinShareTogether * both)
            {
                pairs.Add(new TwoChipPair(a, b, Bib(bibOfChip, a), Bib(bibOfChip, b), mats, both, gap));
            }
        }

        return [.. pairs.OrderBy(p => p.ChipA, StringComparer.Ordinal).ThenBy(p => p.ChipB, StringComparer.Ordinal)];
    }

    private static int? Bib(Dictionary<string, int> bibOfChip, string chip) => bibOfChip.TryGetValue(chip, out var bib) ? bib : null;
}
