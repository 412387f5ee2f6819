using TimingMat.Mqtt.Broker;
using TimingMat.Uplink.Tests.Support;
using Xunit;

namespace TimingMat.Uplink.Tests;

/// <summary>
/// The network cut under two streaming units, then under the collector: nothing lost, nothing twice
/// (<see cref="UplinkBrokerTests"/>).
/// </summary>
[Collection(UnitProcessCollection.Name)]
public sealed class NetworkCutTests : UplinkBrokerTests
{
    [Fact]
    public void NetworkCuts_UnderTheUnitsAndTheCollector_LoseNothing()
    {
        var broker = Own(new MosquittoProcess());
        broker.Start();
        var unitsPath = Own(new TcpCutProxy(broker.Port));
        var collectorPath = Own(new TcpCutProxy(broker.Port));
        var collector = StartCollector(collectorPath.Address);
        var units = Enumerable.Range(1, 2).Select(id => StartUnit(id, unitsPath.Address, Runners)).ToList();

        WaitUntilCollected(collector, units, 20);
        unitsPath.Sever();
        Thread.Sleep(1500);
        unitsPath.Restore();
        Thread.Sleep(500);
        collectorPath.Sever();
        Thread.Sleep(1500);
        collectorPath.Restore();

        StopAndVerify(collector, units, final => Assert.True(final.GetProperty("outbox").GetProperty("connections").GetInt32() >= 2, "the unit should have reconnected"));
        Assert.True(collector.Read((c, _) => c.Connections) >= 2);
    }
}
