using System.Net.Sockets;

namespace TimingMat.Host.Ports;

/// <summary>
/// A byte port to a TCP serial bridge (ser2net, an ESP-Link, or <see cref="NullModemBridge"/> in tests): the unit's
/// reader or GPS UART reached over the network. The line speed is the bridge's business and is ignored here.
/// </summary>
public sealed class TcpBytePort : StreamBytePort
{
    private readonly string _host;
    private readonly int _port;

    /// <summary>Initializes a new instance of the <see cref="TcpBytePort"/> class. Does not connect.</summary>
    /// <param name="host">Bridge host name or address.</param>
    /// <param name="port">Bridge TCP port.</param>
    /// <param name="bufferBytes">Receive buffer size.</param>
    public TcpBytePort(string host, int port, int bufferBytes = 256 * 1024)
        : base($"tcp://{host}:{port}", bufferBytes)
    {
        _host = host;
        _port = port;
    }

    /// <summary>Gets or sets how long a connection attempt may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    protected override Stream OpenStream() => new NetworkStream(TcpConnection.Open(_host, _port, ConnectTimeout), ownsSocket: true);
}
