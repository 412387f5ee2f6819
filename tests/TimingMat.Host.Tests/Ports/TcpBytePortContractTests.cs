using System.Net;
using System.Net.Sockets;
using TimingMat.Core.Hardware;
using TimingMat.Contracts;
using TimingMat.Host.Ports;
using Xunit;

namespace TimingMat.Host.Tests.Ports;

/// <summary>The TCP client port (a serial bridge on the network) keeps the byte-port contract against a real socket.</summary>
public sealed class TcpBytePortContractTests : BytePortContractTests, IDisposable
{
    private readonly TcpListener _bridge = new(IPAddress.Loopback, 0);
    private readonly TcpBytePort _port;
    private Socket? _peer;

    public TcpBytePortContractTests()
    {
        _bridge.Start();
        _port = new TcpBytePort("127.0.0.1", ((IPEndPoint)_bridge.LocalEndpoint).Port);
    }

    protected override IBytePort Port => _port;

    // Real sockets: bytes take a scheduler tick or two, not a simulated microsecond.
    protected override int SettleSteps => 200;

    public void Dispose()
    {
        _port.Dispose();
        _peer?.Dispose();
        _bridge.Stop();
    }

    protected override void AwaitPeer()
    {
        if (_peer == null)
        {
            Assert.True(_bridge.Server.Poll(5_000_000, SelectMode.SelectRead), "the port never connected");
            _peer = _bridge.AcceptSocket();
        }
    }

    protected override void PeerSends(byte[] bytes) => _peer!.Send(bytes);

    protected override int PeerReceives(byte[] buffer, int offset, int count) =>
        _peer!.Available == 0 ? 0 : _peer.Receive(buffer, offset, Math.Min(count, _peer.Available), SocketFlags.None);

    protected override void AwaitReceived(int count) => AwaitWaiting(count, () => _port.BytesToRead);

    protected override void LetTimePass() => Thread.Sleep(1);
}
