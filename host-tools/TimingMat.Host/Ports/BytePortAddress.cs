using System.Globalization;
using TimingMat.Core.Hardware;

namespace TimingMat.Host.Ports;

/// <summary>Parses where a unit's module is: <c>tcp://host:port</c> (a TCP serial bridge) or a device path such as <c>/dev/ttyUSB0</c>.</summary>
public static class BytePortAddress
{
    /// <summary>Creates the port an address names. Does not open it.</summary>
    /// <param name="address"><c>tcp://host:port</c>, <c>/dev/tty…</c> or <c>COMn</c>.</param>
    /// <param name="baud">Line speed for a tty.</param>
    /// <returns>The port.</returns>
    /// <exception cref="FormatException">The address is neither form.</exception>
    public static IBytePort Create(string address, int baud)
    {
        if (address.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
        {
            var rest = address[6..].TrimEnd('/');
            var colon = rest.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(rest[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new FormatException($"'{address}' is not tcp://host:port");
            }

            return new TcpBytePort(rest[..colon], port);
        }

        if (address.StartsWith("/dev/", StringComparison.Ordinal) || IsWindowsPort(address))
        {
            return new SerialDeviceBytePort(address, baud);
        }

        throw new FormatException($"'{address}' is not a port: use tcp://host:port for a TCP serial bridge or a device such as /dev/ttyUSB0 (COM3 on Windows)");
    }

    /// <summary>
    /// Gives what an address opens, so that two spellings of one port compare equal: <c>TCP://Bridge:4001/</c> is
    /// <c>tcp://bridge:4001</c>, and a device link (<c>/dev/serial/by-id/…</c>) is the device it points to.
    /// </summary>
    /// <param name="address">An address as given; one that is neither form comes back unchanged.</param>
    /// <returns>The port's identity.</returns>
    public static string Identity(string address)
    {
        if (address.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase))
        {
            return "tcp://" + address[6..].TrimEnd('/').ToLowerInvariant();
        }

        try
        {
            // Technicians name USB adapters by their stable udev links; two links, or a link and the tty, may be one adapter.
            return File.ResolveLinkTarget(address, returnFinalTarget: true)?.FullName ?? address;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // Missing or unreadable: opening it will say so; as a name it is still compared with the others.
            return address;
        }
    }

    /// <summary>Tells whether an address is a Windows serial port name (<c>COM1</c>…<c>COM256</c>).</summary>
    /// <param name="address">The address.</param>
    /// <returns><c>true</c> for <c>COMn</c>, any case.</returns>
    public static bool IsWindowsPort(string address) =>
        address.Length is > 3 and <= 6 && address.StartsWith("COM", StringComparison.OrdinalIgnoreCase) && address[3..].All(char.IsAsciiDigit);
}
