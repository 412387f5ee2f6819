using TimingMat.Core.Reader;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Serial;

namespace TimingMat.Emulators.Reader;

/// <summary>
/// What the M6e Nano and R2000 emulators share: the module end of a <see cref="SerialLine"/>, a command deframer, the
/// reads of an <see cref="ITagSource"/> taken as simulated time passes, a transmit buffer that overflows like the
/// module's, and the injectable faults: garbage bytes, dropped bytes, bad checksums, silence, temperature throttling,
/// baud-rate mismatch and a power cycle.
/// </summary>
/// <remarks>
/// Drive it from the same loop as the unit: advance the clock, <see cref="Poll"/> the emulator, poll the driver. Reads
/// go out at the first poll at or after their time, so poll at least every millisecond for millisecond timing.
/// </remarks>
public abstract class ReaderModuleEmulator : IFrameSink
{
    private readonly FrameDeframer _commands;
    private readonly byte[] _receive = new byte[512];
    private readonly List<EmulatedRead> _reads = [];
    private readonly Random _faults;
    private long _lastCommandByteMicros;
    private long _silentUntil = long.MinValue;
    private long _throttledUntil = long.MinValue;
    private long _lastNoiseMicros = long.MinValue;
    private double _noiseCarry;
    private int _breakNext;
    private int _dropNext;

    /// <summary>Initializes a new instance of the <see cref="ReaderModuleEmulator"/> class and opens the module end.</summary>
    /// <param name="line">The serial line to the unit.</param>
    /// <param name="tags">What the chips in the field produce, or <c>null</c> for an empty field.</param>
    /// <param name="commands">The protocol's deframer in command mode.</param>
    /// <param name="seed">Seed of the faults and of the module's own randomness (phase, hopping).</param>
    protected ReaderModuleEmulator(SerialLine line, ITagSource? tags, FrameDeframer commands, int seed)
    {
        ArgumentNullException.ThrowIfNull(line);
        Line = line;
        Tags = tags;
        _commands = commands;
        _commands.Sink = this;
        _faults = new Random(seed);
        Random = new Random(seed ^ 0x5EED);
        Line.ModuleEnd.Open();
    }

    /// <summary>How many received commands the module's log keeps at most (for tests; a seven-hour run must not grow it).</summary>
    public const int CommandLogCapacity = 4096;

    /// <summary>Gets the line to the unit.</summary>
    public SerialLine Line { get; }

    /// <summary>Gets or sets what the chips in the field produce (<c>null</c>: none).</summary>
    public ITagSource? Tags { get; set; }

    /// <summary>Gets or sets the longest backlog of unsent bytes, in µs of wire time, before new reads are dropped
    /// (the module's buffer; default 100 ms).</summary>
    public long MaxBacklogMicros { get; set; } = 100_000;

    /// <summary>Gets or sets the probability that each byte the module sends is lost on the line.</summary>
    public double DropByteProbability { get; set; }

    /// <summary>Gets or sets the probability that each frame the module sends has a broken checksum.</summary>
    public double BadChecksumProbability { get; set; }

    /// <summary>Gets or sets the average rate of line noise: random bytes sent between frames, per second.</summary>
    public double GarbageBytesPerSecond { get; set; }

    /// <summary>Gets the valid commands received.</summary>
    public long CommandsReceived { get; private set; }

    /// <summary>Gets the frames sent (answers, tag frames, status frames), faults included.</summary>
    public long FramesSent { get; private set; }

    /// <summary>Gets the tag reads sent.</summary>
    public long ReadsSent { get; protected set; }

    /// <summary>Raised for every read the module reports on the wire (after silence, throttling and backlog drops).</summary>
    public event Action<EmulatedRead>? ReadReported;

    /// <summary>Gets the reads lost because the transmit backlog was full (the line is slower than the reads).</summary>
    public long ReadsDroppedBacklog { get; protected set; }

    /// <summary>Gets the reads that happened while the module was not reading (not started, between inventories, silent).</summary>
    public long ReadsMissed { get; protected set; }

    /// <summary>Gets the reads lost to temperature throttling.</summary>
    public long ReadsThrottled { get; protected set; }

    /// <summary>Gets the frames sent with a deliberately broken checksum.</summary>
    public long FramesCorrupted { get; private set; }

    /// <summary>Gets the bytes dropped on the line by the fault injection.</summary>
    public long BytesDropped { get; private set; }

    /// <summary>Gets the garbage bytes injected.</summary>
    public long GarbageBytesSent { get; private set; }

    /// <summary>Gets the number of power cycles (injected, or a reset command).</summary>
    public long PowerCycles { get; private set; }

    /// <summary>Gets a value indicating whether the module is hung (sends nothing, ignores commands) right now.</summary>
    public bool IsSilent => Line.Clock.Now < _silentUntil;

    /// <summary>Gets a value indicating whether the module is throttling for temperature right now.</summary>
    public bool IsThrottled => Line.Clock.Now < _throttledUntil;

    /// <summary>
    /// Gets when the bytes of the command being handled arrived (its last byte read so far), µs: a module acts on a
    /// command when it arrives, not when the emulator is next polled.
    /// </summary>
    protected long CommandArrivedMicros { get; private set; }

    /// <summary>Gets the simulated clock.</summary>
    protected SimulatedClock Clock => Line.Clock;

    /// <summary>Gets the module's own randomness (phase, channel hopping), seeded.</summary>
    protected Random Random { get; }

    /// <summary>Sends a burst of random bytes now.</summary>
    /// <param name="count">Number of bytes.</param>
    public void InjectGarbage(int count)
    {
        var garbage = new byte[count];
        _faults.NextBytes(garbage);
        GarbageBytesSent += count;
        WriteRaw(garbage, 0, count, Clock.Now);
    }

    /// <summary>Breaks the checksum of the next frames sent.</summary>
    /// <param name="frames">Number of frames.</param>
    public void BreakNextChecksums(int frames) => _breakNext += frames;

    /// <summary>Drops the next bytes the module sends.</summary>
    /// <param name="bytes">Number of bytes.</param>
    public void DropNextBytes(int bytes) => _dropNext += bytes;

    /// <summary>Hangs the module: it sends nothing and ignores commands for a while, then carries on as before.</summary>
    /// <param name="micros">How long, µs.</param>
    public void SilenceFor(long micros) => _silentUntil = Clock.Now + micros;

    /// <summary>Makes the module throttle for temperature for a while: fewer reads, and status frames where supported.</summary>
    /// <param name="micros">How long, µs.</param>
    public void ThrottleFor(long micros) => _throttledUntil = Clock.Now + micros;

    /// <summary>Changes the module's line speed, e.g. to create a baud-rate mismatch with the unit.</summary>
    /// <param name="baudRate">Baud rate.</param>
    public void SetBaudRate(int baudRate) => Line.ModuleEnd.BaudRate = baudRate;

    /// <summary>Power-cycles the module: it forgets its configuration and stops reading.</summary>
    public void PowerCycle()
    {
        PowerCycles++;
        _commands.Reset();
        OnPowerCycle();
    }

    /// <summary>Answers commands, sends the reads due by now, and injects line noise. Call once per simulation step.</summary>
    public void Poll()
    {
        var now = Clock.Now;
        int n;
        while ((n = Line.ModuleEnd.Read(_receive, 0, _receive.Length)) > 0)
        {
            _lastCommandByteMicros = now;
            CommandArrivedMicros = Line.ModuleEnd.LastReadArrivedMicros;
            if (!IsSilent)
            {
                _commands.Feed(_receive, 0, n);
            }
        }

        if (_commands.HeldBytes > 0 && now - _lastCommandByteMicros > 20_000)
        {
            _commands.Flush();
        }

        _reads.Clear();
        Tags?.TakeReads(now, _reads);
        if (IsSilent)
        {
            ReadsMissed += _reads.Count;
        }
        else
        {
            OnPoll(now, _reads);
        }

        SendNoise(now);
    }

    /// <inheritdoc />
    void IFrameSink.OnFrame(byte[] buffer, int offset, int length)
    {
        CommandsReceived++;
        HandleCommand(buffer, offset, length);
    }

    /// <summary>Appends to a command log, dropping the older half when it reaches <see cref="CommandLogCapacity"/>.</summary>
    /// <param name="log">The log.</param>
    /// <param name="value">The command or opcode.</param>
    protected static void LogCommand(List<int> log, int value)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.Count >= CommandLogCapacity)
        {
            log.RemoveRange(0, CommandLogCapacity / 2);
        }

        log.Add(value);
    }

    /// <summary>Handles one valid command from the unit.</summary>
    /// <param name="frame">Buffer holding it.</param>
    /// <param name="offset">Index of its header byte.</param>
    /// <param name="length">Its length.</param>
    protected abstract void HandleCommand(byte[] frame, int offset, int length);

    /// <summary>Streams what is due: the reads taken this poll (in time order), status frames, round ends.</summary>
    /// <param name="now">Current time, µs.</param>
    /// <param name="reads">Reads of the chips up to now, since the last poll.</param>
    protected abstract void OnPoll(long now, List<EmulatedRead> reads);

    /// <summary>Resets the module's configuration and stops it, as after power-up.</summary>
    protected abstract void OnPowerCycle();

    /// <summary>Tells whether the transmit backlog leaves room for another read.</summary>
    /// <returns><c>false</c> when the module's buffer is full and the read must be dropped.</returns>
    protected bool HasRoom() => Line.ModuleEnd.TransmitFreeAt - Clock.Now < MaxBacklogMicros;

    /// <summary>Tells whether a read is lost to throttling (half of them while throttled).</summary>
    /// <returns><c>true</c> to drop the read.</returns>
    protected bool ThrottleDrops() => IsThrottled && _faults.Next(2) == 0;

    /// <summary>Sends a frame through the fault injection (broken checksum, dropped bytes).</summary>
    /// <param name="frame">Buffer holding the frame; its last byte is (part of) its checksum.</param>
    /// <param name="length">Frame length.</param>
    protected void SendFrame(byte[] frame, int length) => SendFrame(frame, length, Clock.Now);

    /// <summary>Sends the frame of one read, as the module transmits it when it made the read, and reports the read.</summary>
    /// <param name="frame">Buffer holding the frame.</param>
    /// <param name="length">Frame length.</param>
    /// <param name="read">The read the frame carries.</param>
    protected void SendRead(byte[] frame, int length, EmulatedRead read)
    {
        if (IsSilent)
        {
            return;
        }

        ReadsSent++;
        ReadReported?.Invoke(read);
        SendFrame(frame, length, read.AtMicros);
    }

    /// <summary>Sends a frame through the fault injection (broken checksum, dropped bytes), starting no earlier than a time.</summary>
    /// <param name="frame">Buffer holding the frame; its last byte is (part of) its checksum.</param>
    /// <param name="length">Frame length.</param>
    /// <param name="atMicros">When the module starts sending it (clamped to now and to the end of the previous frame).</param>
    protected void SendFrame(byte[] frame, int length, long atMicros)
    {
        if (IsSilent)
        {
            return;
        }

        FramesSent++;
        if (_breakNext > 0 || (BadChecksumProbability > 0 && _faults.NextDouble() < BadChecksumProbability))
        {
            if (_breakNext > 0)
            {
                _breakNext--;
            }

            frame[length - 1] ^= 0x5A;
            FramesCorrupted++;
        }

        if (_dropNext == 0 && DropByteProbability <= 0)
        {
            WriteRaw(frame, 0, length, atMicros);
            return;
        }

        var kept = new byte[length];
        var n = 0;
        for (var i = 0; i < length; i++)
        {
            if (_dropNext > 0)
            {
                _dropNext--;
                BytesDropped++;
            }
            else if (DropByteProbability > 0 && _faults.NextDouble() < DropByteProbability)
            {
                BytesDropped++;
            }
            else
            {
                kept[n++] = frame[i];
            }
        }

        WriteRaw(kept, 0, n, atMicros);
    }

    private void SendNoise(long now)
    {
        if (GarbageBytesPerSecond <= 0 || IsSilent)
        {
            _lastNoiseMicros = now;
            return;
        }

        if (_lastNoiseMicros != long.MinValue)
        {
            _noiseCarry += GarbageBytesPerSecond * (now - _lastNoiseMicros) / 1_000_000.0;
        }

        _lastNoiseMicros = now;
        var count = (int)_noiseCarry;
        if (count > 0)
        {
            _noiseCarry -= count;
            InjectGarbage(count);
        }
    }

    private void WriteRaw(byte[] buffer, int offset, int count, long atMicros)
    {
        if (count > 0)
        {
            Line.ModuleEnd.WriteAt(buffer, offset, count, atMicros);
        }
    }
}
