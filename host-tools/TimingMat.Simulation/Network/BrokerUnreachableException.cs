namespace TimingMat.Simulation.Network;

/// <summary>The real broker a run was pointed at cannot be reached.</summary>
public sealed class BrokerUnreachableException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="BrokerUnreachableException"/> class.</summary>
    /// <param name="broker">The broker's address.</param>
    /// <param name="reason">What the client saw, or null.</param>
    public BrokerUnreachableException(string broker, string? reason)
        : base($"cannot connect to the MQTT broker at {broker}{(reason == null ? string.Empty : ": " + reason)}")
    {
        Broker = broker;
    }

    /// <summary>Gets the broker's address.</summary>
    public string Broker { get; }
}
