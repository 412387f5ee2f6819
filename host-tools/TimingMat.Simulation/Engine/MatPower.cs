using TimingMat.Emulators.Gps;

namespace TimingMat.Simulation.Engine;

/// <summary>How a mat's hardware powers on: its crystal, when on the true timeline, its counter then, and its GPS start.</summary>
/// <param name="Crystal">The board's crystal (kept across boots).</param>
/// <param name="TrueUtcAtBoot">True UTC µs at power-on.</param>
/// <param name="LocalAtBoot">The unit's µs counter at power-on.</param>
/// <param name="GpsAcquisitionSeconds">Time to first fix: a cold start in the morning, a hot start after a power cut.</param>
public sealed record MatPower(CrystalOscillator Crystal, long TrueUtcAtBoot, long LocalAtBoot, double GpsAcquisitionSeconds);
