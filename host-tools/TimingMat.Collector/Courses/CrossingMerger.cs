using TimingMat.Core.RaceDay;

namespace TimingMat.Collector.Courses;

/// <summary>
/// Merges the passings of a course's units into crossings: per (timing point, chip), the passings of the point's
/// lines closer than the merge window are one crossing, timed by the better-read line (most reads) and moved to line
/// 1 at the runner's speed; the other passings are kept as evidence. Nothing is counted twice, and a chip one line
/// missed still has its crossing from the other.
/// </summary>
/// <remarks>
/// <para>
/// A line <c>d</c> metres after line 1 sees the runner <c>d / v</c> later, so its time is moved back by that. The speed
/// comes from, in order: both lines' passings of the chip (then the moved time is line 1's own: the pair fixes the
/// speed and nothing else); the chip's pace over the course section next to the point (its crossings at the
/// neighbouring points); or a typical speed for the point's role (<see cref="TypicalSpeedMps"/>). The last two matter
/// only for chips one line missed.
/// </para>
/// <para>
/// The result depends only on the course and the chip's own passings, in whatever order they came: the collector
/// re-merges a chip whenever one of its passings arrives, and the audit merges a whole race, with the same answer.
/// </para>
/// </remarks>
public static class CrossingMerger
{
    private const double MinSpeedMps = 0.3;
    private const double MaxSpeedMps = 12;

    /// <summary>Gets the speed assumed at a point of a role when the chip's own passings give none, m/s.</summary>
    /// <param name="role">The point's role.</param>
    /// <returns>A check-in is walked (1.3 m/s), a start jogged in a crowd (2 m/s), the course run (3 m/s).</returns>
    public static double TypicalSpeedMps(UnitRole role) => role switch
    {
        UnitRole.CheckIn => 1.3,
        UnitRole.Start => 2.0,
        _ => 3.0,
    };

    /// <summary>Merges every chip's passings.</summary>
    /// <param name="course">The course (which units form which point's lines).</param>
    /// <param name="passings">Crossing passings (markers and test tags left out by the caller); units the course does not know are ignored.</param>
    /// <returns>The crossings, by chip, then in course order and time.</returns>
    public static List<MergedCrossing> Merge(Course course, IEnumerable<CoursePassing> passings)
    {
        var result = new List<MergedCrossing>();
        foreach (var chip in passings.GroupBy(p => p.ChipHex, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            result.AddRange(MergeChip(course, [.. chip]));
        }

        return result;
    }

    /// <summary>Merges one chip's passings.</summary>
    /// <param name="course">The course.</param>
    /// <param name="passings">Every crossing passing of the chip, in any order.</param>
    /// <returns>Its crossings in course order and time.</returns>
    /// <remarks>A collector calls this for every passing it stores, so it keeps to loops over the chip's few passings.</remarks>
    public static List<MergedCrossing> MergeChip(Course course, IReadOnlyList<CoursePassing> passings)
    {
        // The chip's passings by timing point, each point's in time order.
        var byPoint = new List<CoursePassing>?[course.TimingPoints.Count];
        foreach (var passing in passings)
        {
            if (course.TryFindIndex(passing.Unit, out var index, out _))
            {
                (byPoint[index] ??= []).Add(passing);
            }
        }

        // Clusters per point: the passings within the window of the cluster's first.
        var clusters = new List<Cluster>();
        for (var i = 0; i < byPoint.Length; i++)
        {
            if (byPoint[i] is not { } atPoint)
            {
                continue;
            }

            atPoint.Sort(s_inTimeOrder);
            Cluster? current = null;
            foreach (var p in atPoint)
            {
                if (current == null || p.TimeUtcMicros - current.Passings[0].TimeUtcMicros > course.MergeWindowMicros)
                {
                    current = new Cluster(course.TimingPoints[i]);
                    clusters.Add(current);
                }

                current.Passings.Add(p);
            }
        }

        foreach (var cluster in clusters)
        {
            cluster.Choose(course);
        }

        foreach (var cluster in clusters)
        {
            if (cluster.TimeUtcMicros == null)
            {
                var pace = PaceNear(cluster, clusters);
                cluster.Move(pace ?? TypicalSpeedMps(cluster.Point.Role), pace == null ? "typical" : "pace");
            }
        }

        var result = new List<MergedCrossing>(clusters.Count);
        foreach (var cluster in clusters)
        {
            result.Add(cluster.ToCrossing());
        }

        return result;
    }

    private static readonly Comparison<CoursePassing> s_inTimeOrder = (a, b) =>
        a.TimeUtcMicros != b.TimeUtcMicros ? a.TimeUtcMicros.CompareTo(b.TimeUtcMicros)
        : a.Unit != b.Unit ? a.Unit.CompareTo(b.Unit)
        : a.Sequence.CompareTo(b.Sequence);

    // The chip's speed at the point from its pace around it: over the stretch between its crossings at the course
    // points either side (a pace that drifts through the race evens out), else over the section before or after it.
    // None at a start (a jog in a crowd) or a check-in.
    private static double? PaceNear(Cluster cluster, List<Cluster> clusters)
    {
        var point = cluster.Point;
        if (point.Role is UnitRole.Start or UnitRole.CheckIn)
        {
            return null;
        }

        var time = cluster.Chosen!.TimeUtcMicros;
        Cluster? before = null;
        Cluster? after = null;
        foreach (var c in clusters)
        {
            if (c.Point.Role == UnitRole.CheckIn)
            {
                continue;
            }

            // The nearest point before (its latest crossing before this one) and after (its earliest after).
            if (c.Point.Km < point.Km && c.RawTimeUtcMicros < time
                && (before == null || c.Point.Km > before.Point.Km || (c.Point.Km == before.Point.Km && c.RawTimeUtcMicros > before.RawTimeUtcMicros)))
            {
                before = c;
            }
            else if (c.Point.Km > point.Km && c.RawTimeUtcMicros > time
                && (after == null || c.Point.Km < after.Point.Km || (c.Point.Km == after.Point.Km && c.RawTimeUtcMicros < after.RawTimeUtcMicros)))
            {
                after = c;
            }
        }

        return Speed(before, after) ?? Speed(before, cluster) ?? Speed(cluster, after);
    }

    private static double? Speed(Cluster? from, Cluster? to)
    {
        if (from == null || to == null)
        {
            return null;
        }

        var seconds = (to.RawTimeUtcMicros - from.RawTimeUtcMicros) / 1e6;
        var speed = seconds <= 0 ? 0 : (to.Point.Km - from.Point.Km) * 1000 / seconds;
        return speed is >= MinSpeedMps and <= MaxSpeedMps ? speed : null;
    }

    private sealed class Cluster(TimingPoint point)
    {
        public TimingPoint Point => point;

        public List<CoursePassing> Passings { get; } = new(2);

        public CoursePassing? Chosen { get; private set; }

        public CourseLine? ChosenLine { get; private set; }

        public int LinesRead { get; private set; }

        public long? TimeUtcMicros { get; private set; }

        public long RawTimeUtcMicros => TimeUtcMicros ?? Chosen!.TimeUtcMicros;

        public double? SpeedMps { get; private set; }

        public string TimeFrom { get; private set; } = "line";

        public void Choose(Course course)
        {
            // Each line's best passing (most reads, then earliest); the point's is the best of those, line 1 on a tie.
            CoursePassing? reference = null;
            var lines = 0;
            foreach (var line in point.Lines)
            {
                CoursePassing? best = null;
                foreach (var p in Passings)
                {
                    if (course.TryFindIndex(p.Unit, out _, out var of) && of == line && (best == null || p.Hits > best.Hits))
                    {
                        best = p; // in time order, so the earliest of equally read ones stays
                    }
                }

                if (best == null)
                {
                    continue;
                }

                lines++;
                if (line.OffsetM == 0)
                {
                    reference ??= best;
                }

                if (Chosen == null || best.Hits > Chosen.Hits)
                {
                    (Chosen, ChosenLine) = (best, line);
                }
            }

            LinesRead = lines;
            if (ChosenLine!.OffsetM == 0)
            {
                TimeUtcMicros = Chosen!.TimeUtcMicros;
                return;
            }

            // Both lines read the chip: the two times give its speed between them.
            if (reference != null)
            {
                var seconds = (Chosen!.TimeUtcMicros - reference.TimeUtcMicros) / 1e6;
                var speed = seconds == 0 ? double.PositiveInfinity : ChosenLine.OffsetM / seconds;
                if (speed is >= MinSpeedMps and <= MaxSpeedMps)
                {
                    Move(speed, "pair");
                }
            }
        }

        public void Move(double speedMps, string from)
        {
            SpeedMps = Math.Round(speedMps, 3);
            TimeFrom = from;
            TimeUtcMicros = Chosen!.TimeUtcMicros - (long)Math.Round(ChosenLine!.OffsetM / speedMps * 1e6);
        }

        public MergedCrossing ToCrossing() => new(point.Name, Chosen!.ChipHex, TimeUtcMicros!.Value, ChosenLine!.Number, Chosen.Unit, Chosen.Sequence, Chosen.Hits, LinesRead, SpeedMps, TimeFrom, Passings);
    }
}

/// <summary>A crossing passing as the merge needs it.</summary>
/// <param name="Unit">Unit that recorded it.</param>
/// <param name="Sequence">The unit's sequence number.</param>
/// <param name="ChipHex">EPC as upper-case hex.</param>
/// <param name="TimeUtcMicros">Crossing time at that unit's line.</param>
/// <param name="Hits">Reads it was fitted from (how well the line read the chip).</param>
public sealed record CoursePassing(int Unit, long Sequence, string ChipHex, long TimeUtcMicros, int Hits);

/// <summary>One chip's crossing of one timing point, merged from its lines' passings.</summary>
/// <param name="TimingPoint">The point's name.</param>
/// <param name="ChipHex">EPC as upper-case hex.</param>
/// <param name="TimeUtcMicros">The crossing time at line 1.</param>
/// <param name="Line">The line whose passing timed it (the better read).</param>
/// <param name="Unit">The unit of that passing.</param>
/// <param name="Sequence">That passing's sequence number.</param>
/// <param name="Hits">Its reads.</param>
/// <param name="LinesRead">How many of the point's lines read the chip.</param>
/// <param name="SpeedMps">The speed the time was moved to line 1 with, or null when it was line 1's own.</param>
/// <param name="TimeFrom">line (line 1's own time), pair (moved with the speed between both lines' passings), pace (with the chip's pace over the neighbouring section) or typical (with the role's typical speed).</param>
/// <param name="Passings">Every passing merged into it, the timing one included: the evidence.</param>
public sealed record MergedCrossing(string TimingPoint, string ChipHex, long TimeUtcMicros, int Line, int Unit, long Sequence, int Hits, int LinesRead, double? SpeedMps, string TimeFrom, IReadOnlyList<CoursePassing> Passings);
