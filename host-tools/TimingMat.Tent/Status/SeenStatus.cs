namespace TimingMat.Tent.Status;

/// <summary>A unit's status as a <see cref="UnitStatusWatch"/> read it.</summary>
/// <param name="Status">The status.</param>
/// <param name="ReceivedUtc">The host's UTC when it came (a retained status may be older: see its uptime).</param>
public sealed record SeenStatus(UnitStatusReport Status, DateTime ReceivedUtc);
