using System.Text;
using TimingMat.Core.Common;
using TimingMat.Core.Journal;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// The console's <c>file</c> command: a CA certificate, keys.cfg or chips.cfg put beside unit.cfg in hex lines, checked
/// against the announced size and CRC-32; only a whole matching file replaces the old one; bad names, sizes and lines
/// are refused with the console's error codes.
/// </summary>
public sealed class UnitFileTransferTests
{
    private readonly MemoryFileStore _flash = new(capacityBytes: 512 * 1024);
    private readonly SimulatedClock _clock = new();
    private readonly ConsoleLoopPort _port = new();
    private readonly CountingRebooter _rebooter = new();

    [Fact]
    public void ACertificate_InHexLines_IsStoredWhole_AndCheckReportsItsLengthAndCrc()
    {
        var console = NewConsole();
        var pem = Encoding.ASCII.GetBytes("-----BEGIN CERTIFICATE-----\n" + new string('A', 300) + "\n-----END CERTIFICATE-----\n");
        var crc = UnitFileTransfer.Hex(Crc32.Compute(pem, 0, pem.Length));

        Assert.Equal(["OK missing race-ca.pem"], Run(console, "file check race-ca.pem"));
        Assert.Equal([$"OK ready race-ca.pem {pem.Length}"], Run(console, $"file put race-ca.pem {pem.Length} {crc}"));
        var sent = 0;
        foreach (var chunk in pem.Chunk(UnitFileTransfer.MaxChunkBytes))
        {
            sent += chunk.Length;
            Assert.Equal([$"OK {sent}"], Run(console, "file data " + Convert.ToHexString(chunk)));
        }

        Assert.False(_flash.Exists("race-ca.pem"));
        Assert.Equal([$"OK file race-ca.pem {pem.Length} crc={crc}"], Run(console, "file end"));
        Assert.Equal(pem, ReadAll("race-ca.pem"));
        Assert.False(_flash.Exists("race-ca.pem.part"));
        Assert.Equal([$"OK file race-ca.pem {pem.Length} crc={crc}"], Run(console, "file check race-ca.pem"));
    }

    [Fact]
    public void AFileThatArrivesCorrupt_OrShort_KeepsTheOldOne()
    {
        var console = NewConsole();
        Put(console, "keys.cfg", "gateway = 1\n");

        var good = Encoding.ASCII.GetBytes("gateway = 2\n");
        var crc = UnitFileTransfer.Hex(Crc32.Compute(good, 0, good.Length));
        Run(console, $"file put keys.cfg {good.Length} {crc}");
        var flipped = (byte[])good.Clone();
        flipped[3] ^= 0x20;
        Run(console, "file data " + Convert.ToHexString(flipped));
        var end = Run(console, "file end");
        Assert.StartsWith("ERR corrupt keys.cfg: CRC-32 ", end[0], StringComparison.Ordinal);
        Assert.EndsWith($"does not match {crc}; the old file is kept, put it again", end[0], StringComparison.Ordinal);
        Assert.Equal("gateway = 1\n", Encoding.ASCII.GetString(ReadAll("keys.cfg")));
        Assert.False(_flash.Exists("keys.cfg.part"));

        Run(console, $"file put keys.cfg {good.Length} {crc}");
        Run(console, "file data " + Convert.ToHexString(good, 0, 5));
        Assert.Equal(["ERR corrupt keys.cfg: 5 of 12 bytes arrived; the old file is kept, put it again"], Run(console, "file end"));

        Run(console, $"file put keys.cfg {good.Length} {crc}");
        Assert.Equal(["ERR too-large more bytes than announced: the file is dropped, put it again"], Run(console, "file data " + Convert.ToHexString(good) + "00"));
        Assert.Equal(["ERR no-file no file is being put"], Run(console, "file end"));
        Assert.Equal("gateway = 1\n", Encoding.ASCII.GetString(ReadAll("keys.cfg")));
    }

    [Theory]
    [InlineData("file put unit.cfg 10 00000000", "ERR invalid-name 'unit.cfg'")]
    [InlineData("file put ../x.pem 10 00000000", "ERR invalid-name '../x.pem'")]
    [InlineData("file put CA.PEM 10 00000000", "ERR invalid-name 'CA.PEM'")]
    [InlineData("file put ca.pem 2000000 00000000", "ERR too-large 2000000 bytes: a file holds at most 1048576 bytes")]
    [InlineData("file put ca.pem 400000 00000000", "ERR storage 400000 bytes do not fit")]
    [InlineData("file put ca.pem ten 00000000", "ERR usage file put NAME BYTES CRC32")]
    [InlineData("file put ca.pem 10 0000zz00", "ERR usage file put NAME BYTES CRC32")]
    [InlineData("file data 00ff", "ERR no-file no file is being put")]
    [InlineData("file check journal.000", "ERR invalid-name 'journal.000'")]
    [InlineData("file rename a b", "ERR usage file put NAME BYTES CRC32 | file data HEX")]
    public void BadFileLines_AreRefused_WithTheirCode(string line, string expected)
    {
        var console = NewConsole();
        _flash.Append("filler", new byte[200 * 1024], 0, 200 * 1024);

        Assert.StartsWith(expected, Run(console, line)[0], StringComparison.Ordinal);
    }

    [Fact]
    public void BadDataLines_AreRefused_AndTheTransferGoesOn()
    {
        var console = NewConsole();
        var bytes = Encoding.ASCII.GetBytes("chip,bib\n");
        Run(console, $"file put chips.cfg {bytes.Length} {UnitFileTransfer.Hex(Crc32.Compute(bytes, 0, bytes.Length))}");

        Assert.Equal(["ERR invalid-value a data line holds hex digits only"], Run(console, "file data 0g"));
        Assert.Equal(["ERR invalid-value a data line holds 1-120 bytes as hex digits"], Run(console, "file data 123"));
        Assert.Equal(["OK 9"], Run(console, "file data " + Convert.ToHexString(bytes)));
        Assert.StartsWith("OK file chips.cfg 9 crc=", Run(console, "file end")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void APowerCutMidTransfer_LeavesTheOldFile_AndTheNextPutStartsClean()
    {
        var console = NewConsole();
        Put(console, "race-ca.pem", "old certificate\n");
        var bytes = Encoding.ASCII.GetBytes("new certificate, longer than the old one\n");
        Run(console, $"file put race-ca.pem {bytes.Length} {UnitFileTransfer.Hex(Crc32.Compute(bytes, 0, bytes.Length))}");
        Run(console, "file data " + Convert.ToHexString(bytes, 0, 10));

        // The unit restarts: a new console, the half-sent part still on flash.
        console = NewConsole();
        Assert.Equal(["ERR no-file no file is being put"], Run(console, "file end"));
        Assert.Equal("old certificate\n", Encoding.ASCII.GetString(ReadAll("race-ca.pem")));
        Assert.True(_flash.Exists("race-ca.pem.part"));

        Put(console, "race-ca.pem", Encoding.ASCII.GetString(bytes));
        Assert.Equal(bytes, ReadAll("race-ca.pem"));
        Assert.False(_flash.Exists("race-ca.pem.part"));
    }

    private UnitConsole NewConsole() => new(_port, _flash, _clock, _rebooter, "0.1.0");

    private void Put(UnitConsole console, string name, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        Run(console, $"file put {name} {bytes.Length} {UnitFileTransfer.Hex(Crc32.Compute(bytes, 0, bytes.Length))}");
        foreach (var chunk in bytes.Chunk(UnitFileTransfer.MaxChunkBytes))
        {
            Run(console, "file data " + Convert.ToHexString(chunk));
        }

        Assert.StartsWith($"OK file {name} {bytes.Length}", Run(console, "file end")[0], StringComparison.Ordinal);
    }

    private byte[] ReadAll(string name)
    {
        var bytes = new byte[_flash.GetLength(name)];
        _flash.Read(name, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private List<string> Run(UnitConsole console, string line)
    {
        _port.Type(line);
        console.Poll();
        return _port.Take().Where(l => !l.StartsWith("* ", StringComparison.Ordinal)).ToList();
    }
}
