namespace TimingMat.Emulators.Crossings;

/// <summary>A runner crossing the mat: when their reference point passes the mat line, how fast, where across it, and their chips.</summary>
/// <param name="Number">The runner's number (bib), for reports.</param>
/// <param name="CrossingMicros">Unit-local time the runner's reference point is over the mat line, µs.</param>
/// <param name="SpeedMps">Speed over the mat, m/s.</param>
/// <param name="LateralM">Position across the mat from its centre line, m.</param>
/// <param name="Chips">The chips the runner wears (one, or two for double-tagged bibs).</param>
public sealed record RunnerCrossing(int Number, long CrossingMicros, double SpeedMps, double LateralM, IReadOnlyList<ModelChip> Chips)
{
    /// <summary>Gets the true crossing time of one of the runner's chips: when it is directly over the mat line.</summary>
    /// <param name="chip">One of <see cref="Chips"/>.</param>
    /// <returns>Unit-local µs.</returns>
    public long ChipCrossingMicros(ModelChip chip) => CrossingMicros - (long)Math.Round(chip.AlongOffsetM / SpeedMps * 1e6);
}
