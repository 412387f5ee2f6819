using TimingMat.Core.Hardware;

namespace TimingMat.Emulators.Mqtt;

/// <summary>
/// An MQTT 3.1.1 broker in process, with the behaviour store-and-forward depends on: QoS 0/1 routing with topic
/// wildcards, PUBACK, retained messages, persistent sessions that queue QoS 1 messages for offline clients (bounded,
/// newest dropped when full, like Mosquitto's <c>max_queued_messages</c>), last wills on an abrupt disconnect, and
/// crashes that lose all state or keep it (persistence). Optional latency on simulated time.
/// </summary>
/// <remarks>
/// Clients are <see cref="EmulatedMqttLink"/>s, the core's <see cref="IMqttLink"/>; each can have its network cut.
/// Messages in transit when a link's network is cut or the broker stops are lost, as on a real network. With a
/// latency, every hop (client → broker, broker → client, PUBACK) takes that long on the given clock and is delivered
/// when any link is used after it is due; with none, everything happens inside the calling method. Not thread-safe:
/// one test or simulator loop drives it.
/// </remarks>
public sealed class MqttBrokerEmulator
{
    private readonly IMicrosecondClock? _clock;
    private readonly long _latencyMicros;
    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, byte[]> _retained = new(StringComparer.Ordinal);
    private readonly List<Transit> _inTransit = [];

    /// <summary>Initializes a new instance of the <see cref="MqttBrokerEmulator"/> class.</summary>
    /// <param name="clock">Clock of the latency, or <c>null</c> for none.</param>
    /// <param name="latencyMicros">One-way network latency in µs (0: immediate).</param>
    /// <param name="maxQueuedPerSession">Most QoS 1 messages queued for an offline persistent session.</param>
    public MqttBrokerEmulator(IMicrosecondClock? clock = null, long latencyMicros = 0, int maxQueuedPerSession = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(latencyMicros);
        if (latencyMicros > 0 && clock == null)
        {
            throw new ArgumentException("a latency needs a clock", nameof(clock));
        }

        _clock = clock;
        _latencyMicros = latencyMicros;
        MaxQueuedPerSession = maxQueuedPerSession;
    }

    /// <summary>Gets the most QoS 1 messages queued per offline session.</summary>
    public int MaxQueuedPerSession { get; }

    /// <summary>Gets a value indicating whether the broker runs.</summary>
    public bool IsRunning { get; private set; } = true;

    /// <summary>Gets the number of messages dropped because an offline session's queue was full.</summary>
    public int DroppedQueued { get; private set; }

    /// <summary>Gets the number of PUBLISH packets the broker received.</summary>
    public long PublishesReceived { get; private set; }

    /// <summary>Gets the retained messages by topic.</summary>
    public IReadOnlyDictionary<string, byte[]> Retained => _retained;

    /// <summary>Creates a client connection endpoint (not yet connected).</summary>
    /// <returns>The link.</returns>
    public EmulatedMqttLink CreateLink() => new(this);

    /// <summary>Crashes or stops the broker: every connection drops (no will is sent), messages in transit are lost.</summary>
    /// <param name="keepState">Whether sessions, queues and retained messages survive (persistence), or all is lost.</param>
    public void Stop(bool keepState)
    {
        IsRunning = false;
        _inTransit.Clear();
        foreach (var session in _sessions.Values)
        {
            session.Link?.Dropped();
            session.Link = null;
        }

        if (!keepState)
        {
            _sessions.Clear();
            _retained.Clear();
        }
    }

    /// <summary>Starts the broker again after <see cref="Stop"/>.</summary>
    public void Start() => IsRunning = true;

    /// <summary>Delivers whatever is due on the clock.</summary>
    public void Pump()
    {
        var now = _clock?.GetMicroseconds() ?? 0;
        while (_inTransit.Count > 0 && _inTransit[0].At <= now)
        {
            var transit = _inTransit[0];
            _inTransit.RemoveAt(0);
            transit.Arrive();
        }
    }

    /// <summary>Tells whether a topic filter (with + and # wildcards) matches a topic name.</summary>
    /// <param name="filter">Topic filter.</param>
    /// <param name="topic">Topic name.</param>
    /// <returns><c>true</c> when it matches.</returns>
    public static bool Matches(string filter, string topic)
    {
        var f = filter.Split('/');
        var t = topic.Split('/');
        for (var i = 0; i < f.Length; i++)
        {
            if (f[i] == "#")
            {
                return true;
            }

            if (i >= t.Length || (f[i] != "+" && f[i] != t[i]))
            {
                return false;
            }
        }

        return f.Length == t.Length;
    }

    internal bool Connect(EmulatedMqttLink link, MqttConnectOptions options)
    {
        Pump();
        if (!IsRunning)
        {
            return false;
        }

        if (_sessions.TryGetValue(options.ClientId, out var session))
        {
            // A second connection with the same client id takes the session over (the old one is dropped).
            if (session.Link != null && session.Link != link)
            {
                session.Link.Dropped();
            }

            if (options.CleanSession || session.Clean)
            {
                _sessions.Remove(options.ClientId);
                session = null;
            }
        }

        session ??= _sessions[options.ClientId] = new Session(options.ClientId);
        session.Clean = options.CleanSession;
        session.Will = options.WillTopic == null ? null : new Will(options.WillTopic, System.Text.Encoding.UTF8.GetBytes(options.WillMessage ?? string.Empty), options.WillRetain);
        session.Link = link;
        link.Session = session;
        foreach (var queued in session.Queue)
        {
            Send(link, queued);
        }

        session.Queue.Clear();
        return true;
    }

    internal void Disconnect(EmulatedMqttLink link, bool graceful)
    {
        var session = link.Session;
        if (session == null || session.Link != link)
        {
            return;
        }

        link.Session = null;
        if (graceful)
        {
            // DISCONNECT travels behind whatever the client sent before it.
            Schedule(link, () => EndSession(session, link, graceful: true));
            return;
        }

        _inTransit.RemoveAll(t => t.Link == link);
        EndSession(session, link, graceful: false);
    }

    internal void Publish(EmulatedMqttLink link, string topic, byte[] payload, int qos, bool retain, int packetId)
    {
        Schedule(link, () =>
        {
            PublishesReceived++;
            Route(topic, payload, qos, retain);
            if (qos > 0)
            {
                Schedule(link, () => link.Acknowledged(packetId));
            }
        });
    }

    internal void Subscribe(EmulatedMqttLink link, string filter, int qos)
    {
        Schedule(link, () =>
        {
            if (link.Session is not { } session)
            {
                return;
            }

            session.Subscriptions[filter] = qos;
            foreach (var (topic, payload) in _retained)
            {
                if (Matches(filter, topic))
                {
                    Send(link, new MqttMessage(topic, payload));
                }
            }
        });
    }

    private void EndSession(Session session, EmulatedMqttLink link, bool graceful)
    {
        if (session.Link != link)
        {
            return;
        }

        session.Link = null;
        if (!graceful && session.Will is { } will)
        {
            Route(will.Topic, will.Payload, 1, will.Retain);
        }

        if (session.Clean)
        {
            _sessions.Remove(session.ClientId);
        }
    }

    private void Route(string topic, byte[] payload, int qos, bool retain)
    {
        if (retain)
        {
            if (payload.Length == 0)
            {
                _retained.Remove(topic);
            }
            else
            {
                _retained[topic] = payload;
            }
        }

        foreach (var session in _sessions.Values)
        {
            var granted = -1;
            foreach (var (filter, subQos) in session.Subscriptions)
            {
                if (Matches(filter, topic))
                {
                    granted = Math.Max(granted, Math.Min(qos, subQos));
                }
            }

            if (granted < 0)
            {
                continue;
            }

            var message = new MqttMessage(topic, payload);
            if (session.Link != null)
            {
                Send(session.Link, message);
            }
            else if (granted > 0 && !session.Clean)
            {
                if (session.Queue.Count >= MaxQueuedPerSession)
                {
                    DroppedQueued++;
                }
                else
                {
                    session.Queue.Add(message);
                }
            }
        }
    }

    private void Send(EmulatedMqttLink link, MqttMessage message) => Schedule(link, () => link.Deliver(message));

    private void Schedule(EmulatedMqttLink link, Action arrive)
    {
        if (_latencyMicros == 0)
        {
            arrive();
            return;
        }

        _inTransit.Add(new Transit(_clock!.GetMicroseconds() + _latencyMicros, link, arrive));
    }

    internal sealed class Session(string clientId)
    {
        public string ClientId { get; } = clientId;

        public bool Clean { get; set; }

        public Will? Will { get; set; }

        public EmulatedMqttLink? Link { get; set; }

        public Dictionary<string, int> Subscriptions { get; } = new(StringComparer.Ordinal);

        public List<MqttMessage> Queue { get; } = [];
    }

    internal sealed record Will(string Topic, byte[] Payload, bool Retain);

    private sealed record Transit(long At, EmulatedMqttLink Link, Action Arrive);
}
