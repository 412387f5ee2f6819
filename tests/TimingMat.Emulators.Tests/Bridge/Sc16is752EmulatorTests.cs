using TimingMat.Core.Bridge;
using TimingMat.Emulators.Bridge;
using TimingMat.Emulators.Clock;
using Xunit;

namespace TimingMat.Emulators.Tests.Bridge;

/// <summary>The SC16IS752 emulator at the byte level, without the driver.</summary>
public class Sc16is752EmulatorTests
{
    private readonly SimulatedClock _clock = new(1_000_000);
    private readonly Sc16is752Emulator _chip;

    public Sc16is752EmulatorTests() => _chip = new Sc16is752Emulator(_clock);

    [Fact]
    public void AfterReset_LcrIsTheDatasheetDefault_AndTheUartIsStopped()
    {
        Assert.Equal(0x1D, Read(0, Sc16is752.RegLcr));
        Assert.Equal(0x40 | 0x20, Read(0, Sc16is752.RegLsr));
        Assert.Equal(64, Read(1, Sc16is752.RegTxLvl));
        Assert.Equal(0, _chip.LineBaud(0));
    }

    [Fact]
    public void TheDivisorLatch_SitsBehindLcrBit7_AndSetsTheLineSpeed()
    {
        Write(1, Sc16is752.RegLcr, 0x83);
        Write(1, Sc16is752.RegDll, 0x02);
        Write(1, Sc16is752.RegDlh, 0x00);
        var dll = Read(1, Sc16is752.RegDll);
        Write(1, Sc16is752.RegLcr, 0x03);
        Write(1, Sc16is752.RegIer, 0x05);

        Assert.Equal(2, dll);
        Assert.Equal(460_800, _chip.LineBaud(1));
        Assert.Equal(0x05, Read(1, Sc16is752.RegIer));
        Assert.Equal(0, _chip.LineBaud(0));
    }

    [Fact]
    public void ALineLeftAtTheResetFraming_ReadsGarbage()
    {
        SetSpeed(0, 8, lcr: 0x1D);
        var module = _chip.Line(0).ModuleEnd;
        module.Open();
        var sent = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        module.Write(sent, 0, sent.Length);
        _clock.Advance(32 * 87);
        var got = ReadFifo(0, 32);

        Assert.NotEqual(sent, got);
    }

    [Fact]
    public void TheOverrunFlag_IsSetByAFullFifo_AndClearedByReadingLsr()
    {
        SetSpeed(0, 8);
        var module = _chip.Line(0).ModuleEnd;
        module.Open();
        module.Write(new byte[70], 0, 70);
        _clock.Advance(70 * 87);

        var level = Read(0, Sc16is752.RegRxLvl);
        var first = Read(0, Sc16is752.RegLsr);
        var second = Read(0, Sc16is752.RegLsr);

        Assert.Equal(64, level);
        Assert.Equal(Sc16is752.LsrOverrun | Sc16is752.LsrDataReady, first & 0x03);
        Assert.Equal(Sc16is752.LsrDataReady, second & 0x03);
        Assert.Equal(6, _chip.OverrunBytes(0));
    }

    [Fact]
    public void TheTransmitFifo_EmptiesAtTheLineSpeed_AndAFullOneDropsBytes()
    {
        SetSpeed(0, 8);
        _chip.Line(0).ModuleEnd.Open();
        var burst = new byte[71];
        burst[0] = Sc16is752.Command(false, Sc16is752.RegRhrThr, 0);

        _chip.Write(burst);
        var full = Read(0, Sc16is752.RegTxLvl);
        _clock.Advance(10 * 87);
        var later = Read(0, Sc16is752.RegTxLvl);

        Assert.Equal(0, full);
        Assert.Equal(10, later);
        Assert.Equal(6, _chip.TransmitOverflowBytes(0));
    }

    [Fact]
    public void SoftwareReset_ClearsBothChannels()
    {
        SetSpeed(0, 8);
        SetSpeed(1, 1);
        Write(1, Sc16is752.RegSpr, 0x42);

        Write(0, Sc16is752.RegIoControl, Sc16is752.IoControlReset);

        Assert.Equal(0x1D, Read(1, Sc16is752.RegLcr));
        Assert.Equal(0xFF, Read(1, Sc16is752.RegSpr));
        Assert.Equal(0, _chip.LineBaud(1));
        Assert.Equal(1, _chip.Resets);
    }

    private void SetSpeed(int channel, int divisor, int lcr = 0x03)
    {
        Write(channel, Sc16is752.RegLcr, 0x80 | lcr);
        Write(channel, Sc16is752.RegDll, divisor);
        Write(channel, Sc16is752.RegDlh, 0);
        Write(channel, Sc16is752.RegLcr, lcr);
    }

    private int Read(int channel, int register)
    {
        var read = new byte[2];
        _chip.TransferFullDuplex([Sc16is752.Command(true, register, channel), 0], read);
        return read[1];
    }

    private byte[] ReadFifo(int channel, int count)
    {
        var write = new byte[count + 1];
        var read = new byte[count + 1];
        write[0] = Sc16is752.Command(true, Sc16is752.RegRhrThr, channel);
        _chip.TransferFullDuplex(write, read);
        return read[1..];
    }

    private void Write(int channel, int register, int value) => _chip.Write([Sc16is752.Command(false, register, channel), (byte)value]);
}
