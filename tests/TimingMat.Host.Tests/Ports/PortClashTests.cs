using TimingMat.Host.Ports;
using Xunit;

namespace TimingMat.Host.Tests.Ports;

/// <summary>A rig's ports must be different ports, however each is spelt: two lines on one UART would split its bytes.</summary>
public sealed class PortClashTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tm-ports-").FullName;

    [Theory]
    [InlineData("tcp://127.0.0.1:4001", "tcp://127.0.0.1:4001")]
    [InlineData("TCP://Bridge.Local:4001/", "tcp://bridge.local:4001")]
    [InlineData("/dev/ttyUSB7-not-here", "/dev/ttyUSB7-not-here")]
    [InlineData("COM3", "COM3")]
    public void Identity_OfAnAddress(string address, string identity)
    {
        Assert.Equal(identity, BytePortAddress.Identity(address));
    }

    [Fact]
    public void Identity_OfADeviceLink_IsTheDeviceItPointsTo()
    {
        // As /dev/serial/by-id/usb-…-if00-port0 -> ../../ttyUSB0.
        var device = Path.Combine(_dir, "ttyUSB0");
        File.WriteAllText(device, string.Empty);
        Directory.CreateDirectory(Path.Combine(_dir, "by-id"));
        var link = Path.Combine(_dir, "by-id", "usb-FTDI-if00-port0");
        File.CreateSymbolicLink(link, Path.Combine("..", "ttyUSB0"));

        Assert.Equal(device, BytePortAddress.Identity(link));
    }

    [Fact]
    public void Find_NamesTheFirstPortGivenTwice_WithBothRoles()
    {
        var clash = PortClash.Find([("reader 0", "tcp://127.0.0.1:4001"), ("reader 1", "tcp://127.0.0.1:4002"), ("reader 2", "tcp://127.0.0.1:4002/"), ("gps", "tcp://127.0.0.1:4001")]);

        Assert.Equal(new PortClash("tcp://127.0.0.1:4002/", "reader 1", "reader 2"), clash);
        Assert.Equal("tcp://127.0.0.1:4002/ is given for both reader 1 and reader 2; one port carries one UART", clash!.Message);
    }

    [Fact]
    public void Find_IsNull_WhenEveryPortDiffers()
    {
        Assert.Null(PortClash.Find([("reader 0", "tcp://127.0.0.1:4001"), ("reader 1", "tcp://127.0.0.2:4001"), ("gps", "/dev/ttyUSB0"), ("pps", "/dev/ttyUSB1")]));
    }

    [Fact]
    public void Find_SeesALinkAndItsDevice_AsOnePort()
    {
        var device = Path.Combine(_dir, "ttyACM0");
        File.WriteAllText(device, string.Empty);
        var link = Path.Combine(_dir, "gps-link");
        File.CreateSymbolicLink(link, device);

        var clash = PortClash.Find([("reader", device), ("gps", link)]);

        Assert.Equal(("reader", "gps"), (clash?.FirstRole, clash?.SecondRole));
    }

    [Theory]
    [InlineData(0, 1, "reader")]
    [InlineData(0, 2, "reader 0")]
    [InlineData(7, 8, "reader 7")]
    public void Role_OfAReaderPort(int index, int count, string role)
    {
        Assert.Equal(role, PortRole.Reader(index, count));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
