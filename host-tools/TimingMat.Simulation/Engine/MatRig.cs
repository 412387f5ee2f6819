using TimingMat.Core.Unit;
using TimingMat.Emulators.Crossings;
using TimingMat.Emulators.Gps;
using TimingMat.Emulators.Reader;
using TimingMat.Emulators.Serial;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Simulation.Engine;

/// <summary>
/// One boot of a mat's emulated hardware on the true timeline: its GPS (crystal, NMEA UART, PPS) and its reader
/// modules, each on a 115,200-baud UART, fed by the crossing model with the field's runners at the mat. The simulator puts
/// the real core on the unit ends; the hardware-in-the-loop harness bridges them to a board's UARTs.
/// </summary>
/// <remarks>
/// Step it with <see cref="StepTo"/> on the true timeline: the GPS emulator moves the shared local clock (the unit's
/// counter) and writes what is due; the reader module answers commands and sends the reads due by then.
/// </remarks>
public sealed class MatRig
{
    private const int ReaderBaud = 115_200;

    private readonly ReadCountingSource[] _tags;

    /// <summary>Initializes a new instance of the <see cref="MatRig"/> class: the mat's hardware powered on.</summary>
    /// <param name="spec">The mat.</param>
    /// <param name="scenario">The scenario (GPS model and faults).</param>
    /// <param name="field">The truth: who crosses the mat when.</param>
    /// <param name="boot">Which boot this is, from 1 (seeds each boot's randomness apart).</param>
    /// <param name="power">Crystal, boot time, counter and GPS start.</param>
    /// <param name="runners">The true-time span whose runners reach the mat.</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="readsByBib">Counts the reads the module reports on the wire per bib (kept across boots by the caller).</param>
    public MatRig(MatSpec spec, Scenario scenario, RaceField field, int boot, MatPower power, (long FromUtc, long ToUtc) runners, int seed, Dictionary<int, int> readsByBib)
    {
        Spec = spec;
        var gpsOptions = new GpsEmulatorOptions
        {
            Seed = Seeds.Mix(seed, spec.UnitId, boot, 5),
            Latency = PpsLatencyModel.Parse(scenario.Gps.Latency),
            AcquisitionSeconds = power.GpsAcquisitionSeconds,
            Schedule = scenario.Faults
                .Where(f => f.Kind == FaultKind.GpsLoss && f.Mat == spec.Name && f.AtUtcMicros + f.DurationMicros > power.TrueUtcAtBoot)
                .Select(f => new GpsCondition(GpsConditionKind.NoFix, f.AtUtcMicros, f.AtUtcMicros + f.DurationMicros))
                .ToList(),
        };
        Gps = new GpsRig(power.Crystal, power.TrueUtcAtBoot, gpsOptions, baudRate: 9600, localAtBoot: power.LocalAtBoot);
        var modelSettings = new CrossingModelSettings
        {
            Readers = spec.Reader.Modules,
            AntennasPerReader = spec.Reader.Antennas,
            ReaderReadsPerSecond = spec.Reader.ReadsPerSecond,
            ChipReadsPerSecond = Math.Min(200, spec.Reader.ReadsPerSecond),
            KeepTrueCrossings = false, // the field is the truth; the model's copy would grow all race
        };
        var stream = new FieldRunnerStream(field.CrossingsAt(spec.UnitId), runners.FromUtc, runners.ToUtc, Gps.Timebase, modelSettings.MatWidthM, seed, runner => RunnerComing?.Invoke(runner));
        var model = new CrossingModel(modelSettings, stream, Seeds.Mix(seed, spec.UnitId, boot, 7));
        Model = model;

        // One UART and one module per reader of the mat; the first keeps the seeds a one-module mat always had.
        var lines = new SerialLine[spec.Reader.Modules];
        var modules = new ReaderModuleEmulator[spec.Reader.Modules];
        _tags = new ReadCountingSource[spec.Reader.Modules];
        for (var i = 0; i < modules.Length; i++)
        {
            lines[i] = new SerialLine(Gps.Clock, ReaderBaud);
            lines[i].UnitEnd.Open();
            lines[i].ModuleEnd.Open();
            _tags[i] = new ReadCountingSource(model.Reader(i));
            modules[i] = spec.Reader.Protocol == ReaderProtocol.Mercury
                ? new MercuryNanoEmulator(lines[i], _tags[i], Seeds.Mix(seed, spec.UnitId, 11 + (i * 100)))
                : new R2000ModuleEmulator(lines[i], _tags[i], Seeds.Mix(seed, spec.UnitId, 13 + (i * 100))) { AntennaPorts = R2000PortsFor(spec.Reader) };

            // A crossing counts as read only when a module reported a read of it on the wire: reads made while it was
            // silent, not yet inventorying, or dropped for a full transmit buffer never reached the firmware.
            modules[i].ReadReported += read =>
            {
                var bib = RaceField.TryBibOf(read.Epc);
                readsByBib[bib] = readsByBib.GetValueOrDefault(bib) + 1;
            };
        }

        ReaderLines = lines;
        Readers = modules;
    }

    /// <summary>Raised as the crossing model takes each runner from the field (before their first read), on the unit's clock.</summary>
    public event Action<RunnerCrossing>? RunnerComing;

    /// <summary>Gets the mat.</summary>
    public MatSpec Spec { get; }

    /// <summary>
    /// Gives the ports of a mat's 0xA0 modules as the module and its driver must both know them: an 8-port reader
    /// reports antennas 5–8 in bit 7 of the RSSI byte, which a driver set for 4 ports would read as RSSI.
    /// </summary>
    /// <param name="reader">The mat's reader.</param>
    /// <returns>4, or 8 for more than four antennas on a module.</returns>
    public static int R2000PortsFor(ReaderSpec reader) => reader.Antennas > 4 ? 8 : 4;

    /// <summary>Gets the crossing model that feeds the reader modules (its geometry, and what it offered them).</summary>
    public CrossingModel Model { get; }

    /// <summary>Gets the GPS side: the unit's local clock, timebase, GPS UART and receiver.</summary>
    public GpsRig Gps { get; }

    /// <summary>Gets every reader module's UART, by reader index.</summary>
    public IReadOnlyList<SerialLine> ReaderLines { get; }

    /// <summary>Gets the (first) reader module emulator (Mercury for <c>m6e</c>, 0xA0 for <c>r2000</c>).</summary>
    public ReaderModuleEmulator Reader => Readers[0];

    /// <summary>Gets every reader module emulator, by reader index.</summary>
    public IReadOnlyList<ReaderModuleEmulator> Readers { get; }

    /// <summary>Gets the reads the modelled physics produced this boot (before the modules dropped any).</summary>
    public long ReadsGenerated => _tags.Sum(t => t.Reads);

    /// <summary>Gets the reads the modules made this boot but could not report (not inventorying, silent, throttled, backlog full).</summary>
    public long ReadsNotReported => Readers.Sum(r => r.ReadsMissed + r.ReadsDroppedBacklog + r.ReadsThrottled);

    /// <summary>Gets the reads the modules reported on the wire this boot.</summary>
    public long ReadsReported => Readers.Sum(r => r.ReadsSent);

    /// <summary>Hangs every reader module for a while (their shared supply browns out; the drivers must restart them).</summary>
    /// <param name="micros">How long, µs.</param>
    public void SilenceReaders(long micros)
    {
        foreach (var reader in Readers)
        {
            reader.SilenceFor(micros);
        }
    }

    /// <summary>Runs the hardware up to a true time: GPS stamps and bytes, then the reader module.</summary>
    /// <param name="trueUtc">True UTC µs, not before the last step.</param>
    public void StepTo(long trueUtc)
    {
        Gps.Gps.StepTo(trueUtc);
        foreach (var reader in Readers)
        {
            reader.Poll();
        }
    }
}
