using System.Text.Json;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Reader;
using TimingMat.Emulators.Serial;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary><c>timingmat decode mercury|r2000</c>: JSON lines per frame, a summary line, clear errors for bad files.</summary>
public sealed class DecodeReaderCommandTests : IDisposable
{
    private const string MercuryCapture = """
        # SparkFun capture, module side: the 47-byte streamed record, a keep-alive, the 0x29 answer
        FF 28 22 00 00 10 00 1B 01 FF 01 01 C4 11 0E 16 40 00 00 01 27 00 00 05 00 00 0F 00 80
        30 00 00 00 00 00 00 00 00 00 00 00 15 45 E9 4A 56 1D   // frame CRC 561D
        0xFF,0x00,0x22,0x04,0x00,0x84,0xE0
        FF1E2900 0001FF00 0111DD11 0E083000 00000800 00050000 0F004010 00596F59 6FF31316C0
        ff 00 97 01 0b 76 95
        """;

    private const string R2000Capture = """
        A0 13 01 89 08 30 00 E2 80 68 94 00 00 50 0A 9D 22 98 C6 50 66
        A0 0A 01 89 00 00 64 00 00 01 2C 3B
        A0 04 01 89 22 B0
        A0 04 01 76 10 D5
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("timingmat-decode-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Mercury_HexCapture_PrintsEveryFrame_ThenASummary()
    {
        var (code, stdout, stderr) = CliRunner.InProcess("decode", "mercury", Write("m.hex", MercuryCapture), "--hex");

        Assert.True(code == 0, stderr);
        var lines = Lines(stdout);
        Assert.Equal(["tag_read", "keep_alive", "tag_read", "response", "summary"], lines.Select(l => l.GetProperty("type").GetString()));

        var read = lines[0];
        Assert.Equal(0, read.GetProperty("offset").GetInt64());
        Assert.Equal("0x22", read.GetProperty("opcode").GetString());
        Assert.Equal("0x0000", read.GetProperty("status").GetString());
        Assert.Equal("000000000000000000001545", read.GetProperty("epc").GetString());
        Assert.Equal(-60, read.GetProperty("rssi").GetInt32());
        Assert.Equal(1, read.GetProperty("antenna").GetInt32());
        Assert.Equal(923_200, read.GetProperty("frequency_khz").GetInt32());
        Assert.Equal(0x127, read.GetProperty("reader_timestamp").GetInt64());
        Assert.Equal("E94A", read.GetProperty("tag_crc").GetString());

        Assert.Equal("0x0400", lines[1].GetProperty("status").GetString());
        Assert.Equal("0x29", lines[2].GetProperty("opcode").GetString());
        Assert.Equal("596F596F", lines[2].GetProperty("epc").GetString());
        Assert.Equal(-35, lines[2].GetProperty("rssi").GetInt32());
        Assert.Equal("set_region", lines[3].GetProperty("name").GetString());
        Assert.Equal("0x010B", lines[3].GetProperty("status").GetString());
        Assert.Equal("invalid_region", lines[3].GetProperty("error").GetString());

        var summary = lines[^1];
        Assert.Equal(4, summary.GetProperty("frames").GetInt64());
        Assert.Equal(2, summary.GetProperty("tag_reads").GetInt64());
        Assert.Equal(1, summary.GetProperty("keep_alives").GetInt64());
        Assert.Equal(1, summary.GetProperty("error_statuses").GetInt64());
        Assert.Equal(0, summary.GetProperty("crc_errors").GetInt64());
        Assert.Equal(0, summary.GetProperty("skipped_bytes").GetInt64());
    }

    [Fact]
    public void Mercury_BinaryCapture_CountsEachErrorKind()
    {
        var good = Convert.FromHexString("FF002204 0084E0".Replace(" ", string.Empty, StringComparison.Ordinal));
        var badCrc = (byte[])good.Clone();
        badCrc[^1] ^= 1;
        byte[] garbage = [0x11, 0x22, 0x33];
        byte[] capture = [.. good, .. badCrc, .. good, .. garbage, .. good, .. good[..4]];

        var (code, stdout, _) = CliRunner.InProcess("decode", "mercury", Write("m.bin", capture));

        Assert.Equal(0, code);
        var summary = Lines(stdout)[^1];
        Assert.Equal(capture.Length, summary.GetProperty("bytes").GetInt64());
        Assert.Equal(3, summary.GetProperty("frames").GetInt64());
        Assert.Equal(3, summary.GetProperty("keep_alives").GetInt64());
        Assert.Equal(1, summary.GetProperty("crc_errors").GetInt64());
        Assert.Equal(1, summary.GetProperty("truncated_frames").GetInt64());
        Assert.Equal(7 + 3 + 4, summary.GetProperty("skipped_bytes").GetInt64());
        Assert.Equal(3, summary.GetProperty("resyncs").GetInt64());
    }

    [Fact]
    public void Mercury_FromHost_DecodesCommands()
    {
        var (code, stdout, _) = CliRunner.InProcess("decode", "mercury", Write("h.hex", "FF 01 97 0D 4B B0\nFF 10 2F 00 00 01 22 00 00 05 07 22 10 00 1B 03 E8 01 FF DD 2B"), "--hex", "--from", "host");

        Assert.Equal(0, code);
        var lines = Lines(stdout);
        Assert.Equal("command", lines[0].GetProperty("type").GetString());
        Assert.Equal("set_region", lines[0].GetProperty("name").GetString());
        Assert.Equal("0D", lines[0].GetProperty("data").GetString());
        Assert.Equal("multi_protocol_tag_op", lines[1].GetProperty("name").GetString());
        Assert.Equal(2, lines[^1].GetProperty("frames").GetInt64());
    }

    [Fact]
    public void Mercury_DecodesWhatTheEmulatorStreams()
    {
        var clock = new SimulatedClock();
        var line = new SerialLine(clock);
        line.UnitEnd.Open();
        var tags = new ChipsInFieldTagSource(seed: 4)
            .Add([0xE2, 0x00, 0x00, 0x01], 100_000, 900_000, 150, RssiCurve.Peak(-7000, -4000))
            .Add([0xE2, 0x00, 0x00, 0x02], 300_000, 1_900_000, 50, RssiCurve.Flat(-6500));
        var module = new MercuryNanoEmulator(line, tags);
        var start = new byte[32];
        line.UnitEnd.Write(start, 0, MercuryCodec.EncodeStartContinuousRead(start, 0));
        var capture = new List<byte>();
        var buffer = new byte[256];
        for (var t = 0; t < 3000; t++)
        {
            clock.Advance(1000);
            module.Poll();
            int n;
            while ((n = line.UnitEnd.Read(buffer, 0, buffer.Length)) > 0)
            {
                capture.AddRange(buffer.AsSpan(0, n).ToArray());
            }
        }

        var (code, stdout, _) = CliRunner.InProcess("decode", "mercury", Write("e.bin", [.. capture]));

        Assert.Equal(0, code);
        var lines = Lines(stdout);
        Assert.Equal(module.ReadsSent, lines.Count(l => l.GetProperty("type").GetString() == "tag_read"));
        Assert.Equal(module.KeepAlivesSent, lines.Count(l => l.GetProperty("type").GetString() == "keep_alive"));
        Assert.Equal(module.ReadsSent, lines[^1].GetProperty("tag_reads").GetInt64());
        Assert.Equal(0, lines[^1].GetProperty("skipped_bytes").GetInt64());
        Assert.Contains(lines, l => l.GetProperty("type").GetString() == "tag_read" && l.GetProperty("epc").GetString() == "E2000002" && l.GetProperty("rssi").GetInt32() == -65);
    }

    [Fact]
    public void R2000_HexCapture_PrintsTagReadsSummariesAndErrors()
    {
        var (code, stdout, stderr) = CliRunner.InProcess("decode", "r2000", Write("r.hex", R2000Capture), "--hex");

        Assert.True(code == 0, stderr);
        var lines = Lines(stdout);
        Assert.Equal(["tag_read", "round_summary", "error_status", "response", "summary"], lines.Select(l => l.GetProperty("type").GetString()));
        var read = lines[0];
        Assert.Equal("0x89", read.GetProperty("cmd").GetString());
        Assert.Equal("0x01", read.GetProperty("address").GetString());
        Assert.Equal("E28068940000500A9D2298C6", read.GetProperty("epc").GetString());
        Assert.Equal(-49, read.GetProperty("rssi").GetInt32());
        Assert.Equal(1, read.GetProperty("antenna").GetInt32());
        Assert.Equal(866_000, read.GetProperty("frequency_khz").GetInt32());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("reader_timestamp").ValueKind);
        Assert.Equal(100, lines[1].GetProperty("read_rate").GetInt32());
        Assert.Equal(300, lines[1].GetProperty("total_read").GetInt64());
        Assert.Equal("antenna_missing", lines[2].GetProperty("error").GetString());
        Assert.Equal("0x10", lines[3].GetProperty("status").GetString());
        Assert.Equal(4, lines[^1].GetProperty("frames").GetInt64());
        Assert.Equal(1, lines[^1].GetProperty("tag_reads").GetInt64());
        Assert.Equal(1, lines[^1].GetProperty("round_summaries").GetInt64());
        Assert.Equal(0, lines[^1].GetProperty("checksum_errors").GetInt64());
    }

    [Fact]
    public void R2000_EightPorts_TakesTheAntennaGroupFromRssiBit7()
    {
        var path = Write("r8.hex", "A0 13 01 89 0B 30 00 E2 80 68 94 00 00 50 0A 9D 22 98 C6 D0 E3");

        var four = Lines(CliRunner.InProcess("decode", "r2000", path, "--hex").Out)[0];
        var eight = Lines(CliRunner.InProcess("decode", "r2000", path, "--hex", "--antenna-ports", "8").Out)[0];

        Assert.Equal(4, four.GetProperty("antenna").GetInt32());
        Assert.Equal(79, four.GetProperty("rssi").GetInt32());
        Assert.Equal(8, eight.GetProperty("antenna").GetInt32());
        Assert.Equal(-49, eight.GetProperty("rssi").GetInt32());
    }

    [Fact]
    public void MissingFile_ExitsWithFileNotFound()
    {
        var (code, _, stderr) = CliRunner.Process("decode", "mercury", Path.Combine(_dir, "nope.bin"));

        Assert.Equal((int)ExitCode.FileNotFound, code);
        Assert.Contains("error TM10 file-not-found", stderr, StringComparison.Ordinal);
        Assert.Contains("fix:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_ExitsWithFileUnreadable()
    {
        var (code, _, stderr) = CliRunner.InProcess("decode", "r2000", _dir);

        Assert.Equal((int)ExitCode.FileUnreadable, code);
        Assert.Contains("is a folder", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void BadHex_NamesLineAndColumn()
    {
        var (code, _, stderr) = CliRunner.Process("decode", "mercury", Write("bad.hex", "FF 00 03 1D 0C\n# fine\nFF 00 0x03 1Z 0C\n"), "--hex");

        Assert.Equal((int)ExitCode.InvalidInput, code);
        Assert.Contains("unexpected character 'Z' at line 3, column 13", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void OddHexRun_IsAnError()
    {
        var (code, _, stderr) = CliRunner.InProcess("decode", "r2000", Write("odd.hex", "A0 04 FF 891 D3"), "--hex");

        Assert.Equal((int)ExitCode.InvalidInput, code);
        Assert.Contains("odd number of hex digits (3) in '891' at line 1, column 10", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void HexFileWithoutHexOption_SaysToAddIt()
    {
        var (code, stdout, stderr) = CliRunner.InProcess("decode", "mercury", Write("m.hex", MercuryCapture));

        Assert.Equal((int)ExitCode.InvalidInput, code);
        Assert.Contains("no Mercury frame in", stderr, StringComparison.Ordinal);
        Assert.Contains("add --hex", stderr, StringComparison.Ordinal);
        Assert.Equal("summary", Lines(stdout)[^1].GetProperty("type").GetString());
    }

    [Fact]
    public void WrongProtocol_SuggestsTheOther()
    {
        var (code, _, stderr) = CliRunner.InProcess("decode", "mercury", Write("r.hex", R2000Capture), "--hex");

        Assert.Equal((int)ExitCode.InvalidInput, code);
        Assert.Contains("timingmat decode r2000", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyCapture_IsAZeroSummary()
    {
        var (code, stdout, _) = CliRunner.InProcess("decode", "r2000", Write("empty.bin", Array.Empty<byte>()));

        Assert.Equal(0, code);
        Assert.Equal(0, Lines(stdout).Single().GetProperty("frames").GetInt64());
    }

    [Fact]
    public void Help_DocumentsTheHexFormat_AndTheDecodeGroupIsListed()
    {
        var (code, stdout, _) = CliRunner.InProcess("decode", "mercury", "--help");
        var root = CliRunner.InProcess("--help").Out;
        var group = CliRunner.InProcess("decode", "--help").Out;

        Assert.Equal(0, code);
        Assert.Contains("pairs of hex digits", stdout, StringComparison.Ordinal);
        Assert.Contains("# or // starts a comment", stdout, StringComparison.Ordinal);
        Assert.Contains("0x", stdout, StringComparison.Ordinal);
        Assert.Contains("decode", root, StringComparison.Ordinal);
        Assert.Contains("mercury", group, StringComparison.Ordinal);
        Assert.Contains("r2000", group, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFromValue_IsAUsageError()
    {
        var (code, _, stderr) = CliRunner.InProcess("decode", "mercury", Write("x.bin", [1]), "--from", "reader");

        Assert.Equal((int)ExitCode.Usage, code);
        Assert.Contains("timingmat mercury --help", stderr, StringComparison.Ordinal);
    }

    private static List<JsonElement> Lines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();

    private string Write(string name, string text) => Write(name, System.Text.Encoding.UTF8.GetBytes(text));

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
