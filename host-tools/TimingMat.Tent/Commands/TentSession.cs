using TimingMat.Core.Hardware;
using TimingMat.Mqtt;

namespace TimingMat.Tent.Commands;

/// <summary>Opens a tent tool's own MQTT session: a clean session under a client id of its own, so several laptops and tools can work at once.</summary>
internal static class TentSession
{
    /// <summary>Connects and subscribes, or says why not.</summary>
    /// <param name="broker">The broker.</param>
    /// <param name="username">Broker user name, or null.</param>
    /// <param name="password">Broker password, or null.</param>
    /// <param name="configure">TLS trust and timeouts.</param>
    /// <param name="filter">The topic filter to read.</param>
    /// <param name="received">Handles every message received, on MQTTnet's receive task.</param>
    /// <returns>The connected link.</returns>
    /// <exception cref="TentConnectException">The broker cannot be reached, refused the account, or refused the subscription.</exception>
    public static MqttLink Open(MqttBrokerAddress broker, string? username, string? password, Action<MqttLinkOptions>? configure, string filter, Action<MqttMessage> received)
    {
        var link = new MqttLink(broker, configure);
        link.MessageReceived += received;
        var options = new MqttConnectOptions("timingmat-tent-" + Convert.ToHexString(Guid.NewGuid().ToByteArray(), 0, 6).ToLowerInvariant())
        {
            CleanSession = true,
            KeepAliveSeconds = 15,
            Username = username,
            Password = password,
        };
        if (!link.Connect(options))
        {
            var why = link.LastError ?? "no answer";
            link.Dispose();
            throw new TentConnectException($"cannot reach the broker at {broker}: {why}");
        }

        if (link.SubscribeAndWait(filter, 1, TimeSpan.FromSeconds(5)) < 0)
        {
            link.Dispose();
            throw new TentConnectException($"the broker at {broker} refused the subscription to {filter} (its ACL does not let this user read it)");
        }

        return link;
    }
}
