using TimingMat.Core.Hardware;
using TimingMat.Emulators.Mqtt;

namespace TimingMat.Uplink.Tests.Mqtt;

/// <summary>The simulator's in-process link keeps the MQTT-link contract against the broker emulator.</summary>
public sealed class EmulatedMqttLinkContractTests : MqttLinkContractTests
{
    private readonly MqttBrokerEmulator _broker = new();

    protected override IMqttLink CreateLink() => _broker.CreateLink();

    protected override IMqttLink CreateLinkToNoBroker()
    {
        var down = new MqttBrokerEmulator();
        down.Stop(keepState: false);
        return down.CreateLink();
    }

    protected override void LetTimePass() => _broker.Pump();
}
