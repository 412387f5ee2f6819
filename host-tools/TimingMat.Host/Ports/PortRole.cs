namespace TimingMat.Host.Ports;

/// <summary>What a port is for, as messages name it (<see cref="PortOpenException.Role"/>, <see cref="PortClash"/>).</summary>
public static class PortRole
{
    /// <summary>Names a reader module's port: <c>reader</c> on a one-module rig (as it always was), else <c>reader</c> and its index.</summary>
    /// <param name="index">The reader index, from 0 (the core's numbering: reader 1's port 1 is mat antenna 17).</param>
    /// <param name="count">How many reader modules the rig has.</param>
    /// <returns>The role, e.g. <c>reader</c> or <c>reader 1</c>.</returns>
    public static string Reader(int index, int count) =>
        count == 1 ? "reader" : "reader " + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Lists a rig's ports with what each is for: the reader modules by index, then the GPS and the PPS line.</summary>
    /// <param name="readers">The reader modules' ports, by reader index.</param>
    /// <param name="gps">The GPS UART's port.</param>
    /// <param name="ppsRole">What the PPS line is called on this rig (<c>pps</c> on a unit, <c>pps-out</c> on the HIL harness).</param>
    /// <param name="pps">The PPS line's port, or null for none.</param>
    /// <returns>Role and address, in that order.</returns>
    public static IEnumerable<(string Role, string Address)> Rig(IReadOnlyList<string> readers, string gps, string ppsRole, string? pps)
    {
        for (var i = 0; i < readers.Count; i++)
        {
            yield return (Reader(i, readers.Count), readers[i]);
        }

        yield return ("gps", gps);
        if (pps != null)
        {
            yield return (ppsRole, pps);
        }
    }
}
