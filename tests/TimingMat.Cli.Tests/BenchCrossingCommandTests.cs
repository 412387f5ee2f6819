using System.Text.Json;
using TimingMat.Cli.Infrastructure;
using Xunit;

namespace TimingMat.Cli.Tests;

public class BenchCrossingCommandTests
{
    [Fact]
    public void Json_HasExactlyTheDocumentedFields_ThroughARealProcess()
    {
        var (code, stdout, stderr) = CliRunner.Process("bench", "crossing", "--crossings", "300", "--seed", "4", "--json");

        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        var root = report.RootElement;
        Assert.Equal(["peak", "first", "last", "missed", "crossings", "seed", "reads_per_crossing", "bound", "bound_known_curve", "peak_p99_over_bound", "model"], root.EnumerateObject().Select(p => p.Name));
        foreach (var mode in new[] { "peak", "first", "last" })
        {
            Assert.Equal(["p50_ms", "p99_ms", "max_ms", "bias_ms"], root.GetProperty(mode).EnumerateObject().Select(p => p.Name));
        }

        Assert.Equal(
            ["noise_db", "fade_fraction", "fade_max_db", "body_shadow_db", "path_loss_exponent", "beam_exponent", "tag_tilt_max_deg", "rssi_step_db", "reaction_ms", "fit_shadow_db", "min_speed_mps", "max_speed_mps"],
            root.GetProperty("model").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("model").GetProperty("tag_tilt_max_deg").ValueKind);
        Assert.Equal(850, root.GetProperty("model").GetProperty("reaction_ms").GetInt32());
        Assert.Equal(Math.Round(root.GetProperty("peak").GetProperty("p99_ms").GetDouble() / root.GetProperty("bound").GetProperty("p99_ms").GetDouble(), 2), root.GetProperty("peak_p99_over_bound").GetDouble());

        foreach (var bound in new[] { "bound", "bound_known_curve" })
        {
            Assert.Equal(["p50_ms", "p99_ms"], root.GetProperty(bound).EnumerateObject().Select(p => p.Name));
        }

        // One 500 reads/s reader at 20 runners/s: about 18 reads per crossing; the known curve bounds tighter.
        Assert.InRange(root.GetProperty("reads_per_crossing").GetDouble(), 15, 22);
        var atBound = root.GetProperty("bound").GetProperty("p50_ms").GetDouble();
        Assert.InRange(root.GetProperty("bound_known_curve").GetProperty("p50_ms").GetDouble(), atBound * 0.8, atBound);

        Assert.Equal(300, root.GetProperty("crossings").GetInt32());
        Assert.Equal(4, root.GetProperty("seed").GetInt32());
        Assert.InRange(root.GetProperty("missed").GetInt32(), 0, 5);
        var peak = root.GetProperty("peak");
        var first = root.GetProperty("first");
        Assert.True(peak.GetProperty("p50_ms").GetDouble() < first.GetProperty("p50_ms").GetDouble() / 10);
        Assert.True(peak.GetProperty("p50_ms").GetDouble() <= peak.GetProperty("p99_ms").GetDouble());
        Assert.True(peak.GetProperty("p99_ms").GetDouble() <= peak.GetProperty("max_ms").GetDouble());
    }

    [Fact]
    public void BodyShadowAfterTheLine_PullsThePeakEarly_ByAFixedDistance_AndTheBiasShowsIt()
    {
        // 6 dB of shadow once the runner is past the line: every symmetric fit leans early (about 0.16 m, −45 ms at 2–6 m/s).
        var clean = Json("bench", "crossing", "--crossings", "600", "--seed", "3", "--json");
        var shadow = Json("bench", "crossing", "--crossings", "600", "--seed", "3", "--body-shadow-db", "6", "--json");
        var slow = Json("bench", "crossing", "--crossings", "600", "--seed", "3", "--body-shadow-db", "6", "--min-speed", "1", "--max-speed", "2", "--reaction-ms", "2000", "--json");

        Assert.InRange(clean.GetProperty("peak").GetProperty("bias_ms").GetDouble(), -5, 5);
        Assert.InRange(shadow.GetProperty("peak").GetProperty("bias_ms").GetDouble(), -60, -30);
        Assert.True(slow.GetProperty("peak").GetProperty("bias_ms").GetDouble() < 2 * shadow.GetProperty("peak").GetProperty("bias_ms").GetDouble(), "half the speed, twice the time for the same distance");
        Assert.True(shadow.GetProperty("peak_p99_over_bound").GetDouble() > 1.5, "the bound assumes the fit's symmetric curve: the shadow's bias is far above it");
        Assert.Equal(6, shadow.GetProperty("model").GetProperty("body_shadow_db").GetDouble());
        Assert.Equal(2000, slow.GetProperty("model").GetProperty("reaction_ms").GetInt32());
    }

    [Fact]
    public void TheMatsShadowSetting_PutsShadowedCrossingsBackOnTheLine_PerRunner()
    {
        // The same 6 dB shadow, the detector told of it (crossings.body_shadow_db = 6): no bias left, at the bound, for
        // runners at 2-6 m/s and for walkers at 1-2 m/s alike (a distance, not a constant time, is corrected).
        var corrected = Json("bench", "crossing", "--crossings", "600", "--seed", "3", "--body-shadow-db", "6", "--fit-shadow-db", "6", "--json");
        var slow = Json("bench", "crossing", "--crossings", "600", "--seed", "3", "--body-shadow-db", "6", "--fit-shadow-db", "6", "--min-speed", "1", "--max-speed", "2", "--reaction-ms", "2000", "--json");
        var text = CliRunner.InProcess("bench", "crossing", "--crossings", "100", "--seed", "3", "--fit-shadow-db", "6");

        Assert.InRange(corrected.GetProperty("peak").GetProperty("bias_ms").GetDouble(), -8, 8);
        Assert.InRange(slow.GetProperty("peak").GetProperty("bias_ms").GetDouble(), -15, 15);
        Assert.True(corrected.GetProperty("peak_p99_over_bound").GetDouble() < 1.25, corrected.ToString());
        Assert.Equal(6, corrected.GetProperty("model").GetProperty("fit_shadow_db").GetDouble());
        Assert.Contains("reaction 850 ms, body shadow 6 dB corrected;", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryMismatchOption_ChangesTheReads_AndIsEchoedInTheText()
    {
        var clean = CliRunner.InProcess("bench", "crossing", "--crossings", "300", "--seed", "8");
        var mismatched = CliRunner.InProcess("bench", "crossing", "--crossings", "300", "--seed", "8", "--fades", "0.1", "--fade-db", "15", "--path-loss-exponent", "3.5",
            "--beam-exponent", "2", "--tag-tilt-deg", "40", "--rssi-step-db", "2");

        Assert.Equal(0, mismatched.Code);
        Assert.Contains("runners 2-6 m/s; the fit's own curve (no mismatch option).", clean.Out, StringComparison.Ordinal);
        Assert.Contains("mismatch: 0.1 of reads faded 7.5-15 dB, path-loss exponent 3.5, beam cos^2, dipole tags tilted up to 40 deg, RSSI in 2 dB steps.", mismatched.Out, StringComparison.Ordinal);
        Assert.Matches(@"peak p99 / bound p99 = \d+\.\d\d", mismatched.Out);
        static string PeakRow(string text) => text.Split('\n').Single(l => l.StartsWith("  peak ", StringComparison.Ordinal));
        Assert.NotEqual(PeakRow(clean.Out), PeakRow(mismatched.Out));
    }

    [Theory]
    [InlineData("--fades", "1.5")]
    [InlineData("--body-shadow-db", "-1")]
    [InlineData("--path-loss-exponent", "1")]
    [InlineData("--beam-exponent", "30")]
    [InlineData("--tag-tilt-deg", "120")]
    [InlineData("--rssi-step-db", "0")]
    [InlineData("--reaction-ms", "10")]
    [InlineData("--min-speed", "0.1")]
    [InlineData("--fit-shadow-db", "31")]
    public void AMismatchOptionOutOfRange_IsInvalidInput(string option, string value)
    {
        var (code, _, stderr) = CliRunner.InProcess("bench", "crossing", "--crossings", "10", option, value);

        Assert.Equal(12, code);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
        Assert.Contains("fix:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void SameSeed_GivesTheSameFigures_AndAnotherSeedOthers()
    {
        var a = CliRunner.InProcess("bench", "crossing", "--crossings", "200", "--seed", "9", "--json");
        var b = CliRunner.InProcess("bench", "crossing", "--crossings", "200", "--seed", "9", "--json");
        var c = CliRunner.InProcess("bench", "crossing", "--crossings", "200", "--seed", "10", "--json");

        Assert.Equal(0, a.Code);
        Assert.Equal(a.Out, b.Out);
        Assert.NotEqual(a.Out, c.Out);
    }

    [Fact]
    public void Text_ShowsEachModeAndTheGoal()
    {
        var (code, stdout, _) = CliRunner.InProcess("bench", "crossing", "--crossings", "200", "--noise-db", "1", "--runners-per-s", "10");

        Assert.Equal(0, code);
        Assert.Contains("200 chip crossings, 10 runners/s, noise 1 dB, seed 1", stdout, StringComparison.Ordinal);
        Assert.Contains("  mode    p50 ms   p99 ms   max ms   bias ms", stdout, StringComparison.Ordinal);
        Assert.Matches(@"\n  peak\s+\d+\.\d", stdout);
        Assert.Matches(@"\n  first\s+\d+\.\d", stdout);
        Assert.Matches(@"\n  last\s+\d+\.\d", stdout);
        Assert.Matches(@"\n  bound\s+\d+\.\d\s+(\d+\.\d|inf)\n", stdout);
        Assert.Matches(@"\n  known\s+\d+\.\d\s+(\d+\.\d|inf)\n", stdout);
        Assert.Matches(@"\(\d+\.\d per crossing\)", stdout);
        Assert.Matches(@"goal: peak p99 <= 20 ms at 3 dB and 20 runners/s -> \d+\.\d ms, (met|not met)", stdout);
    }

    [Fact]
    public void ReadersWithOneAntennaEach_ReadMorePerCrossing_AndTimeCloser()
    {
        // One four-port module against four one-port modules (a reader per segment, no antenna switching).
        var one = CliRunner.InProcess("bench", "crossing", "--crossings", "400", "--seed", "6", "--json");
        var four = CliRunner.InProcess("bench", "crossing", "--crossings", "400", "--seed", "6", "--readers", "4", "--antennas", "1", "--chips", "1024");
        var fourJson = CliRunner.InProcess("bench", "crossing", "--crossings", "400", "--seed", "6", "--readers", "4", "--antennas", "1", "--chips", "1024", "--json");

        Assert.Equal(0, four.Code);
        Assert.Contains("Mat 5 m, 4 reader(s) x 1 antennas, 500 reads/s each; detector 1024 chips, reaction 850 ms;", four.Out, StringComparison.Ordinal);
        using var a = JsonDocument.Parse(one.Out);
        using var b = JsonDocument.Parse(fourJson.Out);
        var readsOne = a.RootElement.GetProperty("reads_per_crossing").GetDouble();
        var readsFour = b.RootElement.GetProperty("reads_per_crossing").GetDouble();
        Assert.InRange(readsFour, 3.5 * readsOne, 4.5 * readsOne);
        var p50One = a.RootElement.GetProperty("peak").GetProperty("p50_ms").GetDouble();
        var p50Four = b.RootElement.GetProperty("peak").GetProperty("p50_ms").GetDouble();
        Assert.True(p50Four < p50One * 0.65, $"peak p50: one module {p50One} ms, four {p50Four} ms");
    }

    [Fact]
    public void ReadsOut_WritesTheCsvOtherAlgorithmsCanUse()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tm-reads-{Guid.NewGuid():N}.csv");
        try
        {
            var (code, stdout, stderr) = CliRunner.Process("bench", "crossing", "--crossings", "50", "--reads-out", path);

            Assert.True(code == 0, stderr);
            Assert.Contains($"reads written to {path}", stdout, StringComparison.Ordinal);
            var lines = File.ReadAllLines(path);
            Assert.Equal("chip,true_crossing_us,read_time_us,rssi_dbm,antenna", lines[0]);
            Assert.True(lines.Length > 500);
            Assert.All(lines.Skip(1), l => Assert.Matches(@"^[0-9A-F]{24},\d+,\d+,-\d+,[1-4]$", l));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--noise-db", "-1", "--noise-db must be between 0 and 20, not -1.")]
    [InlineData("--crossings", "0", "--crossings must be between 1 and 1000000, not 0.")]
    [InlineData("--runners-per-s", "0", "--runners-per-s must be above 0 and at most 200, not 0.")]
    [InlineData("--two-chips", "1.5", "--two-chips must be between 0 and 1, not 1.5.")]
    [InlineData("--antennas", "0", "--antennas must be between 1 and 16, not 0.")]
    [InlineData("--antennas", "17", "--antennas must be between 1 and 16, not 17.")]
    public void OutOfRangeValues_ExitWithTheInvalidInputCode(string option, string value, string message)
    {
        var (code, stdout, stderr) = CliRunner.InProcess("bench", "crossing", option, value);

        Assert.Equal((int)ExitCode.InvalidInput, code);
        Assert.Contains("error TM12 invalid-input: " + message, stderr, StringComparison.Ordinal);
        Assert.Contains("fix: run 'timingmat bench crossing --help'", stderr, StringComparison.Ordinal);
        Assert.Empty(stdout);
    }

    [Fact]
    public void UnwritableReadsOut_IsAStorageError_ThroughARealProcess()
    {
        var (code, _, stderr) = CliRunner.Process("bench", "crossing", "--crossings", "10", "--reads-out", "/nonexistent-dir/reads.csv");

        Assert.Equal((int)ExitCode.StorageFailed, code);
        Assert.Contains("error TM60 storage-failed: cannot write '/nonexistent-dir/reads.csv'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BenchGroup_IsListedInHelp()
    {
        var (code, stdout, _) = CliRunner.InProcess("bench", "--help");

        Assert.Equal(0, code);
        Assert.Contains("crossing", stdout, StringComparison.Ordinal);
    }

    private static JsonElement Json(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.InProcess(args);
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
