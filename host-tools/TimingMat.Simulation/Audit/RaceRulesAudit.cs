using TimingMat.Core.Passings;
using TimingMat.Core.RaceDay;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Simulation.Audit;

/// <summary>
/// Checks delivered passings against the race rules, the way a timing crew reviews results before publishing:
/// every athlete must pass every course mat, in course order, before each mat's cut-off; and at every non-start mat,
/// two different athletes' chips read within 0.1 s of each other that keep travelling together mean one runner
/// carried two chips. Check-in mats are not part of the course sequence. Test tags and markers are ignored.
/// </summary>
public static class RaceRulesAudit
{
    /// <summary>Audits a race.</summary>
    /// <param name="mats">Every mat of the course (check-in mats may be included; they are skipped).</param>
    /// <param name="athletes">Registered athletes and their chips.</param>
    /// <param name="passings">Delivered passings (duplicates by unit and sequence are harmless).</param>
    /// <param name="options">Tuning, or null for the race rules' defaults.</param>
    /// <returns>Findings per athlete and the suspicious chip pairs.</returns>
    public static AuditResult Run(IReadOnlyList<AuditMat> mats, IReadOnlyList<AuditAthlete> athletes, IEnumerable<AuditPassing> passings, AuditOptions? options = null)
    {
        options ??= new AuditOptions();
        var course = mats.Where(m => m.Role != UnitRole.CheckIn).OrderBy(m => m.Km).ToList();
        var courseIds = course.Select(m => m.UnitId).ToHashSet();
        var bibOfChip = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var athlete in athletes)
        {
            foreach (var chip in athlete.ChipHexes)
            {
                bibOfChip[chip] = athlete.Bib;
            }
        }

        // Earliest passing per chip per course mat; a chip read twice at a mat (re-crossing, continuous mode) counts once.
        var firstAt = new Dictionary<(string Chip, int Unit), long>();
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var p in passings)
        {
            if (p.Kind != PassingKind.Crossing || (p.Flags & PassingFlags.TestTag) != 0 || !courseIds.Contains(p.UnitId))
            {
                continue;
            }

            if (!bibOfChip.ContainsKey(p.ChipHex))
            {
                unknown.Add(p.ChipHex);
            }

            var key = (p.ChipHex, p.UnitId);
            if (!firstAt.TryGetValue(key, out var t) || p.TimeUtcMicros < t)
            {
                firstAt[key] = p.TimeUtcMicros;
            }
        }

        var findings = new List<AthleteFinding>();
        foreach (var athlete in athletes)
        {
            var finding = Judge(athlete, course, firstAt);
            if (finding != null)
            {
                findings.Add(finding);
            }
        }

        return new AuditResult(findings, FindTwoChipPairs(course, firstAt, bibOfChip, options), [.. unknown]);
    }

    private static AthleteFinding? Judge(AuditAthlete athlete, List<AuditMat> course, Dictionary<(string Chip, int Unit), long> firstAt)
    {
        // An athlete's time at a mat is the earliest read of any chip registered to them.
        var times = new long?[course.Count];
        for (var i = 0; i < course.Count; i++)
        {
            foreach (var chip in athlete.ChipHexes)
            {
                if (firstAt.TryGetValue((chip, course[i].UnitId), out var t) && (times[i] == null || t < times[i]))
                {
                    times[i] = t;
                }
            }
        }

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

            if (t > course[i].CutoffUtcMicros)
            {
                afterCutoff.Add(course[i].Name);
            }

            previous = t;
        }

        var verdict = missing.Count > 0 ? AthleteVerdict.MissingMat
            : outOfSequence.Count > 0 ? AthleteVerdict.OutOfSequence
            : afterCutoff.Count > 0 ? AthleteVerdict.AfterCutoff
            : AthleteVerdict.Ranked;
        long? net = times[0] is { } start && times[^1] is { } finish ? finish - start : null;
        return new AthleteFinding(athlete.Bib, verdict, missing, outOfSequence, afterCutoff, net);
    }

    private static List<TwoChipPair> FindTwoChipPairs(List<AuditMat> course, Dictionary<(string Chip, int Unit), long> firstAt, Dictionary<string, int> bibOfChip, AuditOptions options)
    {
        var nonStart = course.Where(m => m.Role != UnitRole.Start).Select(m => m.UnitId).ToList();
        var together = new Dictionary<(string A, string B), (int Mats, long Gap)>();
        foreach (var unit in nonStart)
        {
            var atMat = firstAt.Where(kv => kv.Key.Unit == unit).Select(kv => (Chip: kv.Key.Chip, Time: kv.Value)).OrderBy(x => x.Time).ToList();
            for (var i = 0; i < atMat.Count; i++)
            {
                for (var j = i + 1; j < atMat.Count && atMat[j].Time - atMat[i].Time <= options.TwoChipWindowMicros; j++)
                {
                    var a = atMat[i].Chip;
                    var b = atMat[j].Chip;
                    if (bibOfChip.TryGetValue(a, out var bibA) && bibOfChip.TryGetValue(b, out var bibB) && bibA == bibB)
                    {
                        continue; // one athlete's own second chip
                    }

                    var key = string.CompareOrdinal(a, b) < 0 ? (a, b) : (b, a);
                    var gap = atMat[j].Time - atMat[i].Time;
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

            var both = nonStart.Count(u => firstAt.ContainsKey((a, u)) && firstAt.ContainsKey((b, u)));
            if (mats >= options.MinShareTogether * both)
            {
                pairs.Add(new TwoChipPair(a, b, Bib(bibOfChip, a), Bib(bibOfChip, b), mats, both, gap));
            }
        }

        return [.. pairs.OrderBy(p => p.ChipA, StringComparer.Ordinal).ThenBy(p => p.ChipB, StringComparer.Ordinal)];
    }

    private static int? Bib(Dictionary<string, int> bibOfChip, string chip) => bibOfChip.TryGetValue(chip, out var bib) ? bib : null;
}
