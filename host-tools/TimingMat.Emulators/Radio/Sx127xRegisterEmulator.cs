using TimingMat.Core.Hardware;
using TimingMat.Core.Lora;

namespace TimingMat.Emulators.Radio;

/// <summary>
/// An SX1276/77/78/79 at the SPI register level: 128 registers with their power-on values, the 256-byte FIFO behind
/// RegFifo with address auto-increment on bursts (SX127x datasheet, SPI interface), and the LoRa modem: transmit
/// takes the programmed time on air and raises TxDone, receive takes packets from a <see cref="LoRaAir"/> and raises
/// RxDone (with PayloadCrcError when another packet overlapped it).
/// </summary>
/// <remarks>
/// Time moves lazily: every SPI transfer first brings the modem up to the clock's now. LongRangeMode changes only
/// when the chip is, or goes, to sleep, as on the part. A packet that starts while the modem is still receiving another
/// is not heard. Received packets queue while RxDone is set and the next one appears once the host clears it (a host
/// that services the radio promptly). RegHopChannel's CrcOnPayload says whether the sender added a CRC.
/// </remarks>
public sealed class Sx127xRegisterEmulator : ISpiDevice
{
    /// <summary>RegFifo: reads and writes go to the FIFO at RegFifoAddrPtr.</summary>
    public const byte RegFifo = Sx127x.RegFifo;

    /// <summary>RegOpMode.</summary>
    public const byte RegOpMode = Sx127x.RegOpMode;

    /// <summary>RegFifoAddrPtr.</summary>
    public const byte RegFifoAddrPtr = Sx127x.RegFifoAddrPtr;

    /// <summary>RegVersion (read-only).</summary>
    public const byte RegVersion = Sx127x.RegVersion;

    /// <summary>RSSI the emulated link reports, dBm.</summary>
    public const int LinkRssiDbm = -92;

    /// <summary>SNR the emulated link reports, quarter dB.</summary>
    public const int LinkSnrQuarterDb = 28;

    private readonly byte[] _registers = new byte[128];
    private readonly byte[] _fifo = new byte[256];
    private readonly LoRaAir? _air;
    private readonly IMicrosecondClock? _clock;
    private readonly Queue<(LoRaTransmission Packet, bool Damaged)> _arrivals = new();
    private readonly List<(LoRaTransmission Packet, bool Damaged)> _collected = [];
    private long _txEnd;
    private long _listeningSince;
    private long _collectedUpTo;
    private long _busyUntil = long.MinValue;

    /// <summary>Initializes a new instance of the <see cref="Sx127xRegisterEmulator"/> class in its power-on state, on no air.</summary>
    /// <param name="version">Value of RegVersion; 0x12 for a genuine SX127x. Another value emulates a wrong or dead part.</param>
    public Sx127xRegisterEmulator(byte version = Sx127x.Version)
    {
        PowerOnReset(version);
    }

    /// <summary>Initializes a new instance of the <see cref="Sx127xRegisterEmulator"/> class on a shared air.</summary>
    /// <param name="air">The channel it sends to and hears from.</param>
    /// <param name="nodeId">Its id on the air (a radio never hears itself).</param>
    /// <param name="trueClock">True time in µs: the air's timeline, shared by every radio on it.</param>
    /// <param name="version">Value of RegVersion.</param>
    public Sx127xRegisterEmulator(LoRaAir air, int nodeId, IMicrosecondClock trueClock, byte version = Sx127x.Version)
    {
        _air = air;
        _clock = trueClock;
        NodeId = nodeId;
        PowerOnReset(version);
    }

    /// <summary>Gets the radio's id on the air.</summary>
    public int NodeId { get; }

    /// <summary>Gets the number of SPI transfers the radio has seen.</summary>
    public int Transfers { get; private set; }

    /// <summary>Gets the number of packets sent.</summary>
    public long PacketsSent { get; private set; }

    /// <summary>Gets the number of packets received (damaged ones included).</summary>
    public long PacketsReceived { get; private set; }

    /// <summary>Gets the last packet sent, or null.</summary>
    public byte[]? LastSent { get; private set; }

    /// <summary>Gets or sets a value indicating whether the SPI lines are cut: every read returns 0 and writes are lost.</summary>
    public bool Unplugged { get; set; }

    /// <summary>Gets or sets a value indicating whether a transmission never ends (a PA fault): TxDone never comes.</summary>
    public bool StuckTransmit { get; set; }

    /// <summary>Reads a register directly (the backend face, for tests).</summary>
    /// <param name="address">Register address 0x00–0x7F.</param>
    /// <returns>The register value.</returns>
    public byte Peek(byte address) => _registers[address & 0x7F];

    /// <inheritdoc />
    public void TransferFullDuplex(byte[] write, byte[] read)
    {
        if (write.Length != read.Length)
        {
            throw new ArgumentException("write and read buffers must have the same length");
        }

        Transfers++;
        if (write.Length == 0)
        {
            return;
        }

        if (Unplugged)
        {
            Array.Clear(read);
            return;
        }

        Advance();
        read[0] = 0;
        var isWrite = (write[0] & Sx127x.WriteFlag) != 0;
        var address = write[0] & 0x7F;
        for (var i = 1; i < write.Length; i++)
        {
            if (isWrite)
            {
                WriteRegister(address, write[i]);
                read[i] = 0;
            }
            else
            {
                read[i] = ReadRegister(address);
            }

            // Bursts auto-increment the address, except on RegFifo where the FIFO pointer moves instead.
            if (address != RegFifo)
            {
                address = (address + 1) & 0x7F;
            }
        }
    }

    /// <inheritdoc />
    public void Write(byte[] buffer) => TransferFullDuplex(buffer, new byte[buffer.Length]);

    private int Mode => _registers[RegOpMode] & Sx127x.ModeMask;

    private bool Receiving => (_registers[RegOpMode] & Sx127x.LongRangeMode) != 0 && Mode is Sx127x.ModeReceiveContinuous or Sx127x.ModeReceiveSingle;

    private LoRaChannel Channel => new(
        (_registers[Sx127x.RegFrfMsb] << 16) | (_registers[Sx127x.RegFrfMid] << 8) | _registers[Sx127x.RegFrfLsb],
        _registers[Sx127x.RegModemConfig2] >> 4,
        _registers[Sx127x.RegModemConfig1] >> 4,
        _registers[Sx127x.RegSyncWord]);

    private long Now => _clock?.GetMicroseconds() ?? 0;

    private void PowerOnReset(byte version)
    {
        // Datasheet reset values of the registers the LoRa modem uses (FSK sleep, 434 MHz, BW125 CR4/5 SF7).
        _registers[RegOpMode] = 0x09;
        _registers[Sx127x.RegFrfMsb] = 0x6C;
        _registers[Sx127x.RegFrfMid] = 0x80;
        _registers[Sx127x.RegPaConfig] = 0x4F;
        _registers[Sx127x.RegLna] = 0x20;
        _registers[Sx127x.RegFifoTxBaseAddr] = 0x80;
        _registers[Sx127x.RegModemConfig1] = 0x72;
        _registers[Sx127x.RegModemConfig2] = 0x70;
        _registers[Sx127x.RegPreambleLsb] = 0x08;
        _registers[Sx127x.RegPayloadLength] = 0x01;
        _registers[Sx127x.RegSyncWord] = 0x12;
        _registers[RegVersion] = version;
    }

    private void Advance()
    {
        var now = Now;
        if (Mode == Sx127x.ModeTransmit && !StuckTransmit && now >= _txEnd && (_registers[RegOpMode] & Sx127x.LongRangeMode) != 0)
        {
            _registers[Sx127x.RegIrqFlags] |= Sx127x.IrqTxDone;
            SetMode(Sx127x.ModeStandby);
        }

        if (!Receiving || _air == null)
        {
            return;
        }

        var upTo = Math.Min(now, _air.Horizon);
        if (upTo > _collectedUpTo)
        {
            _collected.Clear();
            _air.Collect(NodeId, Channel, _listeningSince, _collectedUpTo, upTo, _collected);
            _collected.Sort((a, b) => a.Packet.EndMicros != b.Packet.EndMicros ? a.Packet.EndMicros.CompareTo(b.Packet.EndMicros) : a.Packet.Sender.CompareTo(b.Packet.Sender));
            foreach (var arrival in _collected)
            {
                // While the modem demodulates one packet it cannot lock onto another's preamble.
                if (arrival.Packet.StartMicros < _busyUntil)
                {
                    continue;
                }

                _busyUntil = arrival.Packet.EndMicros;
                _arrivals.Enqueue(arrival);
            }

            _collectedUpTo = upTo;
        }

        if ((_registers[Sx127x.RegIrqFlags] & Sx127x.IrqRxDone) == 0 && _arrivals.TryDequeue(out var next))
        {
            Present(next.Packet, next.Damaged);
        }
    }

    private void Present(LoRaTransmission packet, bool damaged)
    {
        var start = _registers[Sx127x.RegFifoRxBaseAddr];
        for (var i = 0; i < packet.Payload.Length; i++)
        {
            _fifo[(start + i) & 0xFF] = damaged ? (byte)(packet.Payload[i] ^ 0x5A) : packet.Payload[i];
        }

        _registers[Sx127x.RegFifoRxCurrentAddr] = start;
        _registers[Sx127x.RegHopChannel] = (byte)(packet.Crc ? Sx127x.CrcOnPayload : 0);
        _registers[Sx127x.RegRxNbBytes] = (byte)packet.Payload.Length;
        _registers[Sx127x.RegPktRssiValue] = (byte)(LinkRssiDbm + Sx127x.RssiOffsetHf);
        _registers[Sx127x.RegPktSnrValue] = (byte)LinkSnrQuarterDb;
        _registers[Sx127x.RegIrqFlags] |= (byte)(Sx127x.IrqRxDone | (damaged && packet.Crc ? Sx127x.IrqPayloadCrcError : 0));
        PacketsReceived++;
        if (Mode == Sx127x.ModeReceiveSingle)
        {
            SetMode(Sx127x.ModeStandby);
        }
    }

    private byte ReadRegister(int address)
    {
        if (address == RegFifo)
        {
            return _fifo[_registers[RegFifoAddrPtr]++];
        }

        return _registers[address];
    }

    private void WriteRegister(int address, byte value)
    {
        switch (address)
        {
            case RegFifo:
                _fifo[_registers[RegFifoAddrPtr]++] = value;
                break;
            case RegVersion:
            case Sx127x.RegFifoRxCurrentAddr:
            case Sx127x.RegRxNbBytes:
            case Sx127x.RegHopChannel:
            case Sx127x.RegPktSnrValue:
            case Sx127x.RegPktRssiValue:
                break; // read-only
            case Sx127x.RegIrqFlags:
                _registers[address] &= (byte)~value; // write 1 to clear
                break;
            case RegOpMode:
                WriteOpMode(value);
                break;
            default:
                _registers[address] = value;
                break;
        }
    }

    private void WriteOpMode(byte value)
    {
        var current = _registers[RegOpMode];
        var asleep = (current & Sx127x.ModeMask) == Sx127x.ModeSleep || (value & Sx127x.ModeMask) == Sx127x.ModeSleep;
        if (!asleep)
        {
            // LongRangeMode is writable only in sleep: keep the current modem.
            value = (byte)((value & ~Sx127x.LongRangeMode) | (current & Sx127x.LongRangeMode));
        }

        var wasReceiving = Receiving;
        _registers[RegOpMode] = value;
        if ((value & Sx127x.LongRangeMode) == 0)
        {
            return;
        }

        var mode = value & Sx127x.ModeMask;
        if (mode == Sx127x.ModeTransmit && (current & Sx127x.ModeMask) != Sx127x.ModeTransmit)
        {
            StartTransmit();
        }

        if (Receiving && !wasReceiving)
        {
            _listeningSince = Now;
            _collectedUpTo = _listeningSince;
            _arrivals.Clear();
        }
        else if (!Receiving)
        {
            _arrivals.Clear();
        }
    }

    private void SetMode(int mode) => _registers[RegOpMode] = (byte)((_registers[RegOpMode] & ~Sx127x.ModeMask) | mode);

    private void StartTransmit()
    {
        var length = _registers[Sx127x.RegPayloadLength];
        var payload = new byte[length];
        var start = _registers[Sx127x.RegFifoTxBaseAddr];
        for (var i = 0; i < length; i++)
        {
            payload[i] = _fifo[(start + i) & 0xFF];
        }

        var config1 = _registers[Sx127x.RegModemConfig1];
        var config2 = _registers[Sx127x.RegModemConfig2];
        var airtime = LoRaAirtime.Micros(
            length,
            config2 >> 4,
            Sx127x.BandwidthOfCode(config1 >> 4),
            (config1 >> 1) & 0x07,
            (_registers[Sx127x.RegPreambleMsb] << 8) | _registers[Sx127x.RegPreambleLsb],
            (config2 & Sx127x.RxPayloadCrcOn) != 0,
            (config1 & 0x01) != 0,
            (_registers[Sx127x.RegModemConfig3] & Sx127x.LowDataRateOptimize) != 0);
        var now = Now;
        _txEnd = now + airtime;
        PacketsSent++;
        LastSent = payload;
        _air?.Send(new LoRaTransmission(NodeId, now, _txEnd, Channel, payload, (config2 & Sx127x.RxPayloadCrcOn) != 0));
    }
}
