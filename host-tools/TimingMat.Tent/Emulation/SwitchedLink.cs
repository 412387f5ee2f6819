using TimingMat.Core.Hardware;
using TimingMat.Mqtt;

namespace TimingMat.Tent.Emulation;

/// <summary>
/// An emulated unit's MQTT link with two switches: <see cref="Held"/> keeps a connect waiting (the units warm up on
/// fast time before they go live) and <see cref="Cut"/> cuts the unit's network (its session dies without a
/// DISCONNECT, so the broker sends its will, and no connect gets through until the cut ends).
/// </summary>
internal sealed class SwitchedLink(MqttLink inner) : IMqttLink
{
    private MqttConnectOptions? _waiting;
    private bool _cut;

    public MqttLink Inner => inner;

    public bool Held { get; set; }

    public bool Cut
    {
        get => _cut;
        set
        {
            if (value && !_cut)
            {
                inner.Abort();
            }

            _cut = value;
        }
    }

    public bool IsConnected => !_cut && inner.IsConnected;

    public bool IsConnecting => _waiting != null || (!_cut && inner.IsConnecting);

    public void BeginConnect(MqttConnectOptions options)
    {
        if (Held)
        {
            _waiting = options;
        }
        else if (!_cut)
        {
            inner.BeginConnect(options);
        }
    }

    /// <summary>Lets a connect held during the warm-up go.</summary>
    public void Release()
    {
        Held = false;
        if (_waiting != null)
        {
            var options = _waiting;
            _waiting = null;
            BeginConnect(options);
        }
    }

    public void Disconnect() => inner.Disconnect();

    public int Publish(string topic, byte[] payload, int qos, bool retain) => _cut ? -1 : inner.Publish(topic, payload, qos, retain);

    public bool Subscribe(string topicFilter, int qos) => !_cut && inner.Subscribe(topicFilter, qos);

    public MqttMessage TakeReceived() => inner.TakeReceived();

    public bool TryTakeAcknowledged(out int packetId) => inner.TryTakeAcknowledged(out packetId);
}
