using TimingMat.Core.Reader.R2000;
using Xunit;

namespace TimingMat.Core.Tests.Reader;

public class R2000DeframerTests
{
    private static readonly string[] s_frames =
    [
        R2000CodecTests.TagFrame,
        R2000CodecTests.Summary,
        "A0 04 01 89 22 B0",
        "A0 05 01 72 08 01 DF",
        "A0 04 01 76 10 D5",
    ];

    private readonly R2000Deframer _deframer = new(commands: false);
    private readonly FrameCollector _frames;

    public R2000DeframerTests() => _frames = new FrameCollector(_deframer);

    private static byte[] Stream => s_frames.SelectMany(Hex.Bytes).ToArray();

    [Fact]
    public void SplitAtEveryPosition_GivesTheSameFrames()
    {
        var stream = Stream;
        for (var split = 0; split <= stream.Length; split++)
        {
            var deframer = new R2000Deframer(false);
            var frames = new FrameCollector(deframer);

            deframer.Feed(stream, 0, split);
            deframer.Feed(stream, split, stream.Length - split);

            Assert.Equal(s_frames, frames.Hexes());
            Assert.Equal(0, deframer.SkippedBytes);
        }
    }

    [Fact]
    public void GarbageAndBadChecksums_AreSkipped_AndCounted()
    {
        var bad = Hex.Bytes(s_frames[0]);
        bad[10] ^= 0x01;
        byte[] garbage = [0x01, 0x02, 0x03];
        var stream = garbage.Concat(Hex.Bytes(s_frames[1])).Concat(bad).Concat(Hex.Bytes(s_frames[2])).Concat(garbage).Concat(Hex.Bytes(s_frames[3])).ToArray();

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal([s_frames[1], s_frames[2], s_frames[3]], _frames.Hexes());
        Assert.Equal(1, _deframer.CrcErrors);
        Assert.Equal(3, _deframer.Resyncs);
        Assert.Equal(3 + bad.Length + 3, _deframer.SkippedBytes);
    }

    [Fact]
    public void LostByte_MakesATruncatedFrame()
    {
        var cut = Hex.Bytes(s_frames[0]).Where((_, i) => i != 9).ToArray();
        var stream = cut.Concat(Hex.Bytes(s_frames[1])).ToArray();

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal([s_frames[1]], _frames.Hexes());
        Assert.Equal(1, _deframer.TruncatedFrames);
        Assert.Equal(0, _deframer.CrcErrors);
    }

    [Fact]
    public void LostByte_ThatLeavesAValidChecksum_DoesNotSwallowTheNextFrame()
    {
        // Dropping an 0xA0 byte makes the short frame plus the next frame's 0xA0 header sum to zero again.
        var tag = new R2000TagFrame { Address = 1, Command = R2000Command.RealTimeInventory, Antenna = 1, FrequencyIndex = 9, RssiDbm = -55 };
        tag.SetEpc(Hex.Bytes("30 08 33 B2 DD D9 01 40 A0 00 00 07"), 0, 12, 0);
        var buffer = new byte[64];
        var length = R2000Codec.EncodeTagFrame(buffer, 0, tag, 4);
        var cut = buffer.Take(length).Where((_, i) => i != 15).ToArray();
        Assert.Equal(0xA0, buffer[15]);
        var stream = cut.Concat(Hex.Bytes(s_frames[1])).Concat(Hex.Bytes(s_frames[4])).ToArray();

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal([s_frames[1], s_frames[4]], _frames.Hexes());
        Assert.Equal(1, _deframer.TruncatedFrames);
    }

    [Fact]
    public void FrameEndingInAHeaderByte_WaitsForTheNextByte_OrFlush()
    {
        // A round summary whose check byte is 0xA0 (the total-read low byte chosen to make it so).
        var summary = Hex.Bytes("A0 0A 01 89 00 00 64 00 00 01 00 A0");
        summary[^2] = (byte)(-(summary.Sum(b => b) - summary[^2]) & 0xFF);
        Assert.True(R2000Codec.IsValid(summary, 0, summary.Length));

        _deframer.Feed(summary, 0, summary.Length);
        Assert.Empty(_frames.Frames);
        _deframer.Flush();

        Assert.Equal([Hex.Of(summary)], _frames.Hexes());
        Assert.Equal(0, _deframer.TruncatedFrames);
    }

    [Fact]
    public void InventoryFrame_WithALengthItsPcDoesNotAnnounce_IsMalformed_EvenWithAGoodChecksum()
    {
        var frame = Hex.Bytes(s_frames[0]);
        frame[5] = 0x20; // PC announces 8 EPC bytes, Len says 12
        frame[^1] = (byte)R2000Codec.Checksum(frame, 0, frame.Length - 1);
        var stream = frame.Concat(Hex.Bytes(s_frames[1])).ToArray();

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal([s_frames[1]], _frames.Hexes());
        Assert.Equal(1, _deframer.MalformedFrames);
    }

    [Fact]
    public void UnknownCommand_IsAcceptedInSync_ButNotWhileHunting()
    {
        var unknown = Hex.Bytes("A0 05 01 55 01 02 00");
        unknown[^1] = (byte)R2000Codec.Checksum(unknown, 0, unknown.Length - 1);
        var stream = Hex.Bytes(s_frames[1]).Concat(unknown).Concat(new byte[] { 0x00 }).Concat(unknown).Concat(Hex.Bytes(s_frames[2])).ToArray();

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal([s_frames[1], Hex.Of(unknown), s_frames[2]], _frames.Hexes());
        Assert.Equal(1 + unknown.Length, _deframer.SkippedBytes);
    }

    [Fact]
    public void CommandMode_FindsHostCommands()
    {
        var deframer = new R2000Deframer(commands: true);
        var frames = new FrameCollector(deframer);
        string[] commands = ["A0 04 FF 89 01 D3", "A0 06 FF 8B 01 00 01 CE", "A0 04 FF 76 1E C9", "A0 03 FF 72 EC"];
        var stream = new byte[] { 0x33 }.Concat(commands.SelectMany(Hex.Bytes)).ToArray();

        deframer.Feed(stream, 0, stream.Length);

        Assert.Equal(commands, frames.Hexes());
    }
}
