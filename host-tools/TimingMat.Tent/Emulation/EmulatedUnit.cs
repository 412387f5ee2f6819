using System.Globalization;
using TimingMat.Core.Clock;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Gps;
using TimingMat.Emulators.Power;
using TimingMat.Emulators.Storage;
using TimingMat.Host.Crypto;
using TimingMat.Mqtt;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Tent.Emulation;

/// <summary>
/// One emulated mat unit on a real broker: the real unit application (<see cref="MatUnit"/>, configured with the keys
/// a board is provisioned with) on the simulator's emulated hardware (<see cref="MatRig"/>: crystal, GPS with NMEA and
/// PPS, reader modules fed by the crossing model), an emulated flash and battery, and a real MQTT session; with its faults
/// on cue.
/// </summary>
/// <remarks>Stepped by <see cref="EmulatedFleet"/> on one thread, as a board's loop runs.</remarks>
public sealed class EmulatedUnit
{
    private readonly UnitConfig _config;
    private readonly MatUnitSettings _settings;
    private readonly UnitHardware _hardware;
    private readonly IReadOnlyList<EmulatedFault> _faults;
    private readonly RebootRequest _rebooter = new();
    private readonly bool[] _silenced;
    private readonly long _startUtc;
    private readonly ArrivalStampClock _arrival;
    private readonly EmulatedBattery _battery = new();
    private readonly bool[] _on;
    private long _nextSupervise;

    internal EmulatedUnit(EmulatedUnitSpec spec, MatSpec mat, Scenario scenario, RaceField field, EmulationOptions options, long bootUtc, long startUtc, Func<long> trueNow)
    {
        Spec = spec;
        _faults = options.Faults.For(spec.Id);
        _silenced = new bool[_faults.Count];
        _on = new bool[_faults.Count];
        _startUtc = startUtc;
        _arrival = new ArrivalStampClock(trueNow);
        var random = new Random(Seeds.Mix(options.Seed, spec.Id, 17));
        var crystal = new CrystalOscillator((random.NextDouble() * 2 - 1) * scenario.Gps.OscillatorPpm, agingPpmPerDay: 0.5, wanderPpm: scenario.Gps.WanderPpm, seed: Seeds.Mix(options.Seed, spec.Id, 23), referenceUtcMicros: bootUtc);
        var power = new MatPower(crystal, bootUtc, LocalAtBoot: 500_000 + random.Next(2_000_000), GpsAcquisitionSeconds: 2);
        Rig = new MatRig(mat, scenario, field, boot: 1, power, (bootUtc + 3_000_000, long.MaxValue), options.Seed, []);
        Link = new SwitchedLink(new MqttLink(options.Broker, link =>
        {
            options.ConfigureLink?.Invoke(link);

            // A board stamps a message on its receive thread; the unit's loop takes it up to a poll later.
            link.ReceiveClock = _arrival;
        }));
        _config = ScenarioUnitConfig.For(scenario, mat, options.TopicPrefix, "timingmat-unit-" + spec.Id.ToString(CultureInfo.InvariantCulture), spec.CommandKey);
        _config.Set("status.interval_s", options.StatusIntervalSeconds.ToString(CultureInfo.InvariantCulture));
        if (spec.Username != null)
        {
            _config.Set("mqtt.username", spec.Username);
            _config.Set("mqtt.password", spec.Password ?? string.Empty);
        }

        _config.Validate();
        _settings = _config.ToSettings();
        _settings.Journal.NewJournalId = Seeds.Mix(options.Seed, spec.Id, 29) & int.MaxValue;
        if (_faults.Any(f => f.Kind == EmulatedFaultKind.JournalFilling))
        {
            SizeJournalTooSmall(_settings.Journal, options.RunnersPerSecond);
        }

        var offsets = _faults.Where(f => f.Kind == EmulatedFaultKind.ClockOffset).ToList();
        _hardware = new UnitHardware
        {
            Clock = Rig.Gps.Clock,
            Readers = [.. Rig.ReaderLines.Select(l => (IBytePort)l.UnitEnd)],
            Gps = Rig.Gps.GpsPort,
            Pps = offsets.Count == 0 ? Rig.Gps.Pps : new DelayedPpsSource(Rig.Gps.Pps, Rig.Gps, offsets, startUtc),
            Store = new MemoryFileStore(capacityBytes: 8L * 1024 * 1024, tearSeed: Seeds.Mix(options.Seed, spec.Id, 31)),
            Mqtt = Link,
            Hmac = DesktopHmacSha256.Instance,
            Battery = _battery,
            Rebooter = _rebooter,
            FirmwareVersion = "emulated",
        };
        Unit = new MatUnit(_config, _settings, _hardware);
    }

    /// <summary>Gets what the unit was made from.</summary>
    public EmulatedUnitSpec Spec { get; }

    /// <summary>Gets the unit application (a new one after each reboot).</summary>
    public MatUnit Unit { get; private set; }

    /// <summary>Gets the emulated hardware.</summary>
    public MatRig Rig { get; }

    /// <summary>Gets how many times the unit rebooted (a <c>reboot</c> command, its supervisor).</summary>
    public int Reboots { get; private set; }

    /// <summary>Gets the faults on now, by name.</summary>
    public IReadOnlyList<string> ActiveFaults { get; private set; } = [];

    internal SwitchedLink Link { get; }

    /// <summary>Gets the MQTT session's last error, or null.</summary>
    public string? LinkError => Link.Inner.LastError;

    /// <summary>One console line from the unit's parts.</summary>
    /// <returns>The line.</returns>
    public string Line()
    {
        var now = Unit.Clock.Now();
        var clock = now.State == ClockState.Unsynced ? "clock unsynced" : FormattableString.Invariant($"clock {(now.State == ClockState.Locked ? "locked" : "holdover")} ±{now.UncertaintyMicros / 1000.0:0.###} ms");
        var journal = Unit.Uplink.Journal;
        return FormattableString.Invariant(
            $"  unit {Spec.Id} ({Spec.Name}): {clock}, reads {Rig.ReadsReported:N0}, passings {Unit.Detector.PassingsDelivered:N0}, journaled {journal.DurableSequence:N0}, acked {journal.AckedSequence:N0}, uplink {(Unit.Uplink.IsOnline ? "online" : "OFFLINE")}{(Reboots > 0 ? $", {Reboots} reboot(s)" : string.Empty)}{(ActiveFaults.Count > 0 ? ", FAULTS " + string.Join(",", ActiveFaults) : string.Empty)}");
    }

    internal void Start()
    {
        if (!Unit.Start())
        {
            throw new InvalidOperationException($"unit {Spec.Id}: the emulated journal did not open");
        }
    }

    /// <summary>Runs the hardware to a true time, throws the faults due, and polls the unit once.</summary>
    /// <param name="trueUtc">True UTC µs (the host's clock once live).</param>
    internal void Step(long trueUtc)
    {
        Rig.StepTo(trueUtc);
        _arrival.Stepped(trueUtc, Rig.Gps.Clock.Now);
        var sinceStart = trueUtc - _startUtc;
        var changed = false;
        var cut = false;
        var runDown = false;
        for (var i = 0; i < _faults.Count; i++)
        {
            var fault = _faults[i];
            var on = fault.Covers(sinceStart);
            changed |= on != _on[i];
            _on[i] = on;
            if (!on)
            {
                continue;
            }

            cut |= fault.Kind == EmulatedFaultKind.UplinkCut;
            runDown |= fault.Kind == EmulatedFaultKind.BatteryLow;
            if (fault.Kind == EmulatedFaultKind.ReaderSilence && !_silenced[i])
            {
                _silenced[i] = true;
                Rig.SilenceReaders(fault.DurationMicros == long.MaxValue ? long.MaxValue / 4 : fault.AtMicros + fault.DurationMicros - sinceStart);
            }
        }

        Link.Cut = cut;
        _battery.Millivolts = runDown ? EmulatedBattery.RunDownMillivolts : EmulatedBattery.ChargedMillivolts;
        if (changed)
        {
            ActiveFaults = [.. _faults.Where((_, i) => _on[i]).Select(Name)];
        }

        Unit.Poll();
        var local = Rig.Gps.Clock.Now;
        if (local >= _nextSupervise)
        {
            // As the board's watchdog timer does, once a second.
            _nextSupervise = local + 1_000_000;
            Unit.Supervise();
        }

        if (_rebooter.Requested)
        {
            // A board's reboot drops its session without a DISCONNECT (the broker sends the will) and boots again on the
            // same flash and hardware.
            _rebooter.Requested = false;
            Link.Inner.Abort();
            Reboots++;
            Unit = new MatUnit(_config, _settings, _hardware);
            Start();
        }
    }

    internal void Stop() => Unit.Stop();

    private static string Name(EmulatedFault fault) => fault.Kind switch
    {
        EmulatedFaultKind.ClockOffset => FormattableString.Invariant($"clock-offset {fault.AmountMicros / 1000.0:0.###} ms"),
        EmulatedFaultKind.GpsLoss => "gps-loss",
        EmulatedFaultKind.ReaderSilence => "reader-silence",
        EmulatedFaultKind.BatteryLow => "battery-low",
        EmulatedFaultKind.JournalFilling => "journal-filling",
        _ => "uplink-cut",
    };

    // A journal of 16 KB segments holding a quarter of the core's alarm level of outage at the runners' rate (at least
    // two segments, the journal's least): the unit's status then says under that level is left, whatever acknowledges.
    private static void SizeJournalTooSmall(JournalOptions journal, double runnersPerSecond)
    {
        journal.SegmentBytes = 16 * 1024;
        journal.CapacityBytes = journal.SegmentBytes;
        var perSegment = UnitStatus.PassingsHeld(journal);
        var wanted = runnersPerSecond * 3600 * UnitStatus.FillingAlarmHours / 4;
        journal.CapacityBytes = journal.SegmentBytes * Math.Max(2, (long)Math.Ceiling(wanted / perSegment));
    }

    private sealed class RebootRequest : IRebooter
    {
        public bool Requested { get; set; }

        public void Reboot() => Requested = true;
    }
}
