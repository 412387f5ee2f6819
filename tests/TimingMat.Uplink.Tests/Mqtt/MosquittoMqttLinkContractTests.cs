using TimingMat.Core.Hardware;
using TimingMat.Mqtt;
using TimingMat.Mqtt.Broker;

namespace TimingMat.Uplink.Tests.Mqtt;

/// <summary>
/// The desktop link (MQTTnet) keeps the MQTT-link contract against a real Mosquitto on a free loopback port; waits are
/// real and generous, since sockets and a broker process are the point.
/// </summary>
public sealed class MosquittoMqttLinkContractTests : MqttLinkContractTests, IDisposable
{
    private readonly MosquittoProcess _broker = new();
    private readonly List<MqttLink> _links = [];

    public MosquittoMqttLinkContractTests() => _broker.Start();

    public void Dispose()
    {
        foreach (var link in _links)
        {
            link.Dispose();
        }

        _broker.Dispose();
    }

    protected override IMqttLink CreateLink() => Track(new MqttLink(_broker.Address, o => o.ConnectTimeout = TimeSpan.FromSeconds(3)));

    protected override IMqttLink CreateLinkToNoBroker() =>
        Track(new MqttLink(new MqttBrokerAddress("127.0.0.1", MosquittoProcess.FreeLoopbackPort(), UseTls: false), o => o.ConnectTimeout = TimeSpan.FromSeconds(2)));

    protected override void LetTimePass() => Thread.Sleep(2);

    // Subscribe only sends SUBSCRIBE; a publication racing the SUBACK could miss the new filter.
    protected override void AwaitSubscribed(IMqttLink subscriber) => Thread.Sleep(300);

    private MqttLink Track(MqttLink link)
    {
        _links.Add(link);
        return link;
    }
}
