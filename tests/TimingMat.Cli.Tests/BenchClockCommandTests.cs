using System.Text.Json;
using Xunit;

namespace TimingMat.Cli.Tests;

public class BenchClockCommandTests
{
    [Fact]
    public void Json_HasTheIssuesKeys_AndMeetsTheGoals()
    {
        var (code, stdout, stderr) = CliRunner.InProcess("bench", "clock", "--latency", "heavy", "--minutes", "16", "--holdover-at", "4", "--holdover-for", "10", "--seed", "3", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var locked = root.GetProperty("locked_error_us");
        Assert.InRange(locked.GetProperty("p50").GetInt64(), 0, locked.GetProperty("p99").GetInt64());
        Assert.InRange(locked.GetProperty("p99").GetInt64(), 1, 1_000);
        Assert.InRange(locked.GetProperty("max").GetInt64(), locked.GetProperty("p99").GetInt64(), 2_000);
        var holdover = root.GetProperty("holdover_error_us");
        Assert.InRange(holdover.GetProperty("at_10min").GetInt64(), 0, 5_000);
        Assert.Equal(JsonValueKind.Null, holdover.GetProperty("at_30min").ValueKind);
        Assert.Equal(JsonValueKind.Null, holdover.GetProperty("at_60min").ValueKind);
        Assert.InRange(root.GetProperty("time_to_lock_s").GetDouble(), 1, 60);
        Assert.Equal("heavy", root.GetProperty("latency_model").GetString());
        Assert.Equal(3, root.GetProperty("seed").GetInt32());

        // The same stamps through a plain average sit on the mean latency (4.25 ms).
        Assert.InRange(root.GetProperty("plain_average_error_us").GetProperty("p50").GetInt64(), 2_000, 8_000);
        Assert.Equal(0, root.GetProperty("locked_over_uncertainty").GetInt32());
    }

    [Fact]
    public void ASeed_GivesTheSameFigures()
    {
        var first = CliRunner.InProcess("bench", "clock", "--minutes", "5", "--holdover-for", "0", "--seed", "8", "--latency", "uniform2", "--json");
        var second = CliRunner.InProcess("bench", "clock", "--minutes", "5", "--holdover-for", "0", "--seed", "8", "--latency", "uniform2", "--json");

        Assert.Equal(0, first.Code);
        Assert.Equal(first.Out, second.Out);
        Assert.Contains("\"latency_model\":\"uniform2\"", first.Out, StringComparison.Ordinal);
        Assert.Contains("\"holdover_error_us\":{\"at_10min\":null,\"at_30min\":null,\"at_60min\":null}", first.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_ReportsEachFigure()
    {
        var (code, stdout, stderr) = CliRunner.Process("bench", "clock", "--minutes", "14", "--holdover-at", "3", "--holdover-for", "10");

        Assert.True(code == 0, stderr);
        Assert.Contains("TimingMat bench clock: heavy PPS latency (mean 4.3 ms)", stdout, StringComparison.Ordinal);
        Assert.Matches(@"time to lock\s+\d+\.\d s after the first fix", stdout);
        Assert.Matches(@"locked \|error\|\s+p50 [\d,]+ us, p99 [\d,]+ us, max [\d,]+ us", stdout);
        Assert.Matches(@"holdover \|error\| 10 min [\d,]+ us, 30 min -, 60 min -", stdout);
        Assert.Contains("14 min simulated in", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void AHoldoverPastTheEndOfTheRun_IsInvalidInput()
    {
        var (code, _, stderr) = CliRunner.Process("bench", "clock", "--minutes", "20", "--holdover-at", "15", "--holdover-for", "10");

        Assert.Equal(12, code);
        Assert.Contains("error TM12 invalid-input: the holdover (minute 15 for 10 min) must start after minute 2 and end within the 20 simulated minutes.", stderr, StringComparison.Ordinal);
        Assert.Contains("fix: lower --holdover-at/--holdover-for or raise --minutes.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownLatencyModel_IsAUsageError()
    {
        var (code, _, stderr) = CliRunner.InProcess("bench", "clock", "--latency", "busy");

        Assert.Equal(2, code);
        Assert.Contains("busy", stderr, StringComparison.Ordinal);
    }
}
