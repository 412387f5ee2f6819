using System.Globalization;
using TimingMat.Core.Hardware;
using TimingMat.Emulators.Gps;
using TimingMat.Host.Ports;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scenarios;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Simulation.Hil;

/// <summary>
/// One mat of a race played in real time into a mat unit's wiring — its reader UARTs, GPS UART and PPS input — with the
/// simulator's emulators, as <see cref="HilHarness"/> plays it, but without collecting or scoring: for tests and
/// measurements that watch the unit (a <c>timingmat unit</c> process, a board) from the broker, and may kill and restart
/// it mid-race while the mat plays on, as a real mat keeps reading chips whatever its unit does.
/// </summary>
/// <remarks>
/// The hardware powers on when <see cref="Start"/> is called and runs until <see cref="Dispose"/>: after the last runner
/// the GPS and the reader keep going, so the unit sees no fault while it drains. Ports that drop (a killed unit on a
/// TCP bridge) are reopened by the bridges; what the hardware sends meanwhile is lost, as on an unplugged cable.
/// </remarks>
public sealed class MatPlayer : IDisposable
{
    // A unit's clock locks about 22 s after the GPS powers on (fix at 2 s, then 20 edges).
    private const long LockLeadMicros = 25 * Second;

    private readonly MatSpec _mat;
    private readonly long _fromUtcMicros;
    private readonly Dictionary<int, int> _readsByBib = [];
    private readonly List<IBytePort> _ports = [];
    private readonly IReadOnlyList<string> _readerPorts;
    private readonly string _gpsPort;
    private readonly string _ppsPort;
    private readonly MatRig _rig;
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private PpsPulser? _pulser;
    private volatile RealTimeline? _timeline;

    /// <summary>Initializes a new instance of the <see cref="MatPlayer"/> class; opens nothing yet.</summary>
    /// <param name="field">The race: who crosses the mat when.</param>
    /// <param name="mat">The mat played (its reader type and modules; its unit id picks the field's crossings, whatever id the unit is configured with).</param>
    /// <param name="fromUtcMicros">The race time the play starts at (the GPS powers on then; a unit's clock locks about 22 s later).</param>
    /// <param name="readerPorts">The unit's reader UARTs, one per reader module of the mat (<c>tcp://host:port</c> or a device).</param>
    /// <param name="gpsPort">The unit's GPS UART.</param>
    /// <param name="ppsPort">The unit's PPS input (one byte per edge).</param>
    /// <param name="seed">Seed of the emulators.</param>
    /// <exception cref="ArgumentException">Not one reader port per reader module of the mat.</exception>
    public MatPlayer(RaceField field, MatSpec mat, long fromUtcMicros, IReadOnlyList<string> readerPorts, string gpsPort, string ppsPort, int seed)
    {
        if (readerPorts.Count != mat.Reader.Modules)
        {
            throw new ArgumentException($"mat '{mat.Name}' has {mat.Reader.Modules} reader module(s) but {readerPorts.Count} reader port(s) were given", nameof(readerPorts));
        }

        _mat = mat;
        _fromUtcMicros = fromUtcMicros;
        _readerPorts = readerPorts;
        _gpsPort = gpsPort;
        _ppsPort = ppsPort;
        Crossings = [.. field.CrossingsAt(mat.UnitId).Where(c => c.UtcMicros >= fromUtcMicros)];

        // A perfect crystal: the player's stopwatch is true time, as in the harness.
        var power = new MatPower(new CrystalOscillator(0), fromUtcMicros, LocalAtBoot: 0, GpsAcquisitionSeconds: 2);
        _rig = new MatRig(mat, field.Scenario, field, boot: 1, power, (fromUtcMicros, long.MaxValue / 2), seed, _readsByBib);
    }

    /// <summary>
    /// Makes a start line played into one unit: <paramref name="runners"/> runners released at
    /// <paramref name="perSecond"/> a second over one 4-port R2000 module, the first about 25 s after the play starts
    /// (the time a unit's clock takes to lock on the emulated GPS, so that no passing waits for UTC).
    /// </summary>
    /// <param name="runners">How many runners cross.</param>
    /// <param name="perSecond">How many cross a second (a start mat takes 20-30).</param>
    /// <param name="readerPort">The unit's reader UART.</param>
    /// <param name="gpsPort">The unit's GPS UART.</param>
    /// <param name="ppsPort">The unit's PPS input.</param>
    /// <param name="seed">Seed of the field and the emulators (units played the same race with different seeds see different reads).</param>
    /// <returns>The player, not started.</returns>
    public static MatPlayer StartLine(int runners, double perSecond, string readerPort, string gpsPort, string ppsPort, int seed = 5)
    {
        var scenario = ScenarioLoader.Parse(
            string.Create(CultureInfo.InvariantCulture, $$"""
            {
              "name": "start-line", "date": "2025-05-04", "seed": {{seed}},
              "waves": [ { "number": 1, "gun": "09:00:00" } ],
              "corrals": [ { "name": "A", "wave": 1, "share": 1 } ],
              "course": { "distance_km": 5, "mats": [ { "name": "start", "role": "start", "km": 0, "cutoff": "10:00" }, { "name": "finish", "role": "finish", "km": 5, "cutoff": "11:00" } ] },
              "runners": { "count": {{runners}}, "start_rate_per_s": {{perSecond}}, "pace_s_per_km": { "median": 300, "spread": 0.1, "fastest": 200, "slowest": 500 } }
            }
            """),
            "start-line");
        var field = RaceField.Generate(scenario, seed);
        var mat = scenario.Mats[0];
        var from = ((field.CrossingsAt(mat.UnitId)[0].UtcMicros - LockLeadMicros) / Second) * Second;
        return new MatPlayer(field, mat, from, [readerPort], gpsPort, ppsPort, seed);
    }

    /// <summary>Gets the crossings of the mat from the start of the play on, in time order (the truth a collector is checked against).</summary>
    public IReadOnlyList<TrueMatCrossing> Crossings { get; }

    /// <summary>Gets the race time now (UTC µs), or the start before <see cref="Start"/>.</summary>
    public long TrueNow => _timeline?.TrueNow ?? _fromUtcMicros;

    /// <summary>Gets the reads the reader modules sent on the wire.</summary>
    public long ReadsReported => _rig.ReadsReported;

    /// <summary>Gets how many reads the modules sent of a chip's bib (0: the unit cannot have timed it).</summary>
    /// <param name="bib">The bib.</param>
    /// <returns>Reads on the wire.</returns>
    public int ReadsOf(int bib)
    {
        lock (_readsByBib)
        {
            return _readsByBib.GetValueOrDefault(bib);
        }
    }

    /// <summary>Opens the ports and powers the mat's hardware on: GPS, PPS and reader modules run from now.</summary>
    /// <exception cref="PortOpenException">A port cannot be opened.</exception>
    public void Start()
    {
        var readers = _readerPorts.Select((address, i) => Open(address, 115_200, PortRole.Reader(i, _readerPorts.Count))).ToList();
        var gps = Open(_gpsPort, 9600, "gps");
        var pps = Open(_ppsPort, 115_200, "pps-out");
        var bridges = _rig.ReaderLines.Select((line, i) => new LineBridge(PortRole.Reader(i, readers.Count), line.UnitEnd, readers[i])).Append(new LineBridge("gps", _rig.Gps.GpsPort, gps)).ToList();
        var timeline = new RealTimeline(_fromUtcMicros);
        _timeline = timeline;
        _pulser = new PpsPulser(pps, timeline, t => _rig.Gps.Gps.HasFixAt(t));
        _pulser.Start();
        _thread = new Thread(() => Play(timeline, bridges)) { IsBackground = true, Name = $"mat-player-{_mat.Name}" };
        _thread.Start();
    }

    /// <summary>Gets the bibs that crossed the mat between two race times (UTC µs, from inclusive, to exclusive).</summary>
    /// <param name="fromUtcMicros">From.</param>
    /// <param name="toUtcMicros">To.</param>
    /// <returns>The bibs, in crossing order.</returns>
    public List<int> BibsCrossing(long fromUtcMicros, long toUtcMicros) =>
        [.. Crossings.Where(c => c.UtcMicros >= fromUtcMicros && c.UtcMicros < toUtcMicros).Select(c => c.Runner.Athlete.Bib)];

    /// <summary>Powers the hardware off and closes the ports.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join();
        _pulser?.Dispose();
        foreach (var port in _ports)
        {
            port.Close();
            (port as IDisposable)?.Dispose();
        }

        _stop.Dispose();
    }

    private IBytePort Open(string address, int baud, string role)
    {
        var port = BytePortAddress.Create(address, baud);
        _ports.Add(port);
        PortOpenException.Open(port, role, address);
        return port;
    }

    private void Play(RealTimeline timeline, List<LineBridge> bridges)
    {
        while (!_stop.IsCancellationRequested)
        {
            lock (_readsByBib)
            {
                _rig.StepTo(timeline.TrueNow);
            }

            foreach (var bridge in bridges)
            {
                bridge.Pump(timeline.ElapsedMicros);
            }

            Thread.Sleep(1);
        }
    }
}
