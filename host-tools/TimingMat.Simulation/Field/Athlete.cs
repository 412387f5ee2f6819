namespace TimingMat.Simulation.Field;

/// <summary>A registered athlete: bib, corral and the chip on the bib.</summary>
/// <param name="Bib">Bib number.</param>
/// <param name="Corral">Start corral.</param>
/// <param name="Wave">Wave the corral starts with.</param>
/// <param name="Chip">The chip's EPC (12 bytes).</param>
/// <param name="Runs">False for an athlete who does not run but whose chip another runner carries.</param>
public sealed record Athlete(int Bib, string Corral, int Wave, byte[] Chip, bool Runs)
{
    /// <summary>Gets the chip's EPC as upper-case hex, the key the audit and reports use.</summary>
    public string ChipHex { get; } = Convert.ToHexString(Chip);
}
