namespace TimingMat.Simulation.Scenarios;

/// <summary>Faults a scenario can put on its timeline.</summary>
public enum FaultKind
{
    /// <summary>A mat's uplink to the broker is cut for a while (the unit keeps timing and journals).</summary>
    UplinkOutage,

    /// <summary>The broker restarts (all units lose their connection at once).</summary>
    BrokerRestart,

    /// <summary>A mat's GPS loses its fix for a while (the clock goes to holdover).</summary>
    GpsLoss,

    /// <summary>A mat unit loses power at an arbitrary byte and reboots after a while.</summary>
    PowerCut,

    /// <summary>A mat's reader module goes silent for a while (the driver must restart it).</summary>
    ReaderSilence,

    /// <summary>A mat has no IP uplink all race: its passings leave only over LoRa.</summary>
    LoraOnly,
}
