using System.Diagnostics;
using TimingMat.Collector;
using TimingMat.Core.Clock;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Mqtt;
using TimingMat.Simulation.Audit;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Simulation.Engine;

/// <summary>
/// Runs a whole race through the real firmware core on simulated time: one <see cref="SimulatedMat"/> per mat, an
/// emulated broker, the real collector storing passings by (unit, seq) and acking them, the scenario's faults on
/// the timeline, and at the end the comparison with the truth and the race-rules audit.
/// </summary>
/// <remarks>
/// Mats only meet at the broker, so they step in parallel within short windows (every link call holds the broker's
/// lock), and the broker and the collector run between windows. Everything random is seeded: the same scenario and
/// seed give the same report (except <see cref="SimulationReport.WallSeconds"/>).
/// </remarks>
public sealed class RaceEngine
{
    private const long Second = 1_000_000;
    private const long Minute = 60 * Second;

    private readonly Scenario _scenario;
    private readonly SimulationOptions _options;
    private readonly object _brokerLock = new();

    /// <summary>Initializes a new instance of the <see cref="RaceEngine"/> class.</summary>
    /// <param name="scenario">The race.</param>
    /// <param name="options">Seed, runner count and stepping.</param>
    /// <exception cref="ScenarioException">The scenario asks for something the simulator cannot run.</exception>
    public RaceEngine(Scenario scenario, SimulationOptions options)
    {
        _scenario = scenario;
        _options = options;
        var lora = scenario.Faults.FirstOrDefault(f => f.Kind == FaultKind.LoraOnly);
        if (lora != null)
        {
            throw new ScenarioException(scenario.Name, "$.faults", $"lora_only on mat '{lora.Mat}': the LoRa fallback uplink is not built yet, so a LoRa-only mat cannot deliver; remove the fault");
        }
    }

    /// <summary>Runs the race.</summary>
    /// <param name="progress">Receives the share of the race simulated so far (0–1), or null.</param>
    /// <param name="cancel">Stops the run early.</param>
    /// <returns>The report.</returns>
    public SimulationReport Run(IProgress<double>? progress = null, CancellationToken cancel = default)
    {
        var wall = Stopwatch.StartNew();
        var seed = _options.Seed ?? _scenario.Seed;
        var field = RaceField.Generate(_scenario, seed, _options.Runners);

        var powerOn = _scenario.Mats.Min(m => m.OpensUtcMicros) - (15 * Minute);
        var lastCrossing = _scenario.Mats.Max(m => field.CrossingsAt(m.UnitId).Select(c => c.UtcMicros).DefaultIfEmpty(m.CutoffUtcMicros).Max());
        var raceEnd = lastCrossing + (2 * Minute);
        var trueClock = new SimulatedClock(powerOn);
        var broker = new MqttBrokerEmulator(trueClock, latencyMicros: 2_000);

        using var store = PassingStore.Open(":memory:", durable: false);
        var collector = new PassingCollector(broker.CreateLink(), store, trueClock, new CollectorOptions(), () => trueClock.Now);
        var delivered = new List<DeliveredPassing>();
        collector.PassingStored += (_, e) => delivered.Add(DeliveredPassing.From(e.Passing.Passing));

        var mats = _scenario.Mats.Select(spec => new SimulatedMat(spec, _scenario, field, () => new LockedMqttLink(QuietLink(broker), _brokerLock), seed)).ToList();
        foreach (var mat in mats)
        {
            mat.PowerOn(powerOn, gpsAcquisitionSeconds: 30);
        }

        var faults = new FaultTimeline(_scenario, mats, broker, seed);
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
            var p0 = System.Diagnostics.Stopwatch.GetTimestamp();
            var idle = 0;
            Parallel.ForEach(mats, parallel, mat =>
            {
                if (mat.IsIdle(from, from + window)) { Interlocked.Increment(ref idle); }
                if (mat.IsIdle(from, from + window))
                {
                    mat.Step(from + window);
                    return;
                }

                for (var s = from + step; s <= from + window; s += step)
                {
                    mat.Step(s);
                }
            });
            var p1 = System.Diagnostics.Stopwatch.GetTimestamp();
            t += window;
            trueClock.AdvanceTo(t);
            lock (_brokerLock)
            {
                broker.Pump();
                collector.Poll();
                broker.Pump();
            }

            var p2 = System.Diagnostics.Stopwatch.GetTimestamp();
            PhaseMats += p1 - p0; PhaseBroker += p2 - p1; IdleMats += idle; Windows++;
            progress?.Report(Math.Min(1.0, (double)(t - powerOn) / (raceEnd - powerOn)));
        }

        return Report(field, mats, delivered, collector, faults.Applied, seed, t - powerOn, wall.Elapsed.TotalSeconds);
    }

#pragma warning disable CS1591
    public static long PhaseMats, PhaseBroker, IdleMats, Windows;
#pragma warning restore CS1591

    private static EmulatedMqttLink QuietLink(MqttBrokerEmulator broker)
    {
        var link = broker.CreateLink();
        link.PumpsBroker = false;
        return link;
    }

    private static bool AllAcknowledged(List<SimulatedMat> mats) => mats.All(m =>
        m.Unit == null || (m.Unit.Uplink.Ring.Count == 0 && m.Unit.Gate.Held == 0 && m.Unit.Detector.OpenCrossings == 0
                           && m.Unit.Uplink.Journal.AckedSequence >= m.Unit.Uplink.Journal.LastSequence));

    private SimulationReport Report(RaceField field, List<SimulatedMat> mats, List<DeliveredPassing> delivered, PassingCollector collector, int faultsApplied, int seed, long simulated, double wallSeconds)
    {
        var crossingErrors = new List<long>();
        var lostSample = new List<LostCrossing>();
        long expected = 0, lost = 0, neverRead = 0, duplicates = 0, phantoms = 0;
        var matFigures = new List<MatFigures>();
        var crossingsDelivered = delivered.Where(d => d.Kind == PassingKind.Crossing).ToList();
        foreach (var mat in mats)
        {
            var reads = mat.ReadsByBib();
            var byBib = crossingsDelivered.Where(d => d.Unit == mat.Spec.UnitId)
                .GroupBy(d => d.Bib)
                .ToDictionary(g => g.Key, g => g.OrderBy(d => d.TimeUtcMicros).ToList());
            long matLost = 0;
            var matErrors = new List<long>();
            foreach (var crossing in field.CrossingsAt(mat.Spec.UnitId))
            {
                foreach (var chip in crossing.Runner.Chips)
                {
                    expected++;
                    if (byBib.TryGetValue(chip.Bib, out var candidates) && candidates.Count > 0)
                    {
                        var best = candidates.MinBy(c => Math.Abs(c.TimeUtcMicros - crossing.UtcMicros))!;
                        if (Math.Abs(best.TimeUtcMicros - crossing.UtcMicros) <= 10 * Second)
                        {
                            candidates.Remove(best);
                            if (best.ClockState != ClockState.Unsynced)
                            {
                                crossingErrors.Add(best.TimeUtcMicros - crossing.UtcMicros);
                                matErrors.Add(best.TimeUtcMicros - crossing.UtcMicros);
                            }

                            continue;
                        }
                    }

                    if (reads.GetValueOrDefault(chip.Bib) > 0)
                    {
                        lost++;
                        matLost++;
                        if (lostSample.Count < 50)
                        {
                            var all = crossingsDelivered.Where(d => d.Unit == mat.Spec.UnitId && d.Bib == chip.Bib).ToList();
                            double? nearest = all.Count == 0 ? null : all.Min(d => (d.TimeUtcMicros - crossing.UtcMicros) / 1000.0);
                            lostSample.Add(new LostCrossing(mat.Spec.Name, chip.Bib, DateTime.UnixEpoch.AddTicks(crossing.UtcMicros * 10).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture), reads[chip.Bib], nearest));
                        }
                    }
                    else
                    {
                        neverRead++;
                    }
                }
            }

            // What remains: passings for a crossing already accounted for, or for none at all.
            var crossedBibs = field.CrossingsAt(mat.Spec.UnitId).SelectMany(c => c.Runner.Chips).Select(a => a.Bib).ToHashSet();
            foreach (var (bib, rest) in byBib)
            {
                if (crossedBibs.Contains(bib))
                {
                    duplicates += rest.Count;
                }
                else
                {
                    phantoms += rest.Count;
                }
            }

            var unit = mat.Unit;
            matFigures.Add(new MatFigures(
                mat.Spec.UnitId,
                mat.Spec.Name,
                mat.ReadsGenerated,
                mat.ReadsReported,
                mat.ReadsNotReported,
                RecordedCrossings(mat, delivered),
                crossingsDelivered.Count(d => d.Unit == mat.Spec.UnitId),
                matLost,
                ErrorFigures.FromMicros(matErrors).P50,
                ErrorFigures.FromMicros(matErrors).P99,
                unit == null ? "off" : unit.Clock.ToMatTime(mat.Rig.Clock.Now).State.ToString().ToLowerInvariant(),
                ErrorFigures.FromMicros(mat.ClockErrorsMicros).P99,
                mat.Boots,
                unit?.Gate.Restamped ?? 0,
                unit?.Reader.Counters.Restarts ?? 0));
        }

        var audit = RaceRulesAudit.Run(
            [.. _scenario.Mats.Select(m => new AuditMat(m.UnitId, m.Name, m.Role, m.Km, m.CutoffUtcMicros))],
            [.. field.Athletes.Select(a => new AuditAthlete(a.Bib, [a.ChipHex]))],
            delivered.Select(d => new AuditPassing(d.Unit, d.Sequence, d.ChipHex, d.TimeUtcMicros, d.Kind, d.Flags)));
        var carried = field.Runners.Where(r => r.Carried != null).Select(r => (r.Athlete.Bib, r.Carried!.Bib)).ToHashSet();
        var flagged = audit.TwoChipPairs.Count(p => p.BibA is { } a && p.BibB is { } b && (carried.Contains((a, b)) || carried.Contains((b, a))));

        return new SimulationReport
        {
            Scenario = _scenario.Name,
            Seed = seed,
            Runners = field.Runners.Count,
            Mats = mats.Count,
            ReadsGenerated = mats.Sum(m => m.ReadsGenerated),
            PassingsExpected = expected,
            PassingsRecorded = matFigures.Sum(m => m.Passings),
            PassingsDelivered = crossingsDelivered.Count,
            PassingsLost = lost,
            DuplicatesDelivered = duplicates,
            CrossingErrorMs = ErrorFigures.FromMicros(crossingErrors),
            ClockErrorMs = ErrorFigures.FromMicros(mats.SelectMany(m => m.ClockErrorsMicros)),
            Athletes = new AthleteFigures(audit.Count(AthleteVerdict.Ranked), audit.Count(AthleteVerdict.MissingMat), audit.Count(AthleteVerdict.OutOfSequence), audit.Count(AthleteVerdict.AfterCutoff)),
            TwoChipPairs = new TwoChipFigures(carried.Count, flagged),
            FaultsInjected = faultsApplied,
            WallSeconds = Math.Round(wallSeconds, 2),
            PassingsNeverRead = neverRead,
            PhantomPassings = phantoms,
            ResendsDeduplicated = collector.Duplicates,
            UnsyncedDelivered = crossingsDelivered.Count(d => d.ClockState == ClockState.Unsynced),
            MarkersDelivered = delivered.Count(d => d.Kind != PassingKind.Crossing),
            TwoChipFalseFlags = audit.TwoChipPairs.Count - flagged,
            SimulatedSeconds = Math.Round(simulated / 1e6, 1),
            MatDetails = matFigures,
            LostCrossings = lostSample,
        };
    }

    private static long RecordedCrossings(SimulatedMat mat, List<DeliveredPassing> delivered)
    {
        // The journal numbers every record, markers included, from 1 across reboots.
        var journaled = mat.Unit?.Uplink.Journal.LastSequence ?? delivered.Where(d => d.Unit == mat.Spec.UnitId).Select(d => d.Sequence).DefaultIfEmpty(0).Max();
        var markers = delivered.Count(d => d.Unit == mat.Spec.UnitId && d.Kind != PassingKind.Crossing);
        return journaled - markers;
    }

    /// <summary>The fields of a delivered passing the report needs (the collector's instance is not kept).</summary>
    private sealed record DeliveredPassing(int Unit, long Sequence, int Bib, string ChipHex, long TimeUtcMicros, PassingKind Kind, PassingFlags Flags, ClockState ClockState)
    {
        public static DeliveredPassing From(Passing p)
        {
            var epc = p.Epc.AsSpan(0, p.EpcLength).ToArray();
            var bib = epc.Length == 12 ? ReadCountingSource.BibOf(epc) : -1;
            return new DeliveredPassing(p.UnitId, p.Sequence, bib, Convert.ToHexString(epc), p.TimeUtcMicros, p.Kind, p.Flags, p.ClockState);
        }
    }

    /// <summary>The scenario's faults as start and end events on the true timeline.</summary>
    private sealed class FaultTimeline
    {
        private readonly List<(long At, Action Apply, bool Counts)> _events = [];
        private int _next;

        public FaultTimeline(Scenario scenario, List<SimulatedMat> mats, MqttBrokerEmulator broker, int seed)
        {
            var random = new Random(Seeds.Mix(seed, 97));
            foreach (var fault in scenario.Faults)
            {
                var mat = mats.FirstOrDefault(m => m.Spec.Name == fault.Mat);
                var end = fault.AtUtcMicros + fault.DurationMicros;
                switch (fault.Kind)
                {
                    case FaultKind.UplinkOutage:
                        Add(fault.AtUtcMicros, () => { mat!.Faults.NetworkDownUntil = end; mat.CutNetwork(); }, counts: true);
                        Add(end, () => { if (mat!.Faults.NetworkDownUntil <= end) { mat.RestoreNetwork(); } }, counts: false);
                        break;
                    case FaultKind.BrokerRestart:
                        Add(fault.AtUtcMicros, () => broker.Stop(keepState: false), counts: true);
                        Add(end, broker.Start, counts: false);
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
                    case FaultKind.ReaderSilence:
                        Add(fault.AtUtcMicros, () => { if (mat!.IsPowered) { mat.Reader.SilenceFor(fault.DurationMicros); } }, counts: true);
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
