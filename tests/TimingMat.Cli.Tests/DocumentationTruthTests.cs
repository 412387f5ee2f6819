using System.Text.RegularExpressions;
using TimingMat.Cli.Infrastructure;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// The README and --help say what is true: every documented exit code is raised by some command, the README's table
/// lists exactly the codes there are, and every command the README names exists.
/// </summary>
public partial class DocumentationTruthTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void EveryExitCode_IsRaisedBySomeCommand()
    {
        // Cheap and strict: a code no command source names outside its definition is a promise nothing keeps.
        var cli = Path.Combine(Root, "host-tools", "TimingMat.Cli");
        var code = Directory.EnumerateFiles(cli, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f) is not ("ExitCode.cs" or "ExitCodes.cs"))
            .SelectMany(File.ReadLines)
            .Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal))
            .ToList();

        var neverRaised = Enum.GetValues<ExitCode>().Where(c => c != ExitCode.Ok && !code.Any(l => Regex.IsMatch(l, $@"\bExitCode\.{c}\b"))).ToList();

        Assert.Empty(neverRaised);
    }

    [Fact]
    public void ReadmeExitCodeTable_ListsExactlyTheCodesThereAre()
    {
        var readme = File.ReadAllLines(Path.Combine(Root, "README.md"));
        var start = Array.FindIndex(readme, l => l.StartsWith("| Code | Name | Code | Name |", StringComparison.Ordinal));
        Assert.True(start >= 0, "README.md lost its exit code table");
        var documented = new SortedDictionary<int, string>();
        foreach (var line in readme.Skip(start + 2).TakeWhile(l => l.StartsWith('|')))
        {
            foreach (Match m in TableCell().Matches(line))
            {
                documented[int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)] = m.Groups[2].Value;
            }
        }

        var actual = new SortedDictionary<int, string>(Enum.GetValues<ExitCode>().ToDictionary(c => (int)c, ExitCodes.Name));
        Assert.Equal(actual, documented);
    }

    [Fact]
    public void EveryCommandTheReadmeNames_Exists_AndHelpListsAuditAndExport()
    {
        var commands = CliApp.Build(new CommandOutput(TextWriter.Null, TextWriter.Null)).Subcommands.Select(c => c.Name).ToHashSet();
        var readme = File.ReadAllText(Path.Combine(Root, "README.md"));

        var named = ReadmeCommand().Matches(readme).Select(m => m.Groups[1].Value).ToHashSet();

        var missing = named.Except(commands).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "README.md names commands that do not exist: " + string.Join(", ", missing));
        Assert.Contains("audit", named);
        Assert.Contains("export", named);
        var (code, help, _) = CliRunner.InProcess("--help");
        Assert.Equal(0, code);
        Assert.Matches(@"\n\s+audit\s+Check a collected race against the race rules", help);
        Assert.Matches(@"\n\s+export\s+Write a collected race's passings", help);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TimingMat.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TimingMat.sln not found above " + AppContext.BaseDirectory);
    }

    // "| 12 | invalid-input |" cells: the code and the first word of its name ("tool-missing (nanoff)" is tool-missing).
    [GeneratedRegex(@"\|\s*(\d+)\s*\|\s*([a-z-]+)")]
    private static partial Regex TableCell();

    // `timingmat simulate …` in code spans and blocks: the command right after the tool's name.
    [GeneratedRegex(@"(?<![\w/.-])timingmat ([a-z][a-z-]+)")]
    private static partial Regex ReadmeCommand();
}
