using TimingMat.Core.Bridge;
using TimingMat.Core.Hardware;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Serial;

namespace TimingMat.Emulators.Bridge;

/// <summary>
/// An SC16IS752 at the SPI register level: per channel the general registers, the divisor latch behind LCR bit 7,
/// a 64-byte receive FIFO with the overrun flag, a transmit FIFO that empties at the programmed line speed, and
/// a <see cref="SerialLine"/> to the module on that channel (a reader emulator takes <see cref="Line"/>).
/// </summary>
/// <remarks>
/// <para>Time moves lazily, as in the other emulators: each SPI transaction first moves the bytes that have come
/// down the line into the receive FIFO. Bytes that came while it was full are lost and set LSR's overrun flag,
/// exactly as on the part, because the FIFO only drains when the host reads it.</para>
/// <para>The line speed is the crystal ÷ (16 × DLH:DLL), ÷ 4 more with MCR bit 7; a speed the module does not use
/// garbles bytes both ways (the serial line's baud mismatch), and so does a frame format other than 8N1. The usual
/// 14.7456 MHz crystal divides exactly to the standard speeds, which the line's exact-match model needs.</para>
/// <para>Faults for tests: <see cref="Unplugged"/> reads 0xFF on MISO and drops every write (a missing chip or a
/// broken MISO with its pull-up).</para>
/// </remarks>
public sealed class Sc16is752Emulator : ISpiDevice
{
    private readonly SimulatedClock _clock;
    private readonly ChannelState[] _channels;

    /// <summary>Initializes a new instance of the <see cref="Sc16is752Emulator"/> class in its reset state.</summary>
    /// <param name="clock">Simulated time the serial lines run on.</param>
    /// <param name="crystalHz">The chip's crystal, Hz.</param>
    public Sc16is752Emulator(SimulatedClock clock, int crystalHz = Sc16is752.DefaultCrystalHz)
    {
        _clock = clock;
        CrystalHz = crystalHz;
        _channels = new ChannelState[Sc16is752.Channels];
        for (var i = 0; i < _channels.Length; i++)
        {
            _channels[i] = new ChannelState(new SerialLine(clock));
            _channels[i].Line.UnitEnd.Open();
        }

        Reset();
    }

    /// <summary>Gets the crystal, Hz.</summary>
    public int CrystalHz { get; }

    /// <summary>Gets or sets a value indicating whether the chip is off the bus: MISO reads 0xFF and writes are lost.</summary>
    public bool Unplugged { get; set; }

    /// <summary>Gets the SPI transactions (chip selects) seen.</summary>
    public long Transactions { get; private set; }

    /// <summary>Gets the bytes clocked over SPI, command bytes included.</summary>
    public long BytesClocked { get; private set; }

    /// <summary>Gets the software resets (IOControl bit 3) seen.</summary>
    public int Resets { get; private set; }

    /// <summary>Gets a channel's serial line; its module emulator takes it (and uses its module end).</summary>
    /// <param name="channel">0 (A) or 1 (B).</param>
    /// <returns>The line between the chip's UART and the module.</returns>
    public SerialLine Line(int channel) => _channels[channel].Line;

    /// <summary>Gets the bytes a channel lost to a full receive FIFO.</summary>
    /// <param name="channel">0 (A) or 1 (B).</param>
    /// <returns>Bytes lost since the emulator was made.</returns>
    public long OverrunBytes(int channel) => _channels[channel].OverrunBytes;

    /// <summary>Gets the bytes written to a channel's THR while its transmit FIFO was full (lost, as on the part).</summary>
    /// <param name="channel">0 (A) or 1 (B).</param>
    /// <returns>Bytes lost.</returns>
    public long TransmitOverflowBytes(int channel) => _channels[channel].TransmitOverflowBytes;

    /// <summary>Gets the line speed a channel runs at now (0 while its divisor is 0).</summary>
    /// <param name="channel">0 (A) or 1 (B).</param>
    /// <returns>Baud.</returns>
    public int LineBaud(int channel) => _channels[channel].Baud;

    /// <summary>Gets the SPI time the traffic so far took at a bus clock, with a per-transaction overhead (chip select and driver call).</summary>
    /// <param name="spiClockHz">The SPI clock, Hz.</param>
    /// <param name="overheadMicrosPerTransaction">Time each transaction costs besides its bits, µs.</param>
    /// <returns>Bus time, µs.</returns>
    public double BusMicros(int spiClockHz, double overheadMicrosPerTransaction) =>
        (BytesClocked * 8.0 * 1_000_000.0 / spiClockHz) + (Transactions * overheadMicrosPerTransaction);

    /// <inheritdoc />
    public void TransferFullDuplex(byte[] write, byte[] read)
    {
        if (write.Length != read.Length)
        {
            throw new ArgumentException("write and read buffers must have the same length");
        }

        Transactions++;
        BytesClocked += write.Length;
        if (write.Length == 0)
        {
            return;
        }

        if (Unplugged)
        {
            Array.Fill(read, (byte)0xFF);
            return;
        }

        read[0] = 0;
        var command = write[0];
        var channel = Sc16is752.ChannelOf(command);
        if (channel >= _channels.Length)
        {
            // Reserved channel codes: the part ignores the transaction and MISO floats high.
            Array.Fill(read, (byte)0xFF, 1, read.Length - 1);
            return;
        }

        var state = _channels[channel];
        Collect(state);
        var register = Sc16is752.RegisterOf(command);
        for (var i = 1; i < write.Length; i++)
        {
            if (Sc16is752.IsRead(command))
            {
                read[i] = ReadRegister(state, register);
            }
            else
            {
                read[i] = 0;
                WriteRegister(state, register, write[i]);
            }
        }
    }

    /// <inheritdoc />
    public void Write(byte[] buffer) => TransferFullDuplex(buffer, new byte[buffer.Length]);

    private static bool DivisorLatchOpen(ChannelState s) => (s.Lcr & Sc16is752.LcrDivisorLatch) != 0;

    private static bool EnhancedSet(ChannelState s) => s.Lcr == 0xBF;

    private static bool Is8N1(ChannelState s) => (s.Lcr & 0x3F) == Sc16is752.Lcr8N1;

    private byte ReadRegister(ChannelState s, int register)
    {
        switch (register)
        {
            case Sc16is752.RegRhrThr:
                if (DivisorLatchOpen(s))
                {
                    return s.Dll;
                }

                return s.Rx.Count > 0 ? s.Rx.Dequeue() : (byte)0;
            case Sc16is752.RegIer:
                return DivisorLatchOpen(s) ? s.Dlh : s.Ier;
            case Sc16is752.RegFcr:
                // IIR: no interrupt pending (bit 0 set), FIFOs on (bits 7-6) when FCR bit 0 is.
                return EnhancedSet(s) ? s.Efr : (byte)(0x01 | (s.FifoEnabled ? 0xC0 : 0));
            case Sc16is752.RegLcr:
                return s.Lcr;
            case Sc16is752.RegMcr:
                return s.Mcr;
            case Sc16is752.RegLsr:
                var lsr = (s.Rx.Count > 0 ? Sc16is752.LsrDataReady : 0)
                    | (s.Overrun ? Sc16is752.LsrOverrun : 0)
                    | (TransmitPending(s) == 0 ? Sc16is752.LsrThrEmpty | Sc16is752.LsrTransmitterEmpty : 0);
                s.Overrun = false;
                return (byte)lsr;
            case Sc16is752.RegSpr:
                return s.Spr;
            case Sc16is752.RegTxLvl:
                return (byte)(Sc16is752.FifoBytes - TransmitPending(s));
            case Sc16is752.RegRxLvl:
                return (byte)s.Rx.Count;
            default:
                return 0;
        }
    }

    private void WriteRegister(ChannelState s, int register, byte value)
    {
        switch (register)
        {
            case Sc16is752.RegRhrThr:
                if (DivisorLatchOpen(s))
                {
                    s.Dll = value;
                    Retune(s);
                }
                else
                {
                    Transmit(s, value);
                }

                break;
            case Sc16is752.RegIer:
                if (DivisorLatchOpen(s))
                {
                    s.Dlh = value;
                    Retune(s);
                }
                else
                {
                    s.Ier = value;
                }

                break;
            case Sc16is752.RegFcr:
                if (EnhancedSet(s))
                {
                    s.Efr = value;
                    break;
                }

                s.FifoEnabled = (value & Sc16is752.FcrFifoEnable) != 0;
                if ((value & Sc16is752.FcrResetRx) != 0)
                {
                    s.Rx.Clear();
                }

                // FcrResetTx: bytes already handed to the serial line cannot be called back; the FIFO is short
                // enough that the difference does not matter to a driver.
                break;
            case Sc16is752.RegLcr:
                s.Lcr = value;
                Retune(s);
                break;
            case Sc16is752.RegMcr:
                s.Mcr = value;
                Retune(s);
                break;
            case Sc16is752.RegSpr:
                s.Spr = value;
                break;
            case Sc16is752.RegIoControl:
                if ((value & Sc16is752.IoControlReset) != 0)
                {
                    Reset();
                    Resets++;
                }

                break;
        }
    }

    private void Reset()
    {
        foreach (var s in _channels)
        {
            Collect(s);
            s.Rx.Clear();
            s.Overrun = false;
            s.Ier = 0;
            s.Lcr = Sc16is752.LcrAfterReset;
            s.Mcr = 0;
            s.Spr = 0xFF;
            s.Efr = 0;
            s.Dll = 0;
            s.Dlh = 0;
            s.FifoEnabled = false;
            Retune(s);
        }
    }

    private void Retune(ChannelState s)
    {
        var crystal = (s.Mcr & 0x80) != 0 ? CrystalHz / 4 : CrystalHz;
        s.Baud = Sc16is752.BaudOf(crystal, (s.Dlh << 8) | s.Dll);
        if (s.Baud > 0)
        {
            s.Line.UnitEnd.BaudRate = s.Baud;
        }
    }

    private void Transmit(ChannelState s, byte value)
    {
        if (s.Baud == 0 || TransmitPending(s) >= Sc16is752.FifoBytes)
        {
            s.TransmitOverflowBytes++;
            return;
        }

        s.One[0] = Is8N1(s) ? value : Garble(s, value);
        s.Line.UnitEnd.Write(s.One, 0, 1);
    }

    private int TransmitPending(ChannelState s)
    {
        if (s.Baud == 0)
        {
            return 0;
        }

        var left = s.Line.UnitEnd.TransmitFreeAt - _clock.Now;
        if (left <= 0)
        {
            return 0;
        }

        var byteMicros = SerialLine.ByteMicros(s.Baud);
        return (int)Math.Min(Sc16is752.FifoBytes, (left + byteMicros - 1) / byteMicros);
    }

    private void Collect(ChannelState s)
    {
        var end = s.Line.UnitEnd;
        while (true)
        {
            var n = end.Read(s.One, 0, 1);
            if (n == 0)
            {
                return;
            }

            if (s.Baud == 0 || s.Rx.Count >= Sc16is752.FifoBytes)
            {
                // A stopped UART hears nothing; a full FIFO drops the byte and flags it.
                if (s.Baud != 0)
                {
                    s.OverrunBytes++;
                    s.Overrun = true;
                }

                continue;
            }

            s.Rx.Enqueue(Is8N1(s) ? s.One[0] : Garble(s, s.One[0]));
        }
    }

    private static byte Garble(ChannelState s, byte value)
    {
        s.GarbleSeed = (s.GarbleSeed * 1103515245) + 12345;
        return (byte)(value ^ (byte)(s.GarbleSeed >> 16) ^ 0xA5);
    }

    private sealed class ChannelState(SerialLine line)
    {
        public SerialLine Line { get; } = line;

        public Queue<byte> Rx { get; } = new(Sc16is752.FifoBytes);

        public byte[] One { get; } = new byte[1];

        public bool Overrun { get; set; }

        public bool FifoEnabled { get; set; }

        public byte Ier { get; set; }

        public byte Lcr { get; set; }

        public byte Mcr { get; set; }

        public byte Spr { get; set; }

        public byte Efr { get; set; }

        public byte Dll { get; set; }

        public byte Dlh { get; set; }

        public int Baud { get; set; }

        public long OverrunBytes { get; set; }

        public long TransmitOverflowBytes { get; set; }

        public uint GarbleSeed { get; set; } = 0x2545F491;
    }
}
