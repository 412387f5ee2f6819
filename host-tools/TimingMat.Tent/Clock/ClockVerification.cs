namespace TimingMat.Tent.Clock;

/// <summary>The outcome of <see cref="ClockVerifier.Verify"/>: every unit's line and the fleet's view of the host clock.</summary>
/// <param name="Units">One line per unit, in the order asked.</param>
/// <param name="ToleranceMs">The tolerance the units were held to, ms.</param>
/// <param name="Reference"><c>fleet-median</c>, or <c>host-clock</c> when fewer than three units could be measured.</param>
/// <param name="HostOffsetMs">The fleet's median offset from the host clock, ms (the host's own error against GPS), or null.</param>
public sealed record ClockVerification(IReadOnlyList<ClockCheck> Units, double ToleranceMs, string Reference, double? HostOffsetMs)
{
    /// <summary>Gets a value indicating whether every unit passed.</summary>
    public bool Passed => Units.All(u => u.Passed);

    /// <summary>Gets the units that failed.</summary>
    public IEnumerable<ClockCheck> Failed => Units.Where(u => !u.Passed);
}
