using System.Text;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Unit;

namespace TimingMat.Cli.Commands.Provisioning;

/// <summary>Reads a race file (docs/race-file.md) for a command, and the units it names.</summary>
internal static class RaceFileInput
{
    /// <summary>Reads and validates a race file.</summary>
    /// <exception cref="CliException">Missing (10), unreadable (11) or invalid (12), the message naming the line and key (never a secret's value).</exception>
    public static RaceFile Load(string path)
    {
        var text = Encoding.UTF8.GetString(InputFiles.ReadAllBytes(path));
        try
        {
            return RaceFile.Parse(text);
        }
        catch (ConfigFileException e)
        {
            throw new CliException(ExitCode.InvalidInput, $"{path}: {e.Message}", "fix the race file at the line named; docs/race-file.md describes it and docs/unit-config.md every key.");
        }
    }

    /// <summary>Picks the units a command works on, each checked against the race file.</summary>
    /// <param name="race">The race file, or null when the command runs without one.</param>
    /// <param name="unit">One unit (<c>--unit</c>), or null.</param>
    /// <param name="units">Several (<c>--units A,B,C</c>), or null.</param>
    /// <param name="path">The race file's path, for messages.</param>
    /// <returns>The units' names as given.</returns>
    /// <exception cref="CliException">Neither or both given, or a unit the race file does not name (12).</exception>
    public static IReadOnlyList<string> Units(RaceFile? race, string? unit, string? units, string? path)
    {
        if ((unit == null) == (units == null))
        {
            if (unit == null && race != null && race.IsSingleUnit)
            {
                return race.UnitNames;
            }

            throw new CliException(ExitCode.Usage, unit == null ? "no unit given." : "give --unit or --units, not both.", "name the unit with --unit KM05, or several with --units KM05,KM10,KM15 (the names the race file gives them).");
        }

        var names = unit != null ? [unit] : units!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (names.Count == 0)
        {
            throw new CliException(ExitCode.Usage, "--units names no unit.", "give --units KM05,KM10,KM15.");
        }

        var twice = names.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (twice != null)
        {
            throw new CliException(ExitCode.InvalidInput, $"unit {twice.Key} is named twice.", "name each unit once.");
        }

        if (race != null)
        {
            var missing = names.Where(n => !race.HasUnit(n)).ToList();
            if (missing.Count > 0)
            {
                throw new CliException(ExitCode.InvalidInput, $"{path} has no unit {string.Join(", ", missing)}: it names {string.Join(", ", race.UnitNames)}.", "give the unit names the race file uses (the part before the first dot of its per-unit keys).");
            }
        }

        return names;
    }
}
