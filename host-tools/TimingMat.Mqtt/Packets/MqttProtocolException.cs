namespace TimingMat.Mqtt.Packets;

/// <summary>The peer sent bytes that are not a valid MQTT 3.1.1 packet; the connection is closed.</summary>
public sealed class MqttProtocolException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="MqttProtocolException"/> class.</summary>
    /// <param name="message">What was wrong.</param>
    public MqttProtocolException(string message)
        : base(message)
    {
    }
}
