using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TimingMat.Uplink.Tests.Support;

/// <summary>A mat unit as a separate process (tests/TimingMat.SyntheticUnit), which a test can kill like a power cut.</summary>
internal sealed class UnitProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<JsonElement> _events = [];
    private readonly System.Text.StringBuilder _errors = new();

    private UnitProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && line.StartsWith('{'))
            {
                using var document = JsonDocument.Parse(line);
                lock (_events)
                {
                    _events.Add(document.RootElement.Clone());
                }
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_errors)
            {
                _errors.AppendLine(e.Data);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    public static UnitProcess Start(string broker, int unit, string journal, double rate, int count, bool exitWhenAcked)
    {
        var dll = Path.Combine(AppContext.BaseDirectory.Replace("TimingMat.Uplink.Tests", "TimingMat.SyntheticUnit", StringComparison.Ordinal), "TimingMat.SyntheticUnit.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "--broker", broker, "--unit", unit.ToString(CultureInfo.InvariantCulture), "--dir", journal, "--rate", rate.ToString(CultureInfo.InvariantCulture), "--count", count.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }

        if (exitWhenAcked)
        {
            start.ArgumentList.Add("--exit-when-acked");
        }

        return new UnitProcess(Process.Start(start)!);
    }

    /// <summary>Gets the value of a field in the newest event of a kind, or null.</summary>
    public JsonElement? Last(string kind)
    {
        lock (_events)
        {
            for (var i = _events.Count - 1; i >= 0; i--)
            {
                if (_events[i].GetProperty("event").GetString() == kind)
                {
                    return _events[i];
                }
            }
        }

        return null;
    }

    /// <summary>Waits until the unit has made at least a number of passings.</summary>
    public void WaitForGenerated(int generated, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Last("progress") is not { } progress || progress.GetProperty("generated").GetInt32() < generated)
        {
            if (DateTime.UtcNow > deadline || _process.HasExited)
            {
                throw new TimeoutException($"unit did not reach {generated} passings (exited: {_process.HasExited})");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>Kills the process at once (SIGKILL): RAM and unflushed writes are gone, as in a power cut.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    public bool WaitForExit(TimeSpan within) => _process.WaitForExit(within);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }
}
