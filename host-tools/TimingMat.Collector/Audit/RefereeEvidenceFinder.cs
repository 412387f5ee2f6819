using System.Globalization;
using TimingMat.Collector.Courses;
using TimingMat.Core.RaceDay;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Collector.Audit;

/// <summary>
/// Decides which athletes missing timing points go to the referee, and with what. An athlete qualifies when the points
/// they have are in order and something speaks for them at every point they lack: the point had a known fault then,
/// it missed many of the runners around them too, it missed far more runners all race than the other points did, a
/// backup line read them (when backup lines only count as evidence), or — for one missing point — their pace across
/// the gap matches their own pace elsewhere. Everyone else missing a point is a clear case (a point with nothing for
/// it: most often a runner who dropped out).
/// </summary>
internal sealed class RefereeEvidenceFinder(
    List<TimingPoint> points,
    Dictionary<int, long?[]> times,
    Dictionary<(string Chip, int Point), MergedCrossing> backupOnly,
    IReadOnlyList<KnownFault> faults,
    AuditOptions options)
{
    /// <summary>Runners due at the missing point within this of the athlete are their company there.</summary>
    private const long CompanyMicros = 60 * Second;

    /// <summary>Runners due further than this from the athlete show what the point usually misses.</summary>
    private const long ElsewhereMicros = 5 * 60 * Second;

    /// <summary>A point's miss rate over fewer runners than this says nothing.</summary>
    private const int MinRunnersForARate = 50;

    private readonly Dictionary<int, (double Rate, int Due)> _rate = [];

    /// <summary>Gives the athlete's referee case, or null for a clear case (or no missing point).</summary>
    /// <param name="finding">The athlete's finding.</param>
    /// <param name="athletes">Every athlete (for their chips).</param>
    /// <returns>The case, or null.</returns>
    public RefereeCase? CaseFor(AthleteFinding finding, IReadOnlyList<AuditAthlete> athletes)
    {
        if (finding.Verdict != AthleteVerdict.MissingMat || finding.OutOfSequenceMats.Count > 0)
        {
            return null;
        }

        var t = times[finding.Bib];
        var athlete = athletes.First(a => a.Bib == finding.Bib);
        var gaps = new List<RefereeGap>();
        foreach (var name in finding.MissingMats)
        {
            var m = points.FindIndex(p => p.Name == name);
            var previous = Neighbour(t, m, -1);
            var next = Neighbour(t, m, +1);
            if (Window(t, m, previous, next) is not { } window)
            {
                return null;
            }

            var evidence = Evidence(finding.Bib, athlete, t, m, previous, next, window, single: finding.MissingMats.Count == 1);
            if (evidence.Count == 0)
            {
                return null; // nothing speaks for them at this point: a clear case
            }

            gaps.Add(new RefereeGap(points[m].Name, window.From, window.To, evidence));
        }

        return new RefereeCase(finding.Bib, gaps);
    }

    private List<RefereeEvidence> Evidence(int bib, AuditAthlete athlete, long?[] t, int m, int? previous, int? next, (long From, long To) window, bool single)
    {
        var evidence = new List<RefereeEvidence>();
        var point = points[m];
        foreach (var fault in faults.Where(f => f.TimingPoint == point.Name && f.FromUtcMicros <= window.To + CompanyMicros && f.ToUtcMicros >= window.From - CompanyMicros))
        {
            evidence.Add(new RefereeEvidence("mat_fault", $"{point.Name} had a known fault from {Clock(fault.FromUtcMicros)} to {Clock(fault.ToUtcMicros)}: {fault.What}"));
        }

        if (MatGap(bib, m, previous, next) is { } gap)
        {
            evidence.Add(gap);
        }

        if (MatRate(m) is { } rate)
        {
            evidence.Add(rate);
        }

        foreach (var chip in athlete.ChipHexes)
        {
            if (backupOnly.TryGetValue((chip, m), out var crossing))
            {
                evidence.Add(new RefereeEvidence("backup_line", $"{point.Name}'s backup line (unit {crossing.Unit}) read the chip at {Clock(crossing.Passings.First(p => p.Unit == crossing.Unit).TimeUtcMicros)} ({crossing.Hits} reads); line 1 did not"));
            }
        }

        // Pace speaks for one point between two others, and for a start the runner ran on from; a finish needs more.
        if (single && point.Role != UnitRole.Finish && Pace(t, m, previous, next) is { } pace)
        {
            evidence.Add(pace);
        }

        return evidence;
    }

    private static string Clock(long utcMicros) => DateTime.UnixEpoch.AddTicks(utcMicros * 10).ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";

    private static string PaceText(double secondsPerKm) =>
        string.Create(CultureInfo.InvariantCulture, $"{(int)(secondsPerKm / 60)}:{(int)(secondsPerKm % 60):00} min/km");

    private int? Neighbour(long?[] t, int m, int step)
    {
        for (var i = m + step; i >= 0 && i < points.Count; i += step)
        {
            if (t[i] != null)
            {
                return i;
            }
        }

        return null;
    }

    private double SecondsPerKm(long?[] t, int a, int b) => (t[b]!.Value - t[a]!.Value) / 1e6 / (points[b].Km - points[a].Km);

    // When the athlete was due at the missing point: between the neighbours at the gap's own pace ± the tolerance, or
    // from one neighbour at the pace of the section beyond it, or from one neighbour as the other runners took the section.
    private (long From, long To)? Window(long?[] t, int m, int? previous, int? next)
    {
        var km = points[m].Km;
        var tolerance = options.PaceTolerance;
        if (previous is { } p && next is { } n)
        {
            var pace = SecondsPerKm(t, p, n);
            var from = t[p]!.Value + (long)((km - points[p].Km) * pace * (1 - tolerance) * 1e6);
            var to = t[p]!.Value + (long)((km - points[p].Km) * pace * (1 + tolerance) * 1e6);
            return (Math.Max(from, t[p]!.Value), Math.Min(to, t[n]!.Value));
        }

        if (next is { } only && Neighbour(t, only, +1) is { } beyond)
        {
            var pace = SecondsPerKm(t, only, beyond);
            var seconds = (points[only].Km - km) * pace;
            return (t[only]!.Value - (long)(seconds * (1 + tolerance) * 1e6), t[only]!.Value - (long)(seconds * (1 - tolerance) * 1e6));
        }

        if (previous is { } before && Neighbour(t, before, -1) is { } earlier)
        {
            var pace = SecondsPerKm(t, earlier, before);
            var seconds = (km - points[before].Km) * pace;
            return (t[before]!.Value + (long)(seconds * (1 - tolerance) * 1e6), t[before]!.Value + (long)(seconds * (1 + tolerance) * 1e6));
        }

        // Only one point of theirs near the gap: the other runners' times between the two points (10th to 90th percentile).
        if ((previous ?? next) is not { } k)
        {
            return null;
        }

        var spans = times.Values.Where(o => o[k] != null && o[m] != null).Select(o => o[m]!.Value - o[k]!.Value).Order().ToList();
        if (spans.Count < 5)
        {
            return null;
        }

        return (t[k]!.Value + spans[spans.Count / 10], t[k]!.Value + spans[spans.Count * 9 / 10]);
    }

    // The runners due at the point within a minute of the athlete (by their own neighbouring points): if the point
    // missed far more of them than of the runners due there at other times, it failed then.
    private RefereeEvidence? MatGap(int bib, int m, int? previous, int? next)
    {
        var expected = Due(times[bib], m, previous, next);
        if (expected == null)
        {
            return null;
        }

        int company = 0, missing = 0, elsewhere = 0, missedElsewhere = 0;
        foreach (var (other, t) in times)
        {
            if (other == bib || Due(t, m, previous, next) is not { } due)
            {
                continue;
            }

            var apart = Math.Abs(due - expected.Value);
            if (apart <= CompanyMicros)
            {
                company++;
                missing += t[m] == null ? 1 : 0;
            }
            else if (apart > ElsewhereMicros)
            {
                elsewhere++;
                missedElsewhere += t[m] == null ? 1 : 0;
            }
        }

        var usual = elsewhere == 0 ? 0 : (double)missedElsewhere / elsewhere;
        if (missing < 3 || missing < Math.Max(5 * usual, 0.02) * company)
        {
            return null;
        }

        return new RefereeEvidence("mat_gap", string.Create(CultureInfo.InvariantCulture, $"{points[m].Name} has no crossing of {missing} of the {company} runners due there within a minute of this athlete, where it missed {100 * usual:0.0#} % of the others: a fault nobody logged is likely"));
    }

    // A point that missed far more of the runners who went on past it, all race, than the other points did.
    private RefereeEvidence? MatRate(int m)
    {
        var (rate, due) = MissRateOf(m);
        if (due < MinRunnersForARate || rate * due < 3)
        {
            return null; // too few runners to tell a bad point from a few dropouts
        }

        var others = Enumerable.Range(0, points.Count).Where(i => i != m).Select(MissRate).Order().ToList();
        var typical = others.Count == 0 ? 0 : others[(others.Count - 1) / 2]; // the lower median: one other bad point does not hide this one
        if (rate < Math.Max(5 * typical, 0.01))
        {
            return null;
        }

        return new RefereeEvidence("mat_rate", string.Create(CultureInfo.InvariantCulture, $"{points[m].Name} has no crossing of {100 * rate:0.0#} % of the runners who went on past it, the other points of {100 * typical:0.0#} %: the point misses runners"));
    }

    // When a runner was due at the point, from the same neighbouring points as the athlete's (null when they lack them).
    private long? Due(long?[] t, int m, int? previous, int? next)
    {
        if (previous is { } p && next is { } n)
        {
            return t[p] is { } tp && t[n] is { } tn ? tp + (long)((tn - tp) * (points[m].Km - points[p].Km) / (points[n].Km - points[p].Km)) : null;
        }

        return previous is { } only ? t[only] : next is { } after ? t[after] : null;
    }

    private double MissRate(int m) => MissRateOf(m).Rate;

    // Share of the runners who went on past the point (or, at the last point, reached the one before it) that it missed.
    private (double Rate, int Due) MissRateOf(int m)
    {
        if (_rate.TryGetValue(m, out var known))
        {
            return known;
        }

        int due = 0, missed = 0;
        foreach (var t in times.Values)
        {
            var wentOn = m == points.Count - 1 ? m > 0 && t[m - 1] != null : t.Skip(m + 1).Any(x => x != null);
            if (wentOn)
            {
                due++;
                missed += t[m] == null ? 1 : 0;
            }
        }

        var result = (due == 0 ? 0 : (double)missed / due, due);
        _rate[m] = result;
        return result;
    }

    private RefereeEvidence? Pace(long?[] t, int m, int? previous, int? next)
    {
        if (previous is { } p && next is { } n)
        {
            var gap = SecondsPerKm(t, p, n);
            var own = OwnPace(t, p, n);
            if (own is { } o && Math.Abs((gap / o) - 1) <= options.PaceTolerance)
            {
                return new RefereeEvidence("pace", $"{PaceText(gap)} from {points[p].Name} to {points[n].Name} across {points[m].Name}, {PaceText(o)} over the rest of the race");
            }

            return null;
        }

        if (next is { } first && Neighbour(t, first, +1) is { } second)
        {
            return new RefereeEvidence("pace", $"ran on: {points[first].Name} at {Clock(t[first]!.Value)}, {points[second].Name} at {Clock(t[second]!.Value)} ({PaceText(SecondsPerKm(t, first, second))})");
        }

        return null;
    }

    // The athlete's median pace over the sections between consecutive points they have, the gap's left out.
    private double? OwnPace(long?[] t, int gapFrom, int gapTo)
    {
        var paces = new List<double>();
        int? last = null;
        for (var i = 0; i < points.Count; i++)
        {
            if (t[i] == null)
            {
                continue;
            }

            if (last is { } l && !(l == gapFrom && i == gapTo) && points[i].Km > points[l].Km)
            {
                paces.Add(SecondsPerKm(t, l, i));
            }

            last = i;
        }

        if (paces.Count == 0)
        {
            return null;
        }

        paces.Sort();
        return paces[paces.Count / 2];
    }
}
