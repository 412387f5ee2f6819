using System.Diagnostics;
using TimingMat.Collector;
using TimingMat.Collector.Lora;
using TimingMat.Core.Lora;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Radio;
using TimingMat.Host.Crypto;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Network;
using TimingMat.Simulation.Scenarios;
using TimingMat.Simulation.Scoring;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Simulation.Engine;

/// <summary>
/// Runs a whole race through the real firmware core on simulated time: one <see cref="SimulatedMat"/> per mat, a
/// broker (emulated in process, or a real one through the real MQTT client), the real collector storing passings by
/// (unit, seq) and acking them, the scenario's faults on the timeline, and at the end the comparison with the truth
/// and the race-rules audit (<see cref="RaceScorer"/>).
/// </summary>
/// <remarks>
/// Mats only meet at the broker, so they step in parallel within short windows and the network runs between
/// windows. Everything random is seeded: with the in-process broker the same scenario and seed give the same report
/// (except <see cref="SimulationReport.WallSeconds"/>); a real broker's timing can move a batch by a window.
/// </remarks>
public sealed class RaceEngine
{
    private readonly Scenario _scenario;
    private readonly SimulationOptions _options;

    /// <summary>Initializes a new instance of the <see cref="RaceEngine"/> class.</summary>
    /// <param name="scenario">The race.</param>
    /// <param name="options">Seed, runner count and stepping.</param>
    /// <exception cref="ScenarioException">The scenario asks for something the simulator cannot run.</exception>
    public RaceEngine(Scenario scenario, SimulationOptions options)
    {
        _scenario = scenario;
        _options = options;
        var lora = scenario.Faults.FirstOrDefault(f => f.Kind == FaultKind.LoraOnly);
        if (lora != null && !scenario.Lora.Fitted)
        {
            throw new ScenarioException(scenario.Name, "$.lora.fitted", $"lora_only on mat '{lora.Mat}' needs the mats' LoRa radios, but lora.fitted is false");
        }
    }

    /// <summary>The tent receiver's node id on the air (mats use their unit ids, 0–65535).</summary>
    public const int ReceiverNodeId = -1;

    /// <summary>Runs the race.</summary>
    /// <param name="progress">Receives the share of the race simulated so far (0–1), or null.</param>
    /// <param name="cancel">Stops the run early.</param>
    /// <returns>The report.</returns>
    /// <exception cref="BrokerUnreachableException">The real broker cannot be reached.</exception>
    /// <exception cref="IOException"><see cref="SimulationOptions.DatabasePath"/> exists already.</exception>
    public SimulationReport Run(IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        // The race's units, network and collector are gone before scoring: a full marathon's scoring holds every
        // passing and crossing once more.
        var race = RunRace(progress, cancel);
        var report = RaceScorer.Score(race.Run, race.Field, race.Outcomes, race.Delivered);
        return race.Lora == null ? report : report with { Lora = race.Lora };
    }

    private RaceRecord RunRace(IProgress<double>? progress, CancellationToken cancel)
    {
        if (_options.DatabasePath != null && File.Exists(_options.DatabasePath))
        {
            throw new IOException($"'{_options.DatabasePath}' exists already; give a new file for the collector's database");
        }

        var wall = Stopwatch.StartNew();
        var seed = _options.Seed ?? _scenario.Seed;
        var field = RaceField.Generate(_scenario, seed, _options.Runners);

        var powerOn = _scenario.Mats.Min(m => m.OpensUtcMicros) - (15 * Minute);
        var lastCrossing = _scenario.Mats.Max(m => field.CrossingsAt(m.UnitId).Select(c => c.UtcMicros).DefaultIfEmpty(m.CutoffUtcMicros).Max());
        var raceEnd = lastCrossing + (2 * Minute);
        var trueClock = new SimulatedClock(powerOn);

        // The collector's database is a real SQLite file, as at a race: in memory it would grow with every passing.
        var database = _options.DatabasePath ?? Path.Combine(Path.GetTempPath(), $"timingmat-sim-{RunId(seed)}.db");
        using var cleanup = new TemporaryDatabase(_options.DatabasePath == null ? database : null);
        using var store = PassingStore.Open(database, durable: false);
        // The collector keeps the timing points' lines merged, as a race's collector with its course file does.
        var course = ScenarioCourse.From(_scenario);
        using var network = _options.Broker == null
            ? (RaceNetwork)new InProcessNetwork(trueClock, store, course)
            : new BrokerNetwork(_options.Broker, trueClock, store, RunId(seed), course);
        var delivered = new List<DeliveredPassing>();
        var loraLatency = new List<long>();
        network.Collector.PassingStored += (_, e) =>
        {
            var byLora = e.Passing.Source == PassingStore.SourceLora;
            delivered.Add(DeliveredPassing.From(e.Passing.Passing, trueClock.Now, byLora));
            if (byLora)
            {
                loraLatency.Add(trueClock.Now - e.Passing.Passing.TimeUtcMicros);
            }
        };
        if (_options.Broker != null)
        {
            RequireBroker(network);
        }

        // The LoRa fallback: every mat's radio and the tent's receiver on one channel. The receiver is the desktop one
        // (timingmat collect --lora): the firmware's gateway delivering straight into the collector, so a broker outage
        // does not stop LoRa. Units and receiver share the race's chip list (chips.cfg) and the units' keys (keys.cfg).
        LoRaAir? air = null;
        LoRaGateway? receiver = null;
        LoRaChipList? chips = null;
        if (_scenario.Lora.Fitted)
        {
            air = new LoRaAir(_scenario.Lora.PacketLoss, Seeds.Mix(seed, 113));
            chips = LoRaChipList.Parse(ChipListFile.Write(field.Athletes.Select(a => a.Chip)));
            var keys = new LoRaKeyList([.. _scenario.Mats.Select(m => m.UnitId)], [.. _scenario.Mats.Select(m => ScenarioUnitConfig.KeyFor(seed, m.UnitId))]);
            var options = new LoRaOptions { DutyCyclePermille = _scenario.Lora.DutyCyclePermille };
            options.Radio.SpreadingFactor = _scenario.Lora.SpreadingFactor;
            receiver = CollectorLoRaDelivery.GatewayFor(new Sx127xRegisterEmulator(air, ReceiverNodeId, trueClock), trueClock, network.Collector, options, keys, chips, DesktopHmacSha256.Instance);
            if (!receiver.Start())
            {
                throw new InvalidOperationException("the emulated LoRa receiver did not start: " + receiver.Radio.Fault);
            }
        }

        var mats = _scenario.Mats.Select(spec => new SimulatedMat(spec, _scenario, field, network, seed, air, chips)).ToList();
        foreach (var mat in mats)
        {
            mat.PowerOn(powerOn, gpsAcquisitionSeconds: 30);
        }

        var faults = new FaultTimeline(_scenario, mats, network, seed);
        var window = _options.WindowMicros;
        var step = _options.StepMicros;
        var drainLimit = raceEnd + (30 * Minute);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.Parallelism, CancellationToken = cancel };
        var t = powerOn;
        while (t < raceEnd || (!AllAcknowledged(mats) && t < drainLimit))
        {
            cancel.ThrowIfCancellationRequested();
            faults.ApplyDue(t);
            var from = t;
            Parallel.ForEach(mats, parallel, mat =>
            {
                if (mat.IsIdle(from, from + window))
                {
                    // Nothing can happen at the mat: its housekeeping is time-driven, one poll covers the window.
                    mat.Step(from + window);
                    return;
                }

                for (var s = from + step; s <= from + window; s += step)
                {
                    mat.Step(s);
                }
            });
            t += window;
            trueClock.AdvanceTo(t);
            network.Exchange(mats);
            if (air != null)
            {
                // Every mat has stepped to t: what ended before t can be judged (collisions included), deterministically.
                air.Horizon = t;
                receiver!.Poll();
            }

            progress?.Report(Math.Min(1.0, (double)(t - powerOn) / (raceEnd - powerOn)));
        }

        var run = new RunFacts(seed, faults.Applied, network.Collector.Duplicates, (t - powerOn) / 1e6, wall.Elapsed.TotalSeconds, network.Name);
        var outcomes = mats.Select(m => m.Outcome() with { LastStatus = store.ReadStatus(m.Spec.UnitId) }).ToList();
        if (air == null)
        {
            return new RaceRecord(run, field, outcomes, delivered, null);
        }

        return new RaceRecord(run, field, outcomes, delivered, new LoRaFigures(
            mats.Count(m => m.LoRaPacketsSent > 0),
            mats.Sum(m => m.LoRaPacketsSent),
            receiver!.Forwarded,
            loraLatency.Count,
            ErrorFigures.FromMicros(loraLatency),
            mats.Sum(m => m.LoRaUnanswered),
            air.Collisions,
            air.Losses,
            Math.Round(mats.Sum(m => m.LoRaAirtimeMicros) / 1e6, 1),
            Math.Round(receiver.DutyCycle.AirtimeMicros / 1e6, 1),
            receiver.UnresolvedChips + mats.Sum(m => m.LoRaUnlistedChips),
            receiver.BadTag + receiver.Replays + receiver.Malformed + receiver.UnknownUnit,
            receiver.AcksLate));
    }

    /// <summary>What a race left for scoring.</summary>
    private sealed record RaceRecord(RunFacts Run, RaceField Field, List<MatFacts> Outcomes, List<DeliveredPassing> Delivered, LoRaFigures? Lora);

    /// <summary>Deletes the collector's database (and its WAL files) after the run unless the user asked to keep it.</summary>
    private sealed class TemporaryDatabase(string? path) : IDisposable
    {
        public void Dispose()
        {
            if (path == null)
            {
                return;
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                try
                {
                    File.Delete(file);
                }
                catch (IOException)
                {
                    // A leftover temporary file is harmless.
                }
            }
        }
    }

    private static string RunId(int seed) => $"{seed}-{Environment.ProcessId}-{Random.Shared.Next(1 << 20):x5}";

    private static void RequireBroker(RaceNetwork network)
    {
        // The collector's first poll starts its connect, which runs beside it (bounded by the client's connect timeout):
        // wait for that attempt in real time, the race's clock standing still. A broker that is not there fails the run
        // up front, not at the end. One that answers on TCP but drops the first MQTT handshake (a loaded host) gets two
        // more tries before the run gives up.
        for (var attempt = 1; ; attempt++)
        {
            network.Collector.Poll();
            while (network.Collector.IsConnecting)
            {
                Thread.Sleep(20);
                network.Collector.Poll();
            }

            if (network.Collector.IsOnline)
            {
                return;
            }

            var error = network.LastError;
            if (attempt == 3 || !network.AnswersTcp)
            {
                throw new BrokerUnreachableException(network.Name, error);
            }

            Thread.Sleep(500);
            network.Collector.ConnectNow();
        }
    }

    private static bool AllAcknowledged(List<SimulatedMat> mats) => mats.All(m =>
        m.Unit == null || (m.Unit.Uplink.Ring.Count == 0 && m.Unit.Gate.Held == 0 && m.Unit.Detector.OpenCrossings == 0
                           && m.Unit.Uplink.Journal.AckedSequence >= m.Unit.Uplink.Journal.LastSequence));

    /// <summary>The scenario's faults as start and end events on the true timeline.</summary>
    private sealed class FaultTimeline
    {
        private readonly List<(long At, Action Apply, bool Counts)> _events = [];
        private int _next;

        public FaultTimeline(Scenario scenario, List<SimulatedMat> mats, RaceNetwork network, int seed)
        {
            var random = new Random(Seeds.Mix(seed, 97));
            foreach (var fault in scenario.Faults)
            {
                var mat = mats.FirstOrDefault(m => m.Spec.Name == fault.Mat);
                var end = fault.AtUtcMicros + fault.DurationMicros;
                switch (fault.Kind)
                {
                    case FaultKind.UplinkOutage:
                        Add(fault.AtUtcMicros, () => { mat!.Faults.NetworkDownUntil = Math.Max(mat.Faults.NetworkDownUntil, end); network.SetUnitReachable(mat.Spec.UnitId, false); }, counts: true);
                        Add(end, () => { if (mat!.Faults.NetworkDownUntil <= end) { network.SetUnitReachable(mat.Spec.UnitId, true); } }, counts: false);
                        break;
                    case FaultKind.BrokerRestart:
                        Add(fault.AtUtcMicros, () => network.SetBrokerUp(false), counts: true);
                        Add(end, () => network.SetBrokerUp(true), counts: false);
                        break;
                    case FaultKind.GpsLoss:
                        // Scheduled in each boot's GPS emulator; counted here when it starts.
                        Add(fault.AtUtcMicros, () => { }, counts: true);
                        break;
                    case FaultKind.PowerCut:
                        var bytes = random.Next(0, 512);
                        Add(fault.AtUtcMicros, () => { mat!.Faults.PowerBackAt = end; mat.PowerCut(bytes); }, counts: true);
                        Add(end, () => mat!.PowerBack(end), counts: false);
                        break;
                    case FaultKind.LoraOnly:
                        // No IP uplink from power-on to the end: the mat's passings can leave only over LoRa.
                        Add(long.MinValue, () => { mat!.Faults.NetworkDownUntil = long.MaxValue; network.SetUnitReachable(mat.Spec.UnitId, false); }, counts: true);
                        break;
                    case FaultKind.ReaderSilence:
                        Add(fault.AtUtcMicros, () => { if (mat!.IsPowered) { mat.SilenceReaders(fault.DurationMicros); } }, counts: true);
                        break;
                }
            }

            _events.Sort((a, b) => a.At.CompareTo(b.At));
        }

        public int Applied { get; private set; }

        public void ApplyDue(long trueUtc)
        {
            while (_next < _events.Count && _events[_next].At <= trueUtc)
            {
                var (_, apply, counts) = _events[_next++];
                apply();
                if (counts)
                {
                    Applied++;
                }
            }
        }

        private void Add(long at, Action apply, bool counts) => _events.Add((at, apply, counts));
    }
}
