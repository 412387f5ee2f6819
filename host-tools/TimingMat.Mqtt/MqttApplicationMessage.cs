namespace TimingMat.Mqtt;

/// <summary>A message received on a subscription.</summary>
/// <param name="Topic">Topic it was published on.</param>
/// <param name="Payload">Message body.</param>
/// <param name="Qos">Delivery QoS.</param>
/// <param name="Retain">Whether it is a retained message sent on subscribe.</param>
/// <param name="Duplicate">Whether the broker marked it as a re-delivery (DUP).</param>
public sealed record MqttApplicationMessage(string Topic, byte[] Payload, int Qos, bool Retain, bool Duplicate);
