using System.Diagnostics;
using System.Globalization;
using TimingMat.Collector;
using TimingMat.Core.Clock;
using TimingMat.Core.Hardware;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Reader.R2000;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Gps;
using TimingMat.Emulators.Reader;
using TimingMat.Host.Ports;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Network;
using TimingMat.Simulation.Scenarios;
using TimingMat.Simulation.Scoring;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Simulation.Hil;

/// <summary>
/// Hardware in the loop: plays one mat of a scenario in real time into a board's reader and GPS UARTs (and its PPS
/// input) with the emulators the simulator uses (one reader module emulator per reader UART on a multi-module mat), collects what the board publishes on the broker with the real
/// collector, and scores it against the truth like <c>simulate</c> (<see cref="RaceScorer"/>).
/// </summary>
/// <remarks>
/// <para>
/// True time is the harness's stopwatch from <see cref="HilOptions.FromUtcMicros"/> (<see cref="RealTimeline"/>).
/// One thread steps the mat's emulated hardware (<see cref="MatRig"/>, on a perfect crystal: the harness is the
/// reference) to it about every millisecond and pumps the UARTs, each reader module's and the GPS's (<see cref="LineBridge"/>); another writes the
/// PPS edges (<see cref="PpsPulser"/>); the collector polls on its own.
/// </para>
/// <para>
/// Only this run's passings are scored: the unit's retained status before the first runner tells where its journal
/// stood, and passings numbered up to there (an earlier run's, replayed) are left out. After the play the harness
/// keeps the GPS and the reader running (so the board sees no fault) until the board's passings stop arriving and its
/// status says the collector has them all, or <see cref="HilOptions.DrainLimit"/> has passed.
/// </para>
/// </remarks>
public sealed class HilHarness
{
    // Reaction time (2 s at a start or check-in mat), group commit and batching: a crossing's passing leaves by then.
    private const long SettleMicros = 3 * Second;
    private const long QuietMicros = 3 * Second;
    private const long StatusCheckMicros = 200_000;
    private const long ProgressMicros = 5 * Second;

    private readonly HilOptions _options;

    /// <summary>Initializes a new instance of the <see cref="HilHarness"/> class.</summary>
    /// <param name="options">What to play, where, and where to collect.</param>
    /// <exception cref="ArgumentException">Not one reader port per reader module of the mat, or one port given twice.</exception>
    public HilHarness(HilOptions options)
    {
        if (options.ReaderPorts.Count != options.Mat.Reader.Modules)
        {
            throw new ArgumentException($"mat '{options.Mat.Name}' has {options.Mat.Reader.Modules} reader module(s) but {options.ReaderPorts.Count} reader port(s) were given", nameof(options));
        }

        if (PortClash.Find(RolesOf(options)) is { } clash)
        {
            throw new ArgumentException(clash.Message, nameof(options));
        }

        _options = options;
    }

    /// <summary>Plays the mat, drains and scores.</summary>
    /// <param name="progress">Receives how the run goes every few seconds, or null.</param>
    /// <param name="cancel">Ends the play early; what was played is still drained and scored.</param>
    /// <returns>The report and notes.</returns>
    /// <exception cref="PortOpenException">A port to the board cannot be opened.</exception>
    /// <exception cref="BrokerUnreachableException">The broker cannot be reached.</exception>
    public HilResult Run(Action<HilProgress>? progress = null, CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var o = _options;
        var unit = o.Mat.UnitId;
        var field = o.Field;
        var window = new TruthWindow(o.FromUtcMicros, o.ToUtcMicros);
        var notes = new List<string>();
        var ports = new List<IBytePort>();
        try
        {
            var readers = o.ReaderPorts.Select((address, i) => Open(ports, address, o.ReaderBaud, PortRole.Reader(i, o.ReaderPorts.Count))).ToList();
            var gps = Open(ports, o.GpsPort, o.GpsBaud, "gps");
            var pps = o.PpsPort == null ? null : Open(ports, o.PpsPort, 115_200, "pps-out");
            using var service = new CollectorService(o.Broker, ":memory:", new CollectorOptions { TopicPrefix = o.TopicPrefix, ClientId = o.ClientId, Username = o.Username, Password = o.Password }, o.ConfigureClient);
            if (!service.Connect())
            {
                throw new BrokerUnreachableException(o.Broker.ToString(), service.Link.LastError);
            }

            var session = new Session(o, field, window, readers, gps, pps, service, notes);
            session.Play(progress, cancel);
            var report = session.Score(wall.Elapsed.TotalSeconds);
            return new HilResult(report, notes, session.PpsLateness);
        }
        finally
        {
            foreach (var port in ports)
            {
                port.Close();
                (port as IDisposable)?.Dispose();
            }
        }
    }

    /// <summary>Gives every port of a run with what it is for, as <see cref="PortOpenException"/> and <see cref="PortClash"/> name them.</summary>
    /// <param name="options">The run.</param>
    /// <returns>The reader ports by index, then the GPS and the PPS output.</returns>
    public static IEnumerable<(string Role, string Address)> RolesOf(HilOptions options) =>
        PortRole.Rig(options.ReaderPorts, options.GpsPort, "pps-out", options.PpsPort);

    private static IBytePort Open(List<IBytePort> ports, string address, int baud, string role)
    {
        var port = BytePortAddress.Create(address, baud);
        ports.Add(port);
        PortOpenException.Open(port, role, address);
        return port;
    }

    /// <summary>One run: the rig, the bridges, the collected passings and the unit's statuses.</summary>
    private sealed class Session
    {
        private readonly HilOptions _o;
        private readonly RaceField _field;
        private TruthWindow _window;
        private readonly CollectorService _service;
        private readonly List<string> _notes;
        private readonly Dictionary<int, int> _readsByBib = [];
        private readonly List<DeliveredPassing> _delivered = [];
        private readonly MatRig _rig;
        private readonly IBytePort? _pps;
        private readonly IReadOnlyList<LineBridge> _readerBridges;
        private readonly LineBridge _gpsBridge;
        private readonly List<FaultSpec> _silences;
        private readonly long _firstCrossing;
        private volatile RealTimeline? _timeline;
        private ObservedStatus? _baseline;
        private ObservedStatus? _latest;
        private string? _statusText;
        private long _lastDeliveredAt = long.MinValue;
        private int _faultsPlayed;

        public Session(HilOptions o, RaceField field, TruthWindow window, IReadOnlyList<IBytePort> readers, IBytePort gps, IBytePort? pps, CollectorService service, List<string> notes)
        {
            _o = o;
            _field = field;
            _window = window;
            _service = service;
            _notes = notes;
            _pps = pps;

            // A perfect crystal: the harness's stopwatch is true time, so the unit's local µs on the emulated lines are µs of play.
            var power = new MatPower(new CrystalOscillator(0), o.FromUtcMicros, LocalAtBoot: 0, o.GpsAcquisitionSeconds);
            _rig = new MatRig(o.Mat, o.Scenario, field, boot: 1, power, (o.FromUtcMicros, o.ToUtcMicros), o.Seed, _readsByBib);

            // The rig builds the mat's modules as the simulator does (module i on reader line i, its own seed); each line
            // goes to the board's reader UART of the same index.
            _readerBridges = [.. _rig.ReaderLines.Select((line, i) => new LineBridge(PortRole.Reader(i, readers.Count), line.UnitEnd, readers[i]))];
            _gpsBridge = new LineBridge("gps", _rig.Gps.GpsPort, gps);
            _silences = [.. o.Scenario.Faults.Where(f => f.Kind == FaultKind.ReaderSilence && f.Mat == o.Mat.Name && window.Contains(f.AtUtcMicros))];
            _firstCrossing = field.CrossingsAt(o.Mat.UnitId).Where(c => window.Contains(c.UtcMicros)).Select(c => c.UtcMicros).DefaultIfEmpty(o.ToUtcMicros).Min();
            _faultsPlayed = _silences.Count + o.Scenario.Faults.Count(f => f.Kind == FaultKind.GpsLoss && f.Mat == o.Mat.Name && window.Contains(f.AtUtcMicros));
            foreach (var fault in o.Scenario.Faults.Where(f => f.Kind is not (FaultKind.ReaderSilence or FaultKind.GpsLoss) && (f.Mat == null || f.Mat == o.Mat.Name) && (f.Kind == FaultKind.LoraOnly || window.Contains(f.AtUtcMicros))))
            {
                notes.Add($"not played in the loop: {FaultName(fault.Kind)} at {Iso(fault.AtUtcMicros)} (the harness cannot cut the board's power, network or broker: do it by hand to test it).");
            }

            service.Collector.PassingStored += (_, e) =>
            {
                lock (_delivered)
                {
                    var at = _timeline?.TrueNow ?? o.FromUtcMicros;
                    _delivered.Add(DeliveredPassing.From(e.Passing.Passing, at, e.Passing.Source == PassingStore.SourceLora));
                    if (e.Passing.Passing.UnitId == o.Mat.UnitId)
                    {
                        _lastDeliveredAt = at;
                    }
                }
            };
        }

        public IReadOnlyList<long> PpsLateness { get; private set; } = [];

        public void Play(Action<HilProgress>? progress, CancellationToken cancel)
        {
            _service.Start();

            // The retained status tells where the unit's journal stands before anything is played.
            var waited = Stopwatch.StartNew();
            while (_statusText == null && waited.Elapsed < TimeSpan.FromSeconds(3) && !cancel.IsCancellationRequested)
            {
                CheckStatus(_o.FromUtcMicros);
                Thread.Sleep(100);
            }

            _timeline = new RealTimeline(_o.FromUtcMicros);
            using var pulser = _pps == null ? null : new PpsPulser(_pps, _timeline, t => _rig.Gps.Gps.HasFixAt(t));
            pulser?.Start();
            var nextSilence = 0;
            var nextStatus = 0L;
            var nextProgress = _o.FromUtcMicros + ProgressMicros;
            var drainLimit = _window.ToUtcMicros + (long)(_o.DrainLimit.TotalMilliseconds * 1000);
            while (true)
            {
                var now = _timeline.TrueNow;
                var playing = now < _window.ToUtcMicros && !cancel.IsCancellationRequested;
                if (!playing && now < _window.ToUtcMicros)
                {
                    // Stopped early (Ctrl+C): score the time played, not runners the reader never got to see.
                    _window = _window with { ToUtcMicros = now };
                    drainLimit = now + (long)(_o.DrainLimit.TotalMilliseconds * 1000);
                }

                while (playing && nextSilence < _silences.Count && _silences[nextSilence].AtUtcMicros <= now)
                {
                    _rig.SilenceReaders(_silences[nextSilence++].DurationMicros);
                }

                _rig.StepTo(now);
                foreach (var bridge in _readerBridges)
                {
                    bridge.Pump(_timeline.ElapsedMicros);
                }

                _gpsBridge.Pump(_timeline.ElapsedMicros);
                if (now >= nextStatus)
                {
                    CheckStatus(now);
                    nextStatus = now + StatusCheckMicros;
                }

                if (now >= nextProgress)
                {
                    progress?.Invoke(Progress(now, draining: !playing));
                    nextProgress += ProgressMicros;
                }

                if (!playing && (Drained(now) || now >= drainLimit || cancel.IsCancellationRequested))
                {
                    break;
                }

                Thread.Sleep(1);
            }

            PpsLateness = pulser?.LatenessMicros ?? [];
            _service.Stop();
        }

        public SimulationReport Score(double wallSeconds)
        {
            var unit = _o.Mat.UnitId;
            List<DeliveredPassing> all;
            lock (_delivered)
            {
                all = [.. _delivered];
            }

            // Passings numbered up to the journal's mark before the play are an earlier run's (replayed, or never acked).
            var sameJournal = _baseline?.Journal is { } before && _latest?.Journal is { } after && before.Id == after.Id;
            var baselineSeq = _baseline?.Journal is { } b && (sameJournal || _latest?.Journal == null) ? b.LastSequence : 0;
            var run = all.Where(d => d.Unit == unit && d.Sequence > baselineSeq).ToList();
            Explain(all, run, baselineSeq);

            var last = run.MaxBy(d => d.Sequence);
            var journaled = sameJournal ? _latest!.Journal!.Value.LastSequence - baselineSeq : (last?.Sequence ?? baselineSeq) - baselineSeq;
            var outcome = new MatFacts
            {
                Spec = _o.Mat,
                ReadsGenerated = _rig.ReadsGenerated,
                ReadsReported = _rig.ReadsReported,
                ReadsNotReported = _rig.ReadsNotReported,
                ReadsByBib = _readsByBib,
                JournalLastSequence = journaled,
                ClockState = last == null ? "unknown" : last.ClockState.ToString().ToLowerInvariant(),

                // The unit's status states its clock against its own PPS, not against true time: the board's clock
                // cannot be compared with true time here.
                ClockErrorsMicros = null,
                ReaderRestarts = _rig.Readers.Sum(r => Math.Max(0, Configurations(r) - 1)),
                LastStatus = _statusText,
            };
            var facts = new RunFacts(_o.Seed, _faultsPlayed, _service.Collector.Duplicates, (_window.ToUtcMicros - _window.FromUtcMicros) / 1e6, wallSeconds, _o.Broker.ToString()) { Window = _window };
            return RaceScorer.Score(facts, _field, [outcome], run);
        }

        private static int Configurations(ReaderModuleEmulator module) => module switch
        {
            // Every (re)start of the board's driver configures the region first: the restarts the module saw.
            MercuryNanoEmulator mercury => mercury.Opcodes.Count(o => o == MercuryOpcode.SetRegion),
            R2000ModuleEmulator r2000 => r2000.Commands.Count(c => c == R2000Command.SetFrequencyRegion),
            _ => 0,
        };

        private static string FaultName(FaultKind kind) => kind switch
        {
            FaultKind.UplinkOutage => "uplink_outage",
            FaultKind.BrokerRestart => "broker_restart",
            FaultKind.PowerCut => "power_cut",
            FaultKind.LoraOnly => "lora_only",
            _ => kind.ToString(),
        };

        private static string Iso(long utcMicros) =>
            DateTime.UnixEpoch.AddTicks(utcMicros * 10).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

        private void CheckStatus(long now)
        {
            var text = _service.Read((_, store) => store.ReadStatus(_o.Mat.UnitId));
            if (text == null || text == _statusText)
            {
                return;
            }

            _statusText = text;
            var status = ObservedStatus.TryParse(text, now);
            if (status == null)
            {
                return;
            }

            _latest = status;
            if (status.Journal != null && now < _firstCrossing)
            {
                // No passing of this run can exist before its first runner crosses: this is where the journal stood.
                _baseline = status;
            }
        }

        private bool Drained(long now)
        {
            long lastDelivered;
            lock (_delivered)
            {
                lastDelivered = _lastDeliveredAt;
            }

            if (now - _window.ToUtcMicros < SettleMicros || now - lastDelivered < QuietMicros)
            {
                return false;
            }

            if (_latest == null)
            {
                // A unit that never published a status cannot say it is done; quiet is all there is to go by.
                return now - lastDelivered >= 2 * QuietMicros;
            }

            return _latest.Journal is { } journal && _latest.SeenAtUtcMicros >= _window.ToUtcMicros + SettleMicros && journal.Unacknowledged == 0;
        }

        private HilProgress Progress(long now, bool draining)
        {
            int delivered;
            lock (_delivered)
            {
                delivered = _delivered.Count(d => d.Unit == _o.Mat.UnitId);
            }

            return new HilProgress(
                (Math.Min(now, _window.ToUtcMicros) - _o.FromUtcMicros) / 1e6,
                (_o.ToUtcMicros - _o.FromUtcMicros) / 1e6,
                draining,
                _rig.ReadsReported,
                delivered,
                _latest?.State ?? "no status yet",
                _readerBridges.Sum(b => b.BytesFromBoard));
        }

        private void Explain(List<DeliveredPassing> all, List<DeliveredPassing> run, long baselineSeq)
        {
            var unit = _o.Mat.UnitId;
            foreach (var other in all.Where(d => d.Unit != unit).GroupBy(d => d.Unit))
            {
                _notes.Add($"{other.Count()} passing(s) came from unit {other.Key}, not unit {unit} (mat '{_o.Mat.Name}'): is the board configured with unit id {unit}?");
            }

            if (_baseline == null)
            {
                _notes.Add($"unit {unit} published no status before the first runner: every passing it delivered counts as this run's (an earlier run's unacknowledged passings would show as duplicates).");
            }
            else if (all.Count(d => d.Unit == unit && d.Sequence <= baselineSeq) is > 0 and var earlier)
            {
                _notes.Add($"the unit's journal stood at seq {baselineSeq} before the play; {earlier} earlier passing(s) it sent again were left out.");
            }

            for (var i = 0; i < _readerBridges.Count; i++)
            {
                if (Configurations(_rig.Readers[i]) == 0)
                {
                    var which = _readerBridges.Count == 1 ? string.Empty : $" {i} (on {_o.ReaderPorts[i]})";
                    _notes.Add($"the board never configured the emulated {ReaderTypeText.Name(_o.Mat.Reader.Protocol)} reader{which} ({_readerBridges[i].BytesFromBoard} byte(s) came from it): check the reader wiring (board TX to adapter RX) and that the unit's reader.type is {ReaderTypeText.Name(_o.Mat.Reader.Protocol)}.");
                }
            }

            if (_pps == null)
            {
                _notes.Add("no --pps-out: the board's clock cannot lock on the emulated GPS unless its PPS input is driven otherwise.");
            }

            if (_latest?.Journal is { Unacknowledged: > 0 } open)
            {
                _notes.Add($"the unit still reported {open.Unacknowledged} unacknowledged passing(s) when the drain ended.");
            }

            if (run.Count == 0 && _field.CrossingsAt(unit).Any(c => _window.Contains(c.UtcMicros)))
            {
                _notes.Add($"nothing arrived from unit {unit} on {_o.TopicPrefix}/{unit}/passings: check the board's broker, topic prefix and unit id.");
            }
        }
    }
}
