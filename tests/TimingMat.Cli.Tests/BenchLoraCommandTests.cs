using System.Text.Json;
using Xunit;

namespace TimingMat.Cli.Tests;

public class BenchLoraCommandTests
{
    [Fact]
    public void AtEu868OnePercentSf7_AMatDeliversMoreThanTheGoal_AndATenMinuteOutageClearsSoonAfter()
    {
        var (code, stdout, stderr) = CliRunner.InProcess("bench", "lora", "--sf", "7,12", "--bw", "125", "--band", "eu868-1", "--outage-min", "10", "--rate", "3500", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var capacity = json.RootElement.GetProperty("capacity");
        Assert.Equal(2, capacity.GetArrayLength());
        var sf7 = capacity[0];
        Assert.Equal(7, sf7.GetProperty("sf").GetInt32());
        Assert.True(sf7.GetProperty("fits").GetBoolean());
        Assert.Equal(255, sf7.GetProperty("max_packet_bytes").GetInt32());
        Assert.Equal(56, sf7.GetProperty("passings_per_packet").GetInt32());
        Assert.InRange(sf7.GetProperty("passings_per_hour").GetInt64(), 3_500, 6_000);
        Assert.InRange(sf7.GetProperty("unit_airtime_percent").GetDouble(), 0.9, 1.0);

        // SF12 reaches farther and carries about 1/23 of SF7 (airtime 22.6 times longer).
        var sf12 = capacity[1];
        Assert.InRange(sf12.GetProperty("passings_per_hour").GetInt64(), 150, 300);
        Assert.InRange(sf12.GetProperty("unit_airtime_percent").GetDouble(), 0.9, 1.0);

        var outage = json.RootElement.GetProperty("outage")[0];
        var arrived = outage.GetProperty("arrived").GetInt64();
        Assert.InRange(arrived, 580, 590);
        Assert.Equal(arrived, outage.GetProperty("delivered_during_outage").GetInt64() + outage.GetProperty("backlog_at_end").GetInt64());
        Assert.InRange(outage.GetProperty("cleared_after_minutes").GetDouble(), 10, 11);

        // At SF12 a 3,500/h crowd outruns the channel: most is still waiting when the network comes back.
        var slow = json.RootElement.GetProperty("outage")[1];
        Assert.True(slow.GetProperty("backlog_at_end").GetInt64() > arrived / 2, "SF12 at 1 % cannot keep up with 3,500 an hour");
    }

    [Fact]
    public void AtUs915_PacketsStayWithinTheDwellLimit_AndWhereNoneFitsItSaysSo()
    {
        var (code, stdout, stderr) = CliRunner.InProcess("bench", "lora", "--sf", "9,10", "--bw", "125", "--band", "us915", "--outage-min", "0", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var capacity = json.RootElement.GetProperty("capacity");
        var sf9 = capacity[0];
        Assert.True(sf9.GetProperty("fits").GetBoolean());
        Assert.InRange(sf9.GetProperty("max_packet_bytes").GetInt32(), 30, 254);
        Assert.InRange(sf9.GetProperty("full_packet_ms").GetDouble(), 300, 400);
        Assert.True(sf9.GetProperty("passings_per_hour").GetInt64() > 0);
        var sf10 = capacity[1];
        Assert.False(sf10.GetProperty("fits").GetBoolean());
        Assert.Equal(0, sf10.GetProperty("passings_per_hour").GetInt64());
    }

    [Theory]
    [InlineData("--sf", "13")]
    [InlineData("--bw", "300")]
    [InlineData("--band", "as923")]
    public void AnUnknownSetting_IsInvalidInput_NamingTheOption(string option, string value)
    {
        var (code, _, stderr) = CliRunner.InProcess("bench", "lora", option, value, "--outage-min", "0");

        Assert.Equal(12, code);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
    }
}
