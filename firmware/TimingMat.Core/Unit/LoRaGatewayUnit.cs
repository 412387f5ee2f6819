using System;
using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Lora;
using TimingMat.Core.Outbox;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The tent's LoRa gateway (<c>lora.role = gateway</c>): a board with a radio and a network (the T-Beam or a DevKitC
    /// with an SX1276, on Wi-Fi or Ethernet) that hears the mats' fallback packets (<see cref="LoRaGateway"/>), hands
    /// them to the collector over MQTT (<see cref="LoRaMqttDelivery"/>) and answers each unit once the collector has
    /// stored its passings. Its status (<c>&lt;prefix&gt;/&lt;unit.id&gt;/status</c>, retained) says what it heard,
    /// refused and answered, its airtime, and each unit's packets, RSSI and SNR (firmware/docs/wire-formats.md §9.4).
    /// </summary>
    /// <remarks>
    /// It needs every unit's key (<see cref="UnitConfig.LoraKeys"/>, from <c>keys.cfg</c>) and, for the chips' EPCs,
    /// the race's chip list (<see cref="UnitConfig.LoraChips"/>, from <c>chips.cfg</c>) — the same file the units have.
    /// It takes no commands. Polled on one thread; connecting runs on the link's own.
    /// </remarks>
    public sealed class LoRaGatewayUnit : IUnitApplication
    {
        private const long Second = 1000000;
        private const long ReconnectMinMicros = Second;
        private const long ReconnectMaxMicros = 30 * Second;
        private const int KeepAliveSeconds = 15;

        private readonly UnitConfig _config;
        private readonly UnitHardware _hardware;
        private readonly IMicrosecondClock _clock;
        private readonly IMqttLink _link;
        private readonly MqttConnectOptions _connect;
        private readonly UplinkTopics _topics;
        private readonly LoRaOptions _options;
        private readonly JsonWriter _json = new JsonWriter(UnitStatus.BufferBytes);
        private readonly long _statusInterval;
        private readonly long _stallMicros;
        private bool _online;
        private bool _connecting;
        private bool _rebooted;
        private long _nextConnectAt;
        private long _reconnectDelay;
        private long _lastStatus;
        private long _pollStarted;
        private long _lastPollEnded;

        /// <summary>Initializes a new instance of the <see cref="LoRaGatewayUnit"/> class; call <see cref="Start"/> next.</summary>
        /// <param name="config">A validated gateway configuration with <see cref="UnitConfig.LoraKeys"/> set.</param>
        /// <param name="hardware">Clock, MQTT link, radio, HMAC and rebooter (battery, memory meter optional).</param>
        /// <exception cref="ArgumentException">Not a gateway configuration, no keys, or a part is missing.</exception>
        public LoRaGatewayUnit(UnitConfig config, UnitHardware hardware)
        {
            if (!config.IsLoraGateway)
            {
                throw new ArgumentException("the configuration is a mat unit's: set lora.role = gateway for the tent's gateway.");
            }

            if (config.LoraKeys == null || config.LoraKeys.Count == 0)
            {
                throw new ArgumentException("the gateway has no unit keys: write " + LoRaKeyList.FileName + " (unit id = its command.key, one a line) beside unit.cfg.");
            }

            hardware.CheckGateway();
            _config = config;
            _hardware = hardware;
            _clock = hardware.Clock;
            _link = hardware.Mqtt;
            _options = new LoRaOptions();
            config.ApplyLora(_options);
            string invalid = _options.Validate();
            if (invalid != null)
            {
                throw new ArgumentException("lora.*: " + invalid + ".");
            }

            _topics = new UplinkTopics(config.TopicPrefix, config.Unit);
            _connect = new MqttConnectOptions(config.ClientId);
            _connect.Username = config.MqttUsername;
            _connect.Password = config.MqttPassword;
            _connect.CleanSession = false;
            _connect.KeepAliveSeconds = KeepAliveSeconds;
            _connect.WillTopic = _topics.Status;
            _connect.WillMessage = "{\"unit\":" + config.Unit.ToString() + ",\"state\":\"offline\"}";
            _connect.WillRetain = true;
            _connect.WillQos = 1;
            _statusInterval = config.StatusIntervalSeconds * Second;
            _stallMicros = config.StallSeconds * Second;
            _reconnectDelay = ReconnectMinMicros;
            Gateway = new LoRaGateway(hardware.LoraRadio, _clock, _options, config.LoraKeys, config.LoraChips, hardware.Hmac);
            Delivery = new LoRaMqttDelivery(_link, Gateway, config.TopicPrefix, config.Unit);
            Gateway.Delivery = Delivery;
        }

        /// <summary>Gets the gateway (counts, per-unit figures).</summary>
        public LoRaGateway Gateway { get; private set; }

        /// <summary>Gets the MQTT side (batches published, collector acks).</summary>
        public LoRaMqttDelivery Delivery { get; private set; }

        /// <summary>Gets a value indicating whether the MQTT session is up.</summary>
        public bool IsOnline
        {
            get { return _online; }
        }

        /// <summary>Gets the number of connects.</summary>
        public int Connections { get; private set; }

        /// <summary>Gets the local µs the gateway started at.</summary>
        public long StartMicros { get; private set; }

        /// <summary>Gets the number of statuses published.</summary>
        public int StatusesPublished { get; private set; }

        /// <inheritdoc />
        public bool Start()
        {
            StartMicros = _clock.GetMicroseconds();
            _lastPollEnded = StartMicros;
            _nextConnectAt = StartMicros;
            return Gateway.Start();
        }

        /// <inheritdoc />
        public void Poll()
        {
            long now = _clock.GetMicroseconds();
            _pollStarted = now;
            KeepConnected(now);
            if (_online)
            {
                TakeMessages();
            }

            Gateway.Poll();
            now = _clock.GetMicroseconds();
            if (_online && now - _lastStatus >= _statusInterval)
            {
                PublishStatus(now, "online");
            }

            _lastPollEnded = now;
        }

        /// <inheritdoc />
        public bool Supervise()
        {
            long now = _clock.GetMicroseconds();
            if (_rebooted || now - _lastPollEnded < _stallMicros || _pollStarted < _lastPollEnded)
            {
                return _rebooted;
            }

            _rebooted = true;
            _hardware.Rebooter.Reboot();
            return true;
        }

        /// <inheritdoc />
        public void Stop()
        {
            if (_link.IsConnected)
            {
                PublishStatus(_clock.GetMicroseconds(), "offline");
                _link.Disconnect();
            }

            _online = false;
        }

        /// <summary>Writes the gateway's status JSON.</summary>
        /// <param name="w">Destination; cleared first.</param>
        /// <param name="state"><c>online</c> or <c>offline</c>.</param>
        /// <param name="nowMicros">Local µs now.</param>
        public void WriteStatus(JsonWriter w, string state, long nowMicros)
        {
            LoRaGateway g = Gateway;
            w.Clear();
            w.BeginObject();
            w.Member("unit", _config.Unit);
            w.Member("state", state);
            w.Member("role", "gateway");
            w.Member("firmware", _hardware.FirmwareVersion);
            w.Member("name", _config.MatName);
            w.Name("uptime_s");
            w.Decimal((nowMicros - StartMicros) / 1000, 3);
            w.Name("lora");
            w.BeginObject();
            w.Member("state", g.Radio.IsReady ? "listening" : "fault");
            w.Member("sf", _options.Radio.SpreadingFactor);
            w.Member("heard", g.Heard);
            w.Member("damaged", g.Damaged);
            w.Name("rejected");
            w.BeginObject();
            w.Member("bad_tag", g.BadTag);
            w.Member("replay", g.Replays);
            w.Member("malformed", g.Malformed);
            w.Member("unknown_unit", g.UnknownUnit);
            w.EndObject();
            w.Member("forwarded", g.Forwarded);
            w.Member("passings", g.PassingsForwarded);
            w.Member("not_forwarded", g.NotForwarded);
            w.Member("unresolved_chips", g.UnresolvedChips);
            w.Member("acked", g.Acked);
            w.Member("acks_late", g.AcksLate);
            w.Name("airtime_s");
            w.Decimal(g.DutyCycle.AirtimeMicros / 1000, 3);
            w.Name("duty_cycle_pct");
            w.Decimal(g.DutyCycle.Permille, 1);
            w.Name("chips");
            if (_config.LoraChips == null)
            {
                w.Null();
            }
            else
            {
                w.BeginObject();
                w.Member("count", _config.LoraChips.Count);
                w.Member("runs", _config.LoraChips.Runs);
                w.Member("crc", _config.LoraChips.Checksum);
                w.EndObject();
            }

            w.Name("fault");
            if (g.Radio.Fault == null)
            {
                w.Null();
            }
            else
            {
                w.String(g.Radio.Fault);
            }

            w.Name("units");
            w.BeginArray();
            LoRaKeyList keys = g.Keys;
            for (int slot = 0; slot < keys.Count; slot++)
            {
                w.BeginObject();
                w.Member("unit", keys.UnitAt(slot));
                w.Member("packets", g.PacketsOf(slot));
                w.Member("passings", g.PassingsOf(slot));
                w.Member("rejected", g.RejectedOf(slot));
                long heard = g.LastHeardOf(slot);
                w.Name("rssi_dbm");
                if (heard < 0)
                {
                    w.Null();
                    w.Name("snr_db");
                    w.Null();
                    w.Name("last_heard_s");
                    w.Null();
                }
                else
                {
                    w.Number(g.RssiOf(slot));
                    w.Name("snr_db");
                    w.Decimal(g.SnrOf(slot) * 25, 2);
                    w.Name("last_heard_s");
                    w.Decimal((nowMicros - heard) / 1000, 3);
                }

                w.EndObject();
            }

            w.EndArray();
            w.EndObject();
            w.Name("mqtt");
            w.BeginObject();
            w.Member("online", _online);
            w.Member("connections", Connections);
            w.Member("batches", Delivery.BatchesPublished);
            w.Member("collector_acks", Delivery.CollectorAcks);
            w.EndObject();
            w.Name("battery_mv");
            if (_hardware.Battery == null)
            {
                w.Null();
            }
            else
            {
                w.Number(_hardware.Battery.ReadBatteryMillivolts());
            }

            w.Name("free_bytes");
            if (_hardware.Memory == null)
            {
                w.Null();
            }
            else
            {
                w.Number(_hardware.Memory.ReadFreeBytes());
            }

            w.EndObject();
        }

        private void PublishStatus(long now, string state)
        {
            _lastStatus = now;
            WriteStatus(_json, state, now);
            if (!_json.Overflow && _link.Publish(_topics.Status, _json.ToArray(), 1, true) >= 0)
            {
                StatusesPublished++;
            }
        }

        private void KeepConnected(long now)
        {
            if (_online && !_link.IsConnected)
            {
                _online = false;
                _nextConnectAt = now + _reconnectDelay;
            }

            if (_online)
            {
                return;
            }

            if (!_connecting)
            {
                if (now < _nextConnectAt)
                {
                    return;
                }

                _connecting = true;
                try
                {
                    _link.BeginConnect(_connect);
                }
                catch (Exception)
                {
                    // No network interface yet: seen below as a failed attempt, and backed off.
                }
            }

            if (_link.IsConnecting)
            {
                return;
            }

            _connecting = false;
            if (!_link.IsConnected || !_link.Subscribe(_topics.Acks, 1))
            {
                _nextConnectAt = now + _reconnectDelay;
                _reconnectDelay = _reconnectDelay * 2 > ReconnectMaxMicros ? ReconnectMaxMicros : _reconnectDelay * 2;
                return;
            }

            _online = true;
            Connections++;
            _reconnectDelay = ReconnectMinMicros;
            PublishStatus(now, "online");
        }

        private void TakeMessages()
        {
            MqttMessage message;
            while ((message = _link.TakeReceived()) != null)
            {
                if (message.Topic == _topics.Acks)
                {
                    Delivery.HandleAck(message.Payload);
                }
            }

            int packetId;
            while (_link.TryTakeAcknowledged(out packetId))
            {
                // Broker PUBACKs complete nothing: the collector's ack does.
            }
        }
    }
}
