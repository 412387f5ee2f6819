using TimingMat.Core.Unit;
using TimingMat.Emulators.Passings;
using TimingMat.Host.Unit;
using TimingMat.Mqtt;
using TimingMat.Simulation.Hil;

namespace TimingMat.Bench.Uplink;

/// <summary>
/// A mat unit at a start line, measured from the broker: the unit application <c>timingmat unit</c> runs
/// (<see cref="DesktopMatUnit"/>, the same <see cref="MatUnit"/> the board runs) polling on its own thread, its reader,
/// GPS and PPS wired to the start line's emulated hardware (<see cref="BridgedStartLine"/>).
/// </summary>
/// <remarks>
/// The process boundary is not what is measured, so the unit runs in the benchmark's process: one poll thread, as on
/// the board. The emulated GPS runs on race time (the scenario's day); <see cref="WallMinusRaceMicros"/> maps it to the
/// collector's wall-clock arrival stamps.
/// </remarks>
internal sealed class StartLineUnit : IDisposable
{
    private readonly BridgedStartLine _line;
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;

    /// <summary>Initializes a new instance of the <see cref="StartLineUnit"/> class; nothing runs yet.</summary>
    /// <param name="id">Unit id.</param>
    /// <param name="journal">The unit's journal folder.</param>
    /// <param name="broker">The broker.</param>
    /// <param name="runners">Runners crossing.</param>
    /// <param name="perSecond">Runners a second.</param>
    public StartLineUnit(int id, string journal, MqttBrokerAddress broker, int runners, double perSecond)
    {
        var config = UnitConfigFile.ParseKeyValue(BridgedStartLine.UnitConfig(id, null), $"unit-{id}.cfg", journal) with { JournalDirectory = journal };
        _line = new BridgedStartLine(runners, perSecond, seed: id);
        Unit = new DesktopMatUnit(config, _line.UnitPorts, broker);
    }

    /// <summary>Gets the unit (touch it only before <see cref="Start"/>).</summary>
    public DesktopMatUnit Unit { get; }

    /// <summary>Gets the start line's hardware.</summary>
    public MatPlayer Mat => _line.Mat;

    /// <summary>Gets the wall-clock UTC µs minus the race time, from <see cref="Start"/> on.</summary>
    public long WallMinusRaceMicros { get; private set; }

    /// <summary>Opens the unit's ports and journal, starts its loop and powers the start line on.</summary>
    public void Start()
    {
        Unit.Start();
        _thread = new Thread(() => Unit.Run(_stop.Token, null, TimeSpan.FromDays(1), null, TimeSpan.FromMilliseconds(2))) { IsBackground = true, Name = "unit-loop" };
        _thread.Start();
        Mat.Start();
        WallMinusRaceMicros = SyntheticPassings.UtcNowMicros() - Mat.TrueNow;
    }

    /// <summary>Stops the unit cleanly, then the start line.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        Unit.Dispose();
        _line.Dispose();
        _stop.Dispose();
    }
}
