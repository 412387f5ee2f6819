using TimingMat.Core.Hardware;

namespace TimingMat.Host.Ports;

/// <summary>A port cannot be opened (a desktop unit's, or the HIL harness's to a board): what it is for, where it goes, and why.</summary>
public sealed class PortOpenException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="PortOpenException"/> class.</summary>
    /// <param name="role">What the port is for, e.g. <c>reader</c>, <c>gps</c> or <c>pps</c>.</param>
    /// <param name="address">The address given, e.g. <c>/dev/ttyUSB0</c>.</param>
    /// <param name="inner">The failure to open it.</param>
    public PortOpenException(string role, string address, Exception inner)
        : base($"the {role} port {address} cannot be opened: {inner.Message}", inner)
    {
        Role = role;
        Address = address;
    }

    /// <summary>Gets what the port is for.</summary>
    public string Role { get; }

    /// <summary>Gets the address given.</summary>
    public string Address { get; }

    /// <summary>Opens a port, turning the port's failure into this exception.</summary>
    /// <param name="port">The port.</param>
    /// <param name="role">What it is for.</param>
    /// <param name="address">The address given.</param>
    /// <exception cref="PortOpenException">The port cannot be opened.</exception>
    public static void Open(IBytePort port, string role, string address)
    {
        try
        {
            port.Open();
        }
        catch (InvalidOperationException e)
        {
            throw new PortOpenException(role, address, e.InnerException ?? e);
        }
    }
}
