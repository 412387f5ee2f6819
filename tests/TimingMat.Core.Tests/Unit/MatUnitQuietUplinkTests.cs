using TimingMat.Core.Hardware;
using TimingMat.Core.Tests.Reader;
using TimingMat.Emulators.Mqtt;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// Issue 16: an online unit with nothing to send (nothing unsent, in flight or unacked by the collector) polls its
/// uplink every 100 ms instead of every poll, ~130 IL instructions and 15 calls a poll on the device's interpreter;
/// a message for it waits at most that long, and a passing still leaves without waiting for the period.
/// </summary>
public class MatUnitQuietUplinkTests
{
    private const long Second = 1_000_000;

    private readonly MemoryFileStore _store = new(capacityBytes: 8L * 1024 * 1024, tearSeed: 3);
    private readonly MqttBrokerEmulator _broker = new();

    [Fact]
    public void AQuietUplink_IsAskedForMessagesEveryTenthOfASecond_AndTakesACommandWithinIt()
    {
        CountingMqttLink? link = null;
        var rig = new MatUnitRig(_store, _broker, 2, wrapLink: inner => link = new CountingMqttLink(inner)).StartTiming();
        rig.RunToLocal(10 * Second);
        Assert.True(rig.Unit.Uplink.IsOnline);
        Assert.NotNull(link);

        // 2 s of an idle unit polled every 5 ms: 400 polls, 20 looks at the link.
        var before = link.TakeReceivedCalls;
        rig.RunToLocal(12 * Second);
        var looks = link.TakeReceivedCalls - before;
        Assert.InRange(looks, 19, 21);

        // A message for the unit (a command with a bad signature: refused, but taken) waits at most the period.
        var sender = _broker.CreateLink();
        Assert.True(sender.Connect(new MqttConnectOptions("test-sender")));
        var sentAt = rig.Local;
        Assert.True(sender.Publish(rig.Unit.Uplink.Topics.Commands, "tm1 12 1 status 00"u8.ToArray(), 1, false) >= 0);
        Assert.True(rig.RunUntil(() => link.MessagesTaken > 0, Second));
        Assert.InRange(rig.Local - sentAt, 0, 100_000 + MatUnitRig.StepMicros);
    }

    [Fact]
    public void AnUplinkWithAPassingUnackedByTheCollector_IsPolledEveryPoll()
    {
        CountingMqttLink? link = null;
        var rig = new MatUnitRig(_store, _broker, 2, wrapLink: inner => link = new CountingMqttLink(inner)).StartTiming();
        var subscriber = MatUnitRig.Subscriber(_broker);
        rig.RunToLocal(30 * Second);
        Assert.Equal(TimingMat.Core.Clock.ClockState.Locked, rig.Unit.Clock.State);
        Assert.NotNull(link);

        rig.Crossing(ReaderRig.Epc(501), rig.Local + 100_000);
        var published = new List<TimingMat.Core.Passings.Passing>();
        Assert.True(rig.RunUntil(() => { published.AddRange(MatUnitRig.TakePassings(subscriber)); return published.Count > 0; }, 10 * Second));

        // No collector acks it here: the uplink keeps looking for the ack at every poll (100 in 0.5 s).
        var before = link.TakeReceivedCalls;
        rig.RunToLocal(rig.Local + (Second / 2));
        Assert.InRange(link.TakeReceivedCalls - before, 99, 101);
    }

    // Counts the unit's looks at its link and the messages it took.
    private sealed class CountingMqttLink(IMqttLink inner) : IMqttLink
    {
        public int TakeReceivedCalls { get; private set; }

        public int MessagesTaken { get; private set; }

        public bool IsConnected => inner.IsConnected;

        public bool IsConnecting => inner.IsConnecting;

        public void BeginConnect(MqttConnectOptions options) => inner.BeginConnect(options);

        public void Disconnect() => inner.Disconnect();

        public int Publish(string topic, byte[] payload, int qos, bool retain) => inner.Publish(topic, payload, qos, retain);

        public bool Subscribe(string topicFilter, int qos) => inner.Subscribe(topicFilter, qos);

        public MqttMessage TakeReceived()
        {
            TakeReceivedCalls++;
            var message = inner.TakeReceived();
            if (message != null)
            {
                MessagesTaken++;
            }

            return message!;
        }

        public bool TryTakeAcknowledged(out int packetId) => inner.TryTakeAcknowledged(out packetId);
    }
}
