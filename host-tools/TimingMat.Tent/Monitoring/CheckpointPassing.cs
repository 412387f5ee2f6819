namespace TimingMat.Tent.Monitoring;

/// <summary>One passing on a checkpoint screen.</summary>
/// <param name="Sequence">The unit's sequence number of the passing.</param>
/// <param name="Chip">The chip's EPC in hex.</param>
/// <param name="Bib">The bib the chips file gives the chip, or null.</param>
/// <param name="TimeUtc">The passing's time (the unit's GPS time).</param>
/// <param name="TimeOfDay">The time of day in the tent's time zone, <c>HH:mm:ss.f</c>.</param>
public sealed record CheckpointPassing(long Sequence, string Chip, string? Bib, DateTime TimeUtc, string TimeOfDay)
{
    /// <summary>Gets what the screen shows in big type: the bib, or the chip when no bib is known.</summary>
    public string Shown => Bib ?? Chip;
}
