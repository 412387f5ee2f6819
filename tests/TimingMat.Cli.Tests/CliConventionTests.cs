using System.Text.Json;
using TimingMat.Cli.Infrastructure;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>The conventions every command follows: version, help, numbered exit codes with a fix-it line, --json.</summary>
public class CliConventionTests
{
    [Fact]
    public void Version_PrintsTheToolVersion_AndExitsZero()
    {
        var (code, stdout, _) = CliRunner.Process("--version");

        // The build appends the commit it was built from, which a technician quotes in a bug report.
        Assert.Equal(0, code);
        Assert.Matches(@"^0\.1\.0(\+[0-9a-f]{7,40})?$", stdout.Trim());
    }

    [Fact]
    public void Help_ListsTheCommands()
    {
        var (code, stdout, _) = CliRunner.Process("--help");

        Assert.Equal(0, code);
        Assert.Contains("simulate", stdout, StringComparison.Ordinal);
        Assert.Contains("Usage:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownCommand_ExitsWithTheUsageCode_AndAFixLine()
    {
        var (code, _, stderr) = CliRunner.Process("simulat");

        Assert.Equal((int)ExitCode.Usage, code);
        Assert.Contains("error TM2 usage: Unrecognized command or argument 'simulat'", stderr, StringComparison.Ordinal);
        Assert.Contains("  fix: run 'timingmat --help'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void NoCommand_ShowsHelp_AndExitsWithTheUsageCode()
    {
        var (code, stdout, stderr) = CliRunner.InProcess();

        Assert.Equal((int)ExitCode.Usage, code);
        Assert.Contains("Commands:", stdout, StringComparison.Ordinal);
        Assert.Contains("no command given", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadOptionValue_WithJson_PrintsAMachineReadableError()
    {
        var (code, stdout, stderr) = CliRunner.InProcess("simulate", "--seconds", "many", "--json");

        Assert.Equal((int)ExitCode.Usage, code);
        using var error = JsonDocument.Parse(stdout);
        Assert.Equal(2, error.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("usage", error.RootElement.GetProperty("error").GetProperty("name").GetString());
        Assert.Contains("'many'", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("timingmat simulate --help", error.RootElement.GetProperty("error").GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Contains("error TM2", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfRangeValue_ExitsWithTheInvalidInputCode()
    {
        var (code, _, stderr) = CliRunner.Process("simulate", "--runners", "0");

        Assert.Equal(12, code);
        Assert.Contains("error TM12 invalid-input: --runners must be between 1 and 100000, not 0.", stderr, StringComparison.Ordinal);
        Assert.Contains("  fix: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryExitCode_HasANameAndAFix_AndFitsInAByte()
    {
        foreach (var code in Enum.GetValues<ExitCode>())
        {
            Assert.InRange((int)code, 0, 255);
            Assert.Matches("^[a-z]+(-[a-z]+)*$", ExitCodes.Name(code));
            if (code != ExitCode.Ok)
            {
                Assert.NotEmpty(ExitCodes.Fix(code));
            }
        }

        Assert.Equal(Enum.GetValues<ExitCode>().Length, Enum.GetValues<ExitCode>().Select(ExitCodes.Name).Distinct().Count());
    }

    [Fact]
    public void UnwritableJsonPath_IsAStorageError_NotACrash()
    {
        // Said before the race is simulated, not after a minute of it.
        var (code, stdout, stderr) = CliRunner.InProcess("simulate", "--json", "/nonexistent-dir/report.json");

        Assert.Equal((int)ExitCode.StorageFailed, code);
        Assert.Contains("cannot write '/nonexistent-dir/report.json': the folder '/nonexistent-dir' does not exist.", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Simulating", stdout, StringComparison.Ordinal);
    }
}
