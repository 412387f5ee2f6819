namespace TimingMat.Simulation.Scoring;

/// <summary>One second of a mat's read budget.</summary>
/// <param name="Offered">Reads the chips in the readers' fields would have given had the readers no read-rate limit.</param>
/// <param name="Reported">Reads the modules reported to the unit.</param>
public readonly record struct ReadBudgetSecond(double Offered, long Reported);
