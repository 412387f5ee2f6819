using TimingMat.Emulators.Radio;
using Xunit;

namespace TimingMat.Emulators.Tests.Radio;

public class Sx127xRegisterEmulatorTests
{
    private readonly Sx127xRegisterEmulator _radio = new();

    [Fact]
    public void ReadingRegVersion_Returns0x12()
    {
        var read = new byte[2];
        _radio.TransferFullDuplex([0x42, 0x00], read);

        Assert.Equal(0x12, read[1]);
    }

    [Fact]
    public void WriteWithBit7_SetsTheRegister_AndBurstsAutoIncrement()
    {
        _radio.Write([0x80 | 0x06, 0xD9, 0x06, 0x8B]); // RegFrf ≈ 868.102 MHz (868.1 MHz would be D9 06 66)

        Assert.Equal(0xD9, _radio.Peek(0x06));
        Assert.Equal(0x06, _radio.Peek(0x07));
        Assert.Equal(0x8B, _radio.Peek(0x08));
    }

    [Fact]
    public void RegVersion_IsReadOnly()
    {
        _radio.Write([0x80 | 0x42, 0x99]);

        Assert.Equal(0x12, _radio.Peek(0x42));
    }

    [Fact]
    public void FifoBurst_MovesTheFifoPointer_NotTheAddress()
    {
        _radio.Write([0x80 | 0x0D, 0x00]);           // RegFifoAddrPtr = 0
        _radio.Write([0x80 | 0x00, 1, 2, 3, 4]);     // four bytes into the FIFO
        _radio.Write([0x80 | 0x0D, 0x00]);
        var read = new byte[5];
        _radio.TransferFullDuplex([0x00, 0, 0, 0, 0], read);

        Assert.Equal(new byte[] { 0, 1, 2, 3, 4 }, read);
        Assert.Equal(4, _radio.Peek(0x0D));
    }

    [Fact]
    public void MismatchedBuffers_AreRejected()
    {
        Assert.Throws<ArgumentException>(() => _radio.TransferFullDuplex(new byte[2], new byte[3]));
    }
}
