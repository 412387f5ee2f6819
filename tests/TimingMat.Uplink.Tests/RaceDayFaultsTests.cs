using TimingMat.Mqtt.Broker;
using TimingMat.Uplink.Tests.Support;
using Xunit;

namespace TimingMat.Uplink.Tests;

/// <summary>
/// Three units streaming a busy start line through every uplink fault of a race day, one after another in the same
/// race: the broker crashing (killed, its queues gone), then restarting in order with its persistence on, then the
/// network cut under the units and under the collector. Nothing lost, nothing twice (<see cref="UplinkBrokerTests"/>).
/// </summary>
/// <remarks>
/// One race for the three faults, not one race each: every start line costs the ~25 s its units' clocks take to lock
/// on the emulated GPS, and each fault meets units that have already been through the ones before it, as on race day.
/// </remarks>
[Collection(UnitProcessCollection.Name)]
public sealed class RaceDayFaultsTests : UplinkBrokerTests
{
    [Fact]
    public void ThreeUnitsStreaming_ThroughABrokerCrash_AnOrderlyRestart_AndNetworkCuts_LoseNothing()
    {
        // No persistence while it crashes: what it queued is gone, the units and the collector must make up for it.
        var broker = Own(new MosquittoProcess(new MosquittoSettings { Persistence = false }));
        broker.Start();
        var unitsPath = Own(new TcpCutProxy(broker.Port));
        var collectorPath = Own(new TcpCutProxy(broker.Port));
        var collector = StartCollector(collectorPath.Address);
        var units = Enumerable.Range(1, 3).Select(id => StartUnit(id, unitsPath.Address, Runners)).ToList();

        // The broker crashes while every unit is streaming passings, and comes back 1 s later, now persisting.
        WaitUntilCollected(collector, units, 30);
        broker.Kill();
        Thread.Sleep(1000);
        broker.Settings.Persistence = true;
        broker.Start();

        // It stops in order (writing its sessions and queues to disk) and comes back 1 s later from that file.
        WaitUntilCollected(collector, units, 110);
        broker.Stop();
        Thread.Sleep(1000);
        broker.Start();

        // The network goes under the units, then under the collector.
        WaitUntilCollected(collector, units, 190);
        unitsPath.Sever();
        Thread.Sleep(1500);
        unitsPath.Restore();
        Thread.Sleep(500);
        collectorPath.Sever();
        Thread.Sleep(1500);
        collectorPath.Restore();

        // Each fault took every unit's connection: three reconnections after the first connection.
        StopAndVerify(collector, units, final => Assert.True(final.GetProperty("outbox").GetProperty("connections").GetInt32() >= 4, $"the unit should have reconnected after each of the three faults: {final.GetProperty("outbox")}"));
        Assert.True(collector.Read((c, _) => c.Connections) >= 4, "the collector should have reconnected after each of the three faults");
    }
}
