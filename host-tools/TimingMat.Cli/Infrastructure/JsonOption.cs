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
    public static string? Target(ParseResult parse, Option<string?> option)
    {
        var result = parse.GetResult(option);
        if (result == null || result.Implicit)
        {
            return null;
        }

        return result.Tokens.Count == 0 ? StandardOutput : result.Tokens[0].Value;
    }
}
