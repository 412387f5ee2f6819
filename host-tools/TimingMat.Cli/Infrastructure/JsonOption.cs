using System.CommandLine;

namespace TimingMat.Cli.Infrastructure;

/// <summary>
/// The <c>--json [PATH]</c> convention: every command that reports results takes it; alone it prints the result as
/// JSON on standard output instead of text, with a path it writes the JSON there and still prints the text.
/// </summary>
public static class JsonOption
{
    /// <summary>The target <see cref="Target"/> returns for <c>--json</c> without a path.</summary>
    public const string StandardOutput = "-";

    /// <summary>Creates the option for a command.</summary>
    /// <returns>An option taking zero or one path.</returns>
    public static Option<string?> Create() => new("--json")
    {
        Description = "Machine-readable output: JSON on standard output, or also written to PATH",
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "PATH",
    };

    /// <summary>Tells where the JSON goes.</summary>
    /// <param name="parse">The parsed command line.</param>
    /// <param name="option">The command's <c>--json</c> option.</param>
    /// <returns><c>null</c> when <c>--json</c> was not given, <see cref="StandardOutput"/> without a path, else the path.</returns>
    /// <exception cref="CliException">The path's folder does not exist: said before a long run, not after it.</exception>
    public static string? Target(ParseResult parse, Option<string?> option)
    {
        var result = parse.GetResult(option);
        if (result == null || result.Implicit)
        {
            return null;
        }

        if (result.Tokens.Count == 0)
        {
            return StandardOutput;
        }

        var path = result.Tokens[0].Value;
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder != null && !Directory.Exists(folder))
        {
            throw new CliException(ExitCode.StorageFailed, $"cannot write '{path}': the folder '{folder}' does not exist.");
        }

        return path;
    }
}
