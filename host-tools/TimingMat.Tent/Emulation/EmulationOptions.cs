using TimingMat.Core.Outbox;
using TimingMat.Mqtt;

namespace TimingMat.Tent.Emulation;

/// <summary>How <see cref="EmulatedFleet"/> runs.</summary>
public sealed class EmulationOptions
{
    /// <summary>Gets the broker.</summary>
    public required MqttBrokerAddress Broker { get; init; }

    /// <summary>Gets the units.</summary>
    public required IReadOnlyList<EmulatedUnitSpec> Units { get; init; }

    /// <summary>Gets the topic prefix. Default <c>timingmat</c>.</summary>
    public string TopicPrefix { get; init; } = UplinkTopics.DefaultPrefix;

    /// <summary>Gets the runners crossing each mat per second. Default 2.</summary>
    public double RunnersPerSecond { get; init; } = 2;

    /// <summary>Gets how long runners keep coming, from when the units go live. Default 2 h.</summary>
    public TimeSpan RunnersFor { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Gets the faults on cue.</summary>
    public FaultPlan Faults { get; init; } = FaultPlan.None;

    /// <summary>
    /// Gets how long the units have been powered when they go live, run on fast time first (GPS fix, clock lock);
    /// 0 boots them live. Default 40 s; at most 50 s (a connect held longer would look like a stall to the unit).
    /// </summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Gets the seed of every random choice (crystals, runners, reads). Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Gets how often each unit publishes its status, seconds. Default 10.</summary>
    public int StatusIntervalSeconds { get; init; } = 10;

    /// <summary>Gets adjustments of the units' links (TLS trust).</summary>
    public Action<MqttLinkOptions>? ConfigureLink { get; init; }
}
