using TimingMat.Core.Common;
using TimingMat.Core.Reader.Mercury;
using Xunit;

namespace TimingMat.Core.Tests.Reader;

public class MercuryDeframerTests
{
    private static readonly string[] s_frames =
    [
        MercuryCodecTests.TagRecord47,
        "FF 00 22 04 00 84 E0",
        "FF 01 0C 00 00 52 63 03",
        MercuryCodecTests.TagBuffer29,
        "FF 00 22 05 04 " + CrcHex("00 22 05 04"),
    ];

    private readonly MercuryDeframer _deframer = new(commands: false);
    private readonly FrameCollector _frames;

    public MercuryDeframerTests() => _frames = new FrameCollector(_deframer);

    private static byte[] Stream => s_frames.SelectMany(Hex.Bytes).ToArray();

    [Fact]
    public void SeveralFramesInOneChunk_AreAllDelivered_WithTheirOffsets()
    {
        var stream = Stream;

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal(s_frames, _frames.Hexes());
        Assert.Equal([0L, 47, 54, 62, 99], _frames.Offsets);
        Assert.Equal(5, _deframer.Frames);
        Assert.Equal(0, _deframer.SkippedBytes);
        Assert.Equal(0, _deframer.Resyncs);
        Assert.Equal(0, _deframer.HeldBytes);
    }

    [Fact]
    public void SplitAtEveryPosition_GivesTheSameFrames()
    {
        var stream = Stream;
        for (var split = 1; split < stream.Length; split++)
        {
            var deframer = new MercuryDeframer(false);
            var frames = new FrameCollector(deframer);

            deframer.Feed(stream, 0, split);
            deframer.Feed(stream, split, stream.Length - split);

            Assert.Equal(s_frames, frames.Hexes());
        }
    }

    [Fact]
    public void ByteAtATime_GivesTheSameFrames()
    {
        var stream = Stream;
        for (var i = 0; i < stream.Length; i++)
        {
            _deframer.Feed(stream, i, 1);
        }

        Assert.Equal(s_frames, _frames.Hexes());
    }

    [Fact]
    public void GarbageBetweenFrames_IsSkipped_AndCountedOncePerBurst()
    {
        byte[] garbage = [0x00, 0x13, 0x37, 0x42, 0xFE];
        var stream = Hex.Bytes(s_frames[0]).Concat(garbage).Concat(Hex.Bytes(s_frames[1])).Concat(garbage).Concat(garbage).Concat(Hex.Bytes(s_frames[2])).ToArray();

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal(s_frames.Take(3), _frames.Hexes());
        Assert.Equal(15, _deframer.SkippedBytes);
        Assert.Equal(2, _deframer.Resyncs);
        Assert.Equal(0, _deframer.CrcErrors);
        Assert.Equal(0, _deframer.TruncatedFrames);
    }

    [Fact]
    public void BadCrc_IsACrcError_AndTheNextFrameStillArrives()
    {
        var bad = Hex.Bytes(s_frames[0]);
        bad[20] ^= 0x40;
        var stream = bad.Concat(Hex.Bytes(s_frames[1])).Concat(Hex.Bytes(s_frames[2])).ToArray();

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal(s_frames.Skip(1).Take(2), _frames.Hexes());
        Assert.Equal(1, _deframer.CrcErrors);
        Assert.Equal(0, _deframer.TruncatedFrames);
        Assert.Equal(47, _deframer.SkippedBytes);
        Assert.Equal(1, _deframer.Resyncs);
    }

    [Fact]
    public void BackToBackBadCrcs_AreEachCounted()
    {
        var bad1 = Hex.Bytes(s_frames[0]);
        bad1[^1] ^= 0x5A;
        var bad2 = Hex.Bytes(s_frames[1]);
        bad2[^1] ^= 0x5A;
        var stream = bad1.Concat(bad2).Concat(bad1).Concat(Hex.Bytes(s_frames[2])).ToArray();

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal([s_frames[2]], _frames.Hexes());
        Assert.Equal(3, _deframer.CrcErrors);
        Assert.Equal(0, _deframer.TruncatedFrames);
        Assert.Equal(1, _deframer.Resyncs);
    }

    [Fact]
    public void LostBytes_MakeATruncatedFrame_AndTheNextFrameStillArrives()
    {
        var cut = Hex.Bytes(s_frames[0]).Where((_, i) => i != 30 && i != 31).ToArray();
        var stream = Hex.Bytes(s_frames[2]).Concat(cut).Concat(Hex.Bytes(s_frames[1])).Concat(Hex.Bytes(s_frames[3])).ToArray();

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal([s_frames[2], s_frames[1], s_frames[3]], _frames.Hexes());
        Assert.Equal(1, _deframer.TruncatedFrames);
        Assert.Equal(0, _deframer.CrcErrors);
    }

    [Fact]
    public void HeaderValueInsideAPayload_DoesNotBreakFraming()
    {
        // An EPC full of 0xFF bytes: the deframer must not start a frame inside a valid one.
        var record = new MercuryTagRecord { MetadataFlags = MercuryMetadata.Standard, RssiDbm = -1, Pc = 0x3000, TxPort = 15, RxPort = 15 };
        record.SetEpc(Enumerable.Repeat((byte)0xFF, 12).ToArray(), 0, 12);
        var buffer = new byte[300];
        var length = MercuryCodec.EncodeStreamedTagRead(buffer, 0, record);
        var stream = buffer.Take(length).Concat(buffer.Take(length)).ToArray();

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal(2, _frames.Frames.Count);
        Assert.Equal(0, _deframer.SkippedBytes);
    }

    [Fact]
    public void FalseStart_HidingAFrame_IsResolvedByFlush()
    {
        // FF C8 claims a 207-byte frame, swallowing the keep-alive after it; no more bytes come.
        byte[] stream = [0xFF, 0xC8, .. Hex.Bytes(s_frames[1])];

        _deframer.Feed(stream, 0, stream.Length);
        Assert.Empty(_frames.Frames);
        _deframer.Flush();

        Assert.Equal([s_frames[1]], _frames.Hexes());
        Assert.Equal(1, _deframer.TruncatedFrames);
        Assert.Equal(2, _deframer.SkippedBytes);
    }

    [Fact]
    public void Flush_CountsAnUnfinishedFrame_AsTruncated()
    {
        var stream = Hex.Bytes(s_frames[0]);

        _deframer.Feed(stream, 0, 30);
        _deframer.Flush();
        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal([s_frames[0]], _frames.Hexes());
        Assert.Equal(1, _deframer.TruncatedFrames);
        Assert.Equal(30, _deframer.SkippedBytes);
        Assert.Equal(0, _deframer.HeldBytes);
    }

    [Fact]
    public void ImpossibleLength_IsMalformed()
    {
        byte[] stream = [0xFF, 0xFB, 0x22, .. Hex.Bytes(s_frames[1])];

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal([s_frames[1]], _frames.Hexes());
        Assert.Equal(1, _deframer.MalformedFrames);
        Assert.Equal(3, _deframer.SkippedBytes);
    }

    [Fact]
    public void CommandMode_FindsCommands()
    {
        var deframer = new MercuryDeframer(commands: true);
        var frames = new FrameCollector(deframer);
        string[] commands = ["FF 00 03 1D 0C", "FF 01 97 0D 4B B0", "FF 10 2F 00 00 01 22 00 00 05 07 22 10 00 1B 03 E8 01 FF DD 2B", "FF 03 2F 00 00 02 5E 86"];
        var stream = commands.SelectMany(Hex.Bytes).ToArray();

        deframer.Feed(stream, 0, stream.Length);

        Assert.Equal(commands, frames.Hexes());
    }

    [Fact]
    public void Reset_FromTheSink_EndsTheFeed_AndDropsWhatIsHeld()
    {
        var stream = Stream;
        _frames.AfterFrame = () =>
        {
            if (_frames.Frames.Count == 2)
            {
                _deframer.Reset();
            }
        };

        _deframer.Feed(stream, 0, stream.Length);

        Assert.Equal(2, _frames.Frames.Count);
        Assert.Equal(0, _deframer.HeldBytes);
    }

    private static string CrcHex(string body)
    {
        var bytes = Hex.Bytes(body);
        var crc = Crc16.Mercury(bytes, 0, bytes.Length);
        return $"{crc >> 8:X2} {crc & 0xFF:X2}";
    }
}
