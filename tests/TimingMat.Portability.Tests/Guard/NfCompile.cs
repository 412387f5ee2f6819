using System.Diagnostics;
using System.Text.RegularExpressions;

namespace TimingMat.Portability.Tests.Guard;

/// <summary>Runs nanoframework-ref's <c>nf-compile</c> on an .nfproj, as the nanoFramework project system would compile it.</summary>
public static partial class NfCompile
{
    /// <summary>Compiles a project from the repository root.</summary>
    /// <param name="kitDir">The nanoframework-ref folder.</param>
    /// <param name="nfproj">The project, relative to <paramref name="workingDirectory"/> or absolute.</param>
    /// <param name="workingDirectory">Where to run (the checkout root: nf-compile prints paths relative to it).</param>
    /// <param name="outputDirectory">Where to keep the compiled assemblies (<c>-o</c>); null lets nf-compile delete them.</param>
    public static NfCompileResult Run(string kitDir, string nfproj, string workingDirectory, string? outputDirectory = null)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(kitDir, "nf-compile"));
        start.ArgumentList.Add(nfproj);
        if (outputDirectory != null)
        {
            start.ArgumentList.Add("-o");
            start.ArgumentList.Add(outputDirectory);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var output = stdout + stderr.Result;
        var summary = SummaryPattern().Matches(output).LastOrDefault();
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return new NfCompileResult(
            process.ExitCode,
            summary == null ? -1 : int.Parse(summary.Groups["e"].Value, System.Globalization.CultureInfo.InvariantCulture),
            summary == null ? -1 : int.Parse(summary.Groups["w"].Value, System.Globalization.CultureInfo.InvariantCulture),
            lines.Where(l => l.Contains(": error ", StringComparison.Ordinal)).ToList(),
            lines.Where(l => l.Contains(": warning ", StringComparison.Ordinal)).ToList(),
            output);
    }

    [GeneratedRegex(@"nf-compile: [^\n]*: (?<e>\d+) errors, (?<w>\d+) warnings\s*$", RegexOptions.Multiline)]
    private static partial Regex SummaryPattern();
}

/// <summary>What nf-compile said: exit code, the counts of its last line, and the error and warning lines.</summary>
public sealed record NfCompileResult(int ExitCode, int Errors, int Warnings, IReadOnlyList<string> ErrorLines, IReadOnlyList<string> WarningLines, string Output);
