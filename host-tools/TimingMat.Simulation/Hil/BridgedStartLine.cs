using System.Globalization;
using TimingMat.Host.Ports;
using TimingMat.Host.Unit;
using TimingMat.Mqtt;

namespace TimingMat.Simulation.Hil;

/// <summary>
/// A start line's emulated hardware (<see cref="MatPlayer.StartLine"/>) wired to a mat unit through three TCP
/// null-modem bridges — reader UART, GPS UART, PPS input — as a bench rig wires a board: the unit, a
/// <c>timingmat unit</c> process or a <see cref="DesktopMatUnit"/>, opens <see cref="UnitPorts"/> and may be killed and
/// started again on them while the line plays on.
/// </summary>
public sealed class BridgedStartLine : IDisposable
{
    private readonly NullModemBridge _reader = new();
    private readonly NullModemBridge _gps = new();
    private readonly NullModemBridge _pps = new();

    /// <summary>Initializes a new instance of the <see cref="BridgedStartLine"/> class; the line does not play yet (<see cref="MatPlayer.Start"/>).</summary>
    /// <param name="runners">Runners crossing.</param>
    /// <param name="perSecond">Runners a second (a start mat takes 20-30).</param>
    /// <param name="seed">Seed of the field and the emulators.</param>
    public BridgedStartLine(int runners, double perSecond, int seed)
    {
        Mat = MatPlayer.StartLine(runners, perSecond, Tcp(_reader.PortA), Tcp(_gps.PortA), Tcp(_pps.PortA), seed);
        UnitPorts = new UnitPorts([Tcp(_reader.PortB)], Tcp(_gps.PortB), Tcp(_pps.PortB));
    }

    /// <summary>Gets the line's hardware.</summary>
    public MatPlayer Mat { get; }

    /// <summary>Gets the unit's ends of the wiring.</summary>
    public UnitPorts UnitPorts { get; }

    /// <summary>Gets the unit's ends as <c>timingmat unit</c> options.</summary>
    public IReadOnlyList<string> UnitArguments => ["--reader", UnitPorts.Readers[0], "--gps", UnitPorts.Gps, "--pps", UnitPorts.Pps!];

    /// <summary>Gets the bibs of the runners the line's reader read, in crossing order: each must come as one passing.</summary>
    public List<int> BibsRead => [.. Mat.BibsCrossing(long.MinValue, long.MaxValue).Where(b => Mat.ReadsOf(b) > 0)];

    /// <summary>
    /// Writes the configuration (the board's <c>key = value</c> form, docs/unit-config.md) of a timing unit at this line:
    /// an R2000 reader, in timing mode, a status every second.
    /// </summary>
    /// <param name="unitId">The unit's id.</param>
    /// <param name="broker">The broker, or null to give it otherwise.</param>
    /// <returns>The configuration text.</returns>
    public static string UnitConfig(int unitId, MqttBrokerAddress? broker) => string.Create(
        CultureInfo.InvariantCulture,
        $"unit.id = {unitId}\nmat.role = start\nreader.type = r2000\nreader.region = eu\nmode = timing\nstatus.interval_s = 1\n{(broker == null ? string.Empty : $"mqtt.url = {broker}\n")}");

    /// <summary>Stops the line and drops the wiring.</summary>
    public void Dispose()
    {
        Mat.Dispose();
        _reader.Dispose();
        _gps.Dispose();
        _pps.Dispose();
    }

    private static string Tcp(int port) => "tcp://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
}
