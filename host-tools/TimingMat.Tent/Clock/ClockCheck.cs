namespace TimingMat.Tent.Clock;

/// <summary>One unit's line of a clock verification.</summary>
/// <param name="Unit">Unit id.</param>
/// <param name="Verdict">
/// <c>ok</c>; or why not: <c>silent</c> (no answer), <c>refused</c> (the unit rejected the command: a wrong or missing
/// key), <c>no-key</c> (the tent has no key for it), <c>unlocked</c> (its clock is unsynced or in holdover),
/// <c>uncertain</c> (its stated uncertainty is above the most allowed), <c>offset</c> (it disagrees with the fleet by more
/// than the tolerance), <c>gross</c> (it disagrees with the host clock by more than a second while the others do not).
/// </param>
/// <param name="State">The clock state it reported, or null.</param>
/// <param name="OffsetMs">Its offset from the reference (the fleet's median, or the host clock with fewer than three units), ms; null when not measured.</param>
/// <param name="HostOffsetMs">Its offset from the host clock, ms; null when not measured.</param>
/// <param name="UncertaintyMs">Its clock's stated uncertainty, ms, or null.</param>
/// <param name="GpsOffsetUs">Its clock's own view of its last PPS edge (how late it was stamped), µs, or null.</param>
/// <param name="Satellites">Satellites in use, or null.</param>
/// <param name="LastPpsMs">How long before its answer it took its last PPS edge, ms, or null.</param>
/// <param name="RoundTripMs">The quickest exchange's round trip, ms (the offset is good to half of it), or null.</param>
/// <param name="Exchanges">Exchanges answered.</param>
/// <param name="Detail">What the verdict rests on, in words.</param>
public sealed record ClockCheck(
    int Unit,
    string Verdict,
    string? State,
    double? OffsetMs,
    double? HostOffsetMs,
    double? UncertaintyMs,
    long? GpsOffsetUs,
    int? Satellites,
    long? LastPpsMs,
    double? RoundTripMs,
    int Exchanges,
    string Detail)
{
    /// <summary>Gets a value indicating whether the unit passed.</summary>
    public bool Passed => Verdict == "ok";
}
