using TimingMat.Core.Bridge;
using TimingMat.Core.Hardware;
using TimingMat.Emulators.Bridge;
using TimingMat.Emulators.Clock;
using Xunit;

namespace TimingMat.Core.Tests.Bridge;

/// <summary>The bridge's channels as byte ports, against the register-level emulator.</summary>
public class Sc16is752PortTests
{
    private readonly SimulatedClock _clock = new(1_000_000);
    private readonly Sc16is752Emulator _chip;
    private readonly RecordingSpi _spi;
    private readonly Sc16is752Bridge _bridge;

    public Sc16is752PortTests()
    {
        _chip = new Sc16is752Emulator(_clock);
        _spi = new RecordingSpi(_chip);
        _bridge = new Sc16is752Bridge(_spi, Sc16is752.DefaultCrystalHz);
    }

    [Fact]
    public void Open_ResetsTheChipOnce_ProvesTheWiring_AndSets115200_8N1()
    {
        var a = _bridge.Port(0);

        a.Open();

        Assert.Equal(
            ["70 08", "38 5A", "B8 00", "18 83", "00 08", "08 00", "18 03", "98 00", "10 07"],
            _spi.Transactions);
        Assert.True(a.IsOpen);
        Assert.Equal(1, _chip.Resets);
        Assert.Equal(115_200, _chip.LineBaud(0));
    }

    [Fact]
    public void OpeningChannelB_OrReopeningA_DoesNotResetTheChipUnderTheOtherReader()
    {
        var a = _bridge.Port(0);
        var b = _bridge.Port(1);
        a.Open();
        _spi.Transactions.Clear();

        b.BaudRate = 921_600;
        b.Open();
        a.Close();
        a.Open();

        Assert.Equal(["3A 5B", "BA 00", "1A 83", "02 01", "0A 00", "1A 03", "9A 00", "12 07"], _spi.Transactions.Take(8));
        Assert.Equal(1, _chip.Resets);
        Assert.Equal(115_200, _chip.LineBaud(0));
        Assert.Equal(921_600, _chip.LineBaud(1));
    }

    [Fact]
    public void BytesFlowBothWays_AtTheLineSpeed()
    {
        var a = _bridge.Port(0);
        a.Open();
        var module = _chip.Line(0).ModuleEnd;
        module.Open();
        var frame = Enumerable.Range(0, 40).Select(i => (byte)(i * 7)).ToArray();

        module.Write(frame, 0, frame.Length);
        _clock.Advance(87 * 20);
        var buffer = new byte[256];
        var first = a.Read(buffer, 0, buffer.Length);
        _clock.Advance(87 * 20);
        var second = a.Read(buffer, first, buffer.Length - first);
        a.Write([0xFF, 0x00, 0x03, 0x1D, 0x0C], 0, 5);
        _clock.Advance(1_000);
        var echo = new byte[16];
        var got = module.Read(echo, 0, echo.Length);

        Assert.Equal(20, first);
        Assert.Equal(20, second);
        Assert.Equal(frame, buffer.Take(40));
        Assert.Equal(new byte[] { 0xFF, 0x00, 0x03, 0x1D, 0x0C }, echo.Take(got));
        Assert.Equal(0, a.Overruns);
    }

    [Fact]
    public void AFullFifo_LosesWhatComesNext_AndThePortCountsTheOverrun()
    {
        var a = _bridge.Port(0);
        a.Open();
        var module = _chip.Line(0).ModuleEnd;
        module.Open();
        var burst = Enumerable.Range(0, 100).Select(i => (byte)i).ToArray();

        module.Write(burst, 0, burst.Length);
        _clock.Advance(100 * 87);
        var buffer = new byte[256];
        var n = a.Read(buffer, 0, buffer.Length);
        var more = a.Read(buffer, n, buffer.Length - n);

        Assert.Equal(64, n);
        Assert.Equal(0, more);
        Assert.Equal(burst.Take(64), buffer.Take(64));
        Assert.Equal(1, a.Overruns);
        Assert.Equal(36, _chip.OverrunBytes(0));
    }

    [Fact]
    public void AFifoReadOf63Bytes_TakesSixPowerOfTwoBursts()
    {
        var a = _bridge.Port(0);
        a.Open();
        var module = _chip.Line(0).ModuleEnd;
        module.Open();
        module.Write(new byte[63], 0, 63);
        _clock.Advance(63 * 87);
        _spi.Transactions.Clear();
        _spi.Lengths.Clear();

        var n = a.Read(new byte[256], 0, 256);

        Assert.Equal(63, n);
        Assert.Equal(["C8", "80", "80", "80", "80", "80", "80"], _spi.Transactions.Select(t => t[..2]));
        Assert.Equal([2, 33, 17, 9, 5, 3, 2], _spi.Lengths);
    }

    [Fact]
    public void AMissingChip_FailsTheOpen_WithWhatWasReadBack()
    {
        _chip.Unplugged = true;
        var a = _bridge.Port(0);

        var e = Assert.Throws<BridgeException>(a.Open);

        Assert.Equal("SC16IS752 channel A does not answer: scratchpad wrote 0x5A, read 0xFF; check the SPI wiring, chip select and power", e.Message);
        Assert.False(a.IsOpen);
    }

    [Fact]
    public void AChipThatDropsOff_MakesReadsFail_AndTheNextOpenResetsIt()
    {
        var a = _bridge.Port(0);
        a.Open();

        _chip.Unplugged = true;
        var e = Assert.Throws<BridgeException>(() => a.Read(new byte[8], 0, 8));
        a.Close();
        Assert.Throws<BridgeException>(a.Open);
        _chip.Unplugged = false;
        a.Open();

        Assert.Contains("RXLVL reads 255", e.Message, StringComparison.Ordinal);
        Assert.True(a.IsOpen);
        Assert.Equal(2, _chip.Resets);
    }

    [Fact]
    public void ASpeedTheCrystalCannotMake_IsRefused_AndTheOldOneKept()
    {
        var a = _bridge.Port(0);

        Assert.Throws<ArgumentOutOfRangeException>(() => a.BaudRate = 250_000);
        Assert.Equal(115_200, a.BaudRate);
    }

    [Fact]
    public void ChangingTheSpeedOfAnOpenPort_ReprogramsTheDivisor()
    {
        var a = _bridge.Port(0);
        a.Open();

        a.BaudRate = 460_800;

        Assert.Equal(460_800, _chip.LineBaud(0));
    }

    [Fact]
    public void Writes_WaitInTheQueue_UntilTheTransmitFifoHasRoom()
    {
        var a = _bridge.Port(0);
        a.Open();
        var module = _chip.Line(0).ModuleEnd;
        module.Open();
        var big = Enumerable.Range(0, 150).Select(i => (byte)i).ToArray();

        a.Write(big, 0, big.Length);
        for (var i = 0; i < 40; i++)
        {
            _clock.Advance(1_000);
            a.Read(new byte[8], 0, 8);
        }

        var got = new byte[256];
        var n = module.Read(got, 0, got.Length);
        Assert.Equal(big, got.Take(n));
        Assert.Equal(0, _chip.TransmitOverflowBytes(0));
        Assert.Throws<BridgeException>(() => a.Write(new byte[257], 0, 257));
    }

    [Fact]
    public void PortIndex_OutsideTheChip_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _bridge.Port(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sc16is752Bridge(_spi, 100_000));
        Assert.Throws<ArgumentNullException>(() => new Sc16is752Bridge(null!, Sc16is752.DefaultCrystalHz));
    }

    [Fact]
    public void Polling_AllocatesNothing()
    {
        // A chip that always holds 37 bytes and has room to send: the driver's own allocations only (the emulator's
        // queues allocate, so it cannot measure this).
        var bridge = new Sc16is752Bridge(new SteadyChip(), Sc16is752.DefaultCrystalHz);
        var a = bridge.Port(0);
        a.Open();
        var buffer = new byte[256];
        var command = new byte[5];
        a.Read(buffer, 0, buffer.Length);
        a.Write(command, 0, command.Length);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var bytes = 0;
        for (var i = 0; i < 1000; i++)
        {
            bytes += a.Read(buffer, 0, buffer.Length);
            a.Write(command, 0, command.Length);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(37_000, bytes);
    }

    /// <summary>A chip that echoes SPR and LCR, always holds 37 received bytes and has a free transmit FIFO.</summary>
    private sealed class SteadyChip : ISpiDevice
    {
        private byte _spr;
        private byte _lcr;

        public void TransferFullDuplex(byte[] write, byte[] read)
        {
            var register = Sc16is752.RegisterOf(write[0]);
            if (!Sc16is752.IsRead(write[0]))
            {
                Write(write);
                return;
            }

            for (var i = 1; i < read.Length; i++)
            {
                read[i] = register switch
                {
                    Sc16is752.RegSpr => _spr,
                    Sc16is752.RegLcr => _lcr,
                    Sc16is752.RegRxLvl => 37,
                    Sc16is752.RegTxLvl => 64,
                    _ => 0x11,
                };
            }
        }

        public void Write(byte[] buffer)
        {
            switch (Sc16is752.RegisterOf(buffer[0]))
            {
                case Sc16is752.RegSpr:
                    _spr = buffer[1];
                    break;
                case Sc16is752.RegLcr:
                    _lcr = buffer[1];
                    break;
            }
        }
    }

    /// <summary>Records each transaction's bytes as hex, and passes it to the chip.</summary>
    private sealed class RecordingSpi(ISpiDevice inner) : ISpiDevice
    {
        public List<string> Transactions { get; } = [];

        public List<int> Lengths { get; } = [];

        public void TransferFullDuplex(byte[] write, byte[] read)
        {
            Record(write);
            inner.TransferFullDuplex(write, read);
        }

        public void Write(byte[] buffer)
        {
            Record(buffer);
            inner.Write(buffer);
        }

        private void Record(byte[] bytes)
        {
            Transactions.Add(string.Join(' ', bytes.Select(b => b.ToString("X2"))));
            Lengths.Add(bytes.Length);
        }
    }
}
