using System.Diagnostics;
using TimingMat.Cli;
using TimingMat.Cli.Infrastructure;

namespace TimingMat.Cli.Tests;

/// <summary>Runs <c>timingmat</c> in-process (fast, injected writers) or as a real process (exit codes as a shell sees them).</summary>
internal static class CliRunner
{
    public static (int Code, string Out, string Error) InProcess(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = CliApp.Run(args, new CommandOutput(stdout, stderr));
        return (code, stdout.ToString(), stderr.ToString());
    }

    public static (int Code, string Out, string Error) Process(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "timingmat.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("timingmat " + string.Join(' ', args) + " did not exit");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
