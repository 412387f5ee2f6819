using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TimingMat.Cli.Infrastructure;

namespace TimingMat.Cli.Commands.Provisioning;

/// <summary>
/// Drives nanoFramework's flasher, nanoff, in either of its command-line dialects: 2.x takes flat flags
/// (<c>nanoff --update --target T --serialport P</c>, <c>--deploy --image F</c>, <c>--filedeployment J</c>), 3.x takes verbs
/// (<c>nanoff flash …</c>, <c>nanoff deploy …</c>, <c>nanoff deploy file J …</c>). The version is asked once
/// (<c>nanoff --version</c>) and every command line is built for it.
/// </summary>
internal sealed partial class Nanoff
{
    private const string InstallFix = "install it with: dotnet tool install -g nanoff (then open a new shell so ~/.dotnet/tools is on PATH), or name it with --nanoff PATH.";

    private Nanoff(string executable, Version? version, string? note)
    {
        Executable = executable;
        Version = version;
        Note = note;
    }

    /// <summary>Gets the executable run.</summary>
    public string Executable { get; }

    /// <summary>Gets nanoff's version, or null when it was not found (a dry run then shows the 2.x dialect).</summary>
    public Version? Version { get; }

    /// <summary>Gets what a dry run should say about the version, or null.</summary>
    public string? Note { get; }

    /// <summary>Gets a value indicating whether this nanoff takes verbs (3.x and later).</summary>
    public bool UsesVerbs => Version is { Major: >= 3 };

    /// <summary>Finds nanoff and its version.</summary>
    /// <param name="executable">The executable (<c>nanoff</c> on PATH, or a path).</param>
    /// <param name="dryRun">A dry run goes on without nanoff, in the 2.x dialect, and says so.</param>
    /// <returns>The driver.</returns>
    /// <exception cref="CliException">nanoff is missing (22) or its version cannot be read (22).</exception>
    public static Nanoff Detect(string executable, bool dryRun)
    {
        string text;
        int code;
        try
        {
            (code, text) = Execute(executable, ["--version"], TimeSpan.FromSeconds(60));
        }
        catch (Win32Exception)
        {
            if (dryRun)
            {
                return new Nanoff(executable, null, $"{executable} is not installed: the lines below are nanoff 2.x's; {InstallFix}");
            }

            throw new CliException(ExitCode.ToolMissing, $"nanoff ('{executable}') is not installed or not on PATH.", InstallFix);
        }

        var match = VersionPattern().Match(text);
        if (code != 0 || !match.Success)
        {
            throw new CliException(ExitCode.ToolMissing, $"'{executable} --version' did not give a version (exit {code}: {Tail(text)}).", InstallFix);
        }

        var version = new Version(int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture), match.Groups[3].Success ? int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture) : 0);
        return new Nanoff(executable, version, null);
    }

    /// <summary>The command line that writes nanoCLR (the board's nanoFramework firmware) for a target.</summary>
    public IReadOnlyList<string> FlashFirmware(string target, string port) => UsesVerbs
        ? ["flash", "--target", target, "--serialport", port]
        : ["--update", "--target", target, "--serialport", port];

    /// <summary>The command line that deploys the application image.</summary>
    public IReadOnlyList<string> DeployImage(string target, string port, string image) => UsesVerbs
        ? ["deploy", "--target", target, "--serialport", port, "--image", image]
        : ["--target", target, "--serialport", port, "--deploy", "--image", image];

    /// <summary>The command line that deploys files to the board's storage (the board profile).</summary>
    public IReadOnlyList<string> DeployFiles(string target, string port, string deployJson) => UsesVerbs
        ? ["deploy", "file", deployJson, "--target", target, "--serialport", port]
        : ["--target", target, "--serialport", port, "--filedeployment", deployJson];

    /// <summary>Shows a command line as a shell would take it.</summary>
    public string Show(IReadOnlyList<string> args) => string.Join(' ', new[] { Executable }.Concat(args).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));

    /// <summary>Runs one step.</summary>
    /// <param name="step">What the step does, for messages (e.g. <c>flash nanoCLR</c>).</param>
    /// <param name="args">The command line.</param>
    /// <exception cref="CliException">nanoff failed (23), with the end of its output and what to check.</exception>
    public void Run(string step, IReadOnlyList<string> args)
    {
        int code;
        string text;
        try
        {
            (code, text) = Execute(Executable, args, TimeSpan.FromMinutes(10));
        }
        catch (Win32Exception)
        {
            throw new CliException(ExitCode.ToolMissing, $"nanoff ('{Executable}') is not installed or not on PATH.", InstallFix);
        }

        if (code != 0)
        {
            throw new CliException(ExitCode.FlashFailed, $"nanoff failed at '{step}' (exit {code}): {Tail(text)} [{Show(args)}].", ExitCodes.Fix(ExitCode.FlashFailed));
        }
    }

    private static (int Code, string Output) Execute(string executable, IReadOnlyList<string> args, TimeSpan limit)
    {
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new Win32Exception("nanoff did not start");
        var text = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (text) { text.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (text) { text.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"no end after {limit.TotalMinutes:0} min");
        }

        process.WaitForExit();
        lock (text)
        {
            return (process.ExitCode, text.ToString());
        }
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "no output" : string.Join(" | ", lines.TakeLast(3));
    }

    [GeneratedRegex(@"(\d+)\.(\d+)(?:\.(\d+))?")]
    private static partial Regex VersionPattern();
}
