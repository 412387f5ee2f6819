namespace TimingMat.Simulation.Field;

/// <summary>A runner over a mat in the truth: when, which chips, and how readable.</summary>
/// <param name="UnitId">The mat's unit id.</param>
/// <param name="UtcMicros">True time the runner's bib is over the antennas (the time a perfect detector reports).</param>
/// <param name="Runner">The runner.</param>
/// <param name="SpeedMetersPerSecond">How fast the runner crosses the mat (it shapes the signal over time).</param>
public sealed record TrueMatCrossing(int UnitId, long UtcMicros, RunnerPlan Runner, double SpeedMetersPerSecond);
