using TimingMat.Core.RaceDay;

namespace TimingMat.Collector.Courses;

/// <summary>
/// A race's course as the collector and the audit see it: its timing points in course order, and which units form
/// each point's lines (a main line, and a backup line a few metres away). Read from a course file
/// (<see cref="CourseFile"/>, docs/course-format.md) or derived from a simulator scenario.
/// </summary>
public sealed class Course
{
    /// <summary>The default merge window: 10 s, far longer than any runner takes between two lines a few metres apart.</summary>
    public const long DefaultMergeWindowMicros = 10_000_000;

    private readonly Dictionary<int, (int Point, CourseLine Line)> _units = [];

    /// <summary>Initializes a new instance of the <see cref="Course"/> class.</summary>
    /// <param name="name">The course's name, e.g. the race.</param>
    /// <param name="timingPoints">Timing points in order: check-ins anywhere, course points in course order.</param>
    /// <param name="mergeWindowMicros">Passings of one chip at one timing point closer than this are one crossing.</param>
    /// <exception cref="ArgumentException">A unit reads more than one line.</exception>
    public Course(string name, IReadOnlyList<TimingPoint> timingPoints, long mergeWindowMicros = DefaultMergeWindowMicros)
    {
        Name = name;
        TimingPoints = timingPoints;
        MergeWindowMicros = mergeWindowMicros;
        for (var i = 0; i < timingPoints.Count; i++)
        {
            foreach (var line in timingPoints[i].Lines)
            {
                foreach (var unit in line.Units)
                {
                    if (!_units.TryAdd(unit, (i, line)))
                    {
                        throw new ArgumentException($"unit {unit} reads two lines; a unit reads one line of one timing point", nameof(timingPoints));
                    }
                }
            }
        }
    }

    /// <summary>Gets the course's name.</summary>
    public string Name { get; }

    /// <summary>Gets the timing points in order: check-ins anywhere, course points in course order.</summary>
    public IReadOnlyList<TimingPoint> TimingPoints { get; }

    /// <summary>Gets the merge window: passings of one chip at one timing point closer than this are one crossing, µs.</summary>
    public long MergeWindowMicros { get; }

    /// <summary>Gets the timing points on the course (no check-in), in course order.</summary>
    public IEnumerable<TimingPoint> CoursePoints => TimingPoints.Where(p => p.Role != UnitRole.CheckIn);

    /// <summary>Finds the timing point and line a unit belongs to.</summary>
    /// <param name="unit">Unit id.</param>
    /// <param name="point">The timing point.</param>
    /// <param name="line">The line.</param>
    /// <returns><c>false</c> when the course does not know the unit.</returns>
    public bool TryFind(int unit, out TimingPoint point, out CourseLine line)
    {
        if (_units.TryGetValue(unit, out var at))
        {
            (point, line) = (TimingPoints[at.Point], at.Line);
            return true;
        }

        (point, line) = (null!, null!);
        return false;
    }

    /// <summary>Finds the index of the timing point a unit belongs to, and its line.</summary>
    /// <param name="unit">Unit id.</param>
    /// <param name="point">Index in <see cref="TimingPoints"/>.</param>
    /// <param name="line">The line.</param>
    /// <returns><c>false</c> when the course does not know the unit.</returns>
    public bool TryFindIndex(int unit, out int point, out CourseLine line)
    {
        if (_units.TryGetValue(unit, out var at))
        {
            (point, line) = at;
            return true;
        }

        (point, line) = (-1, null!);
        return false;
    }

    /// <summary>Finds a timing point by name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The point, or null.</returns>
    public TimingPoint? Point(string name) => TimingPoints.FirstOrDefault(p => p.Name == name);
}

/// <summary>One timing point: a place on the course where every runner must be recorded.</summary>
/// <param name="Name">Unique name, e.g. <c>10k</c>.</param>
/// <param name="Role">What it is on the course.</param>
/// <param name="Km">Course distance (0 for check-ins).</param>
/// <param name="OpensUtcMicros">When it opens, UTC µs, or null.</param>
/// <param name="CutoffUtcMicros">When it stops counting, UTC µs, or null for no cut-off.</param>
/// <param name="Lines">Its lines: line 1 first (the reference, where the point's time is taken), then backup lines.</param>
public sealed record TimingPoint(string Name, UnitRole Role, double Km, long? OpensUtcMicros, long? CutoffUtcMicros, IReadOnlyList<CourseLine> Lines)
{
    /// <summary>Gets every unit of the point, on every line.</summary>
    public IEnumerable<int> Units => Lines.SelectMany(l => l.Units);

    /// <summary>Gets a value indicating whether the point has a backup line.</summary>
    public bool HasBackup => Lines.Count > 1;
}

/// <summary>One line of mats at a timing point and the units reading it.</summary>
/// <param name="Number">1 for the main line, 2… for backup lines.</param>
/// <param name="OffsetM">Distance along the course from line 1, m (positive after it, negative before; line 1: 0).</param>
/// <param name="Units">The units whose reader modules read this line (several when a wide line is split between units).</param>
public sealed record CourseLine(int Number, double OffsetM, IReadOnlyList<int> Units);
