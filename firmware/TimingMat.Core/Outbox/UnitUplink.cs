using System;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// A unit's whole never-lose-a-read path behind the crossing detector: the RAM ring, the flash journal and the
    /// MQTT outbox, with the connection, commands, acks and the retained status. The device, a desktop unit process
    /// and the race simulator all run this same class.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Hand <see cref="Ring"/> to the detector as its <see cref="IPassingSink"/> (it may run on another thread), then call
    /// <see cref="Poll"/> from the unit's loop every few milliseconds. Each poll moves passings from the ring into the
    /// journal (which numbers them), commits the journal at most every <see cref="UplinkOptions.CommitIntervalMicros"/>,
    /// keeps the MQTT session up (persistent session, retained last will <c>{"unit":N,"state":"offline"}</c> on the
    /// status topic, reconnect with doubling backoff), feeds collector acks and commands to the outbox, lets it
    /// publish, saves the acked mark now and then, and refreshes the retained status.
    /// </para>
    /// <para>
    /// <see cref="UplinkOptions"/> and the topics are documented in firmware/docs/wire-formats.md. Connecting blocks
    /// for as long as <see cref="IMqttLink.Connect"/> does; the ring keeps taking passings meanwhile.
    /// </para>
    /// </remarks>
    public sealed class UnitUplink
    {
        // Alarm bits; bit i is reported as s_alarmNames[i].
        private const int AlarmRingFull = 1;
        private const int AlarmJournalFull = 2;
        private const int AlarmStorageFault = 4;
        private const int AlarmJournalDamaged = 8;

        private static readonly string[] s_alarmNames = new string[] { "ring_full", "journal_full", "storage_fault", "journal_damaged" };

        private readonly IMqttLink _link;
        private readonly IMicrosecondClock _clock;
        private readonly UplinkOptions _options;
        private readonly UplinkTopics _topics;
        private readonly MqttConnectOptions _connect;
        private readonly UnitCommand _command = new UnitCommand();
        private readonly JsonWriter _status = new JsonWriter(1024);
        private readonly long _startMicros;
        private PassingOutbox _outbox;
        private bool _online;
        private bool _stopped;
        private bool _appendedSinceCommit;
        private long _lastCommit;
        private long _lastAckSave;
        private long _lastStatus;
        private long _nextConnectAt;
        private long _reconnectDelay;
        private bool _statusDue;
        private int _reportedAlarms;
        private int _ringFullEventsReported;

        /// <summary>Initializes a new instance of the <see cref="UnitUplink"/> class; call <see cref="Start"/> next.</summary>
        /// <param name="ring">The ring the detector fills.</param>
        /// <param name="journal">The journal (opened by <see cref="Start"/>).</param>
        /// <param name="link">The MQTT link.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="options">Settings.</param>
        public UnitUplink(PassingRing ring, PassingJournal journal, IMqttLink link, IMicrosecondClock clock, UplinkOptions options)
        {
            Ring = ring;
            Journal = journal;
            _link = link;
            _clock = clock;
            _options = options;
            _topics = new UplinkTopics(options.Outbox.TopicPrefix, options.UnitId);
            _connect = new MqttConnectOptions(options.ClientId);
            _connect.Username = options.Username;
            _connect.Password = options.Password;
            _connect.CleanSession = false;
            _connect.KeepAliveSeconds = options.KeepAliveSeconds;
            _connect.WillTopic = _topics.Status;
            _connect.WillMessage = "{\"unit\":" + options.UnitId.ToString() + ",\"state\":\"offline\"}";
            _connect.WillRetain = true;
            _connect.WillQos = 1;
            _startMicros = clock.GetMicroseconds();
            _reconnectDelay = options.ReconnectMinMicros;
        }

        /// <summary>Gets the ring: the detector's <see cref="IPassingSink"/>.</summary>
        public PassingRing Ring { get; private set; }

        /// <summary>Gets the journal.</summary>
        public PassingJournal Journal { get; private set; }

        /// <summary>Gets the outbox, or <c>null</c> before <see cref="Start"/> succeeded.</summary>
        public PassingOutbox Outbox
        {
            get { return _outbox; }
        }

        /// <summary>Gets the unit's topics.</summary>
        public UplinkTopics Topics
        {
            get { return _topics; }
        }

        /// <summary>Gets a value indicating whether the MQTT session is up.</summary>
        public bool IsOnline
        {
            get { return _online; }
        }

        /// <summary>Gets the number of connect attempts since start.</summary>
        public int ConnectAttempts { get; private set; }

        /// <summary>Gets the number of successful connects since start.</summary>
        public int Connections { get; private set; }

        /// <summary>Gets the number of command messages that were not understood.</summary>
        public int RejectedCommands { get; private set; }

        /// <summary>Opens the journal (recovering from a power cut) and prepares the outbox.</summary>
        /// <returns><c>true</c> when the journal is usable.</returns>
        public bool Start()
        {
            if (!Journal.IsOpen && !Journal.Open())
            {
                return false;
            }

            _stopped = false;
            if (_outbox == null)
            {
                _outbox = new PassingOutbox(Journal, _link, _clock, _options.Outbox);
            }

            long now = _clock.GetMicroseconds();
            _lastCommit = now;
            _lastAckSave = now;
            _nextConnectAt = now;
            return true;
        }

        /// <summary>Does one round of work; never waits except inside a connect attempt. Does nothing after <see cref="Stop"/>.</summary>
        public void Poll()
        {
            if (_outbox == null || _stopped)
            {
                return;
            }

            long now = _clock.GetMicroseconds();
            MoveRingToJournal();
            if (_appendedSinceCommit && now - _lastCommit >= _options.CommitIntervalMicros && Journal.Commit())
            {
                _appendedSinceCommit = false;
                _lastCommit = now;
            }

            KeepConnected(now);
            if (_online)
            {
                TakeMessages();
                _outbox.Poll();
            }

            if (now - _lastAckSave >= _options.AckSaveIntervalMicros)
            {
                Journal.SaveAcknowledged();
                _lastAckSave = now;
            }

            int alarms = Alarms();
            if (_online && (_statusDue || alarms != _reportedAlarms || now - _lastStatus >= _options.StatusIntervalMicros))
            {
                PublishStatus("online", alarms, now);
            }
        }

        /// <summary>Moves what is in the ring into the journal and commits it now (power failing; nothing waits for the commit interval).</summary>
        /// <returns><c>true</c> when the ring is empty and the journal committed.</returns>
        public bool Persist()
        {
            if (_outbox == null)
            {
                return false;
            }

            MoveRingToJournal();
            bool committed = Journal.Commit();
            if (committed)
            {
                _appendedSinceCommit = false;
                _lastCommit = _clock.GetMicroseconds();
            }

            return committed && Ring.Count == 0;
        }

        /// <summary>
        /// Shuts down cleanly: stores what is in the ring, commits, saves the acked mark, publishes the retained
        /// <c>offline</c> status and disconnects. <see cref="Start"/> resumes.
        /// </summary>
        public void Stop()
        {
            if (_outbox == null || _stopped)
            {
                return;
            }

            _stopped = true;
            MoveRingToJournal();
            Journal.Commit();
            Journal.SaveAcknowledged();
            if (_link.IsConnected)
            {
                PublishStatus("offline", Alarms(), _clock.GetMicroseconds());
                _link.Disconnect();
            }

            if (_online)
            {
                _online = false;
                _outbox.OnDisconnected();
            }
        }

        /// <summary>Writes the status report (the JSON published on the status topic).</summary>
        /// <param name="writer">Destination; cleared first.</param>
        /// <param name="state"><c>online</c> or <c>offline</c>.</param>
        public void WriteStatus(JsonWriter writer, string state)
        {
            long now = _clock.GetMicroseconds();
            int alarms = Alarms();
            writer.Clear();
            writer.BeginObject();
            writer.Member("unit", _options.UnitId);
            writer.Member("state", state);
            writer.Name("uptime_s");
            writer.Decimal((now - _startMicros) / 1000, 3);
            writer.Name("journal");
            writer.BeginObject();
            writer.Member("id", Journal.JournalId);
            writer.Member("first_seq", Journal.FirstSequence);
            writer.Member("last_seq", Journal.DurableSequence);
            writer.Member("acked_seq", Journal.AckedSequence);
            writer.Member("unacked", Journal.UnacknowledgedCount);
            writer.Member("capacity_bytes", Journal.CapacityBytes);
            writer.Member("used_bytes", Journal.UsedBytes);
            writer.Name("fill_pct");
            writer.Decimal(Journal.FillPermille, 1);
            writer.Member("segments", Journal.SegmentCount);
            writer.Member("refused", Journal.RefusedAppends);
            writer.EndObject();
            writer.Name("ring");
            writer.BeginObject();
            writer.Member("capacity", Ring.Capacity);
            writer.Member("count", Ring.Count);
            writer.Member("high_water", Ring.HighWater);
            writer.Member("refused", Ring.Refused);
            writer.Member("full_events", Ring.FullEvents);
            writer.EndObject();
            writer.Name("outbox");
            writer.BeginObject();
            writer.Member("in_flight", _outbox == null ? 0 : _outbox.InFlight);
            writer.Member("backlog", _outbox == null ? 0 : _outbox.BacklogPending);
            writer.Member("batches_sent", _outbox == null ? 0 : _outbox.BatchesSent);
            writer.Member("batches_requeued", _outbox == null ? 0 : _outbox.BatchesRequeued);
            writer.Member("replay_requests", _outbox == null ? 0 : _outbox.ReplayRequests);
            writer.Member("connections", Connections);
            writer.EndObject();
            writer.Name("alarms");
            writer.BeginArray();
            for (int i = 0; i < s_alarmNames.Length; i++)
            {
                if ((alarms & (1 << i)) != 0)
                {
                    writer.String(s_alarmNames[i]);
                }
            }

            writer.EndArray();
            writer.EndObject();
        }

        private void MoveRingToJournal()
        {
            for (int moved = 0; moved < _options.MaxPassingsPerPoll; moved++)
            {
                Passing next = Ring.Peek();
                if (next == null || !Journal.Append(next))
                {
                    // A full or failing journal leaves the passing in the ring: the ring fills and holds the detector back.
                    return;
                }

                Ring.Remove();
                _appendedSinceCommit = true;
            }
        }

        private void KeepConnected(long now)
        {
            bool connected = _link.IsConnected;
            if (_online && !connected)
            {
                _online = false;
                _outbox.OnDisconnected();
                _nextConnectAt = now + _reconnectDelay;
            }

            if (connected || now < _nextConnectAt)
            {
                return;
            }

            ConnectAttempts++;
            bool ok;
            try
            {
                ok = _link.Connect(_connect);
            }
            catch (Exception)
            {
                // A refused TCP connection surfaces as an exception on the device's client: same as a refused CONNECT.
                ok = false;
            }

            if (!ok || !_link.Subscribe(_topics.Acks, 1) || !_link.Subscribe(_topics.Commands, 1))
            {
                now = _clock.GetMicroseconds();
                _nextConnectAt = now + _reconnectDelay;
                _reconnectDelay = _reconnectDelay * 2 > _options.ReconnectMaxMicros ? _options.ReconnectMaxMicros : _reconnectDelay * 2;
                return;
            }

            _online = true;
            Connections++;
            _reconnectDelay = _options.ReconnectMinMicros;
            _statusDue = true;
            _outbox.OnConnected();
        }

        private void TakeMessages()
        {
            MqttMessage message;
            while ((message = _link.TakeReceived()) != null)
            {
                if (message.Topic == _topics.Acks)
                {
                    _outbox.HandleAck(message.Payload);
                }
                else if (message.Topic == _topics.Commands && _command.Parse(message.Payload))
                {
                    if (_command.Kind == UnitCommand.Replay)
                    {
                        _outbox.Replay(_command.From, _command.To);
                    }

                    _statusDue = true;
                }
                else
                {
                    RejectedCommands++;
                }
            }

            int packetId;
            while (_link.TryTakeAcknowledged(out packetId))
            {
                _outbox.OnBrokerAck(packetId);
            }
        }

        private int Alarms()
        {
            int alarms = 0;
            if (Ring.FullAlarm || Ring.FullEvents != _ringFullEventsReported)
            {
                alarms |= AlarmRingFull;
            }

            if (Journal.FullAlarm)
            {
                alarms |= AlarmJournalFull;
            }

            if (Journal.StorageFault)
            {
                alarms |= AlarmStorageFault;
            }

            if (Journal.DamagedSegments > 0)
            {
                alarms |= AlarmJournalDamaged;
            }

            return alarms;
        }

        private void PublishStatus(string state, int alarms, long now)
        {
            WriteStatus(_status, state);
            if (_status.Overflow || _link.Publish(_topics.Status, _status.ToArray(), 1, true) < 0)
            {
                return;
            }

            _statusDue = false;
            _lastStatus = now;
            _reportedAlarms = alarms;
            _ringFullEventsReported = Ring.FullEvents;
        }
    }
}
