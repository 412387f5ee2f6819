using TimingMat.Core.Common;
using TimingMat.Core.Reader;
using TimingMat.Core.Reader.Mercury;
using Xunit;

namespace TimingMat.Core.Tests.Reader;

/// <summary>Byte-exact fixtures: every Mercury frame of protocols.md §1 encodes and decodes exactly.</summary>
public class MercuryCodecTests
{
    public const string TagRecord47 =
        "FF 28 22 00 00 10 00 1B 01 FF 01 01 C4 11 0E 16 40 00 00 01 27 00 00 05 00 00 0F 00 80 " +
        "30 00 00 00 00 00 00 00 00 00 00 00 15 45 E9 4A 56 1D";

    public const string TagBuffer29 =
        "FF 1E 29 00 00 01 FF 00 01 11 DD 11 0E 08 30 00 00 00 08 00 00 05 00 00 0F 00 40 10 00 59 6F 59 6F F3 13 16 C0";

    private readonly byte[] _buffer = new byte[300];

    [Fact]
    public void GetVersion() => AssertFrame("FF 00 03 1D 0C", MercuryCodec.EncodeGetVersion(_buffer, 0));

    [Fact]
    public void SetBaudRate115200() => AssertFrame("FF 04 06 00 01 C2 00 A4 60", MercuryCodec.EncodeSetBaudRate(_buffer, 0, 115200));

    [Fact]
    public void SetRegionNorthAmerica() => AssertFrame("FF 01 97 0D 4B B0", MercuryCodec.EncodeSetRegion(_buffer, 0, MercuryRegion.NorthAmerica));

    [Fact]
    public void SetRegionEurope() => AssertFrame("FF 01 97 08 4B B5", MercuryCodec.EncodeSetRegion(_buffer, 0, MercuryRegion.Europe));

    [Fact]
    public void SetReadPower27Dbm() => AssertFrame("FF 02 92 0A 8C 4B D5", MercuryCodec.EncodeSetReadPower(_buffer, 0, 2700));

    [Fact]
    public void SetReadPower20Dbm() => AssertFrame("FF 02 92 07 D0 46 89", MercuryCodec.EncodeSetReadPower(_buffer, 0, 2000));

    [Fact]
    public void SetProtocolGen2() => AssertFrame("FF 02 93 00 05 51 7D", MercuryCodec.EncodeSetProtocolGen2(_buffer, 0));

    [Fact]
    public void SetAntennaTx1Rx1() => AssertFrame("FF 02 91 01 01 70 3B", MercuryCodec.EncodeSetAntennaPort(_buffer, 0, 1, 1));

    [Fact]
    public void ReadFilterOff() => AssertFrame("FF 03 9A 01 0C 00 A3 5D", MercuryCodec.EncodeSetReadFilter(_buffer, 0, false));

    [Fact]
    public void ReadFilterOn_AsInTheCapture() => AssertFrame("FF 03 9A 01 0C 01 A3 5C", MercuryCodec.EncodeSetReadFilter(_buffer, 0, true));

    [Fact]
    public void StartContinuousRead() =>
        AssertFrame("FF 10 2F 00 00 01 22 00 00 05 07 22 10 00 1B 03 E8 01 FF DD 2B", MercuryCodec.EncodeStartContinuousRead(_buffer, 0));

    [Fact]
    public void StartContinuousRead_WithExplicitDefaults_IsTheSameBlob()
    {
        var length = MercuryCodec.EncodeStartContinuousRead(_buffer, 0, MercuryMetadata.Standard, 0x001B, 1000);

        AssertFrame("FF 10 2F 00 00 01 22 00 00 05 07 22 10 00 1B 03 E8 01 FF DD 2B", length);
    }

    [Fact]
    public void StopContinuousRead() => AssertFrame("FF 03 2F 00 00 02 5E 86", MercuryCodec.EncodeStopContinuousRead(_buffer, 0));

    [Fact]
    public void KeepAlive() => AssertFrame("FF 00 22 04 00 84 E0", MercuryCodec.EncodeStreamStatus(_buffer, 0, MercuryStatus.NoTagsFound));

    [Fact]
    public void ResponseFromTheCapture()
    {
        var length = MercuryCodec.EncodeResponse(_buffer, 0, 0x0C, MercuryStatus.Ok, [0x52], 0, 1);

        AssertFrame("FF 01 0C 00 00 52 63 03", length);
        Assert.True(MercuryCodec.IsValidResponse(_buffer, 0, length));
        Assert.Equal(0x0C, MercuryCodec.Opcode(_buffer, 0));
        Assert.Equal(0, MercuryCodec.Status(_buffer, 0));
        Assert.Equal(1, MercuryCodec.DataLength(_buffer, 0));
    }

    [Theory]
    [InlineData("FF 00 03 1D 0C")]
    [InlineData("FF 01 97 0D 4B B0")]
    [InlineData("FF 10 2F 00 00 01 22 00 00 05 07 22 10 00 1B 03 E8 01 FF DD 2B")]
    [InlineData("FF 03 2F 00 00 02 5E 86")]
    public void Commands_DecodeAsValid_AndNotAsResponses(string frame)
    {
        var bytes = Hex.Bytes(frame);

        Assert.True(MercuryCodec.IsValidCommand(bytes, 0, bytes.Length));
        Assert.False(MercuryCodec.IsValidResponse(bytes, 0, bytes.Length));
        bytes[^1] ^= 0x01;
        Assert.False(MercuryCodec.IsValidCommand(bytes, 0, bytes.Length));
    }

    [Fact]
    public void TagRecord47_DecodesEveryField()
    {
        var frame = Hex.Bytes(TagRecord47);
        var record = new MercuryTagRecord();

        Assert.Equal(47, frame.Length);
        Assert.True(MercuryCodec.IsValidResponse(frame, 0, frame.Length));
        Assert.True(MercuryTagParser.ParseStreamed(frame, 0, frame.Length, record));
        Assert.Equal(0x10, record.OptionByte);
        Assert.Equal(0x001B, record.SearchFlags);
        Assert.Equal(0x01FF, record.MetadataFlags);
        Assert.Equal(1, record.ReadCount);
        Assert.Equal(-60, record.RssiDbm);
        Assert.Equal(1, record.TxPort);
        Assert.Equal(1, record.RxPort);
        Assert.Equal(923_200, record.FrequencyKhz);
        Assert.Equal(0x127, record.Timestamp);
        Assert.Equal(0, record.Phase);
        Assert.Equal(MercuryCodec.ProtocolGen2, record.Protocol);
        Assert.Equal(0, record.DataBits);
        Assert.Equal(0x0F, record.Gpio);
        Assert.Equal(0x3000, record.Pc);
        Assert.Equal(0, record.XpcCount);
        Assert.Equal("00 00 00 00 00 00 00 00 00 00 15 45", Hex.Of(record.Epc, 0, record.EpcLength));
        Assert.Equal(0xE94A, record.TagCrc);
    }

    [Fact]
    public void TagRecord47_BecomesATagRead_InCentiDbm_WithTheRawTimestamp()
    {
        var frame = Hex.Bytes(TagRecord47);
        var record = new MercuryTagRecord();
        var read = new TagRead();
        MercuryTagParser.ParseStreamed(frame, 0, frame.Length, record);

        record.CopyTo(read);

        Assert.Equal(12, read.EpcLength);
        Assert.True(read.EpcEquals(Hex.Bytes("00 00 00 00 00 00 00 00 00 00 15 45"), 0, 12));
        Assert.Equal(-6000, read.RssiCentiDbm);
        Assert.Equal(1, read.Antenna);
        Assert.Equal(923_200, read.FrequencyKhz);
        Assert.Equal(0x127, read.ReaderTimestamp);
    }

    [Fact]
    public void TagRecord47_EncodesByteExactly_FromItsFields()
    {
        var record = new MercuryTagRecord
        {
            SearchFlags = 0x001B,
            MetadataFlags = 0x01FF,
            ReadCount = 1,
            RssiDbm = -60,
            TxPort = 1,
            RxPort = 1,
            FrequencyKhz = 923_200,
            Timestamp = 0x127,
            Phase = 0,
            Protocol = 5,
            Gpio = 0x0F,
            Pc = 0x3000,
        };
        record.SetEpc(Hex.Bytes("00 00 00 00 00 00 00 00 00 00 15 45"), 0, 12);

        var length = MercuryCodec.EncodeStreamedTagRead(_buffer, 0, record);

        AssertFrame(TagRecord47, length);
        Assert.Equal(0xE94A, record.TagCrc);
    }

    [Fact]
    public void TagBuffer29_DecodesTheSecondCapture()
    {
        var frame = Hex.Bytes(TagBuffer29);
        var record = new MercuryTagRecord();

        Assert.True(MercuryCodec.IsValidResponse(frame, 0, frame.Length));
        Assert.Equal(1, MercuryTagParser.TagBufferCount(frame, 0, frame.Length));
        var flags = MercuryTagParser.TagBufferMetadataFlags(frame, 0);
        Assert.Equal(0x01FF, flags);
        var next = MercuryTagParser.ParseRecord(frame, MercuryTagParser.TagBufferFirstRecord(0), frame.Length - 2, flags, record);

        Assert.Equal(frame.Length - 2, next);
        Assert.Equal(17, record.ReadCount);
        Assert.Equal(-35, record.RssiDbm);
        Assert.Equal(1, record.TxPort);
        Assert.Equal(919_600, record.FrequencyKhz);
        Assert.Equal(8, record.Timestamp);
        Assert.Equal(5, record.Protocol);
        Assert.Equal(0x0F, record.Gpio);
        Assert.Equal(0x1000, record.Pc);
        Assert.Equal("59 6F 59 6F", Hex.Of(record.Epc, 0, record.EpcLength));
        Assert.Equal(0xF313, record.TagCrc);
    }

    [Fact]
    public void TagBuffer29_EncodesByteExactly_FromItsFields()
    {
        var record = new MercuryTagRecord
        {
            MetadataFlags = 0x01FF,
            ReadCount = 17,
            RssiDbm = -35,
            TxPort = 1,
            RxPort = 1,
            FrequencyKhz = 919_600,
            Timestamp = 8,
            Protocol = 5,
            Gpio = 0x0F,
            Pc = 0x1000,
        };
        record.SetEpc(Hex.Bytes("59 6F 59 6F"), 0, 4);
        _buffer[5] = 0x01;
        _buffer[6] = 0xFF;
        _buffer[7] = 0x00;
        _buffer[8] = 0x01;

        var end = MercuryCodec.EncodeRecord(_buffer, 9, 255, record);
        var length = MercuryCodec.SealResponse(_buffer, 0, MercuryOpcode.GetTagIdBuffer, MercuryStatus.Ok, end - 5);

        AssertFrame(TagBuffer29, length);
    }

    [Fact]
    public void ParseStreamed_WalksTheFlags_NotFixedOffsets()
    {
        // RSSI, antenna and timestamp only: SparkFun's fixed offsets would read garbage here.
        var record = new MercuryTagRecord { MetadataFlags = MercuryMetadata.Rssi | MercuryMetadata.AntennaId | MercuryMetadata.Timestamp, RssiDbm = -71, TxPort = 2, RxPort = 2, Timestamp = 123_456, Pc = 0x3000 };
        record.SetEpc([0xE2, 0x80, 0x11, 0x60, 0x60, 0x00, 0x02, 0x13, 0x4B, 0x7C, 0x11, 0x22], 0, 12);
        var length = MercuryCodec.EncodeStreamedTagRead(_buffer, 0, record);
        var parsed = new MercuryTagRecord();

        Assert.Equal(37, length);
        Assert.True(MercuryTagParser.ParseStreamed(_buffer, 0, length, parsed));
        Assert.Equal(-71, parsed.RssiDbm);
        Assert.Equal(2, parsed.TxPort);
        Assert.Equal(123_456, parsed.Timestamp);
        Assert.Equal("E2 80 11 60 60 00 02 13 4B 7C 11 22", Hex.Of(parsed.Epc, 0, parsed.EpcLength));
    }

    [Fact]
    public void AntennaNibbleZero_MeansPort16()
    {
        var frame = Hex.Bytes(TagRecord47);
        frame[13] = 0x02;
        Reseal(frame);
        var record = new MercuryTagRecord();

        Assert.True(MercuryTagParser.ParseStreamed(frame, 0, frame.Length, record));
        Assert.Equal(16, record.TxPort);
        Assert.Equal(2, record.RxPort);
    }

    [Fact]
    public void RoundTrip_EveryFlagCombination_WithXpcAndEmbeddedData()
    {
        var random = new Random(3);
        var parsed = new MercuryTagRecord();
        for (var flags = 0; flags <= MercuryMetadata.Known; flags += 1 + random.Next(40))
        {
            var record = RandomRecord(random, flags);
            var length = MercuryCodec.EncodeStreamedTagRead(_buffer, 0, record);
            Assert.True(length > 0, $"flags {flags:X4}");
            Assert.True(MercuryCodec.IsValidResponse(_buffer, 0, length));

            Assert.True(MercuryTagParser.ParseStreamed(_buffer, 0, length, parsed), $"flags {flags:X4}");
            AssertSameRecord(record, parsed);
        }
    }

    [Fact]
    public void MalformedRecords_AreRejected_NeverReadPastTheFrame()
    {
        var good = Hex.Bytes(TagRecord47);
        var record = new MercuryTagRecord();
        var random = new Random(11);
        for (var round = 0; round < 20_000; round++)
        {
            var frame = (byte[])good.Clone();
            var changes = 1 + random.Next(4);
            for (var i = 0; i < changes; i++)
            {
                frame[5 + random.Next(frame.Length - 7)] = (byte)random.Next(256);
            }

            Reseal(frame);

            // Must not throw; whatever it accepts must fit the frame.
            if (MercuryTagParser.ParseStreamed(frame, 0, frame.Length, record))
            {
                Assert.InRange(record.EpcLength, 0, TagRead.MaxEpcBytes);
            }
        }
    }

    [Theory]
    [InlineData(0x2000)]
    [InlineData(0x8000)]
    public void UnknownMetadataFlags_CannotBeWalked(int flag)
    {
        var frame = Hex.Bytes(TagRecord47);
        frame[8] |= (byte)(flag >> 8);
        Reseal(frame);

        Assert.False(MercuryTagParser.ParseStreamed(frame, 0, frame.Length, new MercuryTagRecord()));
    }

    internal static MercuryTagRecord RandomRecord(Random random, int flags)
    {
        var record = new MercuryTagRecord
        {
            SearchFlags = random.Next(0x10000),
            MetadataFlags = flags,
            ReadCount = random.Next(256),
            RssiDbm = -random.Next(20, 100),
            TxPort = 1 + random.Next(15),
            RxPort = 1 + random.Next(15),
            FrequencyKhz = 860_000 + random.Next(70_000),
            Timestamp = random.NextInt64(0x1_0000_0000),
            Phase = random.Next(181),
            Protocol = 5,
            DataBits = (flags & MercuryMetadata.Data) != 0 ? random.Next(0, 97) : 0,
            Gpio = random.Next(256),
            Gen2Q = random.Next(16),
            Gen2LinkFrequency = random.Next(256),
            Gen2Target = random.Next(4),
            BrandIdentifier = random.Next(0x10000),
            XpcCount = random.Next(3),
            Xpc1 = random.Next(0x8000),
            Xpc2 = random.Next(0x10000),
        };
        var words = random.Next(0, 9);
        record.Pc = (words << 11) | (random.Next(0x800) & ~0x0200);
        var epc = new byte[words * 2];
        random.NextBytes(epc);
        record.SetEpc(epc, 0, epc.Length);
        random.NextBytes(record.Data);
        return record;
    }

    internal static void AssertSameRecord(MercuryTagRecord expected, MercuryTagRecord actual)
    {
        var flags = expected.MetadataFlags;
        Assert.Equal(flags, actual.MetadataFlags);
        Assert.Equal(expected.SearchFlags, actual.SearchFlags);
        if ((flags & MercuryMetadata.ReadCount) != 0)
        {
            Assert.Equal(expected.ReadCount, actual.ReadCount);
        }

        if ((flags & MercuryMetadata.Rssi) != 0)
        {
            Assert.Equal(expected.RssiDbm, actual.RssiDbm);
        }

        if ((flags & MercuryMetadata.AntennaId) != 0)
        {
            Assert.Equal(expected.TxPort, actual.TxPort);
            Assert.Equal(expected.RxPort, actual.RxPort);
        }

        if ((flags & MercuryMetadata.Frequency) != 0)
        {
            Assert.Equal(expected.FrequencyKhz, actual.FrequencyKhz);
        }

        if ((flags & MercuryMetadata.Timestamp) != 0)
        {
            Assert.Equal(expected.Timestamp, actual.Timestamp);
        }

        if ((flags & MercuryMetadata.Phase) != 0)
        {
            Assert.Equal(expected.Phase, actual.Phase);
        }

        if ((flags & MercuryMetadata.Data) != 0)
        {
            Assert.Equal(expected.DataBits, actual.DataBits);
            Assert.Equal(expected.Data.Take(expected.DataLength), actual.Data.Take(actual.DataLength));
        }

        if ((flags & MercuryMetadata.GpioStatus) != 0)
        {
            Assert.Equal(expected.Gpio, actual.Gpio);
        }

        if ((flags & MercuryMetadata.BrandIdentifier) != 0)
        {
            Assert.Equal(expected.BrandIdentifier, actual.BrandIdentifier);
        }

        Assert.Equal(expected.Pc, actual.Pc);
        Assert.Equal(expected.XpcCount, actual.XpcCount);
        if (expected.XpcCount >= 1)
        {
            Assert.Equal(expected.Xpc1, actual.Xpc1);
        }

        if (expected.XpcCount == 2)
        {
            Assert.Equal(expected.Xpc2, actual.Xpc2);
        }

        Assert.Equal(expected.Epc.Take(expected.EpcLength), actual.Epc.Take(actual.EpcLength));
        Assert.Equal(expected.TagCrc, actual.TagCrc);
    }

    private static void Reseal(byte[] frame)
    {
        var crc = Crc16.Mercury(frame, 1, frame.Length - 3);
        frame[^2] = (byte)(crc >> 8);
        frame[^1] = (byte)crc;
    }

    private void AssertFrame(string expected, int length) => Assert.Equal(expected, Hex.Of(_buffer, 0, length));
}
