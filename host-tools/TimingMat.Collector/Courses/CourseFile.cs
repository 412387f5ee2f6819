using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TimingMat.Core.RaceDay;

namespace TimingMat.Collector.Courses;

/// <summary>
/// Reads and writes course files (<c>course.cfg</c>, docs/course-format.md): <c>key = value</c> lines as in a board's
/// <c>board.cfg</c>, <c>#</c> comments. Unknown, repeated and missing keys are rejected with the line, the key, its
/// value and what is expected; so are values out of range and a course that does not add up (one start, one finish,
/// course points in course order, a unit on one line only).
/// </summary>
public static partial class CourseFile
{
    private const int MaxPoints = 64;
    private const int MaxLines = 4;
    private const long MicrosPerSecond = 1_000_000;

    private static readonly string[] s_pointKeys = ["name", "role", "km", "opens", "cutoff"];
    private static readonly string[] s_lineKeys = ["units", "offset_m"];
    private static readonly string s_expectedKeys =
        "course.name, course.merge_window_s, point.N.name, point.N.role, point.N.km, point.N.opens, point.N.cutoff, point.N.line.L.units, point.N.line.L.offset_m";

    /// <summary>Reads a course file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The course.</returns>
    /// <exception cref="CourseException">The file is not a valid course.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static Course Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    /// <summary>Parses course file text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="source">File name for messages.</param>
    /// <returns>The course.</returns>
    /// <exception cref="CourseException">The text is not a valid course.</exception>
    public static Course Parse(string text, string source)
    {
        var pairs = ReadPairs(text, source);
        string Value(string key) => pairs[key].Value;
        int LineOf(string key) => pairs[key].Line;

        if (!pairs.ContainsKey("course.name"))
        {
            throw new CourseException(source, 0, "course.name is required (the race's name)");
        }

        var window = Course.DefaultMergeWindowMicros;
        if (pairs.ContainsKey("course.merge_window_s"))
        {
            window = (long)(Number(pairs, "course.merge_window_s", 1, 600, "seconds, 1-600", source) * MicrosPerSecond);
        }

        var numbers = pairs.Keys.Select(k => PointKey().Match(k)).Where(m => m.Success).Select(m => m.Groups[1].Value)
            .Concat(pairs.Keys.Select(k => LineKey().Match(k)).Where(m => m.Success).Select(m => m.Groups[1].Value))
            .Select(d => int.Parse(d, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        if (numbers.Count < 2)
        {
            throw new CourseException(source, 0, "a course needs at least two timing points (point.1.… and point.2.…: a start and a finish)");
        }

        for (var i = 0; i < numbers.Count; i++)
        {
            if (numbers[i] != i + 1)
            {
                throw new CourseException(source, 0, $"point {i + 1} is missing: timing points are numbered 1, 2, 3 … in course order, without gaps (found point {numbers[i]})");
            }
        }

        var points = new List<TimingPoint>();
        var unitsSeen = new Dictionary<int, string>();
        foreach (var n in numbers)
        {
            var prefix = $"point.{n}.";
            var name = Required(pairs, prefix + "name", "the timing point's name, e.g. 10k", source);
            if (points.Any(p => p.Name == name))
            {
                throw new CourseException(source, LineOf(prefix + "name"), $"{prefix}name = {name}: another timing point has that name; names are unique");
            }

            var roleText = Required(pairs, prefix + "role", "check-in, start, split, turnaround or finish", source);
            if (!UnitRoleText.TryParse(roleText, out var role))
            {
                throw new CourseException(source, LineOf(prefix + "role"), $"{prefix}role = {roleText}: unknown role; expected check-in, start, split, turnaround or finish");
            }

            double km = 0;
            if (role != UnitRole.CheckIn)
            {
                Required(pairs, prefix + "km", "the distance along the course, 0-250", source);
                km = Number(pairs, prefix + "km", 0, 250, "km along the course, 0-250", source);
            }
            else if (pairs.ContainsKey(prefix + "km"))
            {
                throw new CourseException(source, LineOf(prefix + "km"), $"{prefix}km = {Value(prefix + "km")}: a check-in is not on the course; leave km out");
            }

            var opens = Time(pairs, prefix + "opens", source);
            var cutoff = Time(pairs, prefix + "cutoff", source);
            if (opens is { } o && cutoff is { } c && c <= o)
            {
                throw new CourseException(source, LineOf(prefix + "cutoff"), $"{prefix}cutoff = {Value(prefix + "cutoff")}: the cut-off must be after the opening ({Value(prefix + "opens")})");
            }

            var lines = ReadLines(pairs, n, name, unitsSeen, source);
            points.Add(new TimingPoint(name, role, km, opens, cutoff, lines));
        }

        CheckCourseOrder(points, source);
        return new Course(Value("course.name"), points, window);
    }

    /// <summary>Writes a course as a course file, with a comment per timing point.</summary>
    /// <param name="course">The course.</param>
    /// <param name="utcOffset">The local time zone the times are written in.</param>
    /// <returns>The file's text.</returns>
    public static string Write(Course course, TimeSpan utcOffset = default)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append("# TimingMat course file (docs/course-format.md): the race's timing points in course order and the units that\n");
        text.Append("# read each point's lines. `timingmat collect --course` merges the passings of a point's lines into one crossing.\n");
        text.Append(c, $"course.name = {course.Name}\n");
        if (course.MergeWindowMicros != Course.DefaultMergeWindowMicros)
        {
            text.Append(c, $"course.merge_window_s = {course.MergeWindowMicros / (double)MicrosPerSecond:0.###}\n");
        }

        for (var i = 0; i < course.TimingPoints.Count; i++)
        {
            var p = course.TimingPoints[i];
            var n = i + 1;
            text.Append(c, $"\n# {p.Name}: {UnitRoleText.Name(p.Role)}{(p.Role == UnitRole.CheckIn ? string.Empty : string.Create(c, $" at {p.Km:0.####} km"))}{(p.HasBackup ? $", {p.Lines.Count} lines" : string.Empty)}\n");
            text.Append(c, $"point.{n}.name = {p.Name}\n");
            text.Append(c, $"point.{n}.role = {UnitRoleText.Name(p.Role)}\n");
            if (p.Role != UnitRole.CheckIn)
            {
                text.Append(c, $"point.{n}.km = {p.Km:0.####}\n");
            }

            if (p.OpensUtcMicros is { } opens)
            {
                text.Append(c, $"point.{n}.opens = {IsoTime(opens, utcOffset)}\n");
            }

            if (p.CutoffUtcMicros is { } cutoff)
            {
                text.Append(c, $"point.{n}.cutoff = {IsoTime(cutoff, utcOffset)}\n");
            }

            foreach (var line in p.Lines)
            {
                text.Append(c, $"point.{n}.line.{line.Number}.units = {string.Join(", ", line.Units)}\n");
                if (line.Number > 1)
                {
                    text.Append(c, $"point.{n}.line.{line.Number}.offset_m = {line.OffsetM:0.###}\n");
                }
            }
        }

        return text.ToString();
    }

    private static string IsoTime(long utcMicros, TimeSpan offset) =>
        new DateTimeOffset(DateTime.UnixEpoch.AddTicks(utcMicros * 10)).ToOffset(offset).ToString(utcMicros % MicrosPerSecond == 0 ? "yyyy-MM-ddTHH:mm:sszzz" : "yyyy-MM-ddTHH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    private static List<CourseLine> ReadLines(Dictionary<string, (string Value, int Line)> pairs, int n, string name, Dictionary<int, string> unitsSeen, string source)
    {
        var numbers = pairs.Keys.Select(k => LineKey().Match(k)).Where(m => m.Success && m.Groups[1].Value == n.ToString(CultureInfo.InvariantCulture))
            .Select(m => int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture)).Distinct().Order().ToList();
        if (numbers.Count == 0)
        {
            throw new CourseException(source, 0, $"point.{n}.line.1.units is required (the units reading timing point {n} '{name}', e.g. 3, or 3, 4 for a line split between two units)");
        }

        var lines = new List<CourseLine>();
        for (var i = 0; i < numbers.Count; i++)
        {
            var l = numbers[i];
            var prefix = $"point.{n}.line.{l}.";
            if (l != i + 1)
            {
                throw new CourseException(source, pairs.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Min(p => p.Value.Line), $"point.{n} has line {l} but no line {i + 1}: lines are numbered 1 (the main line), 2 … (backup lines)");
            }

            var unitsText = Required(pairs, prefix + "units", "unit ids, e.g. 3 or 3, 4", source);
            var units = new List<int>();
            foreach (var part in unitsText.Split(','))
            {
                if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var unit) || unit is < 1 or > 65535)
                {
                    throw new CourseException(source, pairs[prefix + "units"].Line, $"{prefix}units = {unitsText}: '{part.Trim()}' is not a unit id; expected unit ids 1-65535, separated by commas");
                }

                var where = $"point.{n} line {l}";
                if (unitsSeen.TryGetValue(unit, out var other))
                {
                    throw new CourseException(source, pairs[prefix + "units"].Line, $"{prefix}units = {unitsText}: unit {unit} is already on {other}; a unit reads one line of one timing point");
                }

                unitsSeen[unit] = where;
                units.Add(unit);
            }

            double offset = 0;
            if (l == 1)
            {
                if (pairs.ContainsKey(prefix + "offset_m") && Number(pairs, prefix + "offset_m", -50, 50, "0: line 1 is where the point's time is taken", source) != 0)
                {
                    throw new CourseException(source, pairs[prefix + "offset_m"].Line, $"{prefix}offset_m = {pairs[prefix + "offset_m"].Value}: line 1 is the reference line, its offset is 0; give the other lines' offsets from it");
                }
            }
            else
            {
                Required(pairs, prefix + "offset_m", "metres from line 1 along the course (after it positive, before it negative), e.g. 2.5", source);
                offset = Number(pairs, prefix + "offset_m", -50, 50, "metres from line 1 along the course, -50 to 50, not 0", source);
                if (offset == 0)
                {
                    throw new CourseException(source, pairs[prefix + "offset_m"].Line, $"{prefix}offset_m = 0: a backup line lies a few metres from line 1; give its distance (after line 1 positive, before it negative)");
                }
            }

            lines.Add(new CourseLine(l, offset, units));
        }

        if (lines.Count > MaxLines)
        {
            throw new CourseException(source, 0, $"point.{n} has {lines.Count} lines; at most {MaxLines}");
        }

        return lines;
    }

    private static void CheckCourseOrder(List<TimingPoint> points, string source)
    {
        var course = points.Where(p => p.Role != UnitRole.CheckIn).ToList();
        var starts = course.Count(p => p.Role == UnitRole.Start);
        var finishes = course.Count(p => p.Role == UnitRole.Finish);
        if (starts != 1 || finishes != 1)
        {
            throw new CourseException(source, 0, $"a course needs exactly one start and one finish point; found {starts} start and {finishes} finish");
        }

        if (course[0].Role != UnitRole.Start || course[0].Km != 0)
        {
            throw new CourseException(source, 0, $"the start '{course.First(p => p.Role == UnitRole.Start).Name}' must be the first point on the course, at km 0");
        }

        if (course[^1].Role != UnitRole.Finish)
        {
            throw new CourseException(source, 0, $"the finish '{course.First(p => p.Role == UnitRole.Finish).Name}' must be the last point on the course");
        }

        for (var i = 1; i < course.Count; i++)
        {
            if (course[i].Km <= course[i - 1].Km)
            {
                throw new CourseException(source, 0, string.Create(CultureInfo.InvariantCulture, $"'{course[i].Name}' at {course[i].Km} km is not after '{course[i - 1].Name}' at {course[i - 1].Km} km; number the points in course order"));
            }
        }
    }

    private static Dictionary<string, (string Value, int Line)> ReadPairs(string text, string source)
    {
        var pairs = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i];
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CourseException(source, number, $"expected 'key = value', found '{line}'");
            }

            var key = line[..equals].Trim().ToLowerInvariant();
            var value = line[(equals + 1)..].Trim();
            if (!IsKnown(key))
            {
                throw new CourseException(source, number, $"{key} = {value}: unknown key; expected one of {s_expectedKeys} (N: timing point 1, 2, …; L: line 1, 2, …)");
            }

            if (pairs.TryGetValue(key, out var earlier))
            {
                throw new CourseException(source, number, $"{key} = {value}: {key} is already set on line {earlier.Line} (to {earlier.Value}); give each key once");
            }

            if (value.Length == 0)
            {
                throw new CourseException(source, number, $"{key} has no value");
            }

            pairs[key] = (value, number);
        }

        return pairs;
    }

    private static bool IsKnown(string key)
    {
        if (key is "course.name" or "course.merge_window_s")
        {
            return true;
        }

        var point = PointKey().Match(key);
        if (point.Success && InRange(point.Groups[1].Value, MaxPoints) && s_pointKeys.Contains(point.Groups[2].Value))
        {
            return true;
        }

        var line = LineKey().Match(key);
        return line.Success && InRange(line.Groups[1].Value, MaxPoints) && InRange(line.Groups[2].Value, MaxLines) && s_lineKeys.Contains(line.Groups[3].Value);
    }

    private static bool InRange(string digits, int max) =>
        digits[0] != '0' && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= max;

    private static string Required(Dictionary<string, (string Value, int Line)> pairs, string key, string expected, string source) =>
        pairs.TryGetValue(key, out var v) ? v.Value : throw new CourseException(source, 0, $"{key} is required ({expected})");

    private static double Number(Dictionary<string, (string Value, int Line)> pairs, string key, double min, double max, string expected, string source)
    {
        var (text, line) = pairs[key];
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw new CourseException(source, line, $"{key} = {text}: not a number; expected {expected}");
        }

        if (value < min || value > max)
        {
            throw new CourseException(source, line, $"{key} = {text}: out of range; expected {expected}");
        }

        return value;
    }

    private static long? Time(Dictionary<string, (string Value, int Line)> pairs, string key, string source)
    {
        if (!pairs.TryGetValue(key, out var entry))
        {
            return null;
        }

        string[] formats = ["yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-ddTHH:mm:ss.FFFFFFzzz", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.FFFFFFZ"];
        if (!DateTimeOffset.TryParseExact(entry.Value, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw new CourseException(source, entry.Line, $"{key} = {entry.Value}: not a time; expected a date and time with its UTC offset, e.g. 2026-10-04T08:45:00+02:00");
        }

        return (time.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
    }

    [GeneratedRegex(@"^point\.(\d+)\.([a-z_]+)$")]
    private static partial Regex PointKey();

    [GeneratedRegex(@"^point\.(\d+)\.line\.(\d+)\.([a-z_]+)$")]
    private static partial Regex LineKey();
}
