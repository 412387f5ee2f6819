using TimingMat.Core.RaceDay;
using TimingMat.Core.Unit;

namespace TimingMat.Simulation.Scenarios;

/// <summary>A whole race to simulate: course, corrals and waves, the runner field, the hardware models and faults.</summary>
/// <remarks>Build one with <see cref="ScenarioLoader"/>, which validates every field; all times are UTC µs since 1970.</remarks>
public sealed record Scenario
{
    /// <summary>Gets the scenario's name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the race day (times of day in the file are local times on it).</summary>
    public required DateOnly Date { get; init; }

    /// <summary>Gets the local time zone's offset from UTC on race day.</summary>
    public required TimeSpan UtcOffset { get; init; }

    /// <summary>Gets a one-line description.</summary>
    public required string Description { get; init; }

    /// <summary>Gets the default seed (the command line may override it).</summary>
    public required int Seed { get; init; }

    /// <summary>Gets the course length in km.</summary>
    public required double DistanceKm { get; init; }

    /// <summary>
    /// Gets the mat units: check-in mats first, then the course mats in km order (each the main line of its timing
    /// point), then the backup lines' units in the order of their timing points.
    /// </summary>
    public required IReadOnlyList<MatSpec> Mats { get; init; }

    /// <summary>Gets the main line of every timing point (check-ins first, then the course in km order): one per timing point.</summary>
    public IEnumerable<MatSpec> TimingPoints => Mats.Where(m => m.Line == 1);

    /// <summary>Gets the units of a timing point's lines, its main line first.</summary>
    /// <param name="timingPoint">The timing point's name (its main line's mat name).</param>
    /// <returns>The units.</returns>
    public IEnumerable<MatSpec> LinesOf(string timingPoint) => Mats.Where(m => m.TimingPoint == timingPoint);

    /// <summary>Gets the start corrals.</summary>
    public required IReadOnlyList<CorralSpec> Corrals { get; init; }

    /// <summary>Gets the waves, in gun order.</summary>
    public required IReadOnlyList<WaveSpec> Waves { get; init; }

    /// <summary>Gets the runner field.</summary>
    public required RunnerSpec Runners { get; init; }

    /// <summary>Gets the GPS, oscillator and PPS-latency model every unit uses.</summary>
    public required GpsSpec Gps { get; init; }

    /// <summary>Gets the LoRa fallback radios (every mat's board and the tent receiver) and their channel.</summary>
    public LoRaSpec Lora { get; init; } = LoRaSpec.Default;

    /// <summary>Gets the faults, in time order.</summary>
    public required IReadOnlyList<FaultSpec> Faults { get; init; }

    /// <summary>Gets the first mat with a role (a main line), or null.</summary>
    public MatSpec? MatWithRole(UnitRole role) => Mats.FirstOrDefault(m => m.Role == role && m.Line == 1);

    /// <summary>Gives the UTC time of a local time of day on race day, as the file's times are read.</summary>
    /// <param name="timeOfDay">Local time of day (below 24 h).</param>
    /// <returns>UTC µs since 1970.</returns>
    public long UtcMicrosAt(TimeSpan timeOfDay) => ScenarioLoader.UtcMicrosOf(Date, UtcOffset, timeOfDay);
}

/// <summary>One timing point (one mat unit).</summary>
/// <param name="UnitId">The unit's id, 1-based in scenario order.</param>
/// <param name="Name">Unique name, e.g. <c>10k</c>.</param>
/// <param name="Role">Role on the course.</param>
/// <param name="Km">Course distance of the mat in km (0 for check-in mats).</param>
/// <param name="Corrals">Corrals a check-in mat serves; empty for course mats.</param>
/// <param name="OpensUtcMicros">When the mat is armed.</param>
/// <param name="CutoffUtcMicros">When the mat stops counting (its section's cut-off).</param>
/// <param name="Reader">The reader module and its read rate.</param>
/// <remarks>
/// A timing point with a backup line has two units: its main line (the spec the scenario lists) and the backup
/// line's unit (<see cref="BackupOf"/> set, <see cref="OffsetM"/> from the main line), with the same role, km and times.
/// </remarks>
public sealed record MatSpec(int UnitId, string Name, UnitRole Role, double Km, IReadOnlyList<string> Corrals, long OpensUtcMicros, long CutoffUtcMicros, ReaderSpec Reader)
{
    /// <summary>Gets the timing point whose backup line this unit reads (its main line's name), or null for a main line.</summary>
    public string? BackupOf { get; init; }

    /// <summary>Gets how far along the course this unit's line lies from its timing point's main line, m (0 for the main line).</summary>
    public double OffsetM { get; init; }

    /// <summary>Gets the line of its timing point this unit reads: 1 for the main line, 2 for the backup line.</summary>
    public int Line => BackupOf == null ? 1 : 2;

    /// <summary>Gets the name of the timing point (the main line's mat name).</summary>
    public string TimingPoint => BackupOf ?? Name;
}

/// <summary>The reader modules of a mat.</summary>
/// <param name="Protocol">The module type (<see cref="ReaderTypeText"/> spells it): <c>m6e</c> (ThingMagic Mercury) or <c>r2000</c> (0xA0).</param>
/// <param name="ReadsPerSecond">Inventory rate each module sustains, shared by all chips in its field.</param>
/// <param name="Antennas">Antenna ports per module; every module's antennas are spread evenly across the mat.</param>
/// <param name="Modules">Reader modules on the mat, each on its own UART into the one unit, 1–8.</param>
public sealed record ReaderSpec(ReaderProtocol Protocol, int ReadsPerSecond, int Antennas, int Modules = 1);

/// <summary>A start corral.</summary>
/// <param name="Name">Corral name, e.g. <c>A</c>.</param>
/// <param name="Wave">Wave number the corral starts with.</param>
/// <param name="Share">Share of the field in this corral (all corrals sum to 1).</param>
public sealed record CorralSpec(string Name, int Wave, double Share);

/// <summary>A wave.</summary>
/// <param name="Number">Wave number, from 1.</param>
/// <param name="GunUtcMicros">Gun time.</param>
public sealed record WaveSpec(int Number, long GunUtcMicros);

/// <summary>The runner field.</summary>
public sealed record RunnerSpec
{
    /// <summary>Gets the number of starters (registered athletes who run).</summary>
    public required int Count { get; init; }

    /// <summary>Gets the median pace in seconds per km.</summary>
    public required double MedianPaceSecondsPerKm { get; init; }

    /// <summary>Gets the spread of the pace (standard deviation of its natural log).</summary>
    public required double PaceSpread { get; init; }

    /// <summary>Gets the fastest allowed pace in s/km.</summary>
    public required double FastestPaceSecondsPerKm { get; init; }

    /// <summary>Gets the slowest allowed pace in s/km.</summary>
    public required double SlowestPaceSecondsPerKm { get; init; }

    /// <summary>Gets how many runners per second a corral pushes over the start mat.</summary>
    public required double StartRatePerSecond { get; init; }

    /// <summary>Gets the share of runners carrying a second (non-running) athlete's chip.</summary>
    public required double TwoChipsShare { get; init; }

    /// <summary>Gets the share of runners whose bib sits badly (crumpled, under a jacket): far fewer reads.</summary>
    public required double BadBibShare { get; init; }

    /// <summary>Gets the share of runners who drop out somewhere on the course.</summary>
    public required double DropoutShare { get; init; }

    /// <summary>Gets the share of runners who skip one split mat (cut the course or walk round it).</summary>
    public required double SkipMatShare { get; init; }

    /// <summary>Gets the share of runners who start late, after their corral has gone.</summary>
    public required double LateStartShare { get; init; }

    /// <summary>Gets the share of runners who cross their corral's check-in mat.</summary>
    public required double CheckInShare { get; init; }
}

/// <summary>The GPS receiver, crystal and PPS-latency model of every unit.</summary>
/// <param name="OscillatorPpm">Largest initial crystal offset; each unit draws one in ±this.</param>
/// <param name="WanderPpm">Temperature wander amplitude.</param>
/// <param name="Latency">PPS handler latency model name: <c>heavy</c> or <c>uniform2</c>.</param>
public sealed record GpsSpec(double OscillatorPpm, double WanderPpm, string Latency);

/// <summary>The LoRa fallback: whether mats carry a radio, the channel settings, and the air between mats and tent.</summary>
/// <param name="Fitted">Whether the mats' boards have an SX127x (the tent receiver is then set up too).</param>
/// <param name="SpreadingFactor">SF 7–12.</param>
/// <param name="DutyCyclePercent">Sub-band duty cycle in percent (10 for EU868 g3, 1 for g1, 100 where none applies).</param>
/// <param name="PacketLoss">Chance, 0–0.5, that one packet misses its receiver.</param>
/// <param name="FallbackAfterSeconds">How long MQTT must be down before a mat falls back to LoRa.</param>
public sealed record LoRaSpec(bool Fitted, int SpreadingFactor, double DutyCyclePercent, double PacketLoss, double FallbackAfterSeconds)
{
    /// <summary>Gets the defaults: fitted, SF7, 10 %, 2 % loss, 30 s.</summary>
    public static LoRaSpec Default { get; } = new(true, 7, 10, 0.02, 30);

    /// <summary>Gets the duty cycle in permille, as the firmware and the receiver take it.</summary>
    public int DutyCyclePermille => (int)Math.Round(DutyCyclePercent * 10);
}

/// <summary>A fault on the timeline.</summary>
/// <param name="Kind">What fails.</param>
/// <param name="Mat">The mat it hits, or null for broker-wide faults.</param>
/// <param name="AtUtcMicros">When it starts (LoRa-only mats: the whole race).</param>
/// <param name="DurationMicros">How long it lasts (0 for instantaneous faults or whole-race ones).</param>
public sealed record FaultSpec(FaultKind Kind, string? Mat, long AtUtcMicros, long DurationMicros);
