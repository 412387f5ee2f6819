using TimingMat.Core.Lora;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

public class LoRaAckTests
{
    private static readonly byte[] _fixture =
    [
        0x12,                    // version 1, type 2 (ack)
        0x07, 0x00,              // unit 7
        0x04, 0x03, 0x02, 0x01,  // journal 0x01020304
        0x04, 0x04, 0x00, 0x00,  // acked 1028
        0xE8, 0x03, 0x00, 0x00,  // packet's first sequence 1000
        0x1D,                    // packet's count 29
    ];

    [Fact]
    public void Write_IsPinnedByteForByte()
    {
        var ack = new LoRaAck { UnitId = 7, JournalId = 0x01020304, AckedSequence = 1028, PacketFirstSequence = 1000, PacketCount = 29 };
        var buffer = new byte[LoRaAck.Bytes];

        var length = ack.Write(buffer);

        Assert.Equal(16, length);
        Assert.Equal(_fixture, buffer);
    }

    [Fact]
    public void Read_RoundTripsEveryField()
    {
        var ack = new LoRaAck();

        Assert.True(ack.Read(_fixture, _fixture.Length));
        Assert.Equal((7, 0x01020304, 1028L, 1000L, 29), (ack.UnitId, ack.JournalId, ack.AckedSequence, ack.PacketFirstSequence, ack.PacketCount));
    }

    [Fact]
    public void Extremes_RoundTrip_AndANegativeAckedMarkIsWrittenAsZero()
    {
        var buffer = new byte[LoRaAck.Bytes];
        new LoRaAck { UnitId = 65535, JournalId = -2, AckedSequence = -1, PacketFirstSequence = 4_294_967_295, PacketCount = 255 }.Write(buffer);
        var back = new LoRaAck();

        Assert.True(back.Read(buffer, buffer.Length));
        Assert.Equal((65535, -2, 0L, 4_294_967_295L, 255), (back.UnitId, back.JournalId, back.AckedSequence, back.PacketFirstSequence, back.PacketCount));
    }

    [Theory]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(0)]
    [InlineData(38)]
    public void Read_RejectsAnotherLength(int length)
    {
        var buffer = new byte[64];
        Array.Copy(_fixture, buffer, _fixture.Length);
        var ack = new LoRaAck();

        Assert.False(ack.Read(buffer, length));
        Assert.Equal(0, ack.UnitId);
        Assert.Equal(0, ack.AckedSequence);
    }

    [Theory]
    [InlineData(0x11)]  // a passing packet
    [InlineData(0x22)]  // version 2
    [InlineData(0x02)]  // version 0
    [InlineData(0x13)]
    public void Read_RejectsAnotherFirstByte(byte first)
    {
        var buffer = (byte[])_fixture.Clone();
        buffer[0] = first;
        var ack = new LoRaAck();

        Assert.False(ack.Read(buffer, buffer.Length));
        Assert.Equal(0, ack.UnitId);
    }
}
