using TimingMat.Mqtt;
using TimingMat.Mqtt.Broker;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Network;
using Xunit;

namespace TimingMat.Simulation.Tests.Engine;

/// <summary>The race on a real Mosquitto through the real MQTT client, with the faults cut through per-unit proxies.</summary>
public sealed class RealBrokerTests : IDisposable
{
    private readonly MosquittoProcess _broker = new();

    public RealBrokerTests() => _broker.Start();

    public void Dispose() => _broker.Dispose();

    [Fact]
    public void EveryFault_OnARealBroker_NothingLost_AndTheSamePassingsAsInProcess()
    {
        var scenario = FunRun.Load(runners: 120);

        var real = new RaceEngine(scenario, new SimulationOptions { Broker = _broker.Address }).Run();
        var inProcess = new RaceEngine(scenario, new SimulationOptions()).Run();

        Assert.Equal(_broker.Address.ToString(), real.Broker);
        Assert.Equal("in-process", inProcess.Broker);
        Assert.Equal(5, real.FaultsInjected);
        Assert.Equal(0, real.PassingsLost);
        Assert.Equal(real.PassingsRecorded, real.PassingsDelivered);
        Assert.Equal(0, real.DuplicatesDelivered);
        Assert.Equal(2, real.MatDetails.Single(m => m.Name == "2.5k").Boots);

        // The firmware timed the same crossings on the same simulated clocks; only the transport differs.
        Assert.Equal(inProcess.PassingsDelivered, real.PassingsDelivered);
        Assert.Equal(inProcess.CrossingErrorMs, real.CrossingErrorMs);
        Assert.Equal(inProcess.MarkersDelivered, real.MarkersDelivered);
        Assert.Equal(inProcess.Athletes, real.Athletes);

        // The outage at the split holds its passings in the journal until LoRa takes over after 30 s: delivery shows it.
        Assert.True(real.DeliveryLatencyMs.Max > 30_000, $"max delivery {real.DeliveryLatencyMs.Max} ms");
        Assert.True(real.Lora!.PassingsDelivered > 0, "the split's outage must fall back to LoRa on a real broker too");
        Assert.InRange(real.DeliveryLatencyMs.P50, 1, 10_000);
    }

    [Fact]
    public void BrokerNotThere_FailsUpFront_NamingTheAddress()
    {
        var nobody = new MqttBrokerAddress("127.0.0.1", MosquittoProcess.FreeLoopbackPort(), false);

        var error = Assert.Throws<BrokerUnreachableException>(() => new RaceEngine(FunRun.Load(runners: 10, faults: "[]"), new SimulationOptions { Broker = nobody }).Run());

        Assert.Equal(nobody.ToString(), error.Broker);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }
}
