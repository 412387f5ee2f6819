// Kept whole (at the ~400-line limit): the journal pump and the MQTT session are ~60 lines each and share start, stop
// and the outbox; the rest is their documented figures.
using System;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// A unit's never-lose-a-read path behind the crossing detector: the RAM ring, the flash journal and the MQTT
    /// outbox, with the connection, collector acks and replay requests. The unit application (<c>MatUnit</c>) runs it
    /// on the device, in <c>timingmat unit</c> and in the race simulator, and publishes its status and command replies
    /// through it.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Hand <see cref="Ring"/> to the detector as its <see cref="IPassingSink"/> (it may run on another thread), then call
    /// <see cref="PollJournal()"/> and <see cref="PollLink()"/> (or <see cref="Poll"/>) from the unit's loop every few
    /// milliseconds. The journal work moves passings from the ring into the journal (which numbers them), commits at
    /// most every <see cref="UplinkOptions.CommitIntervalMicros"/> and saves the acked mark now and then. The link work
    /// keeps the MQTT session up — persistent session, retained last will <c>{"unit":N,"state":"offline"}</c> on the
    /// status topic, reconnect with doubling backoff — feeds collector acks and replay requests to the outbox, hands the
    /// command topic's messages to <see cref="Commands"/>, and lets the outbox publish.
    /// </para>
    /// <para>
    /// Nothing here waits: a connect is started with <see cref="IMqttLink.BeginConnect"/> and polled, so a broker that
    /// does not answer never holds timing up. <see cref="UplinkOptions"/> and the topics are documented in
    /// firmware/docs/wire-formats.md.
    /// </para>
    /// </remarks>
    public sealed class UnitUplink
    {
        /// <summary>The MQTT link (the unit's poll asks it whether it is still up before it skips a quiet uplink).</summary>
        internal readonly IMqttLink link;
        private readonly IMicrosecondClock _clock;
        private readonly UplinkOptions _options;
        private readonly UplinkTopics _topics;
        private readonly MqttConnectOptions _connect;
        /// <summary>The ring the detector's passings wait in (the unit's poll looks at it before polling a quiet uplink).</summary>
        internal readonly PassingRing ring;

        /// <summary>
        /// Whether the last <see cref="PollLink(long, bool)"/> left nothing to do: online, nothing appended but
        /// uncommitted, the outbox idle. A quiet uplink need not be polled until a passing waits in the ring or its
        /// own period comes (acks, commands, replays, the journal's acked mark).
        /// </summary>
        internal bool quiet;

        private readonly PassingJournal _journal;
        private readonly long _commitInterval;
        private readonly long _ackSaveInterval;
        private readonly int _maxPassingsPerPoll;
        private PassingOutbox _outbox;
        private bool _online;
        private bool _stopped;
        private bool _connecting;
        private bool _appendedSinceCommit;
        private long _lastCommit;
        private long _lastAckSave;
        private long _nextConnectAt;
        private long _reconnectDelay;

        /// <summary>Initializes a new instance of the <see cref="UnitUplink"/> class; call <see cref="Start"/> next.</summary>
        /// <param name="ring">The ring the detector fills.</param>
        /// <param name="journal">The journal (opened by <see cref="Start"/>).</param>
        /// <param name="link">The MQTT link.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="options">Settings.</param>
        public UnitUplink(PassingRing ring, PassingJournal journal, IMqttLink link, IMicrosecondClock clock, UplinkOptions options)
        {
            this.ring = ring;
            _journal = journal;
            _commitInterval = options.CommitIntervalMicros;
            _ackSaveInterval = options.AckSaveIntervalMicros;
            _maxPassingsPerPoll = options.MaxPassingsPerPoll;
            this.link = link;
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
            _reconnectDelay = options.ReconnectMinMicros;
            ConnectingSinceMicros = -1;
        }

        /// <summary>Gets the ring: the detector's <see cref="IPassingSink"/>.</summary>
        public PassingRing Ring
        {
            get { return ring; }
        }

        /// <summary>Gets the journal.</summary>
        public PassingJournal Journal
        {
            get { return _journal; }
        }

        /// <summary>Gets or sets where the command topic's messages go; without one they are counted and dropped.</summary>
        public IUnitCommandSink Commands { get; set; }

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

        /// <summary>Gets a value indicating whether the MQTT session is up and subscribed.</summary>
        public bool IsOnline
        {
            get { return _online; }
        }

        /// <summary>Gets the local µs the running connect attempt started at, or -1 when none runs.</summary>
        public long ConnectingSinceMicros { get; private set; }

        /// <summary>Gets the number of connect attempts since start.</summary>
        public int ConnectAttempts { get; private set; }

        /// <summary>Gets the number of successful connects since start.</summary>
        public int Connections { get; private set; }

        /// <summary>Gets the number of command messages that arrived while no <see cref="Commands"/> sink was set.</summary>
        public int DroppedCommands { get; private set; }

        /// <summary>Gets the number of replay requests the collector sent on the ack topic.</summary>
        public int ReplayRequests { get; private set; }

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
                _outbox = new PassingOutbox(Journal, link, _clock, _options.Outbox);
            }

            long now = _clock.GetMicroseconds();
            _lastCommit = now;
            _lastAckSave = now;
            _nextConnectAt = now;
            return true;
        }

        /// <summary>Does one round of the journal's and the link's work; never waits. Does nothing after <see cref="Stop"/>.</summary>
        public void Poll()
        {
            PollJournal();
            PollLink();
        }

        /// <summary>The journal's work: ring to journal, group commit, acked mark. Never waits beyond a flash write.</summary>
        public void PollJournal()
        {
            PollJournal(_clock.GetMicroseconds());
        }

        /// <summary>The journal's work at a time the caller read from the clock.</summary>
        /// <param name="now">Local µs now.</param>
        internal void PollJournal(long now)
        {
            if (_outbox == null || _stopped)
            {
                return;
            }

            if (ring.Peek() != null)
            {
                MoveRingToJournal();
            }

            if (_appendedSinceCommit && now - _lastCommit >= _commitInterval && _journal.Commit())
            {
                _appendedSinceCommit = false;
                _lastCommit = now;
            }

            if (now - _lastAckSave >= _ackSaveInterval)
            {
                _journal.SaveAcknowledged();
                _lastAckSave = now;
            }
        }

        /// <summary>The link's work: the connection, acks, replay requests, commands, publishing. Never waits.</summary>
        public void PollLink()
        {
            PollLink(_clock.GetMicroseconds());
        }

        /// <summary>The link's work at a time the caller read from the clock.</summary>
        /// <param name="now">Local µs now.</param>
        internal void PollLink(long now)
        {
            // The outbox's wait flag as its owner last set it (PassingOutbox.WaitThisPoll).
            PassingOutbox outbox = _outbox;
            PollLink(now, outbox != null && outbox.waitThisPoll);
        }

        /// <summary>Keeps the session and lets the outbox publish; its batch work waits when the poll already did heavy work.</summary>
        /// <param name="now">Local µs now.</param>
        /// <param name="wait">Whether the unit's poll fitted a peak or half the clock fit (<see cref="PassingOutbox.WaitThisPoll"/>).</param>
        internal void PollLink(long now, bool wait)
        {
            quiet = false;
            PassingOutbox outbox = _outbox;
            if (outbox == null || _stopped)
            {
                return;
            }

            if (!_online || !link.IsConnected)
            {
                KeepConnected(now);
                if (!_online)
                {
                    return;
                }
            }

            TakeMessages();
            outbox.waitThisPoll = wait;
            outbox.Poll(now);
            quiet = outbox.idle && !_appendedSinceCommit;
        }

        /// <summary>Publishes a message of the unit's own (status, command reply) when the session is up.</summary>
        /// <param name="topic">The topic.</param>
        /// <param name="payload">The body; the link may keep it until the broker acknowledges it.</param>
        /// <param name="retain">Whether the broker keeps it as the topic's retained message.</param>
        /// <returns><c>true</c> when it was handed to the link.</returns>
        public bool Publish(string topic, byte[] payload, bool retain)
        {
            return _online && link.Publish(topic, payload, 1, retain) >= 0;
        }

        /// <summary>Moves what is in the ring into the journal and commits it now (power failing; nothing waits for the commit interval).</summary>
        /// <returns><c>true</c> when the ring is empty and the journal committed.</returns>
        public bool Persist()
        {
            if (_outbox == null)
            {
                return false;
            }

            quiet = false;
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
        /// offline status and disconnects. <see cref="Start"/> resumes.
        /// </summary>
        /// <param name="offlineStatus">The retained status to leave on the status topic, or <c>null</c> for the will's short form.</param>
        public void Stop(byte[] offlineStatus)
        {
            if (_outbox == null || _stopped)
            {
                return;
            }

            _stopped = true;
            MoveRingToJournal();
            Journal.Commit();
            Journal.SaveAcknowledged();
            if (link.IsConnected)
            {
                byte[] status = offlineStatus;
                if (status == null)
                {
                    string will = _connect.WillMessage;
                    status = new byte[will.Length];
                    for (int i = 0; i < will.Length; i++)
                    {
                        status[i] = (byte)will[i];
                    }
                }

                link.Publish(_topics.Status, status, 1, true);
                link.Disconnect();
            }

            if (_online)
            {
                _online = false;
                _outbox.OnDisconnected();
            }
        }

        private void MoveRingToJournal()
        {
            PassingRing ring = this.ring;
            for (int moved = 0; moved < _maxPassingsPerPoll; moved++)
            {
                Passing next = ring.Peek();
                if (next == null || !_journal.Append(next))
                {
                    // A full or failing journal leaves the passing in the ring: the ring fills and holds the detector back.
                    return;
                }

                ring.Remove();
                _appendedSinceCommit = true;
            }
        }

        private void KeepConnected(long now)
        {
            if (_online && !link.IsConnected)
            {
                _online = false;
                _outbox.OnDisconnected();
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

                ConnectAttempts++;
                _connecting = true;
                ConnectingSinceMicros = now;
                try
                {
                    link.BeginConnect(_connect);
                }
                catch (Exception)
                {
                    // A link that cannot even start (no network interface yet) ends its attempt at once: it is seen
                    // below as not connecting and not connected, and backs off like any failed attempt.
                }
            }

            // Read "connecting" before "connected": a link sets connected before it clears connecting. A link that
            // answers at once (the emulated broker) is online in the poll that started it.
            if (link.IsConnecting)
            {
                return;
            }

            _connecting = false;
            ConnectingSinceMicros = -1;
            if (!link.IsConnected || !link.Subscribe(_topics.Acks, 1) || !link.Subscribe(_topics.Commands, 1))
            {
                _nextConnectAt = now + _reconnectDelay;
                _reconnectDelay = _reconnectDelay * 2 > _options.ReconnectMaxMicros ? _options.ReconnectMaxMicros : _reconnectDelay * 2;
                return;
            }

            _online = true;
            Connections++;
            _reconnectDelay = _options.ReconnectMinMicros;
            _outbox.OnConnected();
        }

        private void TakeMessages()
        {
            MqttMessage message;
            long from;
            long to;
            while ((message = link.TakeReceived()) != null)
            {
                if (message.Topic == _topics.Acks)
                {
                    if (ReplayRequest.TryRead(message.Payload, out from, out to))
                    {
                        ReplayRequests++;
                        _outbox.Replay(from, to);
                    }
                    else
                    {
                        _outbox.HandleAck(message.Payload);
                    }
                }
                else if (message.Topic == _topics.Commands)
                {
                    if (Commands == null)
                    {
                        DroppedCommands++;
                    }
                    else
                    {
                        Commands.OnCommand(message.Payload, message.ReceivedMicros);
                    }
                }
            }

            int packetId;
            while (link.TryTakeAcknowledged(out packetId))
            {
                _outbox.OnBrokerAck(packetId);
            }
        }
    }
}
