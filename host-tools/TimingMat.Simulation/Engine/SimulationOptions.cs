using TimingMat.Mqtt;

namespace TimingMat.Simulation.Engine;

/// <summary>How to run a scenario.</summary>
public sealed record SimulationOptions
{
    /// <summary>Gets the seed, or null for the scenario's own.</summary>
    public int? Seed { get; init; }

    /// <summary>Gets the number of starters, or null for the scenario's count.</summary>
    public int? Runners { get; init; }

    /// <summary>Gets how often each unit's firmware is polled, in µs of simulated time (the device's main loop period).</summary>
    public long StepMicros { get; init; } = 10_000;

    /// <summary>Gets how long mats run in parallel between two rounds of the broker and the collector, in µs.</summary>
    public long WindowMicros { get; init; } = 100_000;

    /// <summary>Gets the real broker the units and the collector use, or null for the in-process broker.</summary>
    public MqttBrokerAddress? Broker { get; init; }

    /// <summary>
    /// Gets a new SQLite file for the collector's database, kept after the run (for <c>timingmat audit</c> or a results
    /// system), or null for a temporary file deleted at the end. It must not exist: an earlier run's ledger would
    /// take this run's passings for duplicates.
    /// </summary>
    public string? DatabasePath { get; init; }

    /// <summary>Gets how many mats step at the same time.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;
}
