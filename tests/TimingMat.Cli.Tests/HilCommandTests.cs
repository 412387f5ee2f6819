using System.Text.Json;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;
using TimingMat.Host.Ports;
using TimingMat.Host.Storage;
using TimingMat.Mqtt.Broker;
using Xunit;
using Xunit.Abstractions;

namespace TimingMat.Cli.Tests;

/// <summary>
/// Hardware in the loop, end to end on one machine: <c>timingmat unit</c> as a real child process (the real core on
/// real byte streams) stands in for the board, three null-modem bridges for its reader, GPS and PPS wiring, a real
/// Mosquitto for the race broker; <c>timingmat hil</c> plays a small race into it in real time and scores what it
/// published.
/// </summary>
[Collection(HilRaceCollection.Name)]
public sealed class HilCommandTests(ITestOutputHelper log) : IDisposable
{
    // One start mat; 16 runners over it from about 28 s into the play (gun 09:00:00, corral released 12 s later at
    // 1.2 a second): the unit's clock locks about 22 s in (GPS fix at 2 s, 20 edges), before the first runner.
    internal const string Scenario = """
        {
          "name": "hil-test",
          "date": "2025-05-04",
          "seed": 5,
          "waves": [ { "number": 1, "gun": "09:00:00" } ],
          "corrals": [ { "name": "A", "wave": 1, "share": 1 } ],
          "course": {
            "distance_km": 5,
            "mats": [
              { "name": "start", "role": "start", "km": 0, "cutoff": "10:00" },
              { "name": "finish", "role": "finish", "km": 5, "cutoff": "11:00" }
            ]
          },
          "runners": { "count": 16, "start_rate_per_s": 1.2, "pace_s_per_km": { "median": 300, "spread": 0.1, "fastest": 200, "slowest": 500 } }
        }
        """;

    internal const string Config = """
        {
          "unit": 1,
          "role": "start",
          "reader": { "protocol": "r2000", "region": "eu" },
          "race_day": { "opens": "2025-05-04T08:30:00Z", "cut_off": "2025-05-04T10:00:00Z" },
          "uplink": { "status_interval_s": 2 },
          "journal": "journal"
        }
        """;

    private readonly TempFolder _dir = new("tm-hil-");

    [Fact]
    public void Hil_PlaysARaceIntoATimingmatUnit_NothingIsLost_AndTheJournalSurvivesARestart()
    {
        using var broker = new MosquittoProcess();
        using var reader = new NullModemBridge();
        using var gps = new NullModemBridge();
        using var pps = new NullModemBridge();
        var scenario = _dir.Write("race.json", Scenario);
        var config = _dir.Write("unit.json", Config);
        var unitArgs = new[] { "--reader", TempFolder.Tcp(reader.PortB), "--gps", TempFolder.Tcp(gps.PortB), "--pps", TempFolder.Tcp(pps.PortB), "--broker", broker.Address.ToString(), "--config", config };

        using var unit = CliProcess.Start(["unit", .. unitArgs, "--json", _dir.PathOf("unit-1.json")]);
        unit.WaitFor("Ctrl+C stops", TimeSpan.FromSeconds(20));

        // The broker comes up after the unit, as on a race morning: the unit runs on and connects when it can.
        Thread.Sleep(1000);
        broker.Start();
        var (code, stdout, stderr) = CliRunner.InProcess(
            "hil", "--scenario", scenario, "--mat", "start", "--reader", TempFolder.Tcp(reader.PortA), "--gps", TempFolder.Tcp(gps.PortA), "--pps-out", TempFolder.Tcp(pps.PortA),
            "--broker", broker.Address.ToString(), "--from", "08:59:44", "--seconds", "46", "--json");
        log.WriteLine(stderr);
        log.WriteLine(stdout);

        Assert.True(code == 0, $"hil exited {code}\n{stderr}\nunit:\n{unit.Output}\n{unit.Errors}");
        using var hil = JsonDocument.Parse(stdout);
        var report = hil.RootElement;
        AssertEveryRunnerDeliveredOnce(report);
        Assert.Equal(0, report.GetProperty("unsynced_delivered").GetInt64());
        Assert.InRange(report.GetProperty("crossing_error_ms").GetProperty("p50").GetDouble(), 0, 60);
        Assert.Equal(JsonValueKind.Null, report.GetProperty("clock_error_ms").ValueKind);
        var mat = report.GetProperty("mat_details")[0];
        Assert.Equal("locked", mat.GetProperty("clock_state").GetString());
        Assert.Equal(report.GetProperty("passings_delivered").GetInt64(), mat.GetProperty("passings").GetInt64());

        // A service manager's stop: the unit closes up and says where its journal stands.
        Assert.True(unit.Terminate(TimeSpan.FromSeconds(10)), "the unit did not stop on SIGTERM");
        Assert.Equal(0, unit.ExitCode);
        using var first = JsonDocument.Parse(File.ReadAllText(_dir.PathOf("unit-1.json")));
        var status = first.RootElement.GetProperty("status");

        // Locked, or holding over if the harness's PPS stopped a few seconds before the SIGTERM came.
        Assert.Contains(status.GetProperty("clock").GetProperty("state").GetString(), new[] { "locked", "holdover" });
        Assert.Equal("offline", status.GetProperty("state").GetString());
        var journal = status.GetProperty("journal");
        var lastSeq = journal.GetProperty("last_seq").GetInt64();
        Assert.Equal(report.GetProperty("passings_delivered").GetInt64(), lastSeq);
        Assert.Equal(lastSeq, journal.GetProperty("acked_seq").GetInt64());

        // The unit's own status reached the harness's collector: the report shows it per mat.
        Assert.Equal(1, mat.GetProperty("status").GetProperty("unit").GetInt32());
        Assert.Equal("start", mat.GetProperty("status").GetProperty("role").GetString());

        // Started again on the same folder, the unit recovers the same journal, numbering and acknowledged mark, and
        // knows it was stopped cleanly.
        using var again = CliProcess.Start(["unit", .. unitArgs, "--seconds", "3", "--json"]);
        Assert.True(again.WaitForExit(TimeSpan.FromSeconds(30)), "the restarted unit did not stop after --seconds");
        Assert.Equal(0, again.ExitCode);
        using var second = JsonDocument.Parse(again.Output);
        var recovered = second.RootElement.GetProperty("status");
        Assert.Equal(journal.GetProperty("id").GetInt64(), recovered.GetProperty("journal").GetProperty("id").GetInt64());
        Assert.Equal(lastSeq, recovered.GetProperty("journal").GetProperty("last_seq").GetInt64());
        Assert.Equal(lastSeq, recovered.GetProperty("journal").GetProperty("acked_seq").GetInt64());
        Assert.Equal(("power-on", 2, 0), (recovered.GetProperty("boot").GetProperty("reason").GetString(), recovered.GetProperty("boot").GetProperty("boots").GetInt32(), recovered.GetProperty("boot").GetProperty("crashes").GetInt32()));
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Asserts that each of the 16 runners' crossings (bar one a reader may miss) came as one passing; gives how many came.</summary>
    internal static long AssertEveryRunnerDeliveredOnce(JsonElement report)
    {
        var expected = report.GetProperty("passings_expected").GetInt64();
        var neverRead = report.GetProperty("passings_never_read").GetInt64();
        var delivered = report.GetProperty("passings_delivered").GetInt64();
        Assert.Equal(16, expected);
        Assert.Equal(0, report.GetProperty("passings_lost").GetInt64());
        Assert.Equal(expected - neverRead, delivered);
        Assert.True(neverRead <= 1, $"{neverRead} crossings were never read: the emulated reader was not streaming");
        Assert.Equal(0, report.GetProperty("duplicates_delivered").GetInt64());
        Assert.Equal(0, report.GetProperty("phantom_passings").GetInt64());
        return delivered;
    }

    internal static List<Passing> JournalPassings(string folder, int unitId)
    {
        using var files = new DirectoryFileStore(folder);
        var journal = new PassingJournal(files, new JournalOptions(unitId));
        Assert.True(journal.Open(), $"the journal in {folder} does not open");
        var cursor = journal.CreateCursor();
        var passings = new List<Passing>();
        var next = new Passing();
        while (cursor.TryRead(next))
        {
            passings.Add(next);
            next = new Passing();
        }

        return passings;
    }
}
