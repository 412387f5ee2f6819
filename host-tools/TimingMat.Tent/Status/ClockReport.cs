using System.Text.Json;

namespace TimingMat.Tent.Status;

/// <summary>A unit's clock as it reports it: the status's and the clock reply's <c>clock</c> object (wire-formats §7).</summary>
/// <param name="State"><c>unsynced</c>, <c>locked</c> or <c>holdover</c>.</param>
/// <param name="OffsetMicros">How late the last PPS edge was stamped above the clock's fitted line, µs; null while unsynced.</param>
/// <param name="UncertaintyMicros">The clock's stated uncertainty, µs; null while unsynced.</param>
/// <param name="PpsEdges">PPS edges taken since boot.</param>
/// <param name="Satellites">Satellites in use, or -1 when the GPS does not say.</param>
/// <param name="Fix">Whether the GPS has a fix.</param>
/// <param name="Utc">The unit's UTC when it wrote the report (ISO 8601), or null while unsynced.</param>
public sealed record ClockReport(string State, long? OffsetMicros, long? UncertaintyMicros, long PpsEdges, int Satellites, bool Fix, string? Utc)
{
    /// <summary>The state of a clock locked to GPS.</summary>
    public const string Locked = "locked";

    /// <summary>Gets a value indicating whether the clock is locked to GPS.</summary>
    public bool IsLocked => State == Locked;

    /// <summary>Reads a <c>clock</c> object.</summary>
    /// <param name="clock">The object.</param>
    /// <returns>The report (absent members read as unsynced, 0 or null).</returns>
    public static ClockReport From(JsonElement clock) => new(
        JsonRead.String(clock, "state") ?? "unsynced",
        JsonRead.Long(clock, "offset_us"),
        JsonRead.Long(clock, "uncertainty_us"),
        JsonRead.Long(clock, "pps") ?? 0,
        (int)(JsonRead.Long(clock, "satellites") ?? -1),
        JsonRead.Bool(clock, "fix") ?? false,
        JsonRead.String(clock, "utc"));
}
