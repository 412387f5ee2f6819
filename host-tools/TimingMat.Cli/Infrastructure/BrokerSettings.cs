using System.Security.Cryptography.X509Certificates;
using TimingMat.Mqtt;

namespace TimingMat.Cli.Infrastructure;

/// <summary>A checked broker address with its credentials and TLS trust, from <see cref="BrokerOptions"/>.</summary>
/// <param name="Address">The broker.</param>
/// <param name="Username">User name, or null.</param>
/// <param name="Password">Password, or null.</param>
/// <param name="TrustedCa">The CA the broker's certificate must chain to, or null for the system's trust store.</param>
internal sealed record BrokerSettings(MqttBrokerAddress Address, string? Username, string? Password, X509Certificate2? TrustedCa)
{
    /// <summary>Applies the TLS trust to an MQTT client's settings.</summary>
    /// <param name="client">The client settings.</param>
    public void Configure(MqttLinkOptions client) => client.TlsTrustedCa = TrustedCa;
}
