using System.Net;
using System.Net.Sockets;
using TimingMat.Mqtt;

namespace TimingMat.Uplink.Tests.Support;

/// <summary>
/// A TCP relay between clients and the broker that a test can cut: <see cref="Sever"/> resets every connection and
/// refuses new ones (a pulled cable or a dead switch), <see cref="Blackhole"/> keeps connections open but drops
/// every byte (a silent link only keep-alive detects), <see cref="Restore"/> heals it.
/// </summary>
internal sealed class TcpCutProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _severed;
    private volatile bool _blackhole;

    public TcpCutProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = Task.Run(AcceptLoop);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public MqttBrokerAddress Address => new("127.0.0.1", Port, false);

    public int Accepted { get; private set; }

    public void Sever()
    {
        _severed = true;
        CloseAll();
    }

    public void Blackhole() => _blackhole = true;

    public void Restore()
    {
        _blackhole = false;
        _severed = false;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        CloseAll();
        _stop.Dispose();
    }

    private void CloseAll()
    {
        lock (_open)
        {
            foreach (var client in _open)
            {
                try
                {
                    client.Client.LingerState = new LingerOption(true, 0);  // RST, as a dead path looks to the peers
                }
                catch (Exception e) when (e is ObjectDisposedException or SocketException or NullReferenceException)
                {
                    // Already closed by its pump.
                }

                client.Dispose();
            }

            _open.Clear();
        }
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            if (_severed)
            {
                inbound.Client.LingerState = new LingerOption(true, 0);
                inbound.Dispose();
                continue;
            }

            var outbound = new TcpClient { NoDelay = true };
            try
            {
                await outbound.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                inbound.Dispose();
                outbound.Dispose();
                continue;
            }

            inbound.NoDelay = true;
            Accepted++;
            lock (_open)
            {
                _open.Add(inbound);
                _open.Add(outbound);
            }

            _ = Pump(inbound, outbound);
            _ = Pump(outbound, inbound);
        }
    }

    private async Task Pump(TcpClient from, TcpClient to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            var source = from.GetStream();
            var target = to.GetStream();
            int n;
            while ((n = await source.ReadAsync(buffer, _stop.Token)) > 0)
            {
                if (!_blackhole)
                {
                    await target.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException or InvalidOperationException)
        {
            // One side went away: close the pair below.
        }

        from.Dispose();
        to.Dispose();
    }
}
