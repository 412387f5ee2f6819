using TimingMat.Core.Reader.R2000;
using TimingMat.Emulators.Serial;

namespace TimingMat.Emulators.Reader;

/// <summary>
/// An Impinj R2000 / E710 "0xA0" module on the module end of a serial line: it answers the configuration commands
/// as the module does (acknowledgement 0x10, or the error code for a bad parameter), and for each real-time (0x89) or
/// session (0x8B) inventory runs its rounds, sends a tag frame per read of its <see cref="ITagSource"/> in that time
/// and ends with a round summary; reads between inventories are missed, as on the real module. Commands are answered
/// only at its own address or the broadcast address 0xFF. Faults: see <see cref="ReaderModuleEmulator"/>, plus
/// <see cref="AntennaMissing"/>.
/// </summary>
/// <remarks>
/// Reads are reported on the antenna the tag source names (as a fast-switch inventory would), antennas 5-8 with RSSI
/// bit 7 on an 8-port module. A command with a bad checksum, and an unknown command, get no answer [design]. Throttling
/// drops half the reads (the protocol has no throttle frame).
/// </remarks>
public sealed class R2000ModuleEmulator : ReaderModuleEmulator
{
    private readonly byte[] _frame = new byte[R2000Codec.MaxFrameLength];
    private readonly R2000TagFrame _tag = new();
    private int _inventoryCommand;
    private long _inventoryStart;
    private long _inventoryEnd;
    private long _inventoryReads;

    /// <summary>Initializes a new instance of the <see cref="R2000ModuleEmulator"/> class.</summary>
    /// <param name="line">The serial line to the unit; the emulator opens its module end.</param>
    /// <param name="tags">What the chips in the field produce, or <c>null</c>.</param>
    /// <param name="seed">Seed of the faults, phase and hopping.</param>
    public R2000ModuleEmulator(SerialLine line, ITagSource? tags = null, int seed = 1)
        : base(line, tags, new R2000Deframer(commands: true), seed)
    {
        OnPowerCycle();
    }

    /// <summary>Gets or sets the module's address (default 1).</summary>
    public int Address { get; set; } = 1;

    /// <summary>Gets or sets the number of antenna ports, 4 or 8 (default 4).</summary>
    public int AntennaPorts { get; set; } = 4;

    /// <summary>Gets or sets how long one inventory round takes, µs (default 20 ms).</summary>
    public long RoundMicros { get; set; } = 20_000;

    /// <summary>Gets or sets a value indicating whether tag frames carry a phase word (default false).</summary>
    public bool SendsPhase { get; set; }

    /// <summary>Gets or sets a value indicating whether the antenna is disconnected: inventories answer error 0x22.</summary>
    public bool AntennaMissing { get; set; }

    /// <summary>Gets the work antenna, 1-based.</summary>
    public int WorkAntenna { get; private set; }

    /// <summary>Gets the output power, dBm.</summary>
    public int OutputPowerDbm { get; private set; }

    /// <summary>Gets the frequency region.</summary>
    public int Region { get; private set; }

    /// <summary>Gets the first frequency index.</summary>
    public int FrequencyStart { get; private set; }

    /// <summary>Gets the last frequency index.</summary>
    public int FrequencyEnd { get; private set; }

    /// <summary>Gets a value indicating whether an inventory is running.</summary>
    public bool IsInventorying => _inventoryCommand != 0;

    /// <summary>Gets the inventory commands received.</summary>
    public long Inventories { get; private set; }

    /// <summary>Gets the commands of the valid frames received, in order (for tests; the last <see cref="ReaderModuleEmulator.CommandLogCapacity"/> at most).</summary>
    public List<int> Commands { get; } = [];

    /// <inheritdoc />
    protected override void HandleCommand(byte[] frame, int offset, int length)
    {
        var address = frame[offset + 2];
        if (address != Address && address != R2000Codec.BroadcastAddress)
        {
            return;
        }

        var command = frame[offset + 3];
        var n = frame[offset + 1] - 3;
        var d = offset + 4;
        LogCommand(Commands, command);
        switch (command)
        {
            case R2000Command.GetFirmwareVersion:
                SendFrame(_frame, R2000Codec.EncodeFirmwareVersion(_frame, 0, Address, 8, 1));
                break;
            case R2000Command.SetWorkAntenna:
                if (n != 1 || frame[d] >= AntennaPorts)
                {
                    Status(command, R2000Status.AntennaIdOutOfRange);
                }
                else
                {
                    WorkAntenna = frame[d] + 1;
                    Status(command, R2000Status.Success);
                }

                break;
            case R2000Command.GetWorkAntenna:
                Status(command, WorkAntenna - 1);
                break;
            case R2000Command.SetOutputPower:
                SetPower(frame, d, n);
                break;
            case R2000Command.GetOutputPower:
                Status(command, OutputPowerDbm);
                break;
            case R2000Command.SetFrequencyRegion:
                SetRegion(frame, d, n);
                break;
            case R2000Command.GetFrequencyRegion:
                _frame[4] = (byte)Region;
                _frame[5] = (byte)FrequencyStart;
                _frame[6] = (byte)FrequencyEnd;
                SendFrame(_frame, R2000Codec.Seal(_frame, 0, Address, command, 3));
                break;
            case R2000Command.SetBaudRate:
                if (n != 1 || (frame[d] != 3 && frame[d] != 4))
                {
                    Status(command, R2000Status.BaudRateOutOfRange);
                }
                else
                {
                    Status(command, R2000Status.Success);
                    SetBaudRate(frame[d] == 3 ? 38400 : 115200);
                }

                break;
            case R2000Command.Reset:
                PowerCycle();
                break;
            case R2000Command.RealTimeInventory:
            case R2000Command.SessionInventory:
                StartInventory(command, frame, d, n);
                break;
        }
    }

    /// <inheritdoc />
    protected override void OnPoll(long now, List<EmulatedRead> reads)
    {
        foreach (var read in reads)
        {
            if (!IsInventorying || read.AtMicros < _inventoryStart || read.AtMicros >= _inventoryEnd)
            {
                ReadsMissed++;
                continue;
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

            SendTag(read);
            _inventoryReads++;
        }

        if (IsInventorying && now >= _inventoryEnd)
        {
            var micros = Math.Max(1, _inventoryEnd - _inventoryStart);
            var rate = (int)Math.Min(0xFFFF, _inventoryReads * 1_000_000 / micros);
            // Sent when the rounds end, as the module does, not when the emulator is polled next.
            SendFrame(_frame, R2000Codec.EncodeRoundSummary(_frame, 0, Address, _inventoryCommand, WorkAntenna, rate, _inventoryReads), _inventoryEnd);
            _inventoryCommand = 0;
        }
    }

    /// <inheritdoc />
    protected override void OnPowerCycle()
    {
        WorkAntenna = 1;
        OutputPowerDbm = 30;
        Region = R2000Codec.RegionFcc;
        FrequencyStart = 7;
        FrequencyEnd = 59;
        _inventoryCommand = 0;
    }

    private static bool RegionAllows(int region, int index) => region switch
    {
        R2000Codec.RegionFcc => index is >= 7 and <= 59,
        R2000Codec.RegionEtsi => index is >= 0 and <= 6,
        R2000Codec.RegionChina => index is >= 43 and <= 53,
        _ => false,
    };

    private void SetPower(byte[] frame, int d, int n)
    {
        if (n != 1 && n != 4 && n != 8)
        {
            Status(R2000Command.SetOutputPower, R2000Status.ParameterInvalid);
            return;
        }

        for (var i = 0; i < n; i++)
        {
            if (frame[d + i] > 33)
            {
                Status(R2000Command.SetOutputPower, R2000Status.OutputPowerOutOfRange);
                return;
            }
        }

        OutputPowerDbm = frame[d];
        Status(R2000Command.SetOutputPower, R2000Status.Success);
    }

    private void SetRegion(byte[] frame, int d, int n)
    {
        if (n != 3)
        {
            Status(R2000Command.SetFrequencyRegion, R2000Status.ParameterInvalid);
            return;
        }

        int region = frame[d], start = frame[d + 1], end = frame[d + 2];
        if (region is < R2000Codec.RegionFcc or > R2000Codec.RegionChina)
        {
            Status(R2000Command.SetFrequencyRegion, R2000Status.FrequencyRegionOutOfRange);
        }
        else if (start > end || !RegionAllows(region, start) || !RegionAllows(region, end))
        {
            Status(R2000Command.SetFrequencyRegion, R2000Status.InvalidFrequencyRange);
        }
        else
        {
            Region = region;
            FrequencyStart = start;
            FrequencyEnd = end;
            Status(R2000Command.SetFrequencyRegion, R2000Status.Success);
        }
    }

    private void StartInventory(int command, byte[] frame, int d, int n)
    {
        int repeat;
        if (command == R2000Command.RealTimeInventory)
        {
            repeat = n == 1 ? frame[d] : -1;
        }
        else
        {
            // session, target, [select/phase extras on newer firmwares], repeat last.
            repeat = n is >= 3 and <= 6 && frame[d] <= 3 && frame[d + 1] <= 1 ? frame[d + n - 1] : -1;
        }

        if (repeat < 0)
        {
            Status(command, R2000Status.ParameterInvalid);
            return;
        }

        if (IsInventorying)
        {
            // Busy: the running inventory answers for both.
            return;
        }

        Inventories++;
        if (AntennaMissing)
        {
            Status(command, R2000Status.AntennaMissing);
            return;
        }

        // The rounds start when the command has arrived, which may be before this poll.
        _inventoryCommand = command;
        _inventoryStart = Math.Min(CommandArrivedMicros, Clock.Now);
        _inventoryEnd = _inventoryStart + (RoundMicros * Math.Max(1, repeat));
        _inventoryReads = 0;
    }

    private void SendTag(EmulatedRead read)
    {
        var t = _tag;
        t.Address = Address;
        t.Command = _inventoryCommand;
        t.Antenna = Math.Clamp(read.Antenna, 1, AntennaPorts > 4 ? 8 : 4);
        var index = read.FrequencyKhz != 0 ? R2000Codec.FrequencyIndex(read.FrequencyKhz) : -1;
        t.FrequencyIndex = index >= 0 ? index : FrequencyStart + (int)((read.AtMicros / 200_000) * 7 % (FrequencyEnd - FrequencyStart + 1));
        t.RssiDbm = (int)Math.Round(read.RssiCentiDbm / 100.0, MidpointRounding.AwayFromZero);
        t.HasPhase = SendsPhase;
        t.Phase = Random.Next(0x10000);
        t.SetEpc(read.Epc, 0, Math.Min(read.Epc.Length & ~1, 62), 0);
        var length = R2000Codec.EncodeTagFrame(_frame, 0, t, AntennaPorts);
        if (length > 0)
        {
            SendRead(_frame, length, read);
        }
    }

    private void Status(int command, int code) => SendFrame(_frame, R2000Codec.EncodeStatus(_frame, 0, Address, command, code));
}
