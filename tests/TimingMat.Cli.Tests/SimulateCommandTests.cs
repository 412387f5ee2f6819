using System.Text.Json;
using Xunit;

namespace TimingMat.Cli.Tests;

public class SimulateCommandTests
{
    [Fact]
    public void Simulate_OnItsDefaults_RunsTenSecondsOfAHealthyUnit()
    {
        var (code, stdout, stderr) = CliRunner.Process("simulate");

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reports = lines.Where(l => l.TrimStart().StartsWith("t=", StringComparison.Ordinal)).ToList();
        Assert.Equal(10, reports.Count);
        Assert.All(reports, r => Assert.Contains("reader 7 B, gps 148 B (2 NMEA), pps 1 (", r, StringComparison.Ordinal));
        Assert.All(reports, r => Assert.EndsWith("storage ok, radio ok", r.TrimEnd(), StringComparison.Ordinal));
        Assert.Contains("10 s of unit time simulated", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Simulate_Json_IsReproducibleForASeed_AndShowsOneEdgePerSecond()
    {
        var first = CliRunner.InProcess("simulate", "--seconds", "5", "--seed", "7", "--json");
        var second = CliRunner.InProcess("simulate", "--seconds", "5", "--seed", "7", "--json");

        Assert.Equal(0, first.Code);
        using var a = JsonDocument.Parse(first.Out);
        using var b = JsonDocument.Parse(second.Out);
        var reportsA = a.RootElement.GetProperty("reports").EnumerateArray().ToList();
        var reportsB = b.RootElement.GetProperty("reports").EnumerateArray().ToList();
        Assert.Equal(5, reportsA.Count);
        Assert.Equal(reportsA.Select(r => r.GetProperty("pps_interval_us").GetInt64()), reportsB.Select(r => r.GetProperty("pps_interval_us").GetInt64()));
        Assert.All(reportsA.Skip(1), r => Assert.InRange(r.GetProperty("pps_interval_us").GetInt64(), 997_000, 1_003_000));
        Assert.All(reportsA, r => Assert.Equal(1, r.GetProperty("pps_edges").GetInt32()));
        Assert.Equal(7, a.RootElement.GetProperty("seed").GetInt32());
    }

    [Fact]
    public void Simulate_JsonPath_WritesTheReport_AndStillPrintsText()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tm-sim-{Guid.NewGuid():N}.json");
        try
        {
            var (code, stdout, _) = CliRunner.InProcess("simulate", "--seconds", "3", "--json", path);

            Assert.Equal(0, code);
            Assert.Contains("bring-up demo", stdout, StringComparison.Ordinal);
            using var report = JsonDocument.Parse(File.ReadAllText(path));
            Assert.Equal(3, report.RootElement.GetProperty("reports").GetArrayLength());
            Assert.Equal("bring-up-demo", report.RootElement.GetProperty("mode").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
