using System.Text;
using TimingMat.Core.Hardware;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Mqtt;
using Xunit;

namespace TimingMat.Emulators.Tests.Mqtt;

public class MqttBrokerEmulatorTests
{
    [Theory]
    [InlineData("timingmat/+/passings", "timingmat/7/passings", true)]
    [InlineData("timingmat/+/passings", "timingmat/7/status", false)]
    [InlineData("timingmat/#", "timingmat/7/passings", true)]
    [InlineData("timingmat/7", "timingmat/7/passings", false)]
    [InlineData("timingmat/7/passings", "timingmat/7/passings", true)]
    [InlineData("+/+", "a/b", true)]
    [InlineData("+", "a/b", false)]
    public void TopicFilters_MatchLikeMqtt(string filter, string topic, bool matches)
    {
        Assert.Equal(matches, MqttBrokerEmulator.Matches(filter, topic));
    }

    [Fact]
    public void Qos1_IsRoutedAndAcknowledged_AndRetainedGoesToLateSubscribers()
    {
        var broker = new MqttBrokerEmulator();
        var unit = Connected(broker, "unit");
        var collector = Connected(broker, "collector");
        collector.Subscribe("t/+/passings", 1);

        var id = unit.Publish("t/7/passings", [1, 2], 1, false);
        unit.Publish("t/7/status", Encoding.ASCII.GetBytes("online"), 1, true);

        Assert.True(unit.TryTakeAcknowledged(out var acked));
        Assert.Equal(id, acked);
        Assert.Equal(new byte[] { 1, 2 }, collector.TakeReceived().Payload);
        Assert.Null(collector.TakeReceived());
        var late = Connected(broker, "late");
        late.Subscribe("t/+/status", 0);
        Assert.Equal("online", Encoding.ASCII.GetString(late.TakeReceived().Payload));
    }

    [Fact]
    public void PersistentSession_QueuesWhileAway_UpToTheLimit_AndTheWillFiresOnACut()
    {
        var broker = new MqttBrokerEmulator(maxQueuedPerSession: 2);
        var collector = Connected(broker, "collector");
        collector.Subscribe("t/#", 1);
        var watcher = Connected(broker, "watcher");
        watcher.Subscribe("t/+/status", 1);
        collector.Disconnect();
        var unit = broker.CreateLink();
        unit.Connect(new MqttConnectOptions("unit") { WillTopic = "t/7/status", WillMessage = "offline" });

        for (byte i = 0; i < 3; i++)
        {
            unit.Publish("t/7/passings", [i], 1, false);
        }

        unit.CutNetwork();
        Assert.False(unit.Connect(new MqttConnectOptions("unit")));
        Assert.Equal("offline", Encoding.ASCII.GetString(watcher.TakeReceived().Payload));
        Assert.Equal("offline", Encoding.ASCII.GetString(broker.Retained["t/7/status"]));
        Assert.True(collector.Connect(new MqttConnectOptions("collector")));
        Assert.Equal(0, collector.TakeReceived().Payload[0]);
        Assert.Equal(1, collector.TakeReceived().Payload[0]);
        Assert.Null(collector.TakeReceived());
        Assert.Equal(2, broker.DroppedQueued);  // the third passing and the will: the queue held two
    }

    [Fact]
    public void BrokerCrash_WithoutPersistence_LosesSessionsAndRetained()
    {
        var broker = new MqttBrokerEmulator();
        var collector = Connected(broker, "collector");
        collector.Subscribe("t/#", 1);
        collector.Publish("t/x", [1], 1, true);
        Assert.Equal(1, collector.TakeReceived().Payload[0]);

        broker.Stop(keepState: false);
        Assert.False(collector.IsConnected);
        Assert.Equal(-1, collector.Publish("t/x", [2], 1, false));
        Assert.False(collector.Connect(new MqttConnectOptions("collector")));
        broker.Start();
        Assert.True(collector.Connect(new MqttConnectOptions("collector")));

        var unit = Connected(broker, "unit");
        unit.Publish("t/y", [3], 1, false);
        Assert.Null(collector.TakeReceived());
        Assert.Empty(broker.Retained);
    }

    [Fact]
    public void Latency_DelaysEveryHop_OnTheSimulatedClock()
    {
        var clock = new SimulatedClock();
        var broker = new MqttBrokerEmulator(clock, latencyMicros: 5_000);
        var collector = Connected(broker, "collector");
        collector.Subscribe("t/#", 1);
        clock.Advance(5_000);
        var unit = Connected(broker, "unit");

        unit.Publish("t/a", [9], 1, false);
        clock.Advance(4_999);
        Assert.Null(collector.TakeReceived());
        clock.Advance(1);
        Assert.False(unit.TryTakeAcknowledged(out _));
        clock.Advance(5_000);
        Assert.Equal(9, collector.TakeReceived().Payload[0]);
        Assert.True(unit.TryTakeAcknowledged(out _));
    }

    private static EmulatedMqttLink Connected(MqttBrokerEmulator broker, string id)
    {
        var link = broker.CreateLink();
        Assert.True(link.Connect(new MqttConnectOptions(id)));
        return link;
    }
}
