namespace TimingMat.Tent.Monitoring;

/// <summary>One row of the monitor: a unit as its latest status shows it, with its alarms.</summary>
/// <param name="Unit">Unit id.</param>
/// <param name="Mat">The mat's name, or null before the first status.</param>
/// <param name="Role">The mat's role, or null.</param>
/// <param name="Mode"><c>timing</c> or <c>test</c>, or null.</param>
/// <param name="LastSeenUtc">When its latest status came, or null: never heard.</param>
/// <param name="SecondsSinceSeen">Seconds since then, or null.</param>
/// <param name="Offline">Whether the latest word is the broker's last will (or a clean stop's status).</param>
/// <param name="BatteryPercent">Battery charge, or null where the board does not measure it.</param>
/// <param name="Fix">Whether the GPS has a fix, or null.</param>
/// <param name="Satellites">Satellites in use, or null.</param>
/// <param name="ClockState"><c>locked</c>, <c>holdover</c> or <c>unsynced</c>, or null.</param>
/// <param name="ClockOffsetMs">The clock's stated offset (PPS latency), ms, or null.</param>
/// <param name="ClockUncertaintyMs">The clock's stated uncertainty, ms, or null.</param>
/// <param name="ReadersReading">Reader modules reading.</param>
/// <param name="Readers">Reader modules.</param>
/// <param name="ReaderStates">Each module's driver state, by index.</param>
/// <param name="ReadsPerSecond">Reads per second of all modules.</param>
/// <param name="Backlog">Batches waiting to be sent.</param>
/// <param name="Unacknowledged">Passings the collector has not acknowledged.</param>
/// <param name="JournalFillPercent">Journal fill, or null.</param>
/// <param name="RemainingHours">Outage hours the journal can still absorb, or null.</param>
/// <param name="PassingsSeen">Crossings the monitor saw on the unit's passings topic (each sequence once).</param>
/// <param name="Alarms">Its alarms that show.</param>
public sealed record UnitView(
    int Unit,
    string? Mat,
    string? Role,
    string? Mode,
    DateTime? LastSeenUtc,
    double? SecondsSinceSeen,
    bool Offline,
    int? BatteryPercent,
    bool? Fix,
    int? Satellites,
    string? ClockState,
    double? ClockOffsetMs,
    double? ClockUncertaintyMs,
    int ReadersReading,
    int Readers,
    IReadOnlyList<string> ReaderStates,
    double ReadsPerSecond,
    long Backlog,
    long Unacknowledged,
    double? JournalFillPercent,
    double? RemainingHours,
    long PassingsSeen,
    IReadOnlyList<FleetAlarm> Alarms);
