using System.Text.Json;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// The suite's one full-size race: the README's main command, the built-in half marathon (8,000 runners, 5.3 h of race),
/// as a real process. A class of its own so that it runs beside the other tests instead of after the small races of
/// <see cref="SimulateCommandTests"/>: it takes about two minutes of one core, the longest test of the suite.
/// </summary>
public sealed class SimulateHalfMarathonTests
{
    [Fact]
    public void Simulate_OnItsDefaults_RunsTheHalfMarathonUnderItsFaults_AndLosesNothing()
    {
        // The README's main command, as a real process: the built-in half marathon with its default fault timeline.
        var path = Path.Combine(Path.GetTempPath(), $"tm-sim-{Guid.NewGuid():N}.json");
        try
        {
            var (code, stdout, stderr) = CliRunner.Process("simulate", "--json", path);

            Assert.True(code == 0, stderr + stdout);
            Assert.Contains("Simulating 'half': 8,000 runners, 9 timing points on 16 mat units, 5 faults, seed 1, broker", stdout, StringComparison.Ordinal);
            SimulateCommandTests.AssertFitsATerminal(stdout);
            Assert.Contains("simulated 100%", stderr, StringComparison.Ordinal);
            using var report = JsonDocument.Parse(File.ReadAllText(path));
            var r = report.RootElement;
            Assert.Equal("half", r.GetProperty("scenario").GetString());
            Assert.Equal(8000, r.GetProperty("runners").GetInt32());
            Assert.Equal(16, r.GetProperty("mats").GetInt32());
            Assert.Equal(5, r.GetProperty("faults_injected").GetInt32());
            Assert.Equal(0, r.GetProperty("passings_lost").GetInt64());
            Assert.Equal(r.GetProperty("passings_recorded").GetInt64(), r.GetProperty("passings_delivered").GetInt64());
            Assert.InRange(r.GetProperty("clock_error_ms").GetProperty("p99").GetDouble(), 0, 1);
            Assert.True(r.GetProperty("two_chip_pairs").GetProperty("flagged").GetInt32() >= r.GetProperty("two_chip_pairs").GetProperty("injected").GetInt32() - 2);
            foreach (var mat in r.GetProperty("mat_details").EnumerateArray())
            {
                var name = mat.GetProperty("name").GetString()!;
                Assert.Contains(name, stdout, StringComparison.Ordinal);
                Assert.Equal(0, mat.GetProperty("lost").GetInt64());
            }

            Assert.Contains($"{r.GetProperty("passings_lost").GetInt64()} lost", stdout, StringComparison.Ordinal);

            // Every finisher ranked, no carried chip let through, and every mat's error beside its bound (issue 15's goals).
            var truth = r.GetProperty("athletes_truth");
            Assert.Equal(0, truth.GetProperty("wrongly").GetProperty("total").GetInt32());
            Assert.Equal(truth.GetProperty("finished").GetInt32(), truth.GetProperty("finished_ranked").GetInt32());
            Assert.Equal(0, r.GetProperty("two_chip_pairs").GetProperty("missed").GetInt32());
            Assert.Equal(0, r.GetProperty("two_chip_pairs").GetProperty("false_flags").GetInt32());
            foreach (var mat in r.GetProperty("mat_details").EnumerateArray())
            {
                Assert.InRange(mat.GetProperty("p99_over_bound").GetDouble(), 0.5, 1.25);
            }

            Assert.Contains("Against the truth: 7,796 of 7,796 finishers ranked, 0 wrongly unranked", stdout, StringComparison.Ordinal);
            Assert.Contains("Crossing accuracy against the physics", stdout, StringComparison.Ordinal);
            Assert.Contains("Timing points: lines merged per chip", stdout, StringComparison.Ordinal);

            // The default timeline's faults, each with its local time, its mat and what it did.
            Assert.Contains("  08:38:00 15k GPS lost 20 min: ", stdout, StringComparison.Ordinal);
            var gpsLoss = r.GetProperty("faults").EnumerateArray().Single(f => f.GetProperty("kind").GetString() == "gps_loss");
            Assert.True(gpsLoss.GetProperty("timed_in_holdover").GetInt64() > 0, "the GPS loss at 15k must cover the leaders' crossings, or it exercises no holdover");
            Assert.Contains("  08:40:00 10k uplink cut 15 min: ", stdout, StringComparison.Ordinal);
            Assert.Contains("  08:45:00 5k power cut 30 s: the unit rebooted; ", stdout, StringComparison.Ordinal);
            Assert.Contains("  09:05:00 broker down 5 s: ", stdout, StringComparison.Ordinal);
            Assert.Contains("  09:20:00 20k reader silent 8 s: ", stdout, StringComparison.Ordinal);
            SimulateCommandTests.AssertReadsOfferedCoverReported(r, stdout);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
