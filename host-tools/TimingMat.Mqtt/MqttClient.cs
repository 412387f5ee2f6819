using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using TimingMat.Mqtt.Packets;

namespace TimingMat.Mqtt;

/// <summary>
/// An MQTT 3.1.1 client over TCP or TLS: CONNECT with credentials, will and clean-session flag; PUBLISH QoS 0 and 1
/// with packet-id tracking, QoS 1 messages kept until PUBACK and sent again with DUP set after a reconnect (spec
/// §4.4); SUBSCRIBE, re-sent after every reconnect; PINGREQ keep-alive that also detects a dead link; optional
/// automatic reconnect with doubling, jittered backoff.
/// </summary>
/// <remarks>
/// Thread-safe. One background thread reads the connection and raises <see cref="MessageReceived"/> and
/// <see cref="PublishAcknowledged"/> on it, so handlers must be quick (queue the work). A received QoS 1 message is
/// acknowledged after its handler returned.
/// </remarks>
public sealed class MqttClient : IDisposable
{
    private readonly object _sync = new();
    private readonly object _writeLock = new();
    private readonly object _connectLock = new();
    private readonly Dictionary<int, Outgoing> _inFlight = [];
    private readonly Dictionary<string, int> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<int, TaskCompletionSource<byte[]>> _subAcks = [];
    private readonly Random _jitter;
    private readonly Timer _keepAliveTimer;
    private TcpClient? _tcp;
    private Stream? _stream;
    private int _generation;
    private bool _connected;
    private bool _stopReconnect = true;
    private bool _disposed;
    private Task? _reconnectLoop;
    private CancellationTokenSource _reconnectCancel = new();
    private long _lastSent;
    private long _lastReceived;
    private long _pingSent;
    private int _nextPacketId;
    private long _sendOrder;

    /// <summary>Initializes a new instance of the <see cref="MqttClient"/> class. Does not connect.</summary>
    /// <param name="options">Connection settings; may be changed between connects.</param>
    public MqttClient(MqttClientOptions options)
    {
        Options = options;
        _jitter = new Random(options.ReconnectJitterSeed);
        _keepAliveTimer = new Timer(_ => KeepAlive(), null, 250, 250);
    }

    /// <summary>Raised on the receive thread for every message received.</summary>
    public event EventHandler<MqttMessageReceivedEventArgs>? MessageReceived;

    /// <summary>Raised on the receive thread when the broker acknowledged a QoS 1 publication (PUBACK).</summary>
    public event EventHandler<MqttPublishAcknowledgedEventArgs>? PublishAcknowledged;

    /// <summary>Raised when the connection came up or went down.</summary>
    public event EventHandler? ConnectionChanged;

    /// <summary>Gets the settings.</summary>
    public MqttClientOptions Options { get; }

    /// <summary>Gets a value indicating whether the client is connected.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_sync)
            {
                return _connected;
            }
        }
    }

    /// <summary>Gets a value indicating whether the broker kept a session at the last connect.</summary>
    public bool SessionPresent { get; private set; }

    /// <summary>Gets the number of QoS 1 publications awaiting their PUBACK.</summary>
    public int InFlightCount
    {
        get
        {
            lock (_sync)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <summary>Gets the number of connects that succeeded.</summary>
    public int Connections { get; private set; }

    /// <summary>Gets the number of times an established connection was lost.</summary>
    public int ConnectionsLost { get; private set; }

    /// <summary>Gets the number of QoS 1 publications sent again with DUP after a reconnect.</summary>
    public long Resent { get; private set; }

    /// <summary>Gets the CONNACK return code of the last refused connect.</summary>
    public MqttConnectReturnCode? LastRefusal { get; private set; }

    /// <summary>Gets why the last connect failed or the connection was lost, or <c>null</c>.</summary>
    public string? LastError { get; private set; }

    /// <summary>
    /// Connects and waits for the CONNACK (at most <see cref="MqttClientOptions.ConnectTimeout"/>). With
    /// <see cref="MqttClientOptions.AutoReconnect"/> the client then keeps the connection up until
    /// <see cref="Disconnect"/>, retrying in the background even when this first attempt failed.
    /// </summary>
    /// <returns><c>true</c> when connected; otherwise <see cref="LastError"/> (and <see cref="LastRefusal"/>) say why.</returns>
    public bool Connect()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stopReconnect = false;
        if (IsConnected)
        {
            return true;
        }

        var ok = TryConnectOnce();
        if (!ok && Options.AutoReconnect)
        {
            StartReconnecting();
        }

        return ok;
    }

    /// <summary>Publishes a message.</summary>
    /// <param name="topic">Topic name.</param>
    /// <param name="payload">Message body.</param>
    /// <param name="qos">0 or 1.</param>
    /// <param name="retain">Whether the broker keeps it as the topic's retained message.</param>
    /// <returns>The packet id for QoS 1 (kept until PUBACK, re-sent after a reconnect), 0 for QoS 0, −1 when not connected.</returns>
    public int Publish(string topic, ReadOnlySpan<byte> payload, int qos, bool retain)
    {
        if (qos == 0)
        {
            return IsConnected && Write(MqttEncoder.Publish(topic, payload, 0, retain, 0)) ? 0 : -1;
        }

        byte[] packet;
        int id;
        lock (_sync)
        {
            if (!_connected || (id = NextPacketId()) == 0)
            {
                return -1;
            }

            packet = MqttEncoder.Publish(topic, payload, 1, retain, id);
            _inFlight[id] = new Outgoing(packet, _sendOrder++);
        }

        // On a write failure the message stays in flight and goes again, with DUP, after the reconnect.
        Write(packet);
        return id;
    }

    /// <summary>Subscribes to a topic filter without waiting for the SUBACK. The subscription is renewed after every reconnect.</summary>
    /// <param name="filter">Topic filter.</param>
    /// <param name="qos">Largest QoS wanted.</param>
    /// <returns><c>true</c> when the SUBSCRIBE was sent.</returns>
    public bool Subscribe(string filter, int qos)
    {
        int id;
        lock (_sync)
        {
            _subscriptions[filter] = qos;
            if (!_connected || (id = NextPacketId()) == 0)
            {
                return false;
            }
        }

        return Write(MqttEncoder.Subscribe(id, [(filter, qos)]));
    }

    /// <summary>Subscribes and waits for the broker's SUBACK.</summary>
    /// <param name="filter">Topic filter.</param>
    /// <param name="qos">Largest QoS wanted.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns>The granted QoS, or −1 when refused, not connected or timed out.</returns>
    public int SubscribeAndWait(string filter, int qos, TimeSpan timeout)
    {
        int id;
        var done = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sync)
        {
            _subscriptions[filter] = qos;
            if (!_connected || (id = NextPacketId()) == 0)
            {
                return -1;
            }

            _subAcks[id] = done;
        }

        if (!Write(MqttEncoder.Subscribe(id, [(filter, qos)])) || !done.Task.Wait(timeout))
        {
            lock (_sync)
            {
                _subAcks.Remove(id);
            }

            return -1;
        }

        var granted = done.Task.Result[0];
        return granted == 0x80 ? -1 : granted;
    }

    /// <summary>Sends DISCONNECT and closes; stops reconnecting. QoS 1 messages not yet acknowledged are kept for the next connect.</summary>
    public void Disconnect()
    {
        _stopReconnect = true;
        _reconnectCancel.Cancel();
        if (IsConnected)
        {
            Write(MqttEncoder.Disconnect());
        }

        bool was;
        lock (_sync)
        {
            was = _connected;
            Close();
        }

        if (was)
        {
            ConnectionChanged?.Invoke(this, EventArgs.Empty);
        }
    }

    /// <summary>Cuts the connection without DISCONNECT, as a lost network would (the broker sends the will). For tests.</summary>
    public void Abort()
    {
        int generation;
        lock (_sync)
        {
            generation = _generation;
        }

        Drop(generation, "aborted");
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Disconnect();
        _disposed = true;
        _keepAliveTimer.Dispose();
        _reconnectCancel.Dispose();
    }

    private static long Now() => Stopwatch.GetTimestamp();

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private bool TryConnectOnce()
    {
        lock (_connectLock)
        {
            if (IsConnected)
            {
                return true;
            }

            var tcp = new TcpClient { NoDelay = true };
            try
            {
                using var timeout = new CancellationTokenSource(Options.ConnectTimeout);
                tcp.ConnectAsync(Options.Broker.Host, Options.Broker.Port, timeout.Token).AsTask().GetAwaiter().GetResult();
                tcp.SendTimeout = (int)Math.Max(Options.ConnectTimeout.TotalMilliseconds, 10_000);
                Stream stream = tcp.GetStream();
                if (Options.Broker.UseTls)
                {
                    var ssl = new SslStream(stream, leaveInnerStreamOpen: false, ValidateCertificate);
                    ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = Options.TlsTargetHost ?? Options.Broker.Host }, timeout.Token).GetAwaiter().GetResult();
                    stream = ssl;
                }

                tcp.ReceiveTimeout = (int)Options.ConnectTimeout.TotalMilliseconds;
                var will = Options.Will;
                stream.Write(MqttEncoder.Connect(Options.ClientId, Options.CleanSession, Options.KeepAliveSeconds, Options.Username, Options.Password, will));
                var (first, body) = MqttDecoder.Read(stream, 16);
                if (MqttDecoder.TypeOf(first) != MqttPacketType.ConnAck)
                {
                    throw new MqttProtocolException($"expected CONNACK, got {MqttDecoder.TypeOf(first)}");
                }

                var (sessionPresent, code) = MqttDecoder.ConnAck(body);
                if (code != MqttConnectReturnCode.Accepted)
                {
                    LastRefusal = code;
                    LastError = $"the broker refused the connection: {code}";
                    tcp.Dispose();
                    return false;
                }

                tcp.ReceiveTimeout = 0;
                List<Outgoing> resend;
                List<(string, int)> subscriptions;
                int generation;
                lock (_sync)
                {
                    _tcp = tcp;
                    _stream = stream;
                    _connected = true;
                    generation = ++_generation;
                    SessionPresent = sessionPresent;
                    _lastSent = _lastReceived = Now();
                    _pingSent = 0;
                    if (Options.CleanSession)
                    {
                        // A clean session discards the previous one, in-flight messages included (spec §3.1.2.4).
                        _inFlight.Clear();
                    }

                    resend = [.. _inFlight.Values.OrderBy(o => o.Order)];
                    subscriptions = [.. _subscriptions.Select(s => (s.Key, s.Value))];
                    Connections++;
                    LastRefusal = null;
                    LastError = null;
                }

                new Thread(() => Receive(stream, generation)) { IsBackground = true, Name = "mqtt-receive " + Options.ClientId }.Start();
                foreach (var outgoing in resend)
                {
                    MqttEncoder.MarkDuplicate(outgoing.Packet);
                    Resent++;
                    Write(outgoing.Packet);
                }

                if (subscriptions.Count > 0)
                {
                    int id;
                    lock (_sync)
                    {
                        id = NextPacketId();
                    }

                    Write(MqttEncoder.Subscribe(id, subscriptions));
                }

                ConnectionChanged?.Invoke(this, EventArgs.Empty);
                return true;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or AuthenticationException or MqttProtocolException or ObjectDisposedException)
            {
                LastError = e is OperationCanceledException ? $"no answer from {Options.Broker} within {Options.ConnectTimeout.TotalSeconds:0.#} s" : e.Message;
                tcp.Dispose();
                return false;
            }
        }
    }

    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (Options.TlsTrustedCa == null || certificate == null)
        {
            return errors == SslPolicyErrors.None;
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(Options.TlsTrustedCa);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(new X509Certificate2(certificate));
    }

    private void Receive(Stream stream, int generation)
    {
        try
        {
            while (true)
            {
                var (first, body) = MqttDecoder.Read(stream, Options.MaxIncomingPacketBytes);
                lock (_sync)
                {
                    _lastReceived = Now();
                    _pingSent = 0;
                }

                Handle(first, body);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or MqttProtocolException or SocketException or InvalidOperationException)
        {
            Drop(generation, e.Message);
        }
    }

    private void Handle(byte first, byte[] body)
    {
        switch (MqttDecoder.TypeOf(first))
        {
            case MqttPacketType.Publish:
                var (message, packetId) = MqttDecoder.Publish(first, body);
                MessageReceived?.Invoke(this, new MqttMessageReceivedEventArgs(message));
                if (message.Qos == 1)
                {
                    Write(MqttEncoder.PubAck(packetId));
                }

                break;
            case MqttPacketType.PubAck:
                var acked = MqttDecoder.PacketId(body);
                bool known;
                lock (_sync)
                {
                    known = _inFlight.Remove(acked);
                }

                if (known)
                {
                    PublishAcknowledged?.Invoke(this, new MqttPublishAcknowledgedEventArgs(acked));
                }

                break;
            case MqttPacketType.SubAck:
                var (subId, granted) = MqttDecoder.SubAck(body);
                TaskCompletionSource<byte[]>? waiter;
                lock (_sync)
                {
                    _subAcks.Remove(subId, out waiter);
                }

                waiter?.TrySetResult(granted);
                break;
            case MqttPacketType.UnsubAck:
            case MqttPacketType.PingResp:
                break;
            default:
                throw new MqttProtocolException($"unexpected {MqttDecoder.TypeOf(first)} from the broker");
        }
    }

    private bool Write(byte[] packet)
    {
        Stream? stream;
        int generation;
        lock (_sync)
        {
            if (!_connected)
            {
                return false;
            }

            stream = _stream!;
            generation = _generation;
        }

        try
        {
            lock (_writeLock)
            {
                stream.Write(packet);
                stream.Flush();
            }

            lock (_sync)
            {
                _lastSent = Now();
            }

            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            Drop(generation, e.Message);
            return false;
        }
    }

    private void KeepAlive()
    {
        int generation;
        bool ping;
        lock (_sync)
        {
            if (!_connected || Options.KeepAliveSeconds == 0)
            {
                return;
            }

            generation = _generation;
            var now = Now();
            var keepAlive = Ticks(TimeSpan.FromSeconds(Options.KeepAliveSeconds));
            if (_pingSent != 0 && now - _pingSent >= keepAlive)
            {
                ping = false;
            }
            else if (_pingSent == 0 && (now - _lastSent >= keepAlive / 2 || now - _lastReceived >= keepAlive / 2))
            {
                _pingSent = now;
                ping = true;
            }
            else
            {
                return;
            }
        }

        if (ping)
        {
            Write(MqttEncoder.PingReq());
        }
        else
        {
            Drop(generation, $"no answer from the broker within the {Options.KeepAliveSeconds} s keep-alive");
        }
    }

    private void Drop(int generation, string reason)
    {
        lock (_sync)
        {
            if (generation != _generation || !_connected)
            {
                return;
            }

            Close();
            ConnectionsLost++;
            LastError = reason;
            foreach (var waiter in _subAcks.Values)
            {
                waiter.TrySetResult([0x80]);
            }

            _subAcks.Clear();
        }

        ConnectionChanged?.Invoke(this, EventArgs.Empty);
        if (Options.AutoReconnect && !_stopReconnect && !_disposed)
        {
            StartReconnecting();
        }
    }

    private void Close()
    {
        _connected = false;
        _generation++;
        try
        {
            _stream?.Dispose();
        }
        catch (IOException)
        {
            // Closing a broken TLS stream may fail to send close_notify: nothing to do.
        }

        _tcp?.Dispose();
        _stream = null;
        _tcp = null;
    }

    private void StartReconnecting()
    {
        lock (_sync)
        {
            if (_reconnectLoop is { IsCompleted: false })
            {
                return;
            }

            if (_reconnectCancel.IsCancellationRequested)
            {
                _reconnectCancel.Dispose();
                _reconnectCancel = new CancellationTokenSource();
            }

            var token = _reconnectCancel.Token;
            _reconnectLoop = Task.Run(() => ReconnectLoop(token), CancellationToken.None);
        }
    }

    private async Task ReconnectLoop(CancellationToken token)
    {
        var delay = Options.ReconnectMinDelay;
        while (!token.IsCancellationRequested && !_stopReconnect && !IsConnected)
        {
            double factor;
            lock (_jitter)
            {
                factor = 0.8 + (0.4 * _jitter.NextDouble());
            }

            try
            {
                await Task.Delay(delay * factor, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_stopReconnect || TryConnectOnce())
            {
                return;
            }

            delay = delay * 2 > Options.ReconnectMaxDelay ? Options.ReconnectMaxDelay : delay * 2;
        }
    }

    // Under _sync. Skips ids still awaiting their PUBACK or SUBACK; 0 when all 65535 are taken.
    private int NextPacketId()
    {
        for (var tries = 0; tries < 65535; tries++)
        {
            _nextPacketId = (_nextPacketId % 65535) + 1;
            if (!_inFlight.ContainsKey(_nextPacketId) && !_subAcks.ContainsKey(_nextPacketId))
            {
                return _nextPacketId;
            }
        }

        return 0;
    }

    private sealed record Outgoing(byte[] Packet, long Order);
}
