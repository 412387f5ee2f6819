using System.Text.Json;
using Xunit;

namespace TimingMat.Cli.Tests;

public class DecodeNmeaCommandTests
{
    private static readonly string s_fixture = FixturePath("ublox-m8-cold-start.nmea");

    [Fact]
    public void ReceiverLog_PrintsOneObjectPerSentence_AndTheCountsByReason()
    {
        var (code, stdout, stderr) = CliRunner.Process("decode", "nmea", s_fixture);

        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(17, lines.Length);

        // Cold: no time yet; then the RTC's time with status V; then the first fix.
        Assert.Equal("""{"line":4,"type":"RMC","talker":"GN","utc":null,"date":null,"status":"V","mode":"N"}""", lines[0]);
        Assert.Equal("""{"line":17,"type":"GGA","talker":"GN","utc":"2026-12-09T08:35:58.000Z","date":null,"fix":0,"sats":3}""", lines[5]);
        Assert.Equal("""{"line":18,"type":"RMC","talker":"GN","utc":"2026-12-09T08:35:59.000Z","date":"2026-12-09","status":"A","mode":"A"}""", lines[6]);
        Assert.Equal("""{"line":24,"type":"ZDA","talker":"GN","utc":"2026-12-09T08:35:59.000Z","date":"2026-12-09"}""", lines[8]);

        // This second's RMC had a bad checksum, so its GGA has no date to borrow: time of day only.
        Assert.Equal("""{"line":27,"type":"GGA","talker":"GN","utc":"08:36:00.000Z","date":null,"fix":1,"sats":9}""", lines[9]);

        using var summary = JsonDocument.Parse(lines[^1]);
        var s = summary.RootElement.GetProperty("summary");
        Assert.Equal(50, s.GetProperty("lines").GetInt32());
        Assert.Equal(16, s.GetProperty("accepted").GetInt32());
        Assert.Equal((6, 6, 4), (s.GetProperty("rmc").GetInt32(), s.GetProperty("gga").GetInt32(), s.GetProperty("zda").GetInt32()));
        Assert.Equal(6, s.GetProperty("without_fix").GetInt32());
        Assert.Equal(26, s.GetProperty("unsupported").GetInt32());
        Assert.Equal(8, s.GetProperty("rejected").GetInt32());
        Assert.Equal(
            """{"garbage":2,"truncated":2,"over_long":1,"no_checksum":1,"bad_checksum":1,"unknown_talker":0,"bad_field":1}""",
            s.GetProperty("rejected_by").GetRawText());
    }

    [Fact]
    public void MissingFile_IsFileNotFound()
    {
        var (code, stdout, stderr) = CliRunner.Process("decode", "nmea", "/nonexistent/gps.nmea");

        Assert.Equal(10, code);
        Assert.Empty(stdout);
        Assert.Contains("error TM10 file-not-found: '/nonexistent/gps.nmea' does not exist.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AFolder_IsFileUnreadable()
    {
        var (code, _, stderr) = CliRunner.InProcess("decode", "nmea", Path.GetTempPath());

        Assert.Equal(11, code);
        Assert.Contains("is a folder, not a file", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongBaudRateCapture_IsInvalidInput_AfterTheSummary()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tm-garbled-{Guid.NewGuid():N}.nmea");
        var random = new Random(3);
        var bytes = new byte[4_000];
        random.NextBytes(bytes);
        File.WriteAllBytes(path, bytes);
        try
        {
            var (code, stdout, stderr) = CliRunner.Process("decode", "nmea", path);

            Assert.Equal(12, code);
            Assert.Contains("\"accepted\":0", stdout, StringComparison.Ordinal);
            Assert.Contains("error TM12 invalid-input: no valid NMEA sentence in", stderr, StringComparison.Ordinal);
            Assert.Contains("wrong baud rate", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W\r\n", "no *hh checksum")]
    [InlineData("$IIRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*7D\r\n", "not a GNSS")]
    public void RejectedLinesThatAreNotABaudRateProblem_AreExplained(string line, string reason)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tm-rejected-{Guid.NewGuid():N}.nmea");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat(line, 5)));
        try
        {
            var (code, _, stderr) = CliRunner.InProcess("decode", "nmea", path);

            Assert.Equal(12, code);
            Assert.Contains("5 sentences", stderr, StringComparison.Ordinal);
            Assert.Contains(reason, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("baud", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnEmptyFile_IsInvalidInput()
    {
        var path = Path.GetTempFileName();
        try
        {
            var (code, _, stderr) = CliRunner.InProcess("decode", "nmea", path);

            Assert.Equal(12, code);
            Assert.Contains("is empty", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string FixturePath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "tests", "TimingMat.Core.Tests", "Clock", "Fixtures", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException("fixture not found above " + AppContext.BaseDirectory, name);
    }
}
