namespace TimingMat.Mqtt;

/// <summary>The broker acknowledged a QoS 1 publication (PUBACK).</summary>
/// <param name="packetId">The publication's packet id.</param>
public sealed class MqttPublishAcknowledgedEventArgs(int packetId) : EventArgs
{
    /// <summary>Gets the packet id.</summary>
    public int PacketId { get; } = packetId;
}
