using TimingMat.Core.Hardware;
using TimingMat.Mqtt;

namespace TimingMat.Simulation.Network;

/// <summary>
/// A unit's link to a real broker whose connect attempts take no simulated time: <see cref="BeginConnect"/> waits (in
/// real time) until the attempt has ended.
/// </summary>
/// <remarks>
/// The race clock runs many times faster than real time, so a real connect of a few hundred ms would otherwise look to
/// the unit like a connect hanging for minutes, and its supervisor would reboot it — more often the busier the machine.
/// Holding the race clock still while a unit connects keeps a run on a real broker the same as the in-process run.
/// </remarks>
internal sealed class StillTimeConnectLink(MqttLink inner) : IMqttLink
{
    // Longer than the client's own connect timeout: the attempt always ends first.
    private static readonly TimeSpan s_longest = TimeSpan.FromSeconds(10);

    public bool IsConnected => inner.IsConnected;

    public bool IsConnecting => inner.IsConnecting;

    public void BeginConnect(MqttConnectOptions options)
    {
        inner.BeginConnect(options);
        SpinWait.SpinUntil(() => !inner.IsConnecting, s_longest);
    }

    public void Disconnect() => inner.Disconnect();

    public int Publish(string topic, byte[] payload, int qos, bool retain) => inner.Publish(topic, payload, qos, retain);

    public bool Subscribe(string topicFilter, int qos) => inner.Subscribe(topicFilter, qos);

    public MqttMessage TakeReceived() => inner.TakeReceived();

    public bool TryTakeAcknowledged(out int packetId) => inner.TryTakeAcknowledged(out packetId);
}
