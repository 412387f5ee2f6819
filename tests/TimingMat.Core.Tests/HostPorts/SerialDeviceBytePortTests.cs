using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using TimingMat.Host.Ports;
using Xunit;

namespace TimingMat.Core.Tests.HostPorts;

/// <summary>Runs the serial device port (System.IO.Ports) against a real pseudo-terminal: opened raw, bytes flow both ways.</summary>
public sealed class SerialDeviceBytePortTests : IDisposable
{
    private const int ReadWrite = 2;
    private const int NoControllingTerminal = 0x100;

    private readonly SafeFileHandle _master;
    private readonly FileStream _masterStream;
    private readonly string _slave;

    public SerialDeviceBytePortTests()
    {
        var fd = PosixOpenpt(ReadWrite | NoControllingTerminal);
        Assert.True(fd >= 0, "posix_openpt failed");
        Assert.Equal(0, Grantpt(fd));
        Assert.Equal(0, Unlockpt(fd));
        var name = new byte[128];
        Assert.Equal(0, PtsnameR(fd, name, (nuint)name.Length));
        _slave = Encoding.ASCII.GetString(name, 0, Array.IndexOf(name, (byte)0));
        _master = new SafeFileHandle(fd, ownsHandle: true);
        _masterStream = new FileStream(_master, FileAccess.ReadWrite, 1);
    }

    [Fact]
    public void Pty_IsConfiguredRaw_AndCarriesBinaryBothWays()
    {
        using var port = new SerialDeviceBytePort(_slave, 115200);
        port.Open();

        // Bytes a cooked terminal would eat or translate: CR, LF, ^C, ^S, 0xFF.
        var frame = new byte[] { 0xFF, 0x0D, 0x0A, 0x03, 0x13, 0x00, 0x7F };
        _masterStream.Write(frame);
        _masterStream.Flush();
        Assert.Equal(frame, TcpBytePortTests.ReadExactly(port, frame.Length));

        port.Write([0xA0, 0x04, 0x01, 0x89, 0x01, 0xD1], 0, 6);
        var echoed = new byte[6];
        var got = 0;
        while (got < 6)
        {
            got += _masterStream.Read(echoed, got, 6 - got);
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

    public void Dispose()
    {
        _masterStream.Dispose();
        _master.Dispose();
    }

    // Plain DllImport: blittable signatures, no unsafe code needed in the test project.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    private static extern int PosixOpenpt(int flags);

    [DllImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    private static extern int Grantpt(int fd);

    [DllImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    private static extern int Unlockpt(int fd);

    [DllImport("libc", EntryPoint = "ptsname_r", SetLastError = true)]
    private static extern int PtsnameR(int fd, [Out] byte[] buffer, nuint length);
#pragma warning restore SYSLIB1054
}
