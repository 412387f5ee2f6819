namespace TimingMat.Tent.Monitoring;

/// <summary>A checkpoint screen (<c>/mat/&lt;unit&gt;</c>): the mat's latest passings, newest first, and how many it made.</summary>
/// <param name="Unit">Unit id.</param>
/// <param name="Mat">The mat's name, or null before its first status.</param>
/// <param name="Count">Crossings seen (each sequence once).</param>
/// <param name="Latest">The latest crossings, newest first.</param>
/// <param name="Version">The fleet's version when it was taken.</param>
public sealed record CheckpointScreen(int Unit, string? Mat, long Count, IReadOnlyList<CheckpointPassing> Latest, long Version);
