using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// <c>timingmat bench uplink</c>: its options are checked before any broker or unit starts (a real run takes about
/// 40 s of wall clock for the units' clocks to lock, so the whole path is covered by the uplink tests'
/// start-line units instead).
/// </summary>
public class BenchUplinkCommandTests
{
    [Theory]
    [InlineData("latency", "--units", "0")]
    [InlineData("latency", "--units", "51")]
    [InlineData("latency", "--seconds", "0")]
    [InlineData("latency", "--runners-per-second", "101")]
    [InlineData("drain", "--minutes", "0.5")]
    [InlineData("drain", "--runners-per-second", "0")]
    public void AnOutOfRangeOption_IsInvalidInput_NamingTheOptionAndItsRange(string run, string option, string value)
    {
        var (code, stdout, stderr) = CliRunner.InProcess("bench", "uplink", run, option, value);

        Assert.Equal(12, code);
        Assert.Contains(option, stderr, StringComparison.Ordinal);
        Assert.Contains("expected", stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, stdout.Trim());
    }
}
