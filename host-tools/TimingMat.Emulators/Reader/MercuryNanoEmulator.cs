using TimingMat.Core.Reader.Mercury;
using TimingMat.Emulators.Serial;

namespace TimingMat.Emulators.Reader;

/// <summary>
/// A ThingMagic M6e Nano on the module end of a serial line, speaking the Mercury protocol byte for byte: it answers
/// the configuration commands as the module does (status 0x0000, or the Mercury error status for a bad parameter),
/// and after a start-continuous-read command streams one 0x22 tag record per read of its <see cref="ITagSource"/>, with
/// the metadata the command asked for, plus a keep-alive (status 0x0400) at the end of every read cycle without
/// reads, until a stop command. Faults: see <see cref="ReaderModuleEmulator"/>; while throttling it drops half the
/// reads and ends each cycle with a temperature-throttle frame (status 0x0504).
/// </summary>
/// <remarks>
/// Answers as designed from the protocol reference where the real module is unverified (§6): the start and stop
/// commands are acknowledged with an empty 0x2F answer; a command with a bad CRC gets no answer; the record timestamp
/// is the milliseconds since the start of the read cycle; configuration commands are accepted while streaming.
/// </remarks>
public sealed class MercuryNanoEmulator : ReaderModuleEmulator
{
    /// <summary>The version answer's data: bootloader, hardware, firmware date, firmware version, protocols (20 bytes).</summary>
    public static readonly byte[] VersionData =
    [
        0x12, 0x08, 0x00, 0x30, 0x34, 0x00, 0x00, 0x02, 0x20, 0x17, 0x01, 0x19, 0x01, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
    ];

    private static readonly int[] s_baudRates = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600];

    private readonly byte[] _frame = new byte[MercuryCodec.MaxFrameLength];
    private readonly MercuryTagRecord _record = new();
    private long _cycleStart;
    private long _cycleReads;

    /// <summary>Initializes a new instance of the <see cref="MercuryNanoEmulator"/> class.</summary>
    /// <param name="line">The serial line to the unit; the emulator opens its module end.</param>
    /// <param name="tags">What the chips in the field produce, or <c>null</c>.</param>
    /// <param name="seed">Seed of the faults, phase and hopping.</param>
    public MercuryNanoEmulator(SerialLine line, ITagSource? tags = null, int seed = 1)
        : base(line, tags, new MercuryDeframer(commands: true), seed)
    {
        BootBaudRate = line.ModuleEnd.BaudRate;
        OnPowerCycle();
    }

    /// <summary>
    /// Gets or sets the line speed the module comes up at after a power cycle (the line's speed when made, 115,200 on
    /// a new Nano): a speed set by command lasts until the next power cycle.
    /// </summary>
    public int BootBaudRate { get; set; }

    /// <summary>Gets or sets the highest read power accepted, centi-dBm (the Nano's 27.00 dBm).</summary>
    public int MaxReadPowerCentiDbm { get; set; } = 2700;

    /// <summary>Gets or sets the lowest read power accepted, centi-dBm.</summary>
    public int MinReadPowerCentiDbm { get; set; } = 500;

    /// <summary>Gets or sets a value indicating whether the module acknowledges start and stop with a 0x2F answer (default true).</summary>
    public bool AcknowledgesStartStop { get; set; } = true;

    /// <summary>Gets the region set (<see cref="MercuryRegion"/>).</summary>
    public int Region { get; private set; }

    /// <summary>Gets the read power set, centi-dBm.</summary>
    public int ReadPowerCentiDbm { get; private set; }

    /// <summary>Gets the tag protocol set (5 = Gen2).</summary>
    public int Protocol { get; private set; }

    /// <summary>Gets a value indicating whether the read filter is on.</summary>
    public bool ReadFilter { get; private set; }

    /// <summary>Gets a value indicating whether a continuous read is running.</summary>
    public bool IsReading { get; private set; }

    /// <summary>Gets the metadata flags of the running continuous read.</summary>
    public int MetadataFlags { get; private set; }

    /// <summary>Gets the read-cycle length of the running continuous read, ms.</summary>
    public int CycleMs { get; private set; }

    /// <summary>Gets the keep-alive frames sent.</summary>
    public long KeepAlivesSent { get; private set; }

    /// <summary>Gets the temperature-throttle frames sent.</summary>
    public long ThrottleFramesSent { get; private set; }

    /// <summary>Gets the opcodes of the valid commands received, in order (for tests; the last <see cref="ReaderModuleEmulator.CommandLogCapacity"/> at most).</summary>
    public List<int> Opcodes { get; } = [];

    /// <summary>Sends a status-only 0x22 frame now, e.g. <see cref="MercuryStatus.HighReturnLoss"/> while streaming.</summary>
    /// <param name="status">Status word.</param>
    public void InjectStatusFrame(int status) => SendFrame(_frame, MercuryCodec.EncodeStreamStatus(_frame, 0, status));

    /// <inheritdoc />
    protected override void HandleCommand(byte[] frame, int offset, int length)
    {
        var opcode = frame[offset + 2];
        var n = frame[offset + 1];
        var d = offset + 3;
        LogCommand(Opcodes, opcode);
        switch (opcode)
        {
            case MercuryOpcode.Version:
                Answer(opcode, MercuryStatus.Ok, VersionData);
                break;
            case MercuryOpcode.SetBaudRate:
                SetBaud(frame, d, n);
                break;
            case MercuryOpcode.SetRegion:
                if (n != 1)
                {
                    Answer(opcode, MercuryStatus.WrongNumberOfData);
                }
                else if (!MercuryRegion.IsKnown(frame[d]))
                {
                    Answer(opcode, MercuryStatus.InvalidRegion);
                }
                else
                {
                    Region = frame[d];
                    Answer(opcode, MercuryStatus.Ok);
                }

                break;
            case MercuryOpcode.SetReadTxPower:
                SetPower(frame, d, n);
                break;
            case MercuryOpcode.SetTagProtocol:
                if (n != 2)
                {
                    Answer(opcode, MercuryStatus.WrongNumberOfData);
                }
                else if (((frame[d] << 8) | frame[d + 1]) != MercuryCodec.ProtocolGen2)
                {
                    Answer(opcode, MercuryStatus.InvalidProtocol);
                }
                else
                {
                    Protocol = MercuryCodec.ProtocolGen2;
                    Answer(opcode, MercuryStatus.Ok);
                }

                break;
            case MercuryOpcode.SetAntennaPort:
                // The Nano has one port: TX1/RX1, or a search list naming only port 1.
                if (n == 2)
                {
                    Answer(opcode, frame[d] == 1 && frame[d + 1] == 1 ? MercuryStatus.Ok : MercuryStatus.InvalidParameterValue);
                }
                else if (n == 3 && frame[d] == 2)
                {
                    Answer(opcode, frame[d + 1] == 1 && frame[d + 2] == 1 ? MercuryStatus.Ok : MercuryStatus.InvalidParameterValue);
                }
                else
                {
                    Answer(opcode, MercuryStatus.WrongNumberOfData);
                }

                break;
            case MercuryOpcode.SetReaderOptionalParams:
                if (n < 3)
                {
                    Answer(opcode, MercuryStatus.WrongNumberOfData);
                }
                else if (frame[d] == 1 && frame[d + 1] == 0x0C && frame[d + 2] > 1)
                {
                    Answer(opcode, MercuryStatus.InvalidParameterValue);
                }
                else
                {
                    if (frame[d] == 1 && frame[d + 1] == 0x0C)
                    {
                        ReadFilter = frame[d + 2] == 1;
                    }

                    Answer(opcode, MercuryStatus.Ok);
                }

                break;
            case MercuryOpcode.MultiProtocolTagOp:
                TagOp(frame, d, n);
                break;
            case MercuryOpcode.GetReadTxPower:
                Answer(opcode, MercuryStatus.Ok, [(byte)(ReadPowerCentiDbm >> 8), (byte)ReadPowerCentiDbm]);
                break;
            case MercuryOpcode.GetTagProtocol:
                Answer(opcode, MercuryStatus.Ok, [0x00, (byte)Protocol]);
                break;
            case MercuryOpcode.GetRegion:
                Answer(opcode, MercuryStatus.Ok, [(byte)Region]);
                break;
            default:
                Answer(opcode, MercuryStatus.InvalidOpcode);
                break;
        }
    }

    /// <inheritdoc />
    protected override void OnPoll(long now, List<EmulatedRead> reads)
    {
        if (!IsReading)
        {
            ReadsMissed += reads.Count;
            return;
        }

        var cycleMicros = CycleMs * 1000L;
        foreach (var read in reads)
        {
            while (read.AtMicros >= _cycleStart + cycleMicros)
            {
                EndCycle(cycleMicros);
            }

            if (ThrottleDrops())
            {
                ReadsThrottled++;
                continue;
            }

            if (!HasRoom())
            {
                ReadsDroppedBacklog++;
                continue;
            }

            SendRecord(read);
            _cycleReads++;
        }

        while (now >= _cycleStart + cycleMicros)
        {
            EndCycle(cycleMicros);
        }
    }

    /// <inheritdoc />
    protected override void OnPowerCycle()
    {
        Region = MercuryRegion.NorthAmerica;
        ReadPowerCentiDbm = 2000;
        Protocol = MercuryCodec.ProtocolGen2;
        ReadFilter = true;
        IsReading = false;
        SetBaudRate(BootBaudRate);
    }

    private void SetBaud(byte[] frame, int d, int n)
    {
        if (n != 4)
        {
            Answer(MercuryOpcode.SetBaudRate, MercuryStatus.WrongNumberOfData);
            return;
        }

        var baud = (frame[d] << 24) | (frame[d + 1] << 16) | (frame[d + 2] << 8) | frame[d + 3];
        if (Array.IndexOf(s_baudRates, baud) < 0)
        {
            Answer(MercuryOpcode.SetBaudRate, MercuryStatus.InvalidBaudRate);
            return;
        }

        // The answer still goes out at the old speed.
        Answer(MercuryOpcode.SetBaudRate, MercuryStatus.Ok);
        SetBaudRate(baud);
    }

    private void SetPower(byte[] frame, int d, int n)
    {
        if (n != 2)
        {
            Answer(MercuryOpcode.SetReadTxPower, MercuryStatus.WrongNumberOfData);
            return;
        }

        var power = (short)((frame[d] << 8) | frame[d + 1]);
        if (power > MaxReadPowerCentiDbm)
        {
            Answer(MercuryOpcode.SetReadTxPower, MercuryStatus.PowerTooHigh);
        }
        else if (power < MinReadPowerCentiDbm)
        {
            Answer(MercuryOpcode.SetReadTxPower, MercuryStatus.PowerTooLow);
        }
        else
        {
            ReadPowerCentiDbm = power;
            Answer(MercuryOpcode.SetReadTxPower, MercuryStatus.Ok);
        }
    }

    private void TagOp(byte[] frame, int d, int n)
    {
        if (n < 3)
        {
            Answer(MercuryOpcode.MultiProtocolTagOp, MercuryStatus.WrongNumberOfData);
            return;
        }

        var option = frame[d + 2];
        if (option == 0x02)
        {
            IsReading = false;
            AnswerStartStop();
            return;
        }

        // 00 00 | 01 | 22 | 00 00 | 05 | PLEN | 22 OPT SF SF TT TT [MF MF]; PLEN counts the bytes after the sub-opcode.
        if (option != 0x01 || n < 14 || frame[d + 3] != MercuryOpcode.ReadTagIdMultiple || n != 9 + frame[d + 7] || frame[d + 7] < 5)
        {
            Answer(MercuryOpcode.MultiProtocolTagOp, n < 14 ? MercuryStatus.WrongNumberOfData : MercuryStatus.InvalidParameterValue);
            return;
        }

        var e = d + 8;
        var embeddedOption = frame[e + 1];
        var hasMetadata = (embeddedOption & MercuryTagParser.OptionMetadata) != 0;
        var metadata = hasMetadata && frame[d + 7] >= 7 ? (frame[e + 6] << 8) | frame[e + 7] : 0;
        var cycleMs = (frame[e + 4] << 8) | frame[e + 5];
        if (frame[d + 6] != MercuryCodec.ProtocolGen2 || frame[e] != MercuryOpcode.ReadTagIdMultiple || !hasMetadata
            || (metadata & ~MercuryMetadata.Known) != 0 || cycleMs == 0)
        {
            Answer(MercuryOpcode.MultiProtocolTagOp, MercuryStatus.InvalidParameterValue);
            return;
        }

        MetadataFlags = metadata;
        CycleMs = cycleMs;
        _record.SearchFlags = (frame[e + 2] << 8) | frame[e + 3];
        AnswerStartStop();
        IsReading = true;
        _cycleStart = Clock.Now;
        _cycleReads = 0;
    }

    private void AnswerStartStop()
    {
        if (AcknowledgesStartStop)
        {
            Answer(MercuryOpcode.MultiProtocolTagOp, MercuryStatus.Ok);
        }
    }

    private void EndCycle(long cycleMicros)
    {
        if (IsThrottled)
        {
            ThrottleFramesSent++;
            SendFrame(_frame, MercuryCodec.EncodeStreamStatus(_frame, 0, MercuryStatus.TemperatureExceedsLimits));
        }
        else if (_cycleReads == 0)
        {
            KeepAlivesSent++;
            SendFrame(_frame, MercuryCodec.EncodeStreamStatus(_frame, 0, MercuryStatus.NoTagsFound));
        }

        _cycleStart += cycleMicros;
        _cycleReads = 0;
    }

    private void SendRecord(EmulatedRead read)
    {
        var r = _record;
        r.MetadataFlags = MetadataFlags;
        r.ReadCount = 1;
        r.RssiDbm = (int)Math.Clamp(Math.Round(read.RssiCentiDbm / 100.0, MidpointRounding.AwayFromZero), -128, 127);
        r.TxPort = read.Antenna;
        r.RxPort = read.Antenna;
        r.FrequencyKhz = read.FrequencyKhz != 0 ? read.FrequencyKhz : HopFrequency(read.AtMicros);
        r.Timestamp = Math.Max(0, (read.AtMicros - _cycleStart) / 1000);
        r.Phase = Random.Next(181);
        r.Protocol = MercuryCodec.ProtocolGen2;
        r.DataBits = 0;
        r.Gpio = 0;
        r.XpcCount = 0;
        r.SetEpc(read.Epc, 0, Math.Min(read.Epc.Length, 62));
        r.Pc = ((r.EpcLength + 1) / 2) << 11;
        var length = MercuryCodec.EncodeStreamedTagRead(_frame, 0, r);
        if (length > 0)
        {
            SendRead(_frame, length, read);
        }
    }

    private int HopFrequency(long atMicros)
    {
        // A new channel every 200 ms: North America 902.75-927.25 MHz in 500 kHz steps, Europe's four ETSI channels.
        var slot = atMicros / 200_000;
        if (Region == MercuryRegion.Europe)
        {
            return 865_700 + (600 * (int)(slot % 4));
        }

        return 902_750 + (500 * (int)((slot * 7) % 50));
    }

    private void Answer(int opcode, int status, byte[]? data = null)
    {
        var length = MercuryCodec.EncodeResponse(_frame, 0, opcode, status, data, 0, data?.Length ?? 0);
        SendFrame(_frame, length);
    }
}
