using System;
using System.Collections;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>The core's MQTT link over nanoFramework.M2Mqtt (MQTT 3.1.1; TLS 1.2 when a CA certificate is given).</summary>
    /// <remarks>
    /// <para>Connecting runs on a thread of its own: M2Mqtt's <c>Connect</c> blocks for the TCP connect, the TLS handshake
    /// and the CONNACK (seconds against a broker that does not answer), and the unit's loop must keep timing meanwhile.
    /// <see cref="BeginConnect"/> starts that thread and returns; the loop polls <see cref="IsConnecting"/>. The session is
    /// persistent (clean session off) with the retained last will the core asks for.</para>
    /// <para>M2Mqtt raises its events on its own receive thread; they are queued here and taken by the core's poll.
    /// Queues are bounded: when the core stops polling, the oldest entries are dropped and counted rather than
    /// exhausting the ~100 KB heap. Nothing is lost by that: the outbox re-sends anything the collector has not
    /// acknowledged, and M2Mqtt keeps its in-flight QoS 1 messages in RAM only anyway.</para>
    /// </remarks>
    public sealed class M2MqttLink : IMqttLink, IDisposable
    {
        private const int QueueLimit = 32;

        private readonly MqttClient _client;
        private readonly IMicrosecondClock _clock;
        private readonly object _sync = new object();
        private readonly ArrayList _received = new ArrayList();
        private readonly ArrayList _acknowledged = new ArrayList();
        private MqttConnectOptions _pending;
        private bool _connecting;
        private int _droppedReceived;
        private int _failedConnects;

        /// <summary>Initializes a new instance of the <see cref="M2MqttLink"/> class without TLS. Does not connect.</summary>
        /// <param name="clock">The unit's µs clock: each received message is stamped with it on arrival (<see cref="MqttMessage.ReceivedMicros"/>).</param>
        /// <param name="brokerHost">Broker host name or IP address.</param>
        /// <param name="brokerPort">Broker TCP port, usually 1883.</param>
        public M2MqttLink(IMicrosecondClock clock, string brokerHost, int brokerPort)
            : this(clock, brokerHost, brokerPort, null)
        {
        }

        /// <summary>Initializes a new instance of the <see cref="M2MqttLink"/> class. Does not connect.</summary>
        /// <param name="clock">The unit's µs clock: each received message is stamped with it on arrival (<see cref="MqttMessage.ReceivedMicros"/>).</param>
        /// <param name="brokerHost">Broker host name or IP address.</param>
        /// <param name="brokerPort">Broker TCP port: 1883, or 8883 with TLS.</param>
        /// <param name="caCertificate">The CA that signed the broker's certificate for TLS 1.2 (each session needs two ~16.7 KB buffers: PSRAM boards only), or <c>null</c> for plain MQTT.</param>
        public M2MqttLink(IMicrosecondClock clock, string brokerHost, int brokerPort, X509Certificate caCertificate)
        {
            _clock = clock;
            bool secure = caCertificate != null;
            _client = new MqttClient(brokerHost, brokerPort, secure, caCertificate, null, secure ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
            _client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
            _client.MqttMsgPublishReceived += OnPublishReceived;
            _client.MqttMsgPublished += OnPublished;
        }

        /// <summary>Gets the number of received messages dropped because the core did not take them in time.</summary>
        public int DroppedReceived
        {
            get
            {
                lock (_sync)
                {
                    return _droppedReceived;
                }
            }
        }

        /// <summary>Gets the number of connect attempts that failed (refused, unreachable, timed out).</summary>
        public int FailedConnects
        {
            get
            {
                lock (_sync)
                {
                    return _failedConnects;
                }
            }
        }

        /// <inheritdoc />
        public bool IsConnected
        {
            get { return _client.IsConnected; }
        }

        /// <inheritdoc />
        public bool IsConnecting
        {
            get
            {
                lock (_sync)
                {
                    return _connecting;
                }
            }
        }

        /// <inheritdoc />
        public void BeginConnect(MqttConnectOptions options)
        {
            lock (_sync)
            {
                if (_connecting || _client.IsConnected)
                {
                    return;
                }

                _connecting = true;
                _pending = options;
            }

            new Thread(ConnectOnItsOwn).Start();
        }

        /// <inheritdoc />
        public void Disconnect()
        {
            if (_client.IsConnected)
            {
                _client.Disconnect();
            }
        }

        /// <inheritdoc />
        public int Publish(string topic, byte[] payload, int qos, bool retain)
        {
            if (!_client.IsConnected)
            {
                return -1;
            }

            // The 6-argument overload is the one that takes QoS and retain; the 4-argument form in old samples is gone.
            ushort packetId = _client.Publish(topic, payload, null, null, ToQos(qos), retain);
            return qos == 0 ? 0 : packetId;
        }

        /// <inheritdoc />
        public bool Subscribe(string topicFilter, int qos)
        {
            if (!_client.IsConnected)
            {
                return false;
            }

            _client.Subscribe(new string[] { topicFilter }, new MqttQoSLevel[] { ToQos(qos) });
            return true;
        }

        /// <inheritdoc />
        public MqttMessage TakeReceived()
        {
            lock (_sync)
            {
                if (_received.Count == 0)
                {
                    return null;
                }

                MqttMessage message = (MqttMessage)_received[0];
                _received.RemoveAt(0);
                return message;
            }
        }

        /// <inheritdoc />
        public bool TryTakeAcknowledged(out int packetId)
        {
            lock (_sync)
            {
                if (_acknowledged.Count == 0)
                {
                    packetId = 0;
                    return false;
                }

                packetId = (int)_acknowledged[0];
                _acknowledged.RemoveAt(0);
                return true;
            }
        }

        /// <summary>Disconnects and releases the client.</summary>
        public void Dispose()
        {
            _client.MqttMsgPublishReceived -= OnPublishReceived;
            _client.MqttMsgPublished -= OnPublished;
            _client.Dispose();
        }

        private static MqttQoSLevel ToQos(int qos)
        {
            return qos >= 1 ? MqttQoSLevel.AtLeastOnce : MqttQoSLevel.AtMostOnce;
        }

        private void ConnectOnItsOwn()
        {
            MqttConnectOptions options;
            lock (_sync)
            {
                options = _pending;
            }

            bool connected = false;
            try
            {
                MqttReasonCode code = _client.Connect(
                    options.ClientId,
                    options.Username,
                    options.Password,
                    options.WillRetain,
                    ToQos(options.WillQos),
                    options.WillTopic != null,
                    options.WillTopic,
                    options.WillMessage,
                    options.CleanSession,
                    (ushort)options.KeepAliveSeconds);
                connected = code == MqttReasonCode.Success;
            }
            catch (Exception)
            {
                // A refused or unreachable broker surfaces as an exception from the socket or the TLS stream.
                connected = false;
            }

            lock (_sync)
            {
                if (!connected)
                {
                    _failedConnects++;
                }

                // IsConnected already tells the outcome; clearing this last is what the core's contract asks.
                _connecting = false;
            }
        }

        private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
        {
            // Stamped before anything else: the unit's loop takes it up to a poll later (a clock exchange needs the arrival).
            long received = _clock.GetMicroseconds();
            lock (_sync)
            {
                if (_received.Count >= QueueLimit)
                {
                    _received.RemoveAt(0);
                    _droppedReceived++;
                }

                _received.Add(new MqttMessage(e.Topic, e.Message, received));
            }
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            if (!e.IsPublished)
            {
                return;
            }

            lock (_sync)
            {
                if (_acknowledged.Count >= QueueLimit)
                {
                    _acknowledged.RemoveAt(0);
                }

                _acknowledged.Add((int)e.MessageId);
            }
        }
    }
}
