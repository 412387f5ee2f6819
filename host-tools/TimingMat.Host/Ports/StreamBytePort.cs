using TimingMat.Core.Hardware;

namespace TimingMat.Host.Ports;

/// <summary>
/// The core's byte port over a desktop stream (a TCP serial bridge or a tty). A receive thread drains the stream
/// into a bounded buffer so <see cref="Read"/> never blocks, as the core's polling loop requires; a peer that goes
/// away closes the port, and the next <see cref="Open"/> (the driver's restart) opens a fresh stream.
/// </summary>
public abstract class StreamBytePort : IBytePort, IDisposable
{
    private readonly object _sync = new();
    private readonly AutoResetEvent _arrived = new(false);
    private readonly byte[] _buffer;
    private int _head;
    private int _count;
    private Stream? _stream;
    private Thread? _receiver;

    /// <summary>Initializes a new instance of the <see cref="StreamBytePort"/> class.</summary>
    /// <param name="name">Where the port goes, for messages.</param>
    /// <param name="bufferBytes">Receive buffer; bytes arriving while it is full are dropped and counted.</param>
    protected StreamBytePort(string name, int bufferBytes)
    {
        Name = name;
        _buffer = new byte[bufferBytes];
    }

    /// <summary>Gets where the port goes.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public bool IsOpen
    {
        get
        {
            lock (_sync)
            {
                return _stream != null;
            }
        }
    }

    /// <inheritdoc />
    public virtual int BaudRate { get; set; } = 115200;

    /// <summary>Gets the bytes dropped because the receive buffer was full.</summary>
    public long OverflowBytes { get; private set; }

    /// <summary>Gets the last reason the port closed by itself (peer gone, I/O error), or null.</summary>
    public string? LastError { get; private set; }

    /// <inheritdoc />
    public void Open()
    {
        lock (_sync)
        {
            if (_stream != null)
            {
                return;
            }
        }

        Stream stream;
        try
        {
            stream = OpenStream();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException or TimeoutException)
        {
            throw new InvalidOperationException($"cannot open {Name}: {e.Message}", e);
        }

        lock (_sync)
        {
            _stream = stream;
            _receiver = new Thread(() => Receive(stream)) { IsBackground = true, Name = "rx " + Name };
            _receiver.Start();
        }
    }

    /// <inheritdoc />
    public void Close()
    {
        Stream? stream;
        lock (_sync)
        {
            stream = _stream;
            _stream = null;

            // A closed UART keeps nothing: bytes left from before a driver's restart must not open the new session.
            _head = 0;
            _count = 0;
        }

        stream?.Dispose();
    }

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count)
    {
        lock (_sync)
        {
            var n = Math.Min(count, _count);
            for (var i = 0; i < n; i++)
            {
                buffer[offset + i] = _buffer[(_head + i) % _buffer.Length];
            }

            _head = (_head + n) % _buffer.Length;
            _count -= n;
            return n;
        }
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        Stream stream;
        lock (_sync)
        {
            stream = _stream ?? throw new InvalidOperationException(Name + " is closed");
        }

        try
        {
            stream.Write(buffer, offset, count);
            stream.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Lost(stream, e.Message);
            throw new InvalidOperationException($"{Name} closed while writing: {e.Message}", e);
        }
    }

    /// <summary>
    /// Waits until received bytes are waiting to be read, for a reader that must act on arrival (a PPS input stamps
    /// each byte as it comes) rather than at the core's next poll.
    /// </summary>
    /// <param name="timeout">Longest wait.</param>
    /// <returns><c>true</c> when bytes are waiting; <c>false</c> on timeout.</returns>
    public bool WaitForInput(TimeSpan timeout)
    {
        lock (_sync)
        {
            if (_count > 0)
            {
                return true;
            }
        }

        return _arrived.WaitOne(timeout);
    }

    /// <summary>Gets how many received bytes wait to be read (the receive thread's, not the operating system's).</summary>
    public int BytesToRead
    {
        get
        {
            lock (_sync)
            {
                return _count;
            }
        }
    }

    /// <inheritdoc />
    public void DiscardInput()
    {
        lock (_sync)
        {
            _head = 0;
            _count = 0;
        }
    }

    /// <summary>Closes the port.</summary>
    public void Dispose()
    {
        Close();
        _arrived.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens the underlying stream (connect, open the device).</summary>
    /// <returns>A readable and writable stream.</returns>
    protected abstract Stream OpenStream();

    private void Receive(Stream stream)
    {
        var chunk = new byte[4096];
        try
        {
            int n;
            while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                Append(stream, chunk, n);
            }

            Lost(stream, "the other end closed the connection");
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
        {
            Lost(stream, e.Message);
        }
    }

    private void Append(Stream stream, byte[] chunk, int n)
    {
        lock (_sync)
        {
            if (_stream != stream)
            {
                // Closed while this chunk was in flight: it belongs to the session that ended.
                return;
            }

            for (var i = 0; i < n; i++)
            {
                if (_count == _buffer.Length)
                {
                    OverflowBytes += n - i;
                    return;
                }

                _buffer[(_head + _count) % _buffer.Length] = chunk[i];
                _count++;
            }
        }

        _arrived.Set();
    }

    private void Lost(Stream stream, string reason)
    {
        lock (_sync)
        {
            if (_stream != stream)
            {
                // Close took the stream and disposes it: disposing it here too would race with that (a serial device
                // drains its buffer on dispose, and a handle closed under it throws on this thread).
                return;
            }

            _stream = null;
            LastError = reason;
        }

        stream.Dispose();
    }
}
