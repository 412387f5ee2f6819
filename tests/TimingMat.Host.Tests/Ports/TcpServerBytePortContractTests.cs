using System.Net;
using System.Net.Sockets;
using TimingMat.Core.Hardware;
using TimingMat.Contracts;
using TimingMat.Host.Ports;
using Xunit;

namespace TimingMat.Host.Tests.Ports;

/// <summary>The listening TCP port (the unit console on desktop) keeps the byte-port contract with a real client.</summary>
public sealed class TcpServerBytePortContractTests : BytePortContractTests, IDisposable
{
    private readonly TcpServerBytePort _port = new("127.0.0.1", FreePort());
    private readonly int _portNumber;
    private TcpClient? _peer;

    public TcpServerBytePortContractTests() => _portNumber = int.Parse(_port.Name[(_port.Name.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    protected override IBytePort Port => _port;

    protected override int SettleSteps => 200;

    public void Dispose()
    {
        _peer?.Dispose();
        _port.Dispose();
    }

    protected override void AwaitPeer()
    {
        if (_peer != null)
        {
            return;
        }

        _peer = new TcpClient { NoDelay = true };
        _peer.Connect(IPAddress.Loopback, _portNumber);
        for (var step = 0; !_port.HasClient && step < PatienceSteps; step++)
        {
            LetTimePass();
        }

        Assert.True(_port.HasClient, "the port never accepted the client");
    }

    protected override void PeerSends(byte[] bytes) => _peer!.Client.Send(bytes);

    protected override int PeerReceives(byte[] buffer, int offset, int count) =>
        _peer!.Available == 0 ? 0 : _peer.Client.Receive(buffer, offset, Math.Min(count, _peer.Available), SocketFlags.None);

    protected override void AwaitReceived(int count) => AwaitWaiting(count, () => _port.BytesToRead);

    protected override void LetTimePass() => Thread.Sleep(1);

    private static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }
}
