namespace TimingMat.Mqtt.Packets;

/// <summary>A last will: what the broker publishes when the client vanishes without DISCONNECT.</summary>
/// <param name="Topic">Will topic.</param>
/// <param name="Payload">Will message.</param>
/// <param name="Qos">Will QoS, 0 or 1.</param>
/// <param name="Retain">Whether the will is retained.</param>
public sealed record MqttWill(string Topic, byte[] Payload, int Qos, bool Retain);
