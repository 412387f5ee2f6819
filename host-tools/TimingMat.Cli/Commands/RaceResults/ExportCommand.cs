using System.CommandLine;
using System.Globalization;
using System.Text;
using TimingMat.Cli.Infrastructure;
using TimingMat.Collector;
using TimingMat.Collector.Courses;
using TimingMat.Collector.Export;

namespace TimingMat.Cli.Commands.RaceResults;

/// <summary>
/// <c>timingmat export --db race.db --format csv|raceresult|jchip [--out FILE] [--course course.cfg [--point NAME]] [--unit N] [--utc-offset ±HH:MM]</c>:
/// a collected database's chip passings (or, with a course, its merged crossings) in our documented CSV or in the
/// records RACE RESULT and CrossMgr import (docs/export-formats.md), so a timer scores with the software they know.
/// The database is opened read-only.
/// </summary>
internal static class ExportCommand
{
    private static readonly string[] Formats = ["csv", "raceresult", "jchip"];

    public static Command Create(CommandOutput output)
    {
        var db = new Option<string>("--db") { Description = "The collector's database (timingmat collect --db, simulate --db); opened read-only", Required = true, HelpName = "FILE" };
        var format = new Option<string>("--format") { Description = "csv (ours, documented), raceresult (RACE RESULT decoder passing records) or jchip (CrossMgr's JChip import)", Required = true, HelpName = "FORMAT" };
        format.AcceptOnlyFromAmong(Formats);
        var outFile = new Option<string?>("--out") { Description = "Write to this file (replaced if it exists) instead of standard output", HelpName = "FILE" };
        var course = new Option<string?>("--course") { Description = "Merge each timing point's lines first: one row per chip crossing a point (docs/course-format.md)", HelpName = "FILE" };
        var point = new Option<string?>("--point") { Description = "Only this timing point's crossings (with --course), e.g. finish for CrossMgr", HelpName = "NAME" };
        var unit = new Option<int?>("--unit") { Description = "Only the passings (or crossings timed by) this unit", HelpName = "N" };
        var offset = new Option<string?>("--utc-offset") { Description = "The race's offset from UTC for local dates and times, e.g. +02:00 (default: this computer's time zone)", HelpName = "±HH:MM" };
        var command = new Command("export", "Write a collected race's passings as CSV, RACE RESULT passing records or CrossMgr JChip records, for the scoring software")
        {
            db, format, outFile, course, point, unit, offset,
        };
        command.SetAction(parse => Run(
            output,
            new ExportRequest(parse.GetValue(db)!, parse.GetValue(format)!, parse.GetValue(outFile), parse.GetValue(course), parse.GetValue(point), parse.GetValue(unit), ParseOffset(parse.GetValue(offset)))));
        return command;
    }

    private static int Run(CommandOutput output, ExportRequest request)
    {
        if (request.Point != null && request.Course == null)
        {
            throw new CliException(ExitCode.Usage, "--point needs --course: timing points are defined by the course file.", "add --course course.cfg, or filter by unit with --unit N.");
        }

        if (request.Out != null && Path.GetFullPath(request.Out) == Path.GetFullPath(request.Db))
        {
            throw new CliException(ExitCode.InvalidInput, $"--out '{request.Out}' is the database itself.", "give another file name for the export, e.g. passings.csv.");
        }

        var course = request.Course == null ? null : RaceInputs.LoadCourse(request.Course);
        if (request.Point != null && course!.Point(request.Point) == null)
        {
            throw new CliException(ExitCode.InvalidInput, $"--point '{request.Point}' is not a timing point of course '{course.Name}'.", $"give one of: {string.Join(", ", course.TimingPoints.Select(p => p.Name))}.");
        }

        List<StoredPassing> passings;
        using (var race = RaceInputs.OpenDatabase(request.Db))
        {
            passings = RaceInputs.ReadChipPassings(race);
        }

        var clock = new ExportClock(request.UtcOffset);
        var lines = course == null ? PassingLines(request, passings, clock) : CrossingLines(request, course, passings, clock);
        var lineEnd = request.Format == "csv" ? "\n" : RaceResultPassingRecord.LineEnd;
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append(lineEnd);
        }

        var rows = lines.Count - (request.Format == "csv" ? 1 : 0);
        if (request.Out == null)
        {
            output.Out.Write(text.ToString());
            output.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exported {rows} {(course == null ? "passing(s)" : "crossing(s)")} as {request.Format}"));
            return (int)ExitCode.Ok;
        }

        Write(request.Out, text.ToString());
        output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Wrote {rows} {(course == null ? "passing(s)" : "crossing(s)")} as {request.Format} to {request.Out}."));
        return (int)ExitCode.Ok;
    }

    private static List<string> PassingLines(ExportRequest request, List<StoredPassing> passings, ExportClock clock)
    {
        var lines = new List<string>();
        if (request.Format == "csv")
        {
            lines.Add(PassingCsv.PassingHeader);
        }

        foreach (var p in passings.Where(p => request.Unit == null || p.Unit == request.Unit))
        {
            lines.Add(request.Format switch
            {
                "csv" => PassingCsv.Row(p, clock),
                "raceresult" => RaceResultPassingRecord.Line(lines.Count + 1, p.ChipHex, p.TimeUtcMicros, p.Hits, p.RssiCentiDbm, p.Antenna, $"unit {p.Unit}", p.Unit, clock),
                _ => JChipRecord.Line(lines.Count, p.ChipHex, p.TimeUtcMicros, clock),
            });
        }

        return lines;
    }

    private static List<string> CrossingLines(ExportRequest request, Course course, List<StoredPassing> passings, ExportClock clock)
    {
        var byKey = passings.ToDictionary(p => (p.Unit, p.Sequence));
        var crossings = CrossingMerger.Merge(course, passings.Select(p => new CoursePassing(p.Unit, p.Sequence, p.ChipHex, p.TimeUtcMicros, p.Hits)))
            .Where(c => (request.Point == null || c.TimingPoint == request.Point) && (request.Unit == null || c.Unit == request.Unit))
            .OrderBy(c => c.TimeUtcMicros).ThenBy(c => c.TimingPoint, StringComparer.Ordinal).ThenBy(c => c.ChipHex, StringComparer.Ordinal);
        var lines = new List<string>();
        if (request.Format == "csv")
        {
            lines.Add(PassingCsv.CrossingHeader);
        }

        foreach (var c in crossings)
        {
            var timing = byKey[(c.Unit, c.Sequence)];
            lines.Add(request.Format switch
            {
                "csv" => PassingCsv.Row(c, clock),
                "raceresult" => RaceResultPassingRecord.Line(lines.Count + 1, c.ChipHex, c.TimeUtcMicros, c.Hits, timing.RssiCentiDbm, timing.Antenna, c.TimingPoint, c.Unit, clock),
                _ => JChipRecord.Line(lines.Count, c.ChipHex, c.TimeUtcMicros, clock),
            });
        }

        return lines;
    }

    private static TimeSpan? ParseOffset(string? text)
    {
        if (text == null)
        {
            return null;
        }

        var t = text.Trim();
        if (t is "Z" or "z")
        {
            return TimeSpan.Zero;
        }

        if (t.Length == 6 && (t[0] == '+' || t[0] == '-') && TimeSpan.TryParseExact(t[1..], @"hh\:mm", CultureInfo.InvariantCulture, out var span) && span <= TimeSpan.FromHours(14))
        {
            return t[0] == '-' ? -span : span;
        }

        throw new CliException(ExitCode.InvalidInput, $"--utc-offset '{text}' is not an offset from UTC.", "give it as +HH:MM or -HH:MM (at most 14 hours), e.g. --utc-offset +02:00, or Z for UTC.");
    }

    private static void Write(string path, string text)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder != null && !Directory.Exists(folder))
        {
            throw new CliException(ExitCode.StorageFailed, $"cannot write --out '{path}': the folder '{folder}' does not exist.", "create the folder first, or give another path.");
        }

        // Written beside and moved over: a scoring program watching the file never reads half an export.
        var temporary = path + ".part";
        try
        {
            File.WriteAllText(temporary, text, new UTF8Encoding(false));
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CliException(ExitCode.StorageFailed, $"cannot write --out '{path}': {e.Message}", "check free space and that the file is not open in another program.");
        }
    }

    private sealed record ExportRequest(string Db, string Format, string? Out, string? Course, string? Point, int? Unit, TimeSpan? UtcOffset);
}
