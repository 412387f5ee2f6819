using TimingMat.Core.Bridge;
using Xunit;

namespace TimingMat.Core.Tests.Bridge;

/// <summary>The SPI framing and divisor arithmetic, pinned to the datasheet's bytes.</summary>
public class Sc16is752Tests
{
    [Theory]
    [InlineData(true, Sc16is752.RegRxLvl, 0, 0xC8)]
    [InlineData(true, Sc16is752.RegRxLvl, 1, 0xCA)]
    [InlineData(true, Sc16is752.RegRhrThr, 0, 0x80)]
    [InlineData(false, Sc16is752.RegRhrThr, 1, 0x02)]
    [InlineData(true, Sc16is752.RegTxLvl, 0, 0xC0)]
    [InlineData(false, Sc16is752.RegLcr, 0, 0x18)]
    [InlineData(false, Sc16is752.RegSpr, 1, 0x3A)]
    [InlineData(false, Sc16is752.RegIoControl, 0, 0x70)]
    [InlineData(true, Sc16is752.RegLsr, 1, 0xAA)]
    public void Command_PutsReadInBit7_RegisterInBits6To3_ChannelInBits2To1(bool read, int register, int channel, int expected)
    {
        var command = Sc16is752.Command(read, register, channel);

        Assert.Equal(expected, command);
        Assert.Equal(read, Sc16is752.IsRead(command));
        Assert.Equal(register, Sc16is752.RegisterOf(command));
        Assert.Equal(channel, Sc16is752.ChannelOf(command));
    }

    [Theory]
    [InlineData(14_745_600, 9600, 96)]
    [InlineData(14_745_600, 115_200, 8)]
    [InlineData(14_745_600, 230_400, 4)]
    [InlineData(14_745_600, 460_800, 2)]
    [InlineData(14_745_600, 921_600, 1)]
    [InlineData(1_843_200, 115_200, 1)]
    [InlineData(1_843_200, 9600, 12)]
    [InlineData(12_000_000, 9600, 78)] // 9,615 baud: 0.16 % fast, within a UART's tolerance
    public void DivisorFor_TheStandardSpeeds(int crystal, int baud, int divisor)
    {
        Assert.Equal(divisor, Sc16is752.DivisorFor(crystal, baud, Sc16is752Port.BaudTolerancePermille));
    }

    [Theory]
    [InlineData(12_000_000, 115_200)] // 107,142 baud: 7 % slow, a UART link fails
    [InlineData(14_745_600, 250_000)] // divisor 4 gives 230,400: 8 % off
    [InlineData(14_745_600, 1_843_200)] // faster than divisor 1 can go
    [InlineData(14_745_600, 0)]
    [InlineData(14_745_600, 10)] // would need a divisor above 65,535
    public void DivisorFor_ASpeedTheCrystalCannotMake_IsZero(int crystal, int baud)
    {
        Assert.Equal(0, Sc16is752.DivisorFor(crystal, baud, Sc16is752Port.BaudTolerancePermille));
    }

    [Fact]
    public void BaudOf_IsTheInverse_AndZeroForAStoppedUart()
    {
        Assert.Equal(115_200, Sc16is752.BaudOf(14_745_600, 8));
        Assert.Equal(921_600, Sc16is752.BaudOf(14_745_600, 1));
        Assert.Equal(0, Sc16is752.BaudOf(14_745_600, 0));
    }
}
