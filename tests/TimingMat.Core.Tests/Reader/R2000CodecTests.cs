using TimingMat.Core.Reader;
using TimingMat.Core.Reader.R2000;
using Xunit;

namespace TimingMat.Core.Tests.Reader;

/// <summary>Byte-exact fixtures: every R2000 frame of protocols.md §2.1 encodes and decodes exactly.</summary>
public class R2000CodecTests
{
    public const string TagFrame = "A0 13 01 89 08 30 00 E2 80 68 94 00 00 50 0A 9D 22 98 C6 50 66";
    public const string Summary = "A0 0A 01 89 00 00 64 00 00 01 2C 3B";

    private readonly byte[] _buffer = new byte[300];

    [Fact]
    public void RealTimeInventory() => AssertFrame("A0 04 FF 89 01 D3", R2000Codec.EncodeRealTimeInventory(_buffer, 0, 0xFF, 1));

    [Fact]
    public void SessionInventory() => AssertFrame("A0 06 FF 8B 01 00 01 CE", R2000Codec.EncodeSessionInventory(_buffer, 0, 0xFF, 1, 0, 1));

    [Fact]
    public void SetPower30Dbm() => AssertFrame("A0 04 FF 76 1E C9", R2000Codec.EncodeSetOutputPower(_buffer, 0, 0xFF, 30));

    [Fact]
    public void GetFirmware() => AssertFrame("A0 03 FF 72 EC", R2000Codec.EncodeGetFirmwareVersion(_buffer, 0, 0xFF));

    [Theory]
    [InlineData("A0 04 FF 89 01 D3")]
    [InlineData("A0 06 FF 8B 01 00 01 CE")]
    [InlineData("A0 04 FF 76 1E C9")]
    [InlineData("A0 03 FF 72 EC")]
    [InlineData(TagFrame)]
    [InlineData(Summary)]
    public void EveryReferenceFrame_SumsToZero(string frame)
    {
        var bytes = Hex.Bytes(frame);

        Assert.True(R2000Codec.IsValid(bytes, 0, bytes.Length));
        Assert.Equal(bytes[^1], R2000Codec.Checksum(bytes, 0, bytes.Length - 1));
        bytes[2] ^= 0x10;
        Assert.False(R2000Codec.IsValid(bytes, 0, bytes.Length));
    }

    [Fact]
    public void TagFrame_DecodesAntennaFrequencyPcEpcRssi()
    {
        var frame = Hex.Bytes(TagFrame);
        var tag = new R2000TagFrame();

        Assert.True(R2000Codec.ParseTagFrame(frame, 0, frame.Length, 4, tag));
        Assert.Equal(0x01, tag.Address);
        Assert.Equal(R2000Command.RealTimeInventory, tag.Command);
        Assert.Equal(1, tag.Antenna);
        Assert.Equal(2, tag.FrequencyIndex);
        Assert.Equal(866_000, tag.FrequencyKhz);
        Assert.Equal(0x3000, tag.Pc);
        Assert.Equal("E2 80 68 94 00 00 50 0A 9D 22 98 C6", Hex.Of(tag.Epc, 0, tag.EpcLength));
        Assert.Equal(-49, tag.RssiDbm);
        Assert.False(tag.HasPhase);
    }

    [Fact]
    public void TagFrame_BecomesATagRead_WithoutReaderTimestamp()
    {
        var frame = Hex.Bytes(TagFrame);
        var tag = new R2000TagFrame();
        var read = new TagRead();
        R2000Codec.ParseTagFrame(frame, 0, frame.Length, 4, tag);

        tag.CopyTo(read);

        Assert.Equal(-4900, read.RssiCentiDbm);
        Assert.Equal(1, read.Antenna);
        Assert.Equal(866_000, read.FrequencyKhz);
        Assert.Equal(TagRead.NoReaderTimestamp, read.ReaderTimestamp);
        Assert.Equal(12, read.EpcLength);
    }

    [Fact]
    public void TagFrame_EncodesByteExactly_FromItsFields()
    {
        var tag = new R2000TagFrame { Address = 1, Command = R2000Command.RealTimeInventory, Antenna = 1, FrequencyIndex = 2, RssiDbm = -49 };
        tag.SetEpc(Hex.Bytes("E2 80 68 94 00 00 50 0A 9D 22 98 C6"), 0, 12, 0);

        AssertFrame(TagFrame, R2000Codec.EncodeTagFrame(_buffer, 0, tag, 4));
    }

    [Fact]
    public void Summary_DecodesAntennaRateAndTotal()
    {
        var frame = Hex.Bytes(Summary);
        var summary = new R2000RoundSummary();

        Assert.Equal(R2000Codec.SummaryLength, R2000Codec.InventoryAnswerKind(frame, 0));
        Assert.True(R2000Codec.ParseRoundSummary(frame, 0, frame.Length, summary));
        Assert.Equal(1, summary.Antenna);
        Assert.Equal(100, summary.ReadRate);
        Assert.Equal(300, summary.TotalRead);
        Assert.False(R2000Codec.ParseTagFrame(frame, 0, frame.Length, 4, new R2000TagFrame()));
    }

    [Fact]
    public void Summary_EncodesByteExactly() => AssertFrame(Summary, R2000Codec.EncodeRoundSummary(_buffer, 0, 1, R2000Command.RealTimeInventory, 1, 100, 300));

    [Theory]
    [InlineData(1, 0x50, 1, -49)]
    [InlineData(4, 0x50, 4, -49)]
    [InlineData(1, 0xD0, 5, -49)]
    [InlineData(4, 0xD0, 8, -49)]
    [InlineData(3, 0xBC, 7, -69)]
    public void EightPortReaders_TakeAntennasFiveToEightFromRssiBit7(int freqAntAntenna, int rssiByte, int antenna, int rssiDbm)
    {
        var frame = Hex.Bytes(TagFrame);
        frame[4] = (byte)(0x08 | (freqAntAntenna - 1));
        frame[^2] = (byte)rssiByte;
        frame[^1] = (byte)R2000Codec.Checksum(frame, 0, frame.Length - 1);
        var tag = new R2000TagFrame();

        Assert.True(R2000Codec.ParseTagFrame(frame, 0, frame.Length, 8, tag));

        Assert.Equal(antenna, tag.Antenna);
        Assert.Equal(rssiDbm, tag.RssiDbm);

        // And encoding antenna 5-8 sets the bit again.
        Assert.Equal(frame.Length, R2000Codec.EncodeTagFrame(_buffer, 0, tag, 8));
        Assert.Equal(Hex.Of(frame), Hex.Of(_buffer, 0, frame.Length));
    }

    [Fact]
    public void FourPortReaders_ReadRssiBit7AsSignal()
    {
        var frame = Hex.Bytes(TagFrame);
        frame[^2] = 0x80;
        frame[^1] = (byte)R2000Codec.Checksum(frame, 0, frame.Length - 1);
        var tag = new R2000TagFrame();

        Assert.True(R2000Codec.ParseTagFrame(frame, 0, frame.Length, 4, tag));
        Assert.Equal(1, tag.Antenna);
        Assert.Equal(-1, tag.RssiDbm);
    }

    [Fact]
    public void PhaseWord_IsRecognisedFromTheLength()
    {
        var tag = new R2000TagFrame { Address = 1, Command = R2000Command.SessionInventory, Antenna = 2, FrequencyIndex = 30, RssiDbm = -60, HasPhase = true, Phase = 0x1234 };
        tag.SetEpc([1, 2, 3, 4, 5, 6, 7, 8], 0, 8, 0);
        var length = R2000Codec.EncodeTagFrame(_buffer, 0, tag, 4);
        var parsed = new R2000TagFrame();

        Assert.Equal(8 + 9 + 2, length);
        Assert.True(R2000Codec.ParseTagFrame(_buffer, 0, length, 4, parsed));
        Assert.True(parsed.HasPhase);
        Assert.Equal(0x1234, parsed.Phase);
        Assert.Equal(2, parsed.Antenna);
        Assert.Equal(902_000 + (500 * 23), parsed.FrequencyKhz);
    }

    [Fact]
    public void RoundTrip_RandomTagFrames()
    {
        var random = new Random(5);
        var parsed = new R2000TagFrame();
        for (var round = 0; round < 2000; round++)
        {
            var ports = random.Next(2) == 0 ? 4 : 8;
            var tag = new R2000TagFrame
            {
                Address = random.Next(256),
                Command = new[] { 0x89, 0x8A, 0x8B }[random.Next(3)],
                Antenna = 1 + random.Next(ports),
                FrequencyIndex = random.Next(60),
                RssiDbm = -random.Next(2, 100),
                HasPhase = random.Next(2) == 0,
                Phase = random.Next(0x10000),
            };
            var epc = new byte[2 * random.Next(32)];
            random.NextBytes(epc);
            tag.SetEpc(epc, 0, epc.Length, random.Next(0x800));

            var length = R2000Codec.EncodeTagFrame(_buffer, 0, tag, ports);
            Assert.True(R2000Codec.IsValid(_buffer, 0, length));
            Assert.True(R2000Codec.ParseTagFrame(_buffer, 0, length, ports, parsed));

            Assert.Equal(tag.Address, parsed.Address);
            Assert.Equal(tag.Command, parsed.Command);
            Assert.Equal(tag.Antenna, parsed.Antenna);
            Assert.Equal(tag.FrequencyIndex, parsed.FrequencyIndex);
            Assert.Equal(tag.Pc, parsed.Pc);
            Assert.Equal(epc, parsed.Epc.Take(parsed.EpcLength));
            Assert.Equal(tag.RssiDbm, parsed.RssiDbm);
            Assert.Equal(tag.HasPhase, parsed.HasPhase);
            Assert.Equal(tag.HasPhase ? tag.Phase : 0, parsed.Phase);
        }
    }

    [Theory]
    [InlineData(0, 865_000)]
    [InlineData(6, 868_000)]
    [InlineData(7, 902_000)]
    [InlineData(59, 928_000)]
    [InlineData(60, 0)]
    [InlineData(-1, 0)]
    public void FrequencyTable(int index, int khz)
    {
        Assert.Equal(khz, R2000Codec.FrequencyKhz(index));
        if (khz != 0)
        {
            Assert.Equal(index, R2000Codec.FrequencyIndex(khz));
        }
    }

    [Fact]
    public void AckAndFirmwareAnswers()
    {
        AssertFrame("A0 04 01 76 10 D5", R2000Codec.EncodeStatus(_buffer, 0, 1, R2000Command.SetOutputPower, R2000Status.Success));
        AssertFrame("A0 05 01 72 08 01 DF", R2000Codec.EncodeFirmwareVersion(_buffer, 0, 1, 8, 1));
    }

    private void AssertFrame(string expected, int length) => Assert.Equal(expected, Hex.Of(_buffer, 0, length));
}
