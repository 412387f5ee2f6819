using TimingMat.Host.Ports;

namespace TimingMat.Host.Unit;

/// <summary>Where a desktop unit's modules are: each a <c>tcp://host:port</c> serial bridge or a device such as <c>/dev/ttyUSB0</c>.</summary>
/// <param name="Readers">The reader modules' UARTs, 1–8, in reader-index order (reader i's ports are mat antennas i × 16 + port).</param>
/// <param name="Gps">The GPS's NMEA UART.</param>
/// <param name="Pps">Where PPS edges arrive as bytes, or null: the clock then never locks and passings stay unsynced.</param>
public sealed record UnitPorts(IReadOnlyList<string> Readers, string Gps, string? Pps)
{
    /// <summary>Gets every port with what it is for: the readers by index, then the GPS and the PPS input.</summary>
    /// <returns>Role and address, as <see cref="PortOpenException"/> and <see cref="PortClash"/> name them.</returns>
    public IEnumerable<(string Role, string Address)> All() => PortRole.Rig(Readers, Gps, "pps", Pps);
}
