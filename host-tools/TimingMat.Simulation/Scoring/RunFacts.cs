namespace TimingMat.Simulation.Scoring;

/// <summary>How a run went, beyond what the mats did: the figures the report repeats as they are.</summary>
/// <param name="Seed">The seed the field was generated with.</param>
/// <param name="FaultsInjected">Faults applied from the timeline.</param>
/// <param name="ResendsDeduplicated">Passings the collector received again and stored once.</param>
/// <param name="SimulatedSeconds">Race time covered.</param>
/// <param name="WallSeconds">Wall-clock time taken.</param>
/// <param name="Broker">"in-process", or the broker's address.</param>
public sealed record RunFacts(int Seed, int FaultsInjected, long ResendsDeduplicated, double SimulatedSeconds, double WallSeconds, string Broker);
