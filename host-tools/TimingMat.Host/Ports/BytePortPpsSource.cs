using TimingMat.Core.Hardware;

namespace TimingMat.Host.Ports;

/// <summary>
/// PPS edges for a unit running on desktop, from a byte port: every byte received is one edge, stamped on the unit's
/// clock when it arrives. On a bench the HIL harness (or a microcontroller watching a real GPS) writes one byte at
/// each second; over a TCP bridge the byte's arrival is the edge.
/// </summary>
/// <remarks>
/// A thread of its own waits on the port and stamps each arrival at once, as the device's GPIO handler does, so
/// the stamp does not wait for the unit's next poll; like the handler's, the stamp is a little late (thread wake-up,
/// the bridge), never early, which is what the mat clock's lower-envelope fit expects. Stamps queue in a small ring
/// (bounded like the device's: a stalled unit cannot grow memory); edges that find it full are counted in
/// <see cref="DroppedEdges"/>. A port that closes (bridge restarted, adapter unplugged) is reopened every second.
/// </remarks>
public sealed class BytePortPpsSource : IPpsSource, IDisposable
{
    private static readonly TimeSpan s_reopenInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_wait = TimeSpan.FromMilliseconds(100);

    private readonly IBytePort _port;
    private readonly IMicrosecondClock _clock;
    private readonly int _capacity;
    private readonly Queue<long> _edges = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly byte[] _buffer = new byte[64];
    private Thread? _thread;
    private int _dropped;
    private long _received;
    private int _reopens;

    /// <summary>Initializes a new instance of the <see cref="BytePortPpsSource"/> class; <see cref="Start"/> opens the port.</summary>
    /// <param name="port">The port the edges arrive on (owned: closed by <see cref="Dispose"/>).</param>
    /// <param name="clock">The unit's clock, the timebase of every stamp in the core.</param>
    /// <param name="capacity">Edges held until the core takes them; the device's capture holds 8.</param>
    public BytePortPpsSource(IBytePort port, IMicrosecondClock clock, int capacity = 8)
    {
        ArgumentNullException.ThrowIfNull(port);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _port = port;
        _clock = clock;
        _capacity = capacity;
    }

    /// <inheritdoc />
    public int DroppedEdges
    {
        get
        {
            lock (_edges)
            {
                return _dropped;
            }
        }
    }

    /// <summary>Gets the bytes (edges) received since start, dropped ones included.</summary>
    public long EdgesReceived => Interlocked.Read(ref _received);

    /// <summary>Gets how often the port was reopened after it closed.</summary>
    public int Reopens => Volatile.Read(ref _reopens);

    /// <summary>Opens the port and starts stamping.</summary>
    /// <exception cref="InvalidOperationException">The port cannot be opened.</exception>
    public void Start()
    {
        if (_thread != null)
        {
            return;
        }

        _port.Open();
        _thread = new Thread(Run) { IsBackground = true, Name = "pps", Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    /// <inheritdoc />
    public bool TryTakeEdge(out long localMicros)
    {
        lock (_edges)
        {
            return _edges.TryDequeue(out localMicros);
        }
    }

    /// <summary>Stops the thread and closes the port.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _thread = null;
        _port.Close();
        (_port as IDisposable)?.Dispose();
        _stop.Dispose();
    }

    private void Run()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            if (!_port.IsOpen && !Reopen(token))
            {
                continue;
            }

            if (_port is StreamBytePort stream)
            {
                stream.WaitForInput(s_wait);
            }
            else
            {
                // A port that cannot signal arrivals is polled; the stamp is then up to a millisecond late.
                Thread.Sleep(1);
            }

            // Stamp before reading: the read takes the port's lock and every microsecond here is latency.
            var stamp = _clock.GetMicroseconds();
            int n;
            while ((n = _port.Read(_buffer, 0, _buffer.Length)) > 0)
            {
                Capture(stamp, n);
            }
        }
    }

    private bool Reopen(CancellationToken token)
    {
        if (token.WaitHandle.WaitOne(s_reopenInterval))
        {
            return false;
        }

        try
        {
            _port.Open();
            Interlocked.Increment(ref _reopens);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private void Capture(long stamp, int bytes)
    {
        Interlocked.Add(ref _received, bytes);
        lock (_edges)
        {
            for (var i = 0; i < bytes; i++)
            {
                if (_edges.Count >= _capacity)
                {
                    _dropped++;
                    continue;
                }

                _edges.Enqueue(stamp);
            }
        }
    }
}
