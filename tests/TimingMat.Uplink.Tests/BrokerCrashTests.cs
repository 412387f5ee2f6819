using TimingMat.Uplink.Tests.Support;
using Xunit;

namespace TimingMat.Uplink.Tests;

/// <summary>
/// Three units streaming through the race broker crashing (killed, its queues gone): nothing lost, nothing twice
/// (<see cref="UplinkBrokerTests"/>).
/// </summary>
[Collection(UnitProcessCollection.Name)]
public sealed class BrokerCrashTests : UplinkBrokerTests
{
    [Fact]
    public void ThreeUnitsStreaming_ThroughABrokerCrash_LoseNothing() => ThreeUnitsStreamThroughABrokerOutage(orderlyRestartWithPersistence: false);
}
