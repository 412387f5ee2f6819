using TimingMat.Uplink.Tests.Support;
using Xunit;

namespace TimingMat.Uplink.Tests;

/// <summary>
/// Three units streaming through the race broker restarting in order with its persistence on: nothing lost, nothing
/// twice (<see cref="UplinkBrokerTests"/>).
/// </summary>
[Collection(UnitProcessCollection.Name)]
public sealed class BrokerRestartTests : UplinkBrokerTests
{
    [Fact]
    public void ThreeUnitsStreaming_ThroughABrokerRestartWithPersistence_LoseNothing() => ThreeUnitsStreamThroughABrokerOutage(orderlyRestartWithPersistence: true);
}
