using System.Collections.Concurrent;
using System.Text;
using TimingMat.Core.Hardware;
using TimingMat.Mqtt.Packets;

namespace TimingMat.Mqtt;

/// <summary>
/// The firmware core's <see cref="IMqttLink"/> on desktop, over <see cref="MqttClient"/>: a unit running as a desktop
/// process, the collector and the simulator's tools run the same outbox code as the device.
/// </summary>
/// <remarks>
/// The core drives reconnects (with its own backoff), so the client's automatic reconnect stays off here. Received
/// messages and PUBACKs are queued for the polling core; <see cref="WaitForActivity"/> lets a polling loop sleep
/// until something arrives instead of spinning.
/// </remarks>
public sealed class MqttLink : IMqttLink, IDisposable
{
    private readonly MqttBrokerAddress _broker;
    private readonly Action<MqttClientOptions>? _configure;
    private readonly ConcurrentQueue<MqttMessage> _received = new();
    private readonly ConcurrentQueue<int> _acknowledged = new();
    private readonly AutoResetEvent _activity = new(false);
    private MqttClient? _client;
    private volatile bool _connecting;

    /// <summary>Initializes a new instance of the <see cref="MqttLink"/> class. Does not connect.</summary>
    /// <param name="broker">The broker.</param>
    /// <param name="configure">Adjusts the client settings built from each connect's options (timeouts, TLS trust).</param>
    public MqttLink(MqttBrokerAddress broker, Action<MqttClientOptions>? configure = null)
    {
        _broker = broker;
        _configure = configure;
    }

    /// <summary>Gets the client, or <c>null</c> before the first connect.</summary>
    public MqttClient? Client => _client;

    /// <inheritdoc />
    public bool IsConnected => _client?.IsConnected == true;

    /// <summary>
    /// Gets a handle signalled when a message or an acknowledgement arrives or the connection changes (auto-reset), to
    /// wait on several links at once with <see cref="WaitHandle.WaitAny(WaitHandle[], TimeSpan)"/>.
    /// </summary>
    public WaitHandle ActivityHandle => _activity;

    /// <summary>Gets why the last connect failed or the connection dropped, or <c>null</c>.</summary>
    public string? LastError => _client?.LastError;

    /// <inheritdoc />
    public bool IsConnecting => _connecting;

    /// <inheritdoc />
    /// <remarks>The attempt runs on a thread of its own, bounded by <see cref="MqttClientOptions.ConnectTimeout"/>.</remarks>
    public void BeginConnect(MqttConnectOptions options)
    {
        if (_connecting || IsConnected)
        {
            return;
        }

        _connecting = true;
        var thread = new Thread(() =>
        {
            try
            {
                Connect(options);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
            {
                // A failed attempt: the client says why in LastError, the unit sees it not connected and backs off.
            }
            finally
            {
                _connecting = false;
                Signal();
            }
        })
        { IsBackground = true, Name = $"mqtt-connect-{options.ClientId}" };
        thread.Start();
    }

    /// <summary>Connects and waits for the CONNACK (or the connect timeout), in the calling thread.</summary>
    /// <param name="options">Client id, credentials, session and last-will settings.</param>
    /// <returns><c>true</c> when the broker accepted the connection.</returns>
    public bool Connect(MqttConnectOptions options)
    {
        var settings = new MqttClientOptions
        {
            Broker = _broker,
            ClientId = options.ClientId,
            CleanSession = options.CleanSession,
            KeepAliveSeconds = options.KeepAliveSeconds,
            Username = options.Username,
            Password = options.Password,
            Will = options.WillTopic == null ? null : new MqttWill(options.WillTopic, Encoding.UTF8.GetBytes(options.WillMessage ?? string.Empty), options.WillQos, options.WillRetain),
        };
        _configure?.Invoke(settings);
        settings.AutoReconnect = false;
        if (_client == null || _client.Options.ClientId != settings.ClientId)
        {
            // The same client object across reconnects keeps its in-flight QoS 1 messages for the DUP re-send.
            _client?.Dispose();
            _client = new MqttClient(settings);
            _client.MessageReceived += (_, e) =>
            {
                _received.Enqueue(new MqttMessage(e.Message.Topic, e.Message.Payload));
                Signal();
            };
            _client.PublishAcknowledged += (_, e) =>
            {
                _acknowledged.Enqueue(e.PacketId);
                Signal();
            };
            _client.ConnectionChanged += (_, _) => Signal();
        }
        else
        {
            Copy(settings, _client.Options);
        }

        return _client.Connect();
    }

    /// <inheritdoc />
    public void Disconnect() => _client?.Disconnect();

    /// <inheritdoc />
    public int Publish(string topic, byte[] payload, int qos, bool retain) => _client?.Publish(topic, payload, qos, retain) ?? -1;

    /// <inheritdoc />
    public bool Subscribe(string topicFilter, int qos) => _client?.Subscribe(topicFilter, qos) == true;

    /// <inheritdoc />
    public MqttMessage TakeReceived() => _received.TryDequeue(out var message) ? message : null!;

    /// <inheritdoc />
    public bool TryTakeAcknowledged(out int packetId) => _acknowledged.TryDequeue(out packetId);

    /// <summary>Waits until a message, a PUBACK or a connection change arrives, or the time is up.</summary>
    /// <param name="timeout">Longest wait.</param>
    /// <returns><c>true</c> when something arrived.</returns>
    public bool WaitForActivity(TimeSpan timeout) => !_received.IsEmpty || !_acknowledged.IsEmpty || _activity.WaitOne(timeout);

    /// <inheritdoc />
    public void Dispose()
    {
        _client?.Dispose();
        _activity.Dispose();
    }

    private void Signal()
    {
        try
        {
            _activity.Set();
        }
        catch (ObjectDisposedException)
        {
            // The receive thread reported a last event while the link was being disposed.
        }
    }

    private static void Copy(MqttClientOptions from, MqttClientOptions to)
    {
        to.CleanSession = from.CleanSession;
        to.KeepAliveSeconds = from.KeepAliveSeconds;
        to.Username = from.Username;
        to.Password = from.Password;
        to.Will = from.Will;
        to.ConnectTimeout = from.ConnectTimeout;
        to.TlsTargetHost = from.TlsTargetHost;
        to.TlsTrustedCa = from.TlsTrustedCa;
        to.MaxIncomingPacketBytes = from.MaxIncomingPacketBytes;
    }
}
