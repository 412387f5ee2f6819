using System.Text.Json;
using TimingMat.Cli.Tests;
using TimingMat.Collector;
using TimingMat.Mqtt;
using TimingMat.Simulation.Hil;

namespace TimingMat.Uplink.Tests.Support;

/// <summary>
/// A mat unit at a start line: runs of <c>timingmat unit</c> (the unit application the board runs, on desktop), one
/// after another on the same journal folder, wired to the line's emulated reader module, GPS and PPS
/// (<see cref="BridgedStartLine"/>), which play the runners in real time whatever happens to the unit.
/// </summary>
internal sealed class StartLineUnit : IDisposable
{
    private readonly BridgedStartLine _line;
    private readonly string _config;
    private readonly string _report;
    private readonly List<CliProcess> _runs = [];

    /// <summary>Initializes a new instance of the <see cref="StartLineUnit"/> class; nothing runs yet.</summary>
    /// <param name="id">The unit's id.</param>
    /// <param name="root">Folder for its configuration, journal and report.</param>
    /// <param name="broker">The broker the unit is configured with (a proxy to cut, or the broker itself).</param>
    /// <param name="runners">Runners crossing the mat.</param>
    /// <param name="perSecond">Runners a second.</param>
    public StartLineUnit(int id, string root, MqttBrokerAddress broker, int runners, double perSecond)
    {
        Id = id;
        Journal = Path.Combine(root, $"unit-{id}");
        _report = Path.Combine(root, $"unit-{id}.json");
        _config = Path.Combine(root, $"unit-{id}.cfg");
        File.WriteAllText(_config, BridgedStartLine.UnitConfig(id, broker));
        _line = new BridgedStartLine(runners, perSecond, seed: 5 + id);
    }

    /// <summary>Gets the unit's id.</summary>
    public int Id { get; }

    /// <summary>Gets the journal folder every run of the unit uses.</summary>
    public string Journal { get; }

    /// <summary>Gets the mat's hardware.</summary>
    public MatPlayer Mat => _line.Mat;

    /// <summary>Gets the bibs of the runners the mat's reader read.</summary>
    public List<int> BibsRead => _line.BibsRead;

    /// <summary>Starts a run of the unit on the same folder and waits until it runs (ports and journal open).</summary>
    /// <returns>The process.</returns>
    public CliProcess StartUnit()
    {
        File.Delete(_report);
        var run = CliProcess.Start(["unit", .. _line.UnitArguments, "--config", _config, "--journal", Journal, "--json", _report]);
        _runs.Add(run);
        run.WaitFor("Ctrl+C stops", TimeSpan.FromSeconds(60));
        return run;
    }

    /// <summary>Stops the newest run as a service manager does (SIGTERM) and gives its final status.</summary>
    /// <returns>The unit's status as it stopped.</returns>
    public JsonElement StopUnit()
    {
        var run = _runs[^1];
        if (!run.Terminate(TimeSpan.FromSeconds(20)) || run.ExitCode != 0)
        {
            throw new InvalidOperationException($"unit {Id} did not stop cleanly on SIGTERM.\nout:\n{run.Output}\nerr:\n{run.Errors}");
        }

        using var report = JsonDocument.Parse(File.ReadAllText(_report));
        return report.RootElement.GetProperty("status").Clone();
    }

    /// <summary>
    /// Waits until the last runner has crossed and been timed, and the unit's retained status, published after that,
    /// says the collector acknowledged its whole journal and the collector holds it without a gap.
    /// </summary>
    /// <param name="collector">The collector.</param>
    /// <param name="within">Longest wait after the last runner.</param>
    public void WaitUntilAllCollected(CollectorService collector, TimeSpan within)
    {
        // A start mat's passing leaves 2 s after its runner (the reaction time); a second more for group commit.
        var settled = Mat.Crossings[^1].UtcMicros + 3_000_000;
        while (Mat.TrueNow < settled)
        {
            Thread.Sleep(50);
        }

        var deadline = DateTime.UtcNow + within;
        var first = collector.Read((_, store) => store.ReadStatus(Id));
        while (true)
        {
            var text = collector.Read((_, store) => store.ReadStatus(Id));
            var contiguous = collector.Read((c, _) => c.Ledger.TryGetValue(Id, out var u) ? u.Contiguous : 0);
            if (text != null && text != first)
            {
                using var status = JsonDocument.Parse(text);
                var journal = status.RootElement.GetProperty("journal");
                var last = journal.GetProperty("last_seq").GetInt64();
                if (last > 0 && journal.GetProperty("acked_seq").GetInt64() == last && contiguous == last)
                {
                    return;
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"unit {Id}: not everything collected within {within.TotalSeconds} s; collector contiguous to {contiguous}, last status {text}");
            }

            Thread.Sleep(100);
        }
    }

    public void Dispose()
    {
        foreach (var run in _runs)
        {
            run.Dispose();
        }

        _line.Dispose();
    }
}
