namespace TimingMat.Mqtt;

/// <summary>A message arrived on a subscription.</summary>
/// <param name="message">The message.</param>
public sealed class MqttMessageReceivedEventArgs(MqttApplicationMessage message) : EventArgs
{
    /// <summary>Gets the message.</summary>
    public MqttApplicationMessage Message { get; } = message;
}
