using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using TimingMat.Core.Hardware;

namespace TimingMat.Mqtt;

/// <summary>
/// The firmware core's <see cref="IMqttLink"/> on desktop, over an MQTTnet client (MQTT 3.1.1, QoS 0/1, persistent
/// sessions, last will, credentials, TLS with an optional race CA): a unit running as a desktop process, the
/// collector, the simulator on a real broker and the tent tools run the same polled interface as the device.
/// </summary>
/// <remarks>
/// <para>The core drives reconnects (with its own backoff), so the link never reconnects by itself. MQTTnet works
/// asynchronously; this link turns it into the core's polled shape: received messages and PUBACKs are queued for
/// <see cref="TakeReceived"/> and <see cref="TryTakeAcknowledged"/>, and <see cref="WaitForActivity"/> lets a polling
/// loop sleep until something arrives instead of spinning.</para>
/// <para>A QoS 1 publication gets a link-local id (1–65535, none reused while in flight), handed back by
/// <see cref="TryTakeAcknowledged"/> once the broker's PUBACK came. A publication in flight when the connection drops is
/// not acknowledged; the outbox sends its batch again after it reconnects (it waits for the collector's own ack
/// anyway). A received QoS 1 message is acknowledged to the broker once it is queued.</para>
/// </remarks>
public sealed class MqttLink : IMqttLink, IDisposable
{
    private readonly MqttBrokerAddress _broker;
    private readonly MqttLinkOptions _options = new();
    private IMqttClient _client;
    private readonly ConcurrentQueue<MqttMessage> _received = new();
    private readonly ConcurrentQueue<int> _acknowledged = new();
    private readonly HashSet<int> _inFlight = [];
    private readonly AutoResetEvent _activity = new(false);
    private readonly object _connectLock = new();
    private volatile bool _connected;
    private volatile bool _connecting;
    private volatile bool _disposed;
    private int _nextId;
    private string? _lastError;

    /// <summary>Initializes a new instance of the <see cref="MqttLink"/> class. Does not connect.</summary>
    /// <param name="broker">The broker.</param>
    /// <param name="configure">Adjusts the link's settings (connect timeout, TLS trust).</param>
    public MqttLink(MqttBrokerAddress broker, Action<MqttLinkOptions>? configure = null)
    {
        _broker = broker;
        configure?.Invoke(_options);
        _client = CreateClient();
    }

    /// <summary>
    /// Raised on MQTTnet's receive task for every message received, instead of queueing it for <see cref="TakeReceived"/>
    /// (a tent tool that waits for replies rather than polling). Handlers must be quick; the broker's PUBACK follows.
    /// </summary>
    public event Action<MqttMessage>? MessageReceived;

    /// <summary>Gets the broker.</summary>
    public MqttBrokerAddress Broker => _broker;

    /// <inheritdoc />
    public bool IsConnected => _connected && _client.IsConnected;

    /// <inheritdoc />
    public bool IsConnecting => _connecting;

    /// <summary>
    /// Gets a handle signalled when a message or an acknowledgement arrives or the connection changes (auto-reset), to
    /// wait on several links at once with <see cref="WaitHandle.WaitAny(WaitHandle[], TimeSpan)"/>.
    /// </summary>
    public WaitHandle ActivityHandle => _activity;

    /// <summary>Gets why the last connect failed or the connection dropped, or <c>null</c>.</summary>
    public string? LastError => _lastError;

    /// <summary>Gets a value indicating whether the broker kept a session at the last connect.</summary>
    public bool SessionPresent { get; private set; }

    /// <summary>Gets the number of connects that succeeded.</summary>
    public int Connections { get; private set; }

    /// <summary>Gets the number of times an established connection was lost or closed.</summary>
    public int ConnectionsLost { get; private set; }

    /// <summary>Gets the number of QoS 1 publications awaiting their PUBACK.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_inFlight)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>The attempt runs on a thread of its own, bounded by <see cref="MqttLinkOptions.ConnectTimeout"/>.</remarks>
    public void BeginConnect(MqttConnectOptions options)
    {
        if (_connecting || IsConnected || _disposed)
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
    /// <returns><c>true</c> when the broker accepted the connection; otherwise <see cref="LastError"/> says why.</returns>
    public bool Connect(MqttConnectOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_connectLock)
        {
            if (IsConnected)
            {
                return true;
            }

            using var timeout = new CancellationTokenSource(_options.ConnectTimeout);
            try
            {
                var result = _client.ConnectAsync(ClientOptions(options), timeout.Token).GetAwaiter().GetResult();
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    _lastError = $"the broker refused the connection: {Refusal(result.ResultCode)}";
                    return false;
                }

                SessionPresent = result.IsSessionPresent;
                Connections++;
                _lastError = null;
                _connected = true;
                return true;
            }
            catch (MQTTnet.Adapter.MqttConnectingFailedException e)
            {
                _lastError = "the broker refused the connection: " + e.Message;
            }
            catch (OperationCanceledException)
            {
                _lastError = $"no answer from the broker at {_broker} within {_options.ConnectTimeout.TotalSeconds:0.#} s";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // MQTTnet wraps socket, TLS and protocol failures in its own exceptions: the innermost says what happened.
                _lastError = (e.InnerException ?? e).Message;
            }

            Close();
            return false;
        }
    }

    /// <inheritdoc />
    public void Disconnect()
    {
        if (!_client.IsConnected)
        {
            _connected = false;
            return;
        }

        try
        {
            _client.DisconnectAsync(new MqttClientDisconnectOptions()).Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The connection was already going; it is gone either way.
        }

        _connected = false;
        Signal();
    }

    /// <summary>Cuts the connection without DISCONNECT, as a lost network or a crashed unit does (the broker sends the will).</summary>
    public void Abort()
    {
        lock (_connectLock)
        {
            // Disposing an MQTTnet client closes its socket without a DISCONNECT; the link goes on with a new one.
            var was = _connected;
            _connected = false;
            var old = _client;
            _client = CreateClient();
            old.Dispose();
            if (was)
            {
                ConnectionsLost++;
                _lastError = "aborted";
            }
        }

        Signal();
    }

    /// <inheritdoc />
    public int Publish(string topic, byte[] payload, int qos, bool retain)
    {
        if (!IsConnected)
        {
            return -1;
        }

        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(retain)
            .Build();
        if (qos == 0)
        {
            _ = Send(message, 0);
            return 0;
        }

        int id;
        lock (_inFlight)
        {
            id = NextId();
            if (id == 0)
            {
                return -1;
            }

            _inFlight.Add(id);
        }

        _ = Send(message, id);
        return id;
    }

    /// <inheritdoc />
    /// <remarks>Returns once the SUBSCRIBE is on its way; <see cref="SubscribeAndWait"/> waits for the broker's answer.</remarks>
    public bool Subscribe(string topicFilter, int qos)
    {
        if (!IsConnected)
        {
            return false;
        }

        _ = SubscribeAsync(topicFilter, qos);
        return true;
    }

    /// <summary>Subscribes and waits for the broker's SUBACK.</summary>
    /// <param name="topicFilter">Topic filter.</param>
    /// <param name="qos">Largest QoS wanted.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The granted QoS, or −1 when refused (an ACL), not connected or timed out.</returns>
    public int SubscribeAndWait(string topicFilter, int qos, TimeSpan timeout)
    {
        if (!IsConnected)
        {
            return -1;
        }

        var task = SubscribeAsync(topicFilter, qos);
        return task.Wait(timeout) ? task.Result : -1;
    }

    /// <summary>Publishes and waits for the broker's PUBACK (QoS 1) or the send (QoS 0).</summary>
    /// <param name="topic">Topic name.</param>
    /// <param name="payload">Message body.</param>
    /// <param name="qos">0 or 1.</param>
    /// <param name="retain">Whether the broker keeps it as the topic's retained message.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns><c>true</c> when the broker took it.</returns>
    public bool PublishAndWait(string topic, byte[] payload, int qos, bool retain, TimeSpan timeout)
    {
        var id = Publish(topic, payload, qos, retain);
        if (id <= 0)
        {
            return id == 0;
        }

        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            lock (_inFlight)
            {
                if (!_inFlight.Contains(id))
                {
                    break;
                }
            }

            Thread.Sleep(1);
        }

        // The PUBACK is also queued for TryTakeAcknowledged; a caller of this method does not poll for it.
        lock (_inFlight)
        {
            return !_inFlight.Contains(id) && _acknowledged.Contains(id);
        }
    }

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
        if (_disposed)
        {
            return;
        }

        Disconnect();
        _disposed = true;
        _client.Dispose();
        _activity.Dispose();
    }

    private static string Refusal(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.BadUserNameOrPassword => "bad user name or password",
        MqttClientConnectResultCode.NotAuthorized => "not authorized",
        MqttClientConnectResultCode.ClientIdentifierNotValid => "client id refused",
        MqttClientConnectResultCode.ServerUnavailable => "server unavailable",
        MqttClientConnectResultCode.UnsupportedProtocolVersion => "unsupported protocol version",
        _ => code.ToString(),
    };

    private MqttClientOptions ClientOptions(MqttConnectOptions options)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_broker.Host, _broker.Port)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId(options.ClientId)
            .WithCleanSession(options.CleanSession)
            .WithTimeout(_options.ConnectTimeout);
        builder = options.KeepAliveSeconds > 0 ? builder.WithKeepAlivePeriod(TimeSpan.FromSeconds(options.KeepAliveSeconds)) : builder.WithNoKeepAlive();
        if (options.Username != null)
        {
            builder = builder.WithCredentials(options.Username, options.Password);
        }

        if (options.WillTopic != null)
        {
            builder = builder
                .WithWillTopic(options.WillTopic)
                .WithWillPayload(Encoding.UTF8.GetBytes(options.WillMessage ?? string.Empty))
                .WithWillQualityOfServiceLevel(options.WillQos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce)
                .WithWillRetain(options.WillRetain);
        }

        if (_broker.UseTls)
        {
            builder = builder.WithTlsOptions(tls =>
            {
                tls.UseTls().WithTargetHost(_options.TlsTargetHost ?? _broker.Host);
                if (_options.TlsTrustedCa != null)
                {
                    tls.WithCertificateValidationHandler(e => TrustedByRaceCa(e.Certificate, e.SslPolicyErrors));
                }
            });
        }

        return builder.Build();
    }

    // A race network's own CA instead of the system's roots; the name must still match.
    private bool TrustedByRaceCa(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate == null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_options.TlsTrustedCa!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }

    private async Task Send(MqttApplicationMessage message, int id)
    {
        var acknowledged = false;
        try
        {
            var result = await _client.PublishAsync(message, CancellationToken.None).ConfigureAwait(false);
            acknowledged = result.IsSuccess;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not connected any more, or the connection dropped before the PUBACK: the core sends it again later.
        }

        if (id == 0)
        {
            return;
        }

        lock (_inFlight)
        {
            _inFlight.Remove(id);
            if (acknowledged)
            {
                _acknowledged.Enqueue(id);
            }
        }

        if (acknowledged)
        {
            Signal();
        }
    }

    private async Task<int> SubscribeAsync(string topicFilter, int qos)
    {
        try
        {
            var options = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(topicFilter, qos == 0 ? MqttQualityOfServiceLevel.AtMostOnce : MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            var result = await _client.SubscribeAsync(options, CancellationToken.None).ConfigureAwait(false);
            var code = result.Items.Count == 1 ? (int)result.Items.First().ResultCode : 0x80;
            return code <= 2 ? code : -1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _lastError = "subscribe to " + topicFilter + " failed: " + e.Message;
            return -1;
        }
    }

    private IMqttClient CreateClient()
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var received = _options.ReceiveClock?.GetMicroseconds() ?? MqttMessage.NotStamped;
            var message = new MqttMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), received);
            if (MessageReceived is { } handler)
            {
                handler(message);
            }
            else
            {
                _received.Enqueue(message);
            }

            Signal();
            return Task.CompletedTask;
        };
        client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected && client == _client)
            {
                _connected = false;
                ConnectionsLost++;
                _lastError = e.Exception?.Message ?? e.ReasonString ?? "the connection closed: " + e.Reason;
                Signal();
            }

            return Task.CompletedTask;
        };
        return client;
    }

    // Ends a failed connect attempt's half-open state.
    private void Close()
    {
        try
        {
            _client.DisconnectAsync(new MqttClientDisconnectOptions { Reason = MqttClientDisconnectOptionsReason.UnspecifiedError }, CancellationToken.None).Wait(TimeSpan.FromSeconds(1));
        }
        catch (AggregateException)
        {
            // Nothing was connected.
        }
    }

    // Under _inFlight. Skips ids still awaiting their PUBACK; 0 when all 65535 are taken.
    private int NextId()
    {
        for (var tries = 0; tries < 65535; tries++)
        {
            _nextId = (_nextId % 65535) + 1;
            if (!_inFlight.Contains(_nextId))
            {
                return _nextId;
            }
        }

        return 0;
    }

    private void Signal()
    {
        if (_disposed)
        {
            return;
        }

        try
        {
            _activity.Set();
        }
        catch (ObjectDisposedException)
        {
            // A last event while the link was being disposed.
        }
    }
}
