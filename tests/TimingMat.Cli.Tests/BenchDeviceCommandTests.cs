using System.Text.Json;
using Xunit;

namespace TimingMat.Cli.Tests;

public class BenchDeviceCommandTests
{
    [Fact]
    public void Json_CountsTheUnit_ByCapabilityMethodAndPoll_WithThreeCalibrations()
    {
        var (code, stdout, stderr) = CliRunner.InProcess("bench", "device", "--workload", "idle", "m6e", "--seconds", "10", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal(256, root.GetProperty("chips").GetInt32());
        Assert.Equal(115_200, root.GetProperty("reader_baud").GetInt32());
        Assert.Equal(["low", "central", "high"], root.GetProperty("calibrations").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var workloads = root.GetProperty("workloads").EnumerateArray().ToList();
        Assert.Equal(["idle", "m6e"], workloads.Select(w => w.GetProperty("name").GetString()));

        var idle = workloads[0];
        Assert.Equal(1_000, idle.GetProperty("polls").GetInt64());
        Assert.Equal(0, idle.GetProperty("reads_per_second").GetDouble());
        Assert.InRange(idle.GetProperty("il_per_second").GetDouble(), 10_000, 1_000_000);
        var share = idle.GetProperty("core_share");
        Assert.True(share.GetProperty("low").GetDouble() < share.GetProperty("central").GetDouble());
        Assert.True(share.GetProperty("central").GetDouble() < share.GetProperty("high").GetDouble());
        Assert.Contains(idle.GetProperty("capabilities").EnumerateArray(), c => c.GetProperty("name").GetString() == "clock");

        // The M6e unit decodes ~245 reads/s: the Mercury CRC is among its costliest methods, and each read costs IL.
        var m6e = workloads[1];
        Assert.InRange(m6e.GetProperty("reads_per_second").GetDouble(), 200, 260);

        // The unit's memory report for the board's 256 chips and one M6e on 115,200 baud, and a store of kept reads
        // that never ran dry at its rate.
        Assert.Equal(73_497, m6e.GetProperty("core_memory_bytes").GetInt32());
        Assert.Equal(0, m6e.GetProperty("kept_store_full").GetInt64());
        Assert.Contains(m6e.GetProperty("top_methods").EnumerateArray(), m => m.GetProperty("name").GetString() == "Crc16.Mercury");
        var perEvent = m6e.GetProperty("per_event");
        Assert.True(perEvent.GetProperty("beyond_idle").GetBoolean());
        Assert.InRange(perEvent.GetProperty("read_il").GetDouble(), 500, 20_000);
        Assert.InRange(perEvent.GetProperty("crossing_il").GetDouble(), 1_000, 50_000);
        var poll = m6e.GetProperty("max_poll");
        Assert.True(poll.GetProperty("il").GetInt64() > 0);
        Assert.NotEmpty(poll.GetProperty("top_methods").EnumerateArray());
        Assert.Contains(root.GetProperty("goals").EnumerateArray(), g => g.GetProperty("workload").GetString() == "m6e" && g.GetProperty("what").GetString() == "IL/s");
    }

    [Fact]
    public void Counts_AreExact_ForASeed()
    {
        var first = CliRunner.InProcess("bench", "device", "--workload", "r2000", "--seconds", "5", "--seed", "4", "--json");
        var second = CliRunner.InProcess("bench", "device", "--workload", "r2000", "--seconds", "5", "--seed", "4", "--json");

        Assert.Equal(0, first.Code);
        Assert.Equal(first.Out, second.Out);
    }

    [Fact]
    public void Overload_Degrades_AndKeepsEveryChip()
    {
        var (code, stdout, stderr) = CliRunner.InProcess("bench", "device", "--workload", "overload", "--seconds", "20", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var overload = json.RootElement.GetProperty("workloads")[0];
        var degrade = overload.GetProperty("degrade");
        Assert.True(degrade.GetProperty("polls_late").GetInt64() > 0);
        Assert.True(degrade.GetProperty("reads_thinned").GetInt64() > 0);
        Assert.True(degrade.GetProperty("chips_reported").GetInt64() > 100);

        // Over budget the module's UART overruns (uart_bytes_lost) can take every read of a chip that passes with few
        // reads, which no firmware can time: the figure swings with the poll timing from build to build (0 to 5 of
        // ~310 seen; the 5 were chips the module read 1-4 times, none refused or forgotten by the detector). Issue 16
        // item 3 stays open until the driver keeps ahead of the UART; this pins that the loss stays a small share and
        // comes with UART overruns, not from the detector.
        var without = degrade.GetProperty("chips_without_passing").GetInt64();
        Assert.True(without * 50 <= degrade.GetProperty("chips_reported").GetInt64(), $"{without} chips without a passing");
        Assert.True(without == 0 || degrade.GetProperty("uart_bytes_lost").GetInt64() > 0, "chips lost without a UART overrun: the detector lost them");
    }

    [Fact]
    public void TheBoardFile_SetsChipsAndBaud()
    {
        using var folder = new TempFolder("bench-device");
        var board = folder.Write("board.cfg", "board.name = test\nboard.target = ESP32_PSRAM_REV0\nuplink = wifi\nstorage.root = I:\\\nreader.uart = COM2\nreader.rx = 13\nreader.tx = 4\nreader.baud = 230400\ngps.uart = COM3\ngps.rx = 34\ngps.tx = 32\ngps.baud = 9600\ngps.pps = 35\ncrossings.chips = 1024\n");

        var (code, stdout, stderr) = CliRunner.InProcess("bench", "device", "--board", board, "--workload", "idle", "--seconds", "5", "--json");

        Assert.True(code == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(1024, json.RootElement.GetProperty("chips").GetInt32());
        Assert.Equal(230_400, json.RootElement.GetProperty("reader_baud").GetInt32());
    }

    [Fact]
    public void AMissingBoardFile_IsFileNotFound_WithAFix()
    {
        var (code, _, stderr) = CliRunner.Process("bench", "device", "--board", "no-such-board.cfg", "--workload", "idle");

        Assert.Equal(10, code);
        Assert.Contains("board file 'no-such-board.cfg' not found.", stderr, StringComparison.Ordinal);
        Assert.Contains("fix: give a boards/<board>/board.cfg path.", stderr, StringComparison.Ordinal);
    }
}
