using System.Diagnostics;
using TimingMat.Core.Hardware;
using TimingMat.Host.Ports;
using Xunit;

namespace TimingMat.Host.Tests.Ports;

public sealed class TcpBytePortTests : IDisposable
{
    private readonly NullModemBridge _bridge = new();

    [Fact]
    public void BytesCrossTheBridge_BothWays()
    {
        using var unit = new TcpBytePort("127.0.0.1", _bridge.PortA);
        using var module = new TcpBytePort("127.0.0.1", _bridge.PortB);
        unit.Open();
        module.Open();
        Assert.True(_bridge.WaitForPeers(1, 1, TimeSpan.FromSeconds(5)));

        module.Write([0xFF, 0x00, 0x22, 0x04, 0x00, 0x84, 0xE0], 0, 7);
        var keepAlive = ReadExactly(unit, 7);
        unit.Write([0xFF, 0x00, 0x03, 0x1D, 0x0C], 0, 5);
        var getVersion = ReadExactly(module, 5);

        Assert.Equal(new byte[] { 0xFF, 0x00, 0x22, 0x04, 0x00, 0x84, 0xE0 }, keepAlive);
        Assert.Equal(new byte[] { 0xFF, 0x00, 0x03, 0x1D, 0x0C }, getVersion);
    }

    [Fact]
    public void Read_NeverBlocks_WhenNothingArrived()
    {
        using var unit = new TcpBytePort("127.0.0.1", _bridge.PortA);
        unit.Open();
        var watch = Stopwatch.StartNew();

        Assert.Equal(0, unit.Read(new byte[16], 0, 16));
        Assert.True(watch.ElapsedMilliseconds < 100);
    }

    [Fact]
    public void NothingListening_OpenFails_NamingTheAddress()
    {
        var port = _bridge.PortA;
        _bridge.Dispose();
        using var unit = new TcpBytePort("127.0.0.1", port);

        var error = Assert.Throws<InvalidOperationException>(unit.Open);
        Assert.Contains($"tcp://127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.False(unit.IsOpen);
    }

    [Fact]
    public void PeerReplugged_TrafficResumes()
    {
        using var unit = new TcpBytePort("127.0.0.1", _bridge.PortA);
        var module = new TcpBytePort("127.0.0.1", _bridge.PortB);
        unit.Open();
        module.Open();
        Assert.True(_bridge.WaitForPeers(1, 1, TimeSpan.FromSeconds(5)));
        module.Write([1], 0, 1);
        ReadExactly(unit, 1);

        module.Dispose();
        using var replugged = new TcpBytePort("127.0.0.1", _bridge.PortB);
        replugged.Open();
        Assert.True(_bridge.WaitForPeers(1, 2, TimeSpan.FromSeconds(5)));
        replugged.Write([2, 3], 0, 2);

        Assert.Equal(new byte[] { 2, 3 }, ReadExactly(unit, 2));
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:4001", typeof(TcpBytePort))]
    [InlineData("TCP://bridge.local:2000/", typeof(TcpBytePort))]
    [InlineData("/dev/ttyUSB0", typeof(SerialDeviceBytePort))]
    [InlineData("COM3", typeof(SerialDeviceBytePort))]
    public void Address_PicksThePortKind(string address, Type kind)
    {
        Assert.IsType(kind, BytePortAddress.Create(address, 115200));
    }

    [Theory]
    [InlineData("tcp://host")]
    [InlineData("tcp://host:99999")]
    [InlineData("COMX")]
    [InlineData("ttyUSB0")]
    [InlineData("udp://host:1")]
    public void BadAddress_IsRejected(string address)
    {
        var error = Assert.Throws<FormatException>(() => BytePortAddress.Create(address, 115200));
        Assert.Contains(address, error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _bridge.Dispose();

    internal static byte[] ReadExactly(IBytePort port, int count)
    {
        var buffer = new byte[count];
        var got = 0;
        var watch = Stopwatch.StartNew();
        while (got < count && watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            got += port.Read(buffer, got, count - got);
            if (got < count)
            {
                Thread.Sleep(2);
            }
        }

        Assert.Equal(count, got);
        return buffer;
    }
}
