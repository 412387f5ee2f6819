namespace TimingMat.Emulators.Crossings;

/// <summary>The truth about one chip crossing, for error figures: which chip, and when it was really over the mat line.</summary>
/// <param name="Epc">The chip's EPC.</param>
/// <param name="TrueMicros">Unit-local µs the chip was directly over the mat line.</param>
/// <param name="RunnerNumber">The runner wearing it.</param>
/// <param name="SpeedMps">The runner's speed, m/s.</param>
/// <param name="Blocked">Whether the tag was covered during this crossing.</param>
public readonly record struct TrueCrossing(byte[] Epc, long TrueMicros, int RunnerNumber, double SpeedMps, bool Blocked);
