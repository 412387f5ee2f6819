using TimingMat.Core.Hardware;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The unit's MQTT link as its uplink sees it, with one addition for the self-test's round trip: once
    /// <see cref="Listen"/> has subscribed the unit to a probe topic (its own reply topic), every message on that topic
    /// is kept here (the newest one) instead of reaching the uplink, which would only drop it. Everything else passes
    /// straight through.
    /// </summary>
    /// <remarks>
    /// The probe goes to the unit's reply topic because the broker's ACL lets a unit publish there (wire-formats §1);
    /// it must also let the unit read it, or the round trip fails and says so. One comparison per received message.
    /// </remarks>
    public sealed class UplinkProbeLink : IMqttLink
    {
        private readonly IMqttLink _link;
        private string _topic;

        /// <summary>Initializes a new instance of the <see cref="UplinkProbeLink"/> class.</summary>
        /// <param name="link">The real link.</param>
        public UplinkProbeLink(IMqttLink link)
        {
            _link = link;
        }

        /// <summary>Gets the newest payload received on the probe topic, or <c>null</c>.</summary>
        public byte[] LastProbe { get; private set; }

        /// <summary>Gets how many messages arrived on the probe topic.</summary>
        public int ProbesReceived { get; private set; }

        /// <inheritdoc />
        public bool IsConnected
        {
            get { return _link.IsConnected; }
        }

        /// <inheritdoc />
        public bool IsConnecting
        {
            get { return _link.IsConnecting; }
        }

        /// <summary>Subscribes to the probe topic (again after a reconnect) and keeps what arrives on it from the uplink.</summary>
        /// <param name="topic">The topic.</param>
        /// <returns><c>true</c> when the subscription was sent.</returns>
        public bool Listen(string topic)
        {
            _topic = topic;
            return _link.Subscribe(topic, 1);
        }

        /// <inheritdoc />
        public void BeginConnect(MqttConnectOptions options)
        {
            _link.BeginConnect(options);
        }

        /// <inheritdoc />
        public void Disconnect()
        {
            _link.Disconnect();
        }

        /// <inheritdoc />
        public int Publish(string topic, byte[] payload, int qos, bool retain)
        {
            return _link.Publish(topic, payload, qos, retain);
        }

        /// <inheritdoc />
        public bool Subscribe(string topicFilter, int qos)
        {
            return _link.Subscribe(topicFilter, qos);
        }

        /// <inheritdoc />
        public MqttMessage TakeReceived()
        {
            MqttMessage message = _link.TakeReceived();
            while (message != null && _topic != null && message.Topic == _topic)
            {
                LastProbe = message.Payload;
                ProbesReceived++;
                message = _link.TakeReceived();
            }

            return message;
        }

        /// <inheritdoc />
        public bool TryTakeAcknowledged(out int packetId)
        {
            return _link.TryTakeAcknowledged(out packetId);
        }
    }
}
