using System.CommandLine;
using System.Globalization;
using System.Text;
using TimingMat.Cli.Infrastructure;
using TimingMat.Collector;
using TimingMat.Collector.Courses;
using TimingMat.Collector.Export;

namespace TimingMat.Cli.Commands.RaceResults;

/// <summary>
/// <c>timingmat export --db race.db --format csv|raceresult|jchip [--out FILE | --to HOST[:PORT]] [--course course.cfg [--point NAME]] [--unit N] [--utc-offset ±HH:MM]</c>:
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
        var to = new Option<string?>("--to") { Description = "Send the jchip records to CrossMgr's JChip receiver (default port 53135) instead, as a JChip reader does", HelpName = "HOST[:PORT]" };
        var course = new Option<string?>("--course") { Description = "Merge each timing point's lines first: one row per chip crossing a point (docs/course-format.md)", HelpName = "FILE" };
        var point = new Option<string?>("--point") { Description = "Only this timing point's crossings (with --course), e.g. finish for CrossMgr", HelpName = "NAME" };
        var unit = new Option<int?>("--unit") { Description = "Only the passings (or crossings timed by) this unit", HelpName = "N" };
        var offset = new Option<string?>("--utc-offset") { Description = "The race's offset from UTC for local dates and times, e.g. +02:00 (default: this computer's time zone)", HelpName = "±HH:MM" };
        var command = new Command("export", "Write a collected race's passings as CSV, RACE RESULT passing records or CrossMgr JChip records, for the scoring software")
        {
            db, format, outFile, to, course, point, unit, offset,
        };
        command.SetAction(parse => Run(
            output,
            new ExportRequest(parse.GetValue(db)!, parse.GetValue(format)!, parse.GetValue(outFile), parse.GetValue(to), parse.GetValue(course), parse.GetValue(point), parse.GetValue(unit), ParseOffset(parse.GetValue(offset)))));
        return command;
    }

    private static int Run(CommandOutput output, ExportRequest request)
    {
        if (request.Point != null && request.Course == null)
        {
            throw new CliException(ExitCode.Usage, "--point needs --course: timing points are defined by the course file.", "add --course course.cfg, or filter by unit with --unit N.");
        }

        if (request.To != null && (request.Format != "jchip" || request.Out != null))
        {
            throw new CliException(ExitCode.Usage, "--to sends jchip records to CrossMgr: it takes --format jchip and no --out.", "use --format jchip --to HOST[:PORT], or --out FILE to write a file.");
        }

        (string Host, int Port)? crossMgr = request.To == null ? null : ParseAddress(request.To);
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
        if (crossMgr is { } address)
        {
            return Feed(output, address, course == null ? [.. SelectPassings(request, passings).Select(p => (p.ChipHex, p.TimeUtcMicros))] : [.. SelectCrossings(request, course, passings).Select(c => (c.ChipHex, c.TimeUtcMicros))], clock);
        }

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

        foreach (var p in SelectPassings(request, passings))
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
        var crossings = SelectCrossings(request, course, passings);
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

    private static IEnumerable<StoredPassing> SelectPassings(ExportRequest request, List<StoredPassing> passings) =>
        passings.Where(p => request.Unit == null || p.Unit == request.Unit);

    private static List<MergedCrossing> SelectCrossings(ExportRequest request, Course course, List<StoredPassing> passings) =>
        [.. CrossingMerger.Merge(course, passings.Select(p => new CoursePassing(p.Unit, p.Sequence, p.ChipHex, p.TimeUtcMicros, p.Hits)))
            .Where(c => (request.Point == null || c.TimingPoint == request.Point) && (request.Unit == null || c.Unit == request.Unit))
            .OrderBy(c => c.TimeUtcMicros).ThenBy(c => c.TimingPoint, StringComparer.Ordinal).ThenBy(c => c.ChipHex, StringComparer.Ordinal)];

    private static int Feed(CommandOutput output, (string Host, int Port) crossMgr, List<(string ChipHex, long UtcMicros)> records, ExportClock clock)
    {
        int sent;
        try
        {
            sent = JChipFeed.Send(crossMgr.Host, crossMgr.Port, "TIMINGMAT", records, clock, () => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / 10, TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException || e.InnerException is System.Net.Sockets.SocketException)
        {
            throw new CliException(
                ExitCode.BrokerUnreachable,
                $"--to {crossMgr.Host}:{crossMgr.Port}: CrossMgr's JChip receiver did not take the records ({(e.InnerException ?? e).Message.TrimEnd('.')}).",
                "in CrossMgr choose ChipReader > Setup, JChip, and start it (it listens on port 53135); check the address and any firewall between.");
        }

        output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Sent {sent} record(s) to CrossMgr at {crossMgr.Host}:{crossMgr.Port}."));
        return (int)ExitCode.Ok;
    }

    private static (string Host, int Port) ParseAddress(string text)
    {
        var colon = text.LastIndexOf(':');
        var host = colon < 0 ? text : text[..colon];
        var port = JChipFeed.DefaultPort;
        if (host.Length == 0 || (colon >= 0 && (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)))
        {
            throw new CliException(ExitCode.InvalidInput, $"--to '{text}' is not HOST or HOST:PORT.", "give CrossMgr's computer, e.g. --to 192.168.1.20 or --to 192.168.1.20:53135.");
        }

        return (host, port);
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

    private sealed record ExportRequest(string Db, string Format, string? Out, string? To, string? Course, string? Point, int? Unit, TimeSpan? UtcOffset);
}
