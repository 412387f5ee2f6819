using System.Security.Cryptography.X509Certificates;
using TimingMat.Core.Hardware;

namespace TimingMat.Mqtt;

/// <summary>How an <see cref="MqttLink"/> reaches its broker, beyond what the core's connect options say.</summary>
public sealed class MqttLinkOptions
{
    /// <summary>Gets or sets how long a connect attempt (TCP, TLS and CONNACK) may take. Default 5 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets or sets the TLS host name checked against the broker's certificate; the broker host when <c>null</c>.</summary>
    public string? TlsTargetHost { get; set; }

    /// <summary>
    /// Gets or sets a CA certificate to trust for the broker (a race network's own CA) instead of the system's
    /// roots, or <c>null</c> for the system's.
    /// </summary>
    public X509Certificate2? TlsTrustedCa { get; set; }

    /// <summary>
    /// Gets or sets the unit's µs clock that every received message is stamped with on arrival, on MQTTnet's receive
    /// task (<see cref="MqttMessage.ReceivedMicros"/>: a clock exchange needs when a command arrived, not when the unit's
    /// loop took it); <c>null</c> leaves messages unstamped.
    /// </summary>
    public IMicrosecondClock? ReceiveClock { get; set; }
}
