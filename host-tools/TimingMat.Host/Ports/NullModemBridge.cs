using System.Net;
using System.Net.Sockets;

namespace TimingMat.Host.Ports;

/// <summary>
/// A null-modem cable over TCP: two listening ports, and whatever one connected peer sends the other receives. In the
/// tests it stands in for the USB-serial adapters between the HIL harness and a board: the harness connects to one
/// end, the unit under test to the other. Either peer may drop and reconnect; bytes sent while the other side is
/// away are lost, as on a real unplugged cable.
/// </summary>
public sealed class NullModemBridge : IDisposable
{
    private readonly TcpListener _a;
    private readonly TcpListener _b;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _sync = new();
    private NetworkStream? _streamA;
    private NetworkStream? _streamB;
    private int _acceptedA;
    private int _acceptedB;
    private long _aToB;
    private long _bToA;

    /// <summary>Initializes a new instance of the <see cref="NullModemBridge"/> class listening on two loopback ports.</summary>
    /// <param name="portA">Port of end A (0 picks a free one).</param>
    /// <param name="portB">Port of end B (0 picks a free one).</param>
    public NullModemBridge(int portA = 0, int portB = 0)
    {
        _a = new TcpListener(IPAddress.Loopback, portA);
        _b = new TcpListener(IPAddress.Loopback, portB);
        _a.Start();
        _b.Start();
        // Dedicated threads, not the thread pool: in a busy test run the pool can be starved for hundreds of ms, and
        // a relay that waits for a pool thread delays bytes as no cable would.
        Spawn(() => Serve(_a, isA: true), "bridge-accept-a");
        Spawn(() => Serve(_b, isA: false), "bridge-accept-b");
    }

    /// <summary>Gets the port of end A.</summary>
    public int PortA => ((IPEndPoint)_a.LocalEndpoint).Port;

    /// <summary>Gets the port of end B.</summary>
    public int PortB => ((IPEndPoint)_b.LocalEndpoint).Port;

    /// <summary>Gets the bytes relayed from A to B and from B to A.</summary>
    public (long AToB, long BToA) Relayed => (Interlocked.Read(ref _aToB), Interlocked.Read(ref _bToA));

    /// <summary>
    /// Waits until each end has taken at least so many peers since the bridge started. A peer's connect returns before
    /// the bridge has taken it, and bytes sent to an end without a peer are lost: wait before sending.
    /// </summary>
    /// <param name="peersA">Peers end A must have taken (a replug counts again).</param>
    /// <param name="peersB">Peers end B must have taken.</param>
    /// <param name="timeout">Longest wait.</param>
    /// <returns><c>true</c> when both ends got there in time.</returns>
    public bool WaitForPeers(int peersA, int peersB, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_sync)
            {
                if (_acceptedA >= peersA && _acceptedB >= peersB)
                {
                    return true;
                }
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            Thread.Sleep(5);
        }
    }

    /// <summary>Stops listening and drops both peers.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _a.Stop();
        _b.Stop();
        lock (_sync)
        {
            _streamA?.Dispose();
            _streamB?.Dispose();
        }
    }

    private static void Spawn(ThreadStart work, string name) => new Thread(work) { IsBackground = true, Name = name }.Start();

    private void Serve(TcpListener listener, bool isA)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or SocketException)
            {
                return;
            }

            client.NoDelay = true;
            var stream = client.GetStream();
            lock (_sync)
            {
                // A new peer on an end replaces the old one, as replugging a cable does.
                if (isA)
                {
                    _streamA?.Dispose();
                    _streamA = stream;
                    _acceptedA++;
                }
                else
                {
                    _streamB?.Dispose();
                    _streamB = stream;
                    _acceptedB++;
                }
            }

            Spawn(() => Relay(stream, isA), isA ? "bridge-a-to-b" : "bridge-b-to-a");
        }
    }

    private void Relay(NetworkStream from, bool fromA)
    {
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = from.Read(buffer, 0, buffer.Length)) > 0)
            {
                NetworkStream? to;
                lock (_sync)
                {
                    to = fromA ? _streamB : _streamA;
                }

                if (to == null)
                {
                    continue;
                }

                try
                {
                    to.Write(buffer, 0, n);
                    Interlocked.Add(ref fromA ? ref _aToB : ref _bToA, n);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    // The other peer went away; keep reading from this one.
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // This peer went away, or the bridge was disposed.
        }
    }
}
