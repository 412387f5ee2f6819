namespace TimingMat.Mqtt.Broker;

/// <summary>Settings written into the configuration of a <see cref="MosquittoProcess"/>.</summary>
public sealed class MosquittoSettings
{
    /// <summary>Gets or sets the port; a free one when <c>null</c>.</summary>
    public int? Port { get; set; }

    /// <summary>Gets or sets a value indicating whether sessions, subscriptions and queued messages are saved to disk. Default on.</summary>
    public bool Persistence { get; set; } = true;

    /// <summary>Gets or sets how often the persistence file is written, in seconds (Mosquitto's default is 1800). Default 1.</summary>
    public int AutosaveIntervalSeconds { get; set; } = 1;

    /// <summary>Gets or sets the most QoS 1 messages queued per offline client (Mosquitto 2 default 1000). Default 10,000.</summary>
    public int MaxQueuedMessages { get; set; } = 10_000;

    /// <summary>Gets the user names and passwords; when any is given, anonymous clients are refused.</summary>
    public Dictionary<string, string> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets or sets a password file to use (as <c>timingmat broker-config</c> writes it) instead of <see cref="Users"/>; anonymous clients are then refused.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Gets or sets an ACL file (as <c>timingmat broker-config</c> writes it), or <c>null</c> for none.</summary>
    public string? AclFile { get; set; }

    /// <summary>Gets or sets the PEM certificate file for a TLS listener, or <c>null</c> for plain TCP.</summary>
    public string? TlsCertificateFile { get; set; }

    /// <summary>Gets or sets the PEM private key file of the TLS certificate.</summary>
    public string? TlsKeyFile { get; set; }
}
