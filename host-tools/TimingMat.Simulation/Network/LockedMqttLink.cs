using TimingMat.Core.Hardware;
using TimingMat.Emulators.Mqtt;

namespace TimingMat.Simulation.Network;

/// <summary>An MQTT link whose every call holds a shared lock: mats step in parallel, the emulated broker is single-threaded.</summary>
internal sealed class LockedMqttLink(IMqttLink inner, object gate) : IMqttLink
{
    public IMqttLink Inner => inner;

    // Asked on every poll of every unit: no lock. The emulated link answers from one reference (it does not pump
    // the broker here), and a stale answer is corrected by the next poll.
    public bool IsConnected => inner.IsConnected;

    public bool IsConnecting => inner.IsConnecting;

    public void BeginConnect(MqttConnectOptions options)
    {
        lock (gate)
        {
            inner.BeginConnect(options);
        }
    }

    public void Disconnect()
    {
        lock (gate)
        {
            inner.Disconnect();
        }
    }

    public int Publish(string topic, byte[] payload, int qos, bool retain)
    {
        lock (gate)
        {
            return inner.Publish(topic, payload, qos, retain);
        }
    }

    public bool Subscribe(string topicFilter, int qos)
    {
        lock (gate)
        {
            return inner.Subscribe(topicFilter, qos);
        }
    }

    public MqttMessage TakeReceived()
    {
        if (inner is EmulatedMqttLink { MayHavePending: false })
        {
            return null!;
        }

        lock (gate)
        {
            return inner.TakeReceived();
        }
    }

    public bool TryTakeAcknowledged(out int packetId)
    {
        if (inner is EmulatedMqttLink { MayHavePending: false })
        {
            packetId = 0;
            return false;
        }

        lock (gate)
        {
            return inner.TryTakeAcknowledged(out packetId);
        }
    }
}
