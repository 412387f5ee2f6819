namespace TimingMat.Simulation.Engine;

/// <summary>What is currently wrong with one mat, from the scenario's fault timeline.</summary>
internal sealed class MatFaultState
{
    /// <summary>Gets or sets when the mat's network comes back (true UTC µs), or long.MinValue.</summary>
    public long NetworkDownUntil { get; set; } = long.MinValue;

    /// <summary>Gets or sets when power comes back (true UTC µs), or long.MinValue while powered.</summary>
    public long PowerBackAt { get; set; } = long.MinValue;
}
