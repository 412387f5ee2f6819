namespace TimingMat.Simulation.Scoring;

/// <summary>How a run went, beyond what the mats did: the figures the report repeats as they are.</summary>
/// <remarks>
/// A run that plays only part of the race (the hardware-in-the-loop harness plays one mat for a few minutes) sets
/// <see cref="Window"/>: scoring then counts only the true crossings in it, so the runners before and after are neither
/// expected nor "never read", and reports the runners who crossed in it. The simulator leaves it null: the whole race.
/// </remarks>
/// <param name="Seed">The seed the field was generated with.</param>
/// <param name="FaultsInjected">Faults applied from the timeline.</param>
/// <param name="ResendsDeduplicated">Passings the collector received again and stored once.</param>
/// <param name="SimulatedSeconds">Race time covered.</param>
/// <param name="WallSeconds">Wall-clock time taken.</param>
/// <param name="Broker">"in-process", or the broker's address.</param>
public sealed record RunFacts(int Seed, int FaultsInjected, long ResendsDeduplicated, double SimulatedSeconds, double WallSeconds, string Broker)
{
    /// <summary>Gets the span of true time the run played, or null for the whole race.</summary>
    public TruthWindow? Window { get; init; }
}
