namespace TimingMat.Emulators.Crossings;

/// <summary>One chip a runner wears, as the crossing model places it on the body.</summary>
/// <param name="Epc">The chip's EPC.</param>
/// <param name="HeightM">Height above the mat, m (a bib tag sits at 1.0–1.4 m).</param>
/// <param name="LateralOffsetM">Offset across the course from the runner's line, m.</param>
/// <param name="AlongOffsetM">Offset along the course ahead of the runner's reference point, m (a chip ahead crosses earlier).</param>
public sealed record ModelChip(byte[] Epc, double HeightM, double LateralOffsetM = 0, double AlongOffsetM = 0);
