using TimingMat.Core.Common;
using TimingMat.Core.Reader;
using Xunit;

namespace TimingMat.Core.Tests.Reader;

public class Crc16Tests
{
    // Every test vector of protocols.md §1.2: the CRC covers LEN through the last data byte (the 0xFF excluded).
    [Theory]
    [InlineData("FF 00 03 1D 0C", 0x1D0C)]
    [InlineData("FF 01 97 0D 4B B0", 0x4BB0)]
    [InlineData("FF 02 92 0A 8C 4B D5", 0x4BD5)]
    [InlineData("FF 00 2A 1D 25", 0x1D25)]
    [InlineData("FF 01 0C 00 00 52 63 03", 0x6303)]
    [InlineData("FF 28 22 00 00 10 00 1B 01 FF 01 01 C4 11 0E 16 40 00 00 01 27 00 00 05 00 00 0F 00 80 30 00 00 00 00 00 00 00 00 00 00 00 15 45 E9 4A 56 1D", 0x561D)]
    [InlineData("FF 1E 29 00 00 01 FF 00 01 11 DD 11 0E 08 30 00 00 00 08 00 00 05 00 00 0F 00 40 10 00 59 6F 59 6F F3 13 16 C0", 0x16C0)]
    public void Mercury_MatchesEveryReferenceVector(string frame, int expected)
    {
        var bytes = Hex.Bytes(frame);

        Assert.Equal(expected, Crc16.Mercury(bytes, 1, bytes.Length - 3));
        Assert.Equal(expected, (bytes[^2] << 8) | bytes[^1]);
    }

    [Fact]
    public void Mercury_IsNotCcittFalse()
    {
        // The plain CRC-16/CCITT-FALSE of 00 03 is 0x2D6C; the module would reject it.
        Assert.Equal(0x1D0C, Crc16.Mercury([0x00, 0x03], 0, 2));
        Assert.Equal(0x2D6C, CcittFalse([0x00, 0x03]));
    }

    [Fact]
    public void Mercury_EqualsTheBitwiseAndNibbleForms_OnRandomData()
    {
        var random = new Random(7);
        for (var round = 0; round < 500; round++)
        {
            var data = new byte[random.Next(0, 260)];
            random.NextBytes(data);
            var offset = data.Length == 0 ? 0 : random.Next(0, data.Length);
            var count = data.Length - offset;

            var expected = Bitwise(data, offset, count);
            Assert.Equal(expected, Crc16.Mercury(data, offset, count));
            Assert.Equal(expected, Nibble(data, offset, count));
        }
    }

    [Theory]
    [InlineData("30 00 00 00 00 00 00 00 00 00 00 00 15 45", 0xE94A)]
    [InlineData("10 00 59 6F 59 6F", 0xF313)]
    public void Gen2_MatchesTheTagCrcsOfBothCaptures(string pcAndEpc, int expected)
    {
        var bytes = Hex.Bytes(pcAndEpc);

        Assert.Equal(expected, Crc16.Gen2(bytes, 0, bytes.Length));
    }

    // protocols.md §1.2: crc=0xFFFF; per bit MSB first: msb=crc>>15; crc=((crc<<1)|bit)&0xFFFF; if msb: crc^=0x1021.
    private static int Bitwise(byte[] data, int offset, int count)
    {
        var crc = 0xFFFF;
        for (var i = offset; i < offset + count; i++)
        {
            for (var bit = 7; bit >= 0; bit--)
            {
                var msb = crc >> 15;
                crc = ((crc << 1) | ((data[i] >> bit) & 1)) & 0xFFFF;
                if (msb != 0)
                {
                    crc ^= 0x1021;
                }
            }
        }

        return crc;
    }

    // serial_reader_l3.c's nibble table, as quoted in the reference.
    private static int Nibble(byte[] data, int offset, int count)
    {
        int[] t = [0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50A5, 0x60C6, 0x70E7, 0x8108, 0x9129, 0xA14A, 0xB16B, 0xC18C, 0xD1AD, 0xE1CE, 0xF1EF];
        var crc = 0xFFFF;
        for (var i = offset; i < offset + count; i++)
        {
            crc = (((crc << 4) | (data[i] >> 4)) ^ t[crc >> 12]) & 0xFFFF;
            crc = (((crc << 4) | (data[i] & 0x0F)) ^ t[crc >> 12]) & 0xFFFF;
        }

        return crc;
    }

    private static int CcittFalse(byte[] data)
    {
        var crc = 0xFFFF;
        foreach (var b in data)
        {
            crc ^= b << 8;
            for (var i = 0; i < 8; i++)
            {
                crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) & 0xFFFF : (crc << 1) & 0xFFFF;
            }
        }

        return crc;
    }
}
