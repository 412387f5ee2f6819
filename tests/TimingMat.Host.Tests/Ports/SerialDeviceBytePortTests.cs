using TimingMat.Host.Ports;
using Xunit;

namespace TimingMat.Host.Tests.Ports;

/// <summary>Runs the serial device port (System.IO.Ports) against a real pseudo-terminal: opened raw, bytes flow both ways.</summary>
public sealed class SerialDeviceBytePortTests : IDisposable
{
    private readonly PseudoTerminal _pty = new();

    [Fact]
    public void Pty_IsConfiguredRaw_AndCarriesBinaryBothWays()
    {
        using var port = new SerialDeviceBytePort(_pty.SlavePath, 115200);
        port.Open();

        // Bytes a cooked terminal would eat or translate: CR, LF, ^C, ^S, 0xFF.
        var frame = new byte[] { 0xFF, 0x0D, 0x0A, 0x03, 0x13, 0x00, 0x7F };
        _pty.Send(frame);
        Assert.Equal(frame, TcpBytePortTests.ReadExactly(port, frame.Length));

        port.Write([0xA0, 0x04, 0x01, 0x89, 0x01, 0xD1], 0, 6);
        var echoed = new byte[6];
        var got = 0;
        while (got < 6)
        {
            got += _pty.Master.Read(echoed, got, 6 - got);
        }

        Assert.Equal(new byte[] { 0xA0, 0x04, 0x01, 0x89, 0x01, 0xD1 }, echoed);
    }

    [Fact]
    public void MissingDevice_FailsWithAClearMessage()
    {
        using var port = new SerialDeviceBytePort("/dev/ttyDoesNotExist9", 115200);

        var error = Assert.Throws<InvalidOperationException>(port.Open);
        Assert.Contains("/dev/ttyDoesNotExist9 does not exist", error.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _pty.Dispose();
}
