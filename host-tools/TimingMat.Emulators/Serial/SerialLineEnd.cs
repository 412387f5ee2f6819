using TimingMat.Core.Hardware;

namespace TimingMat.Emulators.Serial;

/// <summary>One end of a <see cref="SerialLine"/>; implements the core's byte port.</summary>
public sealed class SerialLineEnd : IBytePort
{
    private readonly SerialLine _line;
    private readonly Queue<(long At, byte Value)> _incoming = new();
    private readonly int _bufferBytes;
    private long _transmitFreeAt;
    private uint _garble = 0x9E3779B9;

    internal SerialLineEnd(SerialLine line, string name, int baudRate, int bufferBytes)
    {
        _line = line;
        Name = name;
        BaudRate = baudRate;
        _bufferBytes = bufferBytes;
    }

    /// <summary>Gets the end's name (unit or module), for messages.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public bool IsOpen { get; private set; }

    /// <inheritdoc />
    public int BaudRate { get; set; }

    /// <summary>Gets the bytes lost because this end was closed or its receive buffer was full.</summary>
    public long LostBytes { get; private set; }

    /// <summary>Gets the bytes written by this end so far.</summary>
    public long BytesSent { get; private set; }

    /// <summary>Gets the bytes that have arrived and not been read yet.</summary>
    public int BytesWaiting
    {
        get
        {
            DropWhileClosed();
            return _incoming.Count(b => b.At <= _line.Clock.Now);
        }
    }

    /// <summary>Gets when the last byte <see cref="Read"/> returned arrived, µs on the line's clock.</summary>
    public long LastReadArrivedMicros { get; private set; }

    /// <summary>Gets the time the last byte written so far will have left the wire, in µs.</summary>
    public long TransmitFreeAt => _transmitFreeAt;

    internal SerialLineEnd Peer { get; set; } = null!;

    /// <inheritdoc />
    public void Open()
    {
        // What arrived while the port was closed never reached a receive buffer.
        DropWhileClosed();
        IsOpen = true;
    }

    /// <inheritdoc />
    public void Close() => IsOpen = false;

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count)
    {
        DropWhileClosed();
        if (!IsOpen)
        {
            return 0;
        }

        var now = _line.Clock.Now;
        var n = 0;
        while (n < count && _incoming.Count > 0 && _incoming.Peek().At <= now)
        {
            var (at, value) = _incoming.Dequeue();
            buffer[offset + n] = value;
            LastReadArrivedMicros = at;
            n++;
        }

        return n;
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count) => WriteAt(buffer, offset, count, _line.Clock.Now);

    /// <summary>
    /// Puts bytes on the wire as if the sender had started transmitting at a given time (or as soon as the line was
    /// free after it): an emulator polled every few milliseconds sends a frame when its module would have, not when
    /// the emulator got round to it.
    /// </summary>
    /// <param name="buffer">Source buffer.</param>
    /// <param name="offset">First index sent.</param>
    /// <param name="count">Number of bytes.</param>
    /// <param name="startMicros">When transmission starts at the earliest, µs on the line's clock (not in the future).</param>
    /// <exception cref="InvalidOperationException">This end is closed.</exception>
    public void WriteAt(byte[] buffer, int offset, int count, long startMicros)
    {
        if (!IsOpen)
        {
            throw new InvalidOperationException($"the {Name} end of the serial line is closed");
        }

        var byteMicros = SerialLine.ByteMicros(BaudRate);
        var at = Math.Max(_transmitFreeAt, Math.Min(startMicros, _line.Clock.Now));
        for (var i = 0; i < count; i++)
        {
            at += byteMicros;
            Peer.Deliver(at, buffer[offset + i], BaudRate);
        }

        _transmitFreeAt = at;
        BytesSent += count;
    }

    /// <inheritdoc />
    public void DiscardInput()
    {
        var now = _line.Clock.Now;
        while (_incoming.Count > 0 && _incoming.Peek().At <= now)
        {
            _incoming.Dequeue();
        }
    }

    private void Deliver(long at, byte value, int senderBaud)
    {
        if (_incoming.Count >= _bufferBytes)
        {
            LostBytes++;
            return;
        }

        if (senderBaud != BaudRate)
        {
            // A receiver sampling at the wrong rate reads framing garbage, not the sent byte.
            _garble = (_garble * 1103515245) + 12345;
            value = (byte)(value ^ (byte)(_garble >> 16) ^ 0x5A);
        }

        _incoming.Enqueue((at, value));
    }

    private void DropWhileClosed()
    {
        if (IsOpen)
        {
            return;
        }

        var now = _line.Clock.Now;
        while (_incoming.Count > 0 && _incoming.Peek().At <= now)
        {
            _incoming.Dequeue();
            LostBytes++;
        }
    }
}
