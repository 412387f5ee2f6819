namespace TimingMat.Host.Ports;

/// <summary>
/// Two lines of one rig given the same port (two reader modules, or a reader and the GPS): each would get part of the
/// other's bytes, so a desktop unit and the HIL harness refuse it before opening anything.
/// </summary>
/// <param name="Address">The address as given the second time.</param>
/// <param name="FirstRole">What the port was given for first, e.g. <c>reader 0</c>.</param>
/// <param name="SecondRole">What it was given for again, e.g. <c>reader 1</c> or <c>gps</c>.</param>
public sealed record PortClash(string Address, string FirstRole, string SecondRole)
{
    /// <summary>Gets the clash as a sentence for an error message.</summary>
    public string Message => $"{Address} is given for both {FirstRole} and {SecondRole}; one port carries one UART";

    /// <summary>Finds the first port given twice, comparing what the addresses open (<see cref="BytePortAddress.Identity"/>).</summary>
    /// <param name="ports">Every port of the rig with what it is for, in the order given.</param>
    /// <returns>The first clash, or null when every port is different.</returns>
    public static PortClash? Find(IEnumerable<(string Role, string Address)> ports)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (role, address) in ports)
        {
            var identity = BytePortAddress.Identity(address);
            if (!seen.TryAdd(identity, role))
            {
                return new PortClash(address, seen[identity], role);
            }
        }

        return null;
    }
}
