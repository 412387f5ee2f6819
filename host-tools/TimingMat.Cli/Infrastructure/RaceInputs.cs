using TimingMat.Collector;
using TimingMat.Collector.Courses;

namespace TimingMat.Cli.Infrastructure;

/// <summary>Opens the inputs of the race-day commands (a course file, a collected database) with the CLI's errors and fix-it lines.</summary>
internal static class RaceInputs
{
    /// <summary>Loads a course file.</summary>
    /// <param name="path">The file given to <c>--course</c>.</param>
    /// <returns>The course.</returns>
    /// <exception cref="CliException">Missing, unreadable, or a line is wrong (the message names it).</exception>
    public static Course LoadCourse(string path)
    {
        var text = System.Text.Encoding.UTF8.GetString(InputFiles.ReadAllBytes(path));
        try
        {
            return CourseFile.Parse(text, path);
        }
        catch (CourseException e)
        {
            throw new CliException(ExitCode.InvalidInput, $"--course: {e.Message}.", "fix that line of the course file (format: docs/course-format.md); `timingmat simulate --course-out FILE` writes an example.");
        }
    }

    /// <summary>Gives the course the collector merged the database's crossings with (<c>collect --course</c>).</summary>
    /// <param name="race">The open database.</param>
    /// <returns>The course.</returns>
    /// <exception cref="CliException">The database holds no course, or one with errors (the message names the line).</exception>
    public static Course StoredCourse(CollectedRace race)
    {
        string? text;
        try
        {
            text = race.ReadCourse();
        }
        catch (CollectorDatabaseException e)
        {
            throw new CliException(ExitCode.InvalidInput, "--db: " + e.Message, "restore the database from its backup.");
        }

        if (text == null)
        {
            throw new CliException(ExitCode.InvalidInput, $"no --course given, and '{race.Path}' holds none (its collector ran without --course).", "give --course course.cfg (format: docs/course-format.md); `timingmat simulate --course-out FILE` writes the course of a simulated race.");
        }

        try
        {
            return CourseFile.Parse(text, $"the course stored in '{race.Path}'");
        }
        catch (CourseException e)
        {
            throw new CliException(ExitCode.InvalidInput, $"{e.Message}.", "give the race's course file with --course.");
        }
    }

    /// <summary>Opens a collected database read-only: the audit and the export never change the race's evidence.</summary>
    /// <param name="path">The file given to <c>--db</c>.</param>
    /// <returns>The open database.</returns>
    /// <exception cref="CliException">Missing, a folder, not SQLite, or not a TimingMat collector database.</exception>
    public static CollectedRace OpenDatabase(string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliException(ExitCode.FileUnreadable, $"--db '{path}' is a folder, not a file.", "give the database file 'timingmat collect --db' wrote, e.g. race.db.");
        }

        if (!File.Exists(path))
        {
            throw new CliException(ExitCode.FileNotFound, $"--db '{path}' does not exist.", "give the database file 'timingmat collect --db' (or 'simulate --db') wrote; relative paths start from the current folder.");
        }

        try
        {
            return CollectedRace.Open(path);
        }
        catch (CollectorDatabaseException e)
        {
            throw new CliException(ExitCode.InvalidInput, "--db: " + e.Message, "give the database file 'timingmat collect --db' wrote; a copy taken while the collector ran needs its -wal file beside it.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCode.FileUnreadable, $"cannot open --db '{path}': {e.Message}");
        }
    }

    /// <summary>Reads the database's chip passings.</summary>
    /// <param name="race">The open database.</param>
    /// <returns>The passings in time order.</returns>
    /// <exception cref="CliException">The file is damaged.</exception>
    public static List<StoredPassing> ReadChipPassings(CollectedRace race)
    {
        try
        {
            return race.ReadChipPassings();
        }
        catch (CollectorDatabaseException e)
        {
            throw new CliException(ExitCode.InvalidInput, "--db: " + e.Message, "restore the database from its backup, or run the command on a copy the collector wrote before the damage.");
        }
    }
}
