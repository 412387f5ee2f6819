using System.Net;
using System.Net.Sockets;

namespace TimingMat.Simulation.Network;

/// <summary>
/// A TCP relay between one unit (or the collector) and a real broker, with a switch that cuts the network: switched
/// off, it drops the open connections at once and closes new ones as soon as they arrive — what a unit sees when its
/// Wi-Fi goes or the broker's host goes down. The broker itself is left alone (it may be shared).
/// </summary>
internal sealed class LinkProxy : IDisposable
{
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _sync = new();
    private readonly List<(TcpClient Down, TcpClient Up)> _open = [];
    private volatile bool _reachable = true;

    /// <summary>Initializes a new instance of the <see cref="LinkProxy"/> class on a free loopback port.</summary>
    /// <param name="upstreamHost">The broker's host.</param>
    /// <param name="upstreamPort">The broker's port.</param>
    public LinkProxy(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    /// <summary>Gets the loopback port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Gets or sets a value indicating whether traffic passes. Setting it false drops every open connection.</summary>
    public bool Reachable
    {
        get => _reachable;
        set
        {
            _reachable = value;
            if (!value)
            {
                DropAll();
            }
        }
    }

    /// <summary>Gets how many connections were relayed.</summary>
    public int Connections { get; private set; }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        DropAll();
        _stop.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient down;
            try
            {
                down = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (!_reachable)
            {
                down.Dispose();
                continue;
            }

            var up = new TcpClient { NoDelay = true };
            try
            {
                await up.ConnectAsync(_upstreamHost, _upstreamPort, _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The broker itself is away: the unit sees its connection close, as it would.
                up.Dispose();
                down.Dispose();
                continue;
            }

            down.NoDelay = true;
            lock (_sync)
            {
                _open.Add((down, up));
                Connections++;
            }

            _ = Task.Run(() => Relay(down, up));
        }
    }

    private async Task Relay(TcpClient down, TcpClient up)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        try
        {
            var a = down.GetStream().CopyToAsync(up.GetStream(), both.Token);
            var b = up.GetStream().CopyToAsync(down.GetStream(), both.Token);
            await Task.WhenAny(a, b).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException or SocketException)
        {
            // Either side went away.
        }
        finally
        {
            both.Cancel();
            Close(down, up);
        }
    }

    private void DropAll()
    {
        List<(TcpClient Down, TcpClient Up)> open;
        lock (_sync)
        {
            open = [.. _open];
        }

        foreach (var (down, up) in open)
        {
            Close(down, up);
        }
    }

    private void Close(TcpClient down, TcpClient up)
    {
        lock (_sync)
        {
            _open.Remove((down, up));
        }

        down.Dispose();
        up.Dispose();
    }
}
