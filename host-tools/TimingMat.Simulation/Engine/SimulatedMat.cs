using TimingMat.Core.Clock;
using TimingMat.Core.Hardware;
using TimingMat.Core.Lora;
using TimingMat.Core.Passings;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Gps;
using TimingMat.Emulators.Radio;
using TimingMat.Emulators.Reader;
using TimingMat.Emulators.Storage;
using TimingMat.Host.Crypto;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Network;
using TimingMat.Simulation.Scenarios;
using TimingMat.Simulation.Scoring;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Simulation.Engine;

/// <summary>
/// One mat on simulated time: its crystal and GPS, its reader module on a UART fed by the crossing model, its
/// journal storage, its link to the broker, and the real firmware core (<see cref="MatUnit"/>) polled every step.
/// A power cut kills the unit and its modules; power back boots fresh ones on the same crystal and storage.
/// </summary>
internal sealed class SimulatedMat
{
    private readonly Scenario _scenario;
    private readonly RaceField _field;
    private readonly RaceNetwork _network;
    private readonly LoRaAir? _air;
    private readonly LoRaChipList? _chips;
    private readonly int _seed;
    private readonly CrystalOscillator _crystal;
    private readonly MemoryFileStore _store;
    private readonly List<(long AtUtc, PassingKind Kind, int Value)> _markers = [];
    private readonly Dictionary<int, int> _readsByBib = [];
    private readonly List<long> _clockErrors = [];
    private readonly MatObservations _seen = new();
    private MatRig? _observed;
    private int _nextMarker;
    private long _nextClockSample;
    private long _readsFromPreviousBoots;
    private long _reportedPreviousBoots;
    private long _notReportedPreviousBoots;
    private MatRig? _hardware;
    private GpsRig? _rig;
    private IMqttLink? _link;
    private long _loraPacketsPreviousBoots;
    private long _loraUnansweredPreviousBoots;
    private long _loraAirtimePreviousBoots;
    private long _loraUnlistedPreviousBoots;
    private readonly RebootFlag _rebooter = new();

    public SimulatedMat(MatSpec spec, Scenario scenario, RaceField field, RaceNetwork network, int seed, LoRaAir? air = null, LoRaChipList? chips = null)
    {
        Spec = spec;
        _scenario = scenario;
        _field = field;
        _network = network;
        _air = air;
        _chips = chips;
        _seed = seed;
        var random = new Random(Seeds.Mix(seed, spec.UnitId, 17));
        var ppm = (random.NextDouble() * 2 - 1) * scenario.Gps.OscillatorPpm;
        _crystal = new CrystalOscillator(ppm, agingPpmPerDay: 0.5, wanderPpm: scenario.Gps.WanderPpm, seed: Seeds.Mix(seed, spec.UnitId, 23), referenceUtcMicros: scenario.Waves[0].GunUtcMicros);
        _store = new MemoryFileStore(capacityBytes: 8L * 1024 * 1024, tearSeed: Seeds.Mix(seed, spec.UnitId, 31));
        PlanMarkers();
    }

    public MatSpec Spec { get; }

    /// <summary>Gets the unit's command key (the LoRa receiver signs its acks with it).</summary>
    public byte[] CommandKey => ScenarioUnitConfig.KeyFor(_seed, Spec.UnitId);

    public MatUnit? Unit { get; private set; }

    public MatFaultState Faults { get; } = new();

    public bool IsPowered => Unit != null;

    public int Boots { get; private set; }

    public long ReadsGenerated => _readsFromPreviousBoots + (_hardware?.ReadsGenerated ?? 0);

    /// <summary>Gets the reads the module reported on the wire, over all boots.</summary>
    public long ReadsReported => _reportedPreviousBoots + (_hardware?.ReadsReported ?? 0);

    /// <summary>Gets the reads the module made but could not report: not inventorying, silent, throttled, or its transmit buffer full.</summary>
    public long ReadsNotReported => _notReportedPreviousBoots + (_hardware?.ReadsNotReported ?? 0);

    public IReadOnlyList<long> ClockErrorsMicros => _clockErrors;

    public GpsRig Rig => _rig ?? throw new InvalidOperationException("the mat is not powered");

    /// <summary>
    /// Tells whether nothing can happen at the mat in a stretch of true time: no runner within 15 s of it and nothing
    /// open or queued in the firmware. The engine then polls it once for the stretch instead of every step: the core
    /// is time-driven, so only its housekeeping (clock, uplink) runs, and that does not depend on the poll rate.
    /// </summary>
    /// <param name="fromUtc">Start of the stretch, true UTC µs.</param>
    /// <param name="toUtc">End of the stretch.</param>
    /// <returns><c>true</c> when the mat is idle.</returns>
    public bool IsIdle(long fromUtc, long toUtc)
    {
        if (Unit == null || Unit.Detector.OpenCrossings > 0 || Unit.Detector.PendingPassings > 0 || Unit.Gate.Held > 0)
        {
            return false;
        }

        var crossings = _field.CrossingsAt(Spec.UnitId);
        var margin = 15 * Second;
        var lo = 0;
        var hi = crossings.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (crossings[mid].UtcMicros < fromUtc - margin)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo >= crossings.Count || crossings[lo].UtcMicros > toUtc + margin;
    }

    /// <summary>Hangs the mat's reader modules for a while (the scenario's reader silence).</summary>
    /// <param name="micros">How long, µs.</param>
    public void SilenceReaders(long micros)
    {
        var hardware = _hardware ?? throw new InvalidOperationException("the mat is not powered");
        hardware.SilenceReaders(micros);
        _seen.ReadersSilenced(hardware.Gps.Timebase.ToTrueUtc(hardware.Gps.Clock.Now), micros);
    }

    public IMqttLink Link => _link ?? throw new InvalidOperationException("the mat is not powered");

    /// <summary>Powers the unit on at a true time: crystal counter from near zero, GPS acquiring, reader configuring.</summary>
    /// <param name="trueUtc">True UTC µs.</param>
    /// <param name="gpsAcquisitionSeconds">Time to first fix: a cold start in the morning, a hot start (backup battery) after a power cut.</param>
    public void PowerOn(long trueUtc, double gpsAcquisitionSeconds)
    {
        Boots++;
        var random = new Random(Seeds.Mix(_seed, Spec.UnitId, Boots));
        var power = new MatPower(_crystal, trueUtc, LocalAtBoot: 500_000 + random.Next(2_000_000), gpsAcquisitionSeconds);

        // Runners already crossing when the reader wakes are only partly read; the model starts just after boot.
        _hardware = new MatRig(Spec, _scenario, _field, Boots, power, (trueUtc + (3 * Second), long.MaxValue), _seed, _readsByBib);
        _rig = _hardware.Gps;
        _link = _network.NewLink(Spec.UnitId);
        PowerOnUnit(trueUtc);
    }

    /// <summary>Boots the unit application on the mat's modules, storage and link: what a board does at power-on or reboot.</summary>
    /// <param name="trueUtc">True UTC µs.</param>
    private void PowerOnUnit(long trueUtc)
    {
        var clientId = _network is BrokerNetwork broker ? broker.ClientIdOf(Spec.UnitId) : "timingmat-unit-" + Spec.UnitId;
        var config = ScenarioUnitConfig.For(_scenario, Spec, _network.TopicPrefix, clientId, CommandKey);
        config.LoraChips = _chips;
        var settings = config.ToSettings();
        ISpiDevice? radio = null;
        if (_air != null)
        {
            // EU868 has no dwell limit (the duty cycle governs), so slow spreading factors still send full packets.
            settings.Lora.MaxAirtimeMicros = 10 * Second;

            // The radio lives on the air's timeline (true time); the firmware times everything on its own crystal.
            var rig = _rig!;
            radio = new Sx127xRegisterEmulator(_air, Spec.UnitId, new DelegateClock(() => rig.Timebase.ToTrueUtc(rig.Clock.Now)));
        }

        Unit = new MatUnit(config, settings, new UnitHardware
        {
            Clock = _rig!.Clock,
            Readers = [.. _hardware!.ReaderLines.Select(l => (IBytePort)l.UnitEnd)],
            Gps = _rig.GpsPort,
            Pps = _rig.Pps,
            Store = _store,
            Mqtt = _link,
            LoraRadio = radio,
            Hmac = DesktopHmacSha256.Instance,
            Rebooter = _rebooter,
            FirmwareVersion = "simulated",
        });
        Unit.Start();
        _nextClockSample = trueUtc;
    }

    /// <summary>Runs the mat up to a true time: GPS and reader bytes, then one poll of the firmware.</summary>
    /// <param name="trueUtc">True UTC µs.</param>
    public void Step(long trueUtc)
    {
        if (Unit == null)
        {
            return;
        }

        if (_observed != _hardware)
        {
            // A fresh boot: follow its hardware before it makes its first read.
            _observed = _hardware;
            _seen.Attach(_hardware!);
        }

        _hardware!.StepTo(trueUtc);
        IssueDueMarkers(trueUtc);
        Unit.Poll();
        _seen.Sample(trueUtc);
        if (_rebooter.Requested)
        {
            // The unit asked to restart (a reboot command, its supervisor): a new boot on the same modules and storage.
            _rebooter.Requested = false;
            KeepCounts();
            Boots++;
            _link = _network.NewLink(Spec.UnitId);
            PowerOnUnit(trueUtc);
            return;
        }

        if (trueUtc >= _nextClockSample)
        {
            SampleClock(trueUtc);
            _nextClockSample = trueUtc + (10 * Second);
        }
    }

    /// <summary>The supply fails: the hold-up warning lets the firmware commit, then power goes at an arbitrary byte.</summary>
    /// <param name="arbitraryBytes">How many more bytes the flash takes before the cut tears a write.</param>
    public void PowerCut(long arbitraryBytes)
    {
        if (Unit == null)
        {
            return;
        }

        _seen.PowerCut(_rig!.Timebase.ToTrueUtc(_rig.Clock.Now), Faults.PowerBackAt);
        Unit.PowerFailing();
        try
        {
            // The hold-up time runs out somewhere in whatever the unit writes next.
            _store.ArmCut(arbitraryBytes);
            Unit.Poll();
            _store.CutPowerNow();
        }
        catch (PowerCutException)
        {
            // The firmware stops mid-write, as it would.
        }

        KeepCounts();
        _readsFromPreviousBoots += _hardware!.ReadsGenerated;
        _reportedPreviousBoots += _hardware.ReadsReported;
        _notReportedPreviousBoots += _hardware.ReadsNotReported;
        Unit = null;
        _hardware = null;
        _link = null;
    }

    /// <summary>Keeps what the unit's LoRa uplink counted before it goes (a power cut or a reboot).</summary>
    private void KeepCounts()
    {
        if (Unit?.Lora is { } lora)
        {
            _loraPacketsPreviousBoots += lora.PacketsSent;
            _loraUnansweredPreviousBoots += lora.AckTimeouts;
            _loraAirtimePreviousBoots += lora.DutyCycle.AirtimeMicros;
            _loraUnlistedPreviousBoots += lora.UnlistedChipsSent;
        }
    }

    /// <summary>Power returns: the storage is readable again and the unit boots with a hot-starting GPS.</summary>
    /// <param name="trueUtc">True UTC µs.</param>
    public void PowerBack(long trueUtc)
    {
        _store.Restore();
        PowerOn(trueUtc, gpsAcquisitionSeconds: 2);
    }

    /// <summary>Gets the LoRa packets the mat sent, over all boots.</summary>
    public long LoRaPacketsSent => _loraPacketsPreviousBoots + (Unit?.Lora?.PacketsSent ?? 0);

    /// <summary>Gets the LoRa packets that went unanswered, over all boots.</summary>
    public long LoRaUnanswered => _loraUnansweredPreviousBoots + (Unit?.Lora?.AckTimeouts ?? 0);

    /// <summary>Gets the mat's LoRa airtime in µs, over all boots.</summary>
    public long LoRaAirtimeMicros => _loraAirtimePreviousBoots + (Unit?.Lora?.DutyCycle.AirtimeMicros ?? 0);

    /// <summary>Gets the crossings the mat sent over LoRa with their whole EPC (chip not on the race's list), over all boots.</summary>
    public long LoRaUnlistedChips => _loraUnlistedPreviousBoots + (Unit?.Lora?.UnlistedChipsSent ?? 0);

    /// <summary>Tells what the mat did, for scoring.</summary>
    /// <returns>The outcome.</returns>
    public MatFacts Outcome()
    {
        _seen.Finish();
        return new()
        {
            Spec = Spec,
            ReadsGenerated = ReadsGenerated,
            ReadsReported = ReadsReported,
            ReadsNotReported = ReadsNotReported,
            ReadsByBib = _readsByBib,
            JournalLastSequence = Unit?.Uplink.Journal.LastSequence,
            ClockState = Unit == null ? "off" : Unit.Clock.ToMatTime(_rig!.Clock.Now).State.ToString().ToLowerInvariant(),
            ClockErrorsMicros = _clockErrors,
            Boots = Boots,
            Restamped = Unit?.Gate.Restamped ?? 0,
            ReaderRestarts = Unit?.Readers.Sum(r => r.Counters.Restarts) ?? 0,
            CoveredBibs = _seen.Covered,
            UnreachedBibs = _seen.Unreached,
            BlindSpans = _seen.BlindSpans,
            CrossingBoundsMs = _seen.Bounds,
            ReadBudget = _seen.Budget,
        };
    }

    private void PlanMarkers()
    {
        if (Spec.Line != 1)
        {
            return; // the race-day markers go to the timing point's main line
        }

        if (Spec.Role == UnitRole.Start)
        {
            _markers.AddRange(_scenario.Waves.Select(w => (w.GunUtcMicros, _scenario.Waves.Count == 1 ? PassingKind.GunStart : PassingKind.WaveStart, w.Number)));
        }
        else if (Spec.Role == UnitRole.CheckIn)
        {
            _markers.AddRange(Spec.Corrals.Select(c => (Spec.OpensUtcMicros, PassingKind.CorralOpen, _scenario.Corrals.ToList().FindIndex(k => k.Name == c) + 1)));
        }
    }

    private void IssueDueMarkers(long trueUtc)
    {
        while (_nextMarker < _markers.Count && _markers[_nextMarker].AtUtc <= trueUtc)
        {
            var (at, kind, value) = _markers[_nextMarker];
            var result = Unit!.RaceDay.IssueMarker(kind, value, _rig!.Timebase.ToLocal(at));
            if (result == RaceDayResult.QueueFull)
            {
                return; // issued again at the next step with the same time, as the race-day API asks
            }

            _nextMarker++;
        }
    }

    private void SampleClock(long trueUtc)
    {
        var local = _rig!.Clock.Now;
        var time = Unit!.Clock.ToMatTime(local);
        if (time.State != ClockState.Unsynced)
        {
            _clockErrors.Add(time.UtcMicros - _rig.Gps.PosixOf(_rig.Gps.TrueUtcOf(local)));
        }
    }
}

/// <summary>The simulator's reboot: the mat restarts its unit at the end of the step that asked.</summary>
internal sealed class RebootFlag : IRebooter
{
    public bool Requested { get; set; }

    public void Reboot() => Requested = true;
}
