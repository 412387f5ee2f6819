using TimingMat.Core.Lora;
using TimingMat.Host.Crypto;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

public class LoRaAckTests
{
    private static readonly byte[] s_key = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    private static readonly byte[] s_fields =
    [
        0x22,                    // version 2, type 2 (ack)
        0x07, 0x00,              // unit 7
        0x04, 0x03, 0x02, 0x01,  // journal 0x01020304
        0x04, 0x04, 0x00, 0x00,  // acked 1028
        0xE8, 0x03, 0x00, 0x00,  // packet's first sequence 1000
        0x1D,                    // packet's count 29
    ];

    [Fact]
    public void Write_IsPinnedByteForByte_WithTheTagOverTheFirstSixteenBytes()
    {
        var ack = new LoRaAck { UnitId = 7, JournalId = 0x01020304, AckedSequence = 1028, PacketFirstSequence = 1000, PacketCount = 29 };
        var buffer = new byte[LoRaAck.Bytes];

        var length = ack.Write(buffer, s_key, DesktopHmacSha256.Instance);

        Assert.Equal(24, length);
        Assert.Equal(s_fields, buffer[..16]);
        Assert.Equal(System.Security.Cryptography.HMACSHA256.HashData(s_key, s_fields)[..8], buffer[16..]);
    }

    [Fact]
    public void Read_RoundTripsEveryField_AndTheTagChecksOnlyWithTheKey()
    {
        var buffer = Written(new LoRaAck { UnitId = 7, JournalId = 0x01020304, AckedSequence = 1028, PacketFirstSequence = 1000, PacketCount = 29 });
        var ack = new LoRaAck();

        Assert.True(ack.Read(buffer, buffer.Length));
        Assert.Equal((7, 0x01020304, 1028L, 1000L, 29), (ack.UnitId, ack.JournalId, ack.AckedSequence, ack.PacketFirstSequence, ack.PacketCount));
        Assert.True(ack.IsAuthentic(buffer, s_key, DesktopHmacSha256.Instance));
        Assert.False(ack.IsAuthentic(buffer, s_key.Reverse().ToArray(), DesktopHmacSha256.Instance));
        Assert.False(ack.IsAuthentic(buffer, null!, DesktopHmacSha256.Instance));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(23)]
    public void AnyChangedByte_FailsTheTag(int index)
    {
        var buffer = Written(new LoRaAck { UnitId = 7, JournalId = 0x01020304, AckedSequence = 1028, PacketFirstSequence = 1000, PacketCount = 29 });
        buffer[index] ^= 0x01;
        var ack = new LoRaAck();

        Assert.True(ack.Read(buffer, buffer.Length));
        Assert.False(ack.IsAuthentic(buffer, s_key, DesktopHmacSha256.Instance));
    }

    [Fact]
    public void Extremes_RoundTrip_AndANegativeAckedMarkIsWrittenAsZero()
    {
        var buffer = Written(new LoRaAck { UnitId = 65535, JournalId = -2, AckedSequence = -1, PacketFirstSequence = 4_294_967_295, PacketCount = 255 });
        var back = new LoRaAck();

        Assert.True(back.Read(buffer, buffer.Length));
        Assert.Equal((65535, -2, 0L, 4_294_967_295L, 255), (back.UnitId, back.JournalId, back.AckedSequence, back.PacketFirstSequence, back.PacketCount));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(23)]
    [InlineData(25)]
    [InlineData(0)]
    public void Read_RejectsAnotherLength(int length)
    {
        var buffer = new byte[64];
        Written(new LoRaAck { UnitId = 7 }).CopyTo(buffer, 0);
        var ack = new LoRaAck();

        Assert.False(ack.Read(buffer, length));
        Assert.Equal(0, ack.UnitId);
        Assert.Equal(0, ack.AckedSequence);
    }

    [Theory]
    [InlineData(0x11)]  // a passing packet
    [InlineData(0x12)]  // version 1: no tag
    [InlineData(0x02)]  // version 0
    [InlineData(0x23)]
    public void Read_RejectsAnotherFirstByte(byte first)
    {
        var buffer = Written(new LoRaAck { UnitId = 7 });
        buffer[0] = first;
        var ack = new LoRaAck();

        Assert.False(ack.Read(buffer, buffer.Length));
        Assert.Equal(0, ack.UnitId);
    }

    private static byte[] Written(LoRaAck ack)
    {
        var buffer = new byte[LoRaAck.Bytes];
        ack.Write(buffer, s_key, DesktopHmacSha256.Instance);
        return buffer;
    }
}
