using TimingMat.Core.Hardware;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Simulation.Hil;

/// <summary>
/// The emulated GPS's PPS line, played into a board: a thread writes one byte (0x00) to a port at the top of every
/// true UTC second while the receiver has a fix. Wired to a USB-serial adapter's TX, the byte's start bit is the edge
/// (boards/&lt;board&gt;/README.md says which edge the board needs and whether to invert it); over a TCP bridge the
/// byte's arrival is the edge (<c>timingmat unit --pps</c>).
/// </summary>
/// <remarks>
/// The thread sleeps to about 1.5 ms before each edge and spins the rest, so the write is issued within a few µs of
/// the second on an idle host; how late each write was issued is kept (<see cref="LatenessMicros"/>) to tell a
/// loaded host from a board's fault.
/// </remarks>
public sealed class PpsPulser : IDisposable
{
    private static readonly byte[] s_pulse = [0x00];

    private readonly IBytePort _port;
    private readonly RealTimeline _timeline;
    private readonly Func<long, bool> _pulseAt;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<long> _lateness = [];
    private Thread? _thread;
    private int _writeFailures;

    /// <summary>Initializes a new instance of the <see cref="PpsPulser"/> class.</summary>
    /// <param name="port">The port the edges go to, opened by the caller.</param>
    /// <param name="timeline">True time.</param>
    /// <param name="pulseAt">Tells whether the receiver pulses at a true second (it has a fix, the wire is not cut).</param>
    public PpsPulser(IBytePort port, RealTimeline timeline, Func<long, bool> pulseAt)
    {
        _port = port;
        _timeline = timeline;
        _pulseAt = pulseAt;
    }

    /// <summary>Gets how late each edge's write was issued after its true second, µs.</summary>
    public IReadOnlyList<long> LatenessMicros
    {
        get
        {
            lock (_lateness)
            {
                return [.. _lateness];
            }
        }
    }

    /// <summary>Gets the edges that could not be written (the port was closed).</summary>
    public int WriteFailures => Volatile.Read(ref _writeFailures);

    /// <summary>Starts pulsing from the next whole second.</summary>
    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "pps-out", Priority = ThreadPriority.Highest };
        _thread.Start();
    }

    /// <summary>Stops pulsing.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _thread = null;
        _stop.Dispose();
    }

    private void Run()
    {
        var next = (_timeline.TrueNow / Second) + 1;
        while (_timeline.WaitUntil(next * Second, _stop.Token))
        {
            var edge = next * Second;
            if (_pulseAt(edge))
            {
                var late = _timeline.TrueNow - edge;
                try
                {
                    _port.Write(s_pulse, 0, 1);
                    lock (_lateness)
                    {
                        _lateness.Add(late);
                    }
                }
                catch (InvalidOperationException)
                {
                    Interlocked.Increment(ref _writeFailures);
                    TryReopen();
                }
            }

            // After a stall (a suspended laptop, a debugger) carry on at the next second to come, not in a burst.
            next = Math.Max(next + 1, (_timeline.TrueNow / Second) + 1);
        }
    }

    private void TryReopen()
    {
        try
        {
            _port.Open();
        }
        catch (InvalidOperationException)
        {
            // Still away: the edges are missed, as with a cut PPS wire; the next second tries again.
        }
    }
}
