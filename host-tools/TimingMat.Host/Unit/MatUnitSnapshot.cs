using TimingMat.Host.Uplink;

namespace TimingMat.Host.Unit;

/// <summary>The state of a <see cref="DesktopMatUnit"/> after a poll: what its status line and summary show.</summary>
/// <param name="UptimeSeconds">Seconds since the unit started.</param>
/// <param name="Mode">Race-day mode: <c>test</c> (reads counted, nothing recorded) or <c>timing</c>.</param>
/// <param name="ReaderState">The reader driver's state, e.g. <c>reading</c>; with several modules <c>reading</c> when every one reads, else the state of the first that does not.</param>
/// <param name="Reads">Tag reads from the modules since start, all modules together.</param>
/// <param name="ReaderRestarts">Times the drivers restarted a module, all modules together.</param>
/// <param name="LastRestartReason">Why the module last restarted, e.g. <c>silence</c>, or <c>none</c>; with several modules the first module's that has restarted.</param>
/// <param name="Readers">Each reader module's state, reads and restarts, by reader index.</param>
/// <param name="ClockState">The mat clock's state: <c>unsynced</c>, <c>locked</c> or <c>holdover</c>.</param>
/// <param name="ClockUncertaintyMicros">The clock's stated uncertainty now, µs (-1 while unsynced).</param>
/// <param name="GpsFix">Whether the GPS's last sentence reported a fix.</param>
/// <param name="Satellites">Satellites in use from the last GGA, or -1.</param>
/// <param name="PpsEdges">PPS edges the clock took.</param>
/// <param name="PpsDropped">PPS edges lost to a full capture ring.</param>
/// <param name="NmeaSentences">NMEA sentences accepted.</param>
/// <param name="Passings">Passings the crossing detector made since start (markers included).</param>
/// <param name="HeldForUtc">Passings waiting for the clock's first lock.</param>
/// <param name="Restamped">Passings re-stamped with UTC once the clock locked.</param>
/// <param name="Uplink">Journal, outbox and connection.</param>
public sealed record MatUnitSnapshot(
    double UptimeSeconds,
    string Mode,
    string ReaderState,
    long Reads,
    long ReaderRestarts,
    string LastRestartReason,
    IReadOnlyList<ReaderModuleSnapshot> Readers,
    string ClockState,
    long ClockUncertaintyMicros,
    bool GpsFix,
    int Satellites,
    int PpsEdges,
    int PpsDropped,
    int NmeaSentences,
    long Passings,
    int HeldForUtc,
    int Restamped,
    UplinkSnapshot Uplink);
