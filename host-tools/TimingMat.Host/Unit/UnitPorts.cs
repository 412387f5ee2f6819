namespace TimingMat.Host.Unit;

/// <summary>Where a desktop unit's modules are: each a <c>tcp://host:port</c> serial bridge or a device such as <c>/dev/ttyUSB0</c>.</summary>
/// <param name="Reader">The reader module's UART.</param>
/// <param name="Gps">The GPS's NMEA UART.</param>
/// <param name="Pps">Where PPS edges arrive as bytes, or null: the clock then never locks and passings stay unsynced.</param>
public sealed record UnitPorts(string Reader, string Gps, string? Pps);
