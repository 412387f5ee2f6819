using System.Text;
using TimingMat.Core.Hardware;
using Xunit;

namespace TimingMat.Uplink.Tests.Mqtt;

/// <summary>
/// What the unit's uplink and the collector may assume of any <see cref="IMqttLink"/>, from the interface's
/// documentation: a connect that never blocks and ends connected or not, publications refused while down, QoS 1 packet
/// ids handed back on PUBACK, messages delivered oldest first by topic filter, retained messages for late subscribers.
/// Run against the in-process link and the desktop link on a real Mosquitto (the device's M2Mqtt adapter runs on the
/// board only).
/// </summary>
public abstract class MqttLinkContractTests
{
    /// <summary>Gets how many <see cref="LetTimePass"/> steps a test waits before it fails.</summary>
    protected virtual int PatienceSteps => 2_500;

    [Fact]
    public void WhileNotConnected_NothingIsSent_AndNothingIsWaiting()
    {
        var link = CreateLink();

        Assert.False(link.IsConnected);
        Assert.False(link.IsConnecting);
        Assert.Equal(-1, link.Publish("race/7/passings", [1], 1, false));
        Assert.Equal(-1, link.Publish("race/7/passings", [1], 0, false));
        Assert.False(link.Subscribe("race/#", 1));
        Assert.Null(link.TakeReceived());
        Assert.False(link.TryTakeAcknowledged(out _));
        link.Disconnect();
        Assert.False(link.IsConnected);
    }

    [Fact]
    public void BeginConnect_EndsConnected_AndSetsIsConnectedBeforeItClearsIsConnecting()
    {
        var link = CreateLink();

        link.BeginConnect(Options("unit-7"));
        for (var step = 0; ; step++)
        {
            // Read in the order the interface tells callers to: a finished success must never look like a failure.
            var connecting = link.IsConnecting;
            var connected = link.IsConnected;
            if (!connecting)
            {
                Assert.True(connected, "the attempt ended without a connection");
                break;
            }

            Assert.True(step < PatienceSteps, "the connect attempt never ended");
            LetTimePass();
        }

        link.BeginConnect(Options("unit-7"));
        Assert.True(link.IsConnected);
        Assert.True(link.Publish("race/7/status", [1], 1, false) > 0);
    }

    [Fact]
    public void ANoBrokerConnect_EndsNotConnected()
    {
        var link = CreateLinkToNoBroker();

        link.BeginConnect(Options("unit-7"));
        AwaitAttemptEnd(link);

        Assert.False(link.IsConnected);
        Assert.Equal(-1, link.Publish("race/7/passings", [1], 1, false));
    }

    [Fact]
    public void Qos1Publish_ReachesTheSubscriber_AndItsPacketIdComesBackOnPuback()
    {
        var (subscriber, unit) = CollectorAndUnit("race/+/passings", 1);

        var id = unit.Publish("race/7/passings", "batch 1"u8.ToArray(), 1, false);

        Assert.InRange(id, 1, 65535);
        var message = Take(subscriber);
        Assert.Equal(("race/7/passings", "batch 1"), (message.Topic, Encoding.ASCII.GetString(message.Payload)));
        Assert.Equal(id, TakeAcknowledged(unit));
        Assert.False(unit.TryTakeAcknowledged(out _));
    }

    [Fact]
    public void Qos0Publish_ReturnsZero_IsDelivered_AndIsNeverAcknowledged()
    {
        var (subscriber, unit) = CollectorAndUnit("race/7/status", 0);

        Assert.Equal(0, unit.Publish("race/7/status", "{\"state\":\"online\"}"u8.ToArray(), 0, false));

        Assert.Equal("{\"state\":\"online\"}", Encoding.ASCII.GetString(Take(subscriber).Payload));
        Assert.False(unit.TryTakeAcknowledged(out _));
    }

    [Fact]
    public void InFlightQos1Publications_GetDistinctIds_AndArriveOldestFirst()
    {
        var (subscriber, unit) = CollectorAndUnit("race/7/#", 1);

        var ids = Enumerable.Range(1, 5).Select(i => unit.Publish("race/7/passings", [(byte)i], 1, false)).ToArray();

        Assert.Equal(5, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 1, 65535));
        Assert.Equal([1, 2, 3, 4, 5], Enumerable.Range(0, 5).Select(_ => (int)Take(subscriber).Payload[0]));
        Assert.Equal(ids.Order(), Enumerable.Range(0, 5).Select(_ => TakeAcknowledged(unit)).Order());
    }

    [Fact]
    public void ATopicFilter_TakesOnlyTheTopicsItMatches()
    {
        var (subscriber, unit) = CollectorAndUnit("race/+/passings", 1);

        unit.Publish("race/7/status", "no"u8.ToArray(), 1, false);
        unit.Publish("race/7/passings/extra", "no"u8.ToArray(), 1, false);
        unit.Publish("race/7/passings", "yes"u8.ToArray(), 1, false);

        Assert.Equal("race/7/passings", Take(subscriber).Topic);
        for (var i = 0; i < 3; i++)
        {
            TakeAcknowledged(unit);
        }

        Assert.Null(subscriber.TakeReceived());
    }

    [Fact]
    public void ARetainedMessage_GoesToALaterSubscriber()
    {
        var unit = Connected("unit-7");
        unit.Publish("race/7/status", "{\"state\":\"online\"}"u8.ToArray(), 1, retain: true);
        TakeAcknowledged(unit);

        var late = Connected("tent");
        Assert.True(late.Subscribe("race/7/status", 1));

        var message = Take(late);
        Assert.Equal(("race/7/status", "{\"state\":\"online\"}"), (message.Topic, Encoding.ASCII.GetString(message.Payload)));
    }

    [Fact]
    public void Disconnect_EndsTheSession_AndAFreshConnectWorksOnTheSameLink()
    {
        var unit = Connected("unit-7");

        unit.Disconnect();
        Assert.False(unit.IsConnected);
        Assert.Equal(-1, unit.Publish("race/7/passings", [1], 1, false));
        unit.Disconnect();

        unit.BeginConnect(Options("unit-7"));
        AwaitAttemptEnd(unit);
        Assert.True(unit.IsConnected);
        Assert.True(unit.Publish("race/7/passings", [1], 1, false) > 0);
    }

    /// <summary>Creates a link to the test's broker, not connected.</summary>
    /// <returns>The link.</returns>
    protected abstract IMqttLink CreateLink();

    /// <summary>Creates a link whose broker does not answer.</summary>
    /// <returns>The link.</returns>
    protected abstract IMqttLink CreateLinkToNoBroker();

    /// <summary>Lets a little time pass: the emulated broker delivers, or a real wait.</summary>
    protected abstract void LetTimePass();

    /// <summary>Waits until a subscription sent is in force at the broker; nothing where delivery is in order anyway.</summary>
    /// <param name="subscriber">The link that subscribed.</param>
    protected virtual void AwaitSubscribed(IMqttLink subscriber)
    {
    }

    private static MqttConnectOptions Options(string clientId) => new(clientId) { KeepAliveSeconds = 15, CleanSession = true };

    private (IMqttLink Collector, IMqttLink Unit) CollectorAndUnit(string topicFilter, int qos)
    {
        var collector = Connected("collector");
        Assert.True(collector.Subscribe(topicFilter, qos));
        AwaitSubscribed(collector);
        return (collector, Connected("unit-7"));
    }

    private IMqttLink Connected(string clientId)
    {
        var link = CreateLink();
        link.BeginConnect(Options(clientId));
        AwaitAttemptEnd(link);
        Assert.True(link.IsConnected, clientId + " did not connect");
        return link;
    }

    private void AwaitAttemptEnd(IMqttLink link)
    {
        for (var step = 0; link.IsConnecting; step++)
        {
            Assert.True(step < PatienceSteps, "the connect attempt never ended");
            LetTimePass();
        }
    }

    private MqttMessage Take(IMqttLink link)
    {
        for (var step = 0; step < PatienceSteps; step++)
        {
            var message = link.TakeReceived();
            if (message != null)
            {
                return message;
            }

            LetTimePass();
        }

        Assert.Fail("no message arrived");
        return null!;
    }

    private int TakeAcknowledged(IMqttLink link)
    {
        for (var step = 0; step < PatienceSteps; step++)
        {
            if (link.TryTakeAcknowledged(out var id))
            {
                return id;
            }

            LetTimePass();
        }

        Assert.Fail("no PUBACK arrived");
        return -1;
    }
}
