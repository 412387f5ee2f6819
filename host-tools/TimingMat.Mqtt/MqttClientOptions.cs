using System.Security.Cryptography.X509Certificates;
using TimingMat.Mqtt.Packets;

namespace TimingMat.Mqtt;

/// <summary>How an <see cref="MqttClient"/> connects.</summary>
public sealed class MqttClientOptions
{
    /// <summary>Gets or sets the broker.</summary>
    public required MqttBrokerAddress Broker { get; set; }

    /// <summary>Gets or sets the client id.</summary>
    public required string ClientId { get; set; }

    /// <summary>Gets or sets a value indicating whether the broker discards the session on connect. Default off (persistent session).</summary>
    public bool CleanSession { get; set; }

    /// <summary>Gets or sets the keep-alive in seconds (0 disables it). Default 15.</summary>
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>Gets or sets the user name, or <c>null</c>.</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password, or <c>null</c>.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets the last will, or <c>null</c>.</summary>
    public MqttWill? Will { get; set; }

    /// <summary>Gets or sets how long a connect attempt (TCP, TLS and CONNACK) may take. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets a value indicating whether the client reconnects by itself after losing the connection.</summary>
    public bool AutoReconnect { get; set; }

    /// <summary>Gets or sets the first wait before reconnecting; it doubles per failure. Default 0.5 s.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Gets or sets the longest wait between reconnect attempts. Default 30 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the seed of the ±20 % jitter on reconnect delays (many units restarting together spread out).</summary>
    public int ReconnectJitterSeed { get; set; } = 1;

    /// <summary>Gets or sets the largest packet accepted from the broker. Default 1 MB.</summary>
    public int MaxIncomingPacketBytes { get; set; } = 1024 * 1024;

    /// <summary>Gets or sets the TLS host name checked against the broker's certificate; the broker host when <c>null</c>.</summary>
    public string? TlsTargetHost { get; set; }

    /// <summary>
    /// Gets or sets a CA certificate to trust for the broker (a race network's own CA) instead of the system's
    /// roots, or <c>null</c> for the system's.
    /// </summary>
    public X509Certificate2? TlsTrustedCa { get; set; }
}
