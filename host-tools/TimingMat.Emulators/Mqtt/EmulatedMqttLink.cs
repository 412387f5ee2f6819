using TimingMat.Core.Hardware;

namespace TimingMat.Emulators.Mqtt;

/// <summary>
/// One client's connection to a <see cref="MqttBrokerEmulator"/>, as the core's <see cref="IMqttLink"/>: what the
/// device's M2Mqtt adapter and the desktop client do, in process, with a network that a test can cut.
/// </summary>
public sealed class EmulatedMqttLink : IMqttLink
{
    private readonly MqttBrokerEmulator _broker;
    private readonly Queue<MqttMessage> _received = new();
    private readonly Queue<int> _acknowledged = new();
    private int _nextPacketId;
    private bool _hanging;

    internal EmulatedMqttLink(MqttBrokerEmulator broker) => _broker = broker;

    /// <inheritdoc />
    public bool IsConnected
    {
        get
        {
            if (PumpsBroker)
            {
                _broker.Pump();
            }

            return Session != null;
        }
    }

    /// <summary>
    /// Gets or sets a value indicating whether asking <see cref="IsConnected"/> first delivers what is due in the
    /// broker (handy in tests that never pump). A simulator that pumps the broker itself turns it off: the unit's
    /// uplink asks on every poll.
    /// </summary>
    public bool PumpsBroker { get; set; } = true;

    /// <summary>
    /// Gets a value indicating whether a received message or an acknowledgement may be waiting. Read without a lock by a
    /// multi-threaded simulator as a hint; a stale <c>false</c> only delays the message to the next poll.
    /// </summary>
    public bool MayHavePending => _received.Count > 0 || _acknowledged.Count > 0;

    /// <summary>Gets a value indicating whether the network between this client and the broker is cut.</summary>
    public bool NetworkCut { get; private set; }

    /// <summary>Gets the number of messages published through this link.</summary>
    public long Published { get; private set; }

    /// <summary>Gets the number of connects that succeeded.</summary>
    public int Connects { get; private set; }

    /// <summary>
    /// Gets or sets a value indicating whether connect attempts hang (a black-holed broker: the TCP connect or the
    /// CONNACK never comes). An attempt started meanwhile stays <see cref="IsConnecting"/> until this is turned off, and
    /// then fails.
    /// </summary>
    public bool HangConnects { get; set; }

    /// <inheritdoc />
    public bool IsConnecting => _hanging && HangConnects;

    internal MqttBrokerEmulator.Session? Session { get; set; }

    /// <summary>Cuts the network: the broker sees the connection die (and publishes the will); messages in transit are lost.</summary>
    public void CutNetwork()
    {
        NetworkCut = true;
        _broker.Disconnect(this, graceful: false);
        Dropped();
    }

    /// <summary>Restores the network; the client must connect again.</summary>
    public void RestoreNetwork() => NetworkCut = false;

    /// <inheritdoc />
    public void BeginConnect(MqttConnectOptions options)
    {
        if (HangConnects)
        {
            _hanging = true;
            return;
        }

        _hanging = false;
        Connect(options);
    }

    /// <summary>Connects at once (the emulated broker answers in the same call): for test clients that are not a unit.</summary>
    /// <param name="options">Client id, credentials, session and last-will settings.</param>
    /// <returns><c>true</c> when the broker accepted the connection.</returns>
    public bool Connect(MqttConnectOptions options)
    {
        if (NetworkCut || Session != null)
        {
            return Session != null && !NetworkCut;
        }

        if (!_broker.Connect(this, options))
        {
            return false;
        }

        Connects++;
        return true;
    }

    /// <inheritdoc />
    public void Disconnect()
    {
        _broker.Disconnect(this, graceful: true);
        Dropped();
    }

    /// <inheritdoc />
    public int Publish(string topic, byte[] payload, int qos, bool retain)
    {
        if (!IsConnected)
        {
            return -1;
        }

        var id = 0;
        if (qos > 0)
        {
            _nextPacketId = (_nextPacketId % 65535) + 1;
            id = _nextPacketId;
        }

        Published++;
        _broker.Publish(this, topic, payload, qos, retain, id);
        return id;
    }

    /// <inheritdoc />
    public bool Subscribe(string topicFilter, int qos)
    {
        if (!IsConnected)
        {
            return false;
        }

        _broker.Subscribe(this, topicFilter, qos);
        return true;
    }

    /// <inheritdoc />
    public MqttMessage TakeReceived()
    {
        _broker.Pump();
        return _received.TryDequeue(out var message) ? message : null!;
    }

    /// <inheritdoc />
    public bool TryTakeAcknowledged(out int packetId)
    {
        _broker.Pump();
        return _acknowledged.TryDequeue(out packetId);
    }

    internal void Deliver(MqttMessage message) => _received.Enqueue(message);

    internal void Acknowledged(int packetId) => _acknowledged.Enqueue(packetId);

    internal void Dropped()
    {
        Session = null;
        _acknowledged.Clear();
    }
}
