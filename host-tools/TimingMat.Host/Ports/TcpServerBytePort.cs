using System.Net;
using System.Net.Sockets;
using TimingMat.Core.Hardware;

namespace TimingMat.Host.Ports;

/// <summary>
/// A byte port that a unit serves on TCP, as a board serves its console on its network: it listens on
/// <c>host:port</c> and talks to one client at a time; a client that connects while another is connected takes the
/// port over (the technician's new session wins over a stale one). Bytes written while no client is connected are
/// dropped, as on a serial line with nothing plugged in. <see cref="Read"/> never blocks.
/// </summary>
public sealed class TcpServerBytePort : IBytePort, IDisposable
{
    private readonly object _sync = new();
    private readonly string _host;
    private readonly int _port;
    private readonly Queue<byte> _received = new();
    private TcpListener? _listener;
    private TcpClient? _client;
    private NetworkStream? _stream;
    private Thread? _acceptor;

    /// <summary>Initializes a new instance of the <see cref="TcpServerBytePort"/> class. Does not listen yet.</summary>
    /// <param name="host">The address to listen on (a host name, an IP address, or 0.0.0.0 for every interface).</param>
    /// <param name="port">The TCP port.</param>
    public TcpServerBytePort(string host, int port)
    {
        _host = host;
        _port = port;
    }

    /// <summary>Gets where the port listens, as <c>tcp://host:port</c>.</summary>
    public string Name => $"tcp://{_host}:{_port}";

    /// <summary>Gets how many clients have connected.</summary>
    public int Connections { get; private set; }

    /// <summary>Gets a value indicating whether a client is connected now.</summary>
    public bool HasClient
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
    public bool IsOpen
    {
        get
        {
            lock (_sync)
            {
                return _listener != null;
            }
        }
    }

    /// <inheritdoc />
    public int BaudRate { get; set; } = 115200;

    /// <inheritdoc />
    public void Open()
    {
        lock (_sync)
        {
            if (_listener != null)
            {
                return;
            }
        }

        TcpListener listener;
        try
        {
            var address = _host is "0.0.0.0" or "*" ? IPAddress.Any : (IPAddress.TryParse(_host, out var ip) ? ip : Dns.GetHostAddresses(_host).First(a => a.AddressFamily == AddressFamily.InterNetwork));
            listener = new TcpListener(address, _port);
            listener.Start();
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            throw new InvalidOperationException($"cannot listen on {Name}: {e.Message}", e);
        }

        lock (_sync)
        {
            _listener = listener;
            _acceptor = new Thread(() => Accept(listener)) { IsBackground = true, Name = "console " + Name };
            _acceptor.Start();
        }
    }

    /// <inheritdoc />
    public void Close()
    {
        TcpListener? listener;
        lock (_sync)
        {
            listener = _listener;
            _listener = null;
            DropClient();

            // What the last client typed belongs to that session, not to the next Open.
            _received.Clear();
        }

        listener?.Stop();
    }

    /// <inheritdoc />
    public int Read(byte[] buffer, int offset, int count)
    {
        lock (_sync)
        {
            var n = 0;
            while (n < count && _received.Count > 0)
            {
                buffer[offset + n] = _received.Dequeue();
                n++;
            }

            return n;
        }
    }

    /// <inheritdoc />
    public void Write(byte[] buffer, int offset, int count)
    {
        NetworkStream? stream;
        lock (_sync)
        {
            if (_listener == null)
            {
                throw new InvalidOperationException(Name + " is closed");
            }

            stream = _stream;
        }

        if (stream == null)
        {
            return;
        }

        try
        {
            stream.Write(buffer, offset, count);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            lock (_sync)
            {
                if (_stream == stream)
                {
                    DropClient();
                }
            }
        }
    }

    /// <summary>Gets how many received bytes wait to be read (the receive thread's, not the operating system's).</summary>
    public int BytesToRead
    {
        get
        {
            lock (_sync)
            {
                return _received.Count;
            }
        }
    }

    /// <inheritdoc />
    public void DiscardInput()
    {
        lock (_sync)
        {
            _received.Clear();
        }
    }

    /// <summary>Stops listening and drops the client.</summary>
    public void Dispose() => Close();

    private void Accept(TcpListener listener)
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = listener.AcceptTcpClient();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            client.NoDelay = true;
            var stream = client.GetStream();
            lock (_sync)
            {
                if (_listener != listener)
                {
                    client.Dispose();
                    return;
                }

                DropClient();
                _received.Clear();
                _client = client;
                _stream = stream;
                Connections++;
            }

            new Thread(() => Receive(client, stream)) { IsBackground = true, Name = "console rx " + Name }.Start();
        }
    }

    private void Receive(TcpClient client, NetworkStream stream)
    {
        var chunk = new byte[1024];
        try
        {
            int n;
            while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                lock (_sync)
                {
                    if (_stream != stream)
                    {
                        return;
                    }

                    for (var i = 0; i < n; i++)
                    {
                        _received.Enqueue(chunk[i]);
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The client went away; the next one is accepted meanwhile.
        }

        lock (_sync)
        {
            if (_stream == stream)
            {
                DropClient();
            }
        }

        client.Dispose();
    }

    private void DropClient()
    {
        _stream?.Dispose();
        _client?.Dispose();
        _stream = null;
        _client = null;
    }
}
