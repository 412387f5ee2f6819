using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace TimingMat.Cli.Tests;

/// <summary>
/// A long-running <c>timingmat</c> command (<c>unit</c>, <c>collect</c>) as a real child process: its output lines as
/// they come, a SIGTERM like a service manager's.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _out = new();
    private readonly StringBuilder _error = new();

    private CliProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_out, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_error, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => Read(_out);

    public string Errors => Read(_error);

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>timingmat</c> with a command and its options, e.g. <c>Start("collect", "--db", …)</c>.</summary>
    public static CliProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "timingmat.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new CliProcess(Process.Start(start)!);
    }

    /// <summary>Waits until the output holds a text (a start line, a status line…).</summary>
    public void WaitFor(string text, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timingmat did not print '{text}' (exited: {_process.HasExited}).\nout:\n{Output}\nerr:\n{Errors}");
            }

            Thread.Sleep(50);
        }
    }

    /// <summary>Kills the process at once (SIGKILL): RAM and unflushed writes are gone, as in a power cut.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Asks the command to stop as a service manager does (SIGTERM) and waits for it.</summary>
    public bool Terminate(TimeSpan within) => Kill(_process.Id, SigTerm) == 0 && WaitForExit(within);

    public bool WaitForExit(TimeSpan within)
    {
        if (!_process.WaitForExit(within))
        {
            return false;
        }

        // The asynchronous readers may still hold the last lines.
        _process.WaitForExit();
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder to, string? line)
    {
        if (line != null)
        {
            lock (to)
            {
                to.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder from)
    {
        lock (from)
        {
            return from.ToString();
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
