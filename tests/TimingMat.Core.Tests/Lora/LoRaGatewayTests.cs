using TimingMat.Core.Hardware;
using TimingMat.Core.Lora;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Radio;
using TimingMat.Host.Crypto;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

/// <summary>
/// The gateway in the core: a mat's radio and the gateway's on one emulated air, a delivery that records what it is
/// handed and answers when the test says: what goes on, what is refused and counted, and what the unit hears back.
/// </summary>
public class LoRaGatewayTests
{
    private const int Unit = 12;
    private const int Journal = 77;
    private static readonly byte[] Key = Convert.FromHexString("0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000");
    private static readonly LoRaChipList Chips = LoRaChipList.Parse("E28011600000000000010000 = 1000\n");

    private readonly SimulatedClock _clock = new(1_000_000);
    private readonly LoRaAir _air = new();
    private readonly Sx127xRadio _mat;
    private readonly LoRaGateway _gateway;
    private readonly Sx127xRegisterEmulator _gatewayRadio;
    private readonly Delivery _delivery = new();

    public LoRaGatewayTests()
    {
        _mat = new Sx127xRadio(new Sx127xRegisterEmulator(_air, Unit, _clock), _clock);
        Assert.True(_mat.Begin(new LoRaSettings()));
        var keys = new LoRaKeyList([Unit, 13], [Key, [.. Key.Reverse()]]);
        _gatewayRadio = new Sx127xRegisterEmulator(_air, -1, _clock);
        _gateway = new LoRaGateway(_gatewayRadio, _clock, new LoRaOptions(), keys, Chips, DesktopHmacSha256.Instance) { Delivery = _delivery };
        _delivery.Gateway = _gateway;
        Assert.True(_gateway.Start());
    }

    [Fact]
    public void APacket_IsDeliveredWithItsEpcs_AndAnsweredWithTheCollectorsMark_SignedForTheUnit()
    {
        Send(Packet(first: 1, acked: 0, count: 3));
        var ack = AwaitAck();

        var delivered = Assert.Single(_delivery.Packets);
        Assert.Equal([1L, 2L, 3L], delivered.Select(p => p.Sequence));
        Assert.Equal(Convert.FromHexString("E28011600000000000010002"), delivered[1].Epc[..delivered[1].EpcLength]);
        Assert.Equal((Unit, Journal, 3L, 1L, 3), (ack.UnitId, ack.JournalId, ack.AckedSequence, ack.PacketFirstSequence, ack.PacketCount));
        Assert.Equal((1L, 1L, 3L, 1L), (_gateway.Heard, _gateway.Forwarded, _gateway.PassingsForwarded, _gateway.Acked));
        Assert.Equal((0L, 0L, 0L, 0L), (_gateway.BadTag, _gateway.Replays, _gateway.Malformed, _gateway.UnknownUnit));
        Assert.Equal(1, _gateway.PacketsOf(0));
        Assert.Equal(Sx127xRegisterEmulator.LinkRssiDbm, _gateway.RssiOf(0));
        Assert.Equal(Sx127xRegisterEmulator.LinkSnrQuarterDb, _gateway.SnrOf(0));
        Assert.True(_gateway.DutyCycle.AirtimeMicros > 0);
    }

    [Fact]
    public void AForgedPacket_IsCounted_NeverDelivered_NeverAnswered()
    {
        var forged = Packet(first: 1, acked: 0, count: 3, key: [.. Key.Select(b => (byte)(b ^ 0x55))]);

        Send(forged);
        Assert.Null(TryAwaitAck());

        Assert.Empty(_delivery.Packets);
        Assert.Equal((1L, 0L, 0L), (_gateway.BadTag, _gateway.Forwarded, _gateway.Acked));
        Assert.Equal(1, _gateway.RejectedOf(0));
        Assert.Contains("does not check", _gateway.LastRejection, StringComparison.Ordinal);
    }

    [Fact]
    public void AReplayedOldPacket_IsCounted_NeverDelivered_NeverAnswered_ButALostAcksResendIsAnsweredAgain()
    {
        var old = Packet(first: 1, acked: 0, count: 3);
        Send(old);
        AwaitAck();
        WaitOutDutyCycle();

        // The unit, answered, goes on: its next packet says it has acknowledged up to 3.
        Send(Packet(first: 4, acked: 3, count: 2));
        AwaitAck();
        WaitOutDutyCycle();

        // Its ack lost, the unit sends the same packet again: delivered (a duplicate for the collector) and answered.
        Send(Packet(first: 4, acked: 3, count: 2));
        Assert.NotNull(TryAwaitAck());
        WaitOutDutyCycle();

        // Someone plays the first packet back: every record is at or below what the unit itself has acknowledged.
        Send(old);
        Assert.Null(TryAwaitAck());

        Assert.Equal([1L, 4L, 4L], _delivery.Packets.Select(p => p[0].Sequence));
        Assert.Equal(1, _gateway.Replays);
        Assert.Contains("a replay", _gateway.LastRejection, StringComparison.Ordinal);
        Assert.Equal(3, _gateway.Acked);
    }

    [Theory]
    [InlineData("v1", "a version-1 passing packet (no tag)")]
    [InlineData("garbage", "not a passing packet")]
    [InlineData("cut", "is cut short or malformed")]
    public void AMalformedPacket_IsCountedWithTheReason(string kind, string reason)
    {
        var packet = Packet(first: 1, acked: 0, count: 3);
        switch (kind)
        {
            case "v1":
                packet[0] = 0x11;
                break;
            case "garbage":
                packet[0] = 0x13;
                break;
            case "cut":
                packet = packet[..^3];
                break;
        }

        Send(packet);
        Assert.Null(TryAwaitAck());

        Assert.Equal((1L, 0L), (_gateway.Malformed, _gateway.Forwarded));
        Assert.Contains(reason, _gateway.LastRejection, StringComparison.Ordinal);
        Assert.Equal(1, _gateway.RejectedOf(0));
    }

    [Fact]
    public void AUnitWithoutAKey_IsCounted_NeverDelivered()
    {
        Send(Packet(first: 1, acked: 0, count: 1, unit: 99));
        Assert.Null(TryAwaitAck());

        Assert.Equal((1L, 0L), (_gateway.UnknownUnit, _gateway.Forwarded));
        Assert.Equal("unit 99 is not in keys.cfg", _gateway.LastRejection);
    }

    [Fact]
    public void TheAnswer_WaitsForTheUnitToTurnItsRadioToReceive_EvenWhenTheCollectorStoresAtOnce()
    {
        // A unit polls its radio every 10 ms: it listens a poll or two after its packet ends. The gateway must not
        // answer into that gap, however fast its collector is (a desktop receiver stores in a millisecond).
        var packet = Packet(first: 1, acked: 0, count: 2);
        Assert.True(_mat.StartTransmit(packet, packet.Length));
        while (_mat.PollTransmit() == RadioResult.Pending)
        {
            _clock.Advance(1_000);
        }

        _gateway.Poll();
        Assert.Single(_delivery.Packets);
        Run(LoRaGateway.AnswerTurnaroundMicros - 10_000);
        Assert.Equal(0, _gatewayRadio.PacketsSent);

        Assert.True(_mat.StartReceive());
        var ack = AwaitAck();
        Assert.Equal(2, ack.AckedSequence);
        Assert.Equal(1, _gatewayRadio.PacketsSent);
    }

    [Fact]
    public void ACollectorTooSlowForTheUnitsListenWindow_DropsTheAnswer_AndCountsIt()
    {
        _delivery.AnswerAtOnce = false;
        Send(Packet(first: 1, acked: 0, count: 3));
        Run(1_200_000);
        _delivery.AnswerNow(3);
        Assert.Null(TryAwaitAck());

        Assert.Equal((1L, 0L, 1L), (_gateway.Forwarded, _gateway.Acked, _gateway.AcksLate));
    }

    [Fact]
    public void NoBroker_NothingIsAnswered_AndTheUnitSendsAgain()
    {
        _delivery.Accepts = false;
        Send(Packet(first: 1, acked: 0, count: 3));
        Assert.Null(TryAwaitAck());

        Assert.Equal((0L, 1L, 0L), (_gateway.Forwarded, _gateway.NotForwarded, _gateway.Acked));
    }

    private byte[] Packet(long first, long acked, int count, int unit = Unit, byte[]? key = null)
    {
        var writer = new LoRaPacketWriter { Chips = Chips };
        for (var i = 0; i < count; i++)
        {
            var p = new Passing { Kind = PassingKind.Crossing, Sequence = first + i, TimeUtcMicros = 1_800_000_000_000_000 + (i * 250_000), ClockState = TimingMat.Core.Clock.ClockState.Locked, UncertaintyMicros = 20, EpcLength = 12 };
            Convert.FromHexString("E28011600000000000010000").CopyTo(p.Epc, 0);
            p.Epc[11] = (byte)(first + i);
            if (i == 0)
            {
                writer.Begin(unit, Journal, p, acked, 255);
            }

            Assert.True(writer.TryAdd(p));
        }

        var length = writer.Finish(key ?? Key, DesktopHmacSha256.Instance);
        return writer.Buffer[..length];
    }

    private void Send(byte[] packet)
    {
        Assert.True(_mat.StartTransmit(packet, packet.Length));
        while (_mat.PollTransmit() == RadioResult.Pending)
        {
            Run(10_000);
        }

        Assert.True(_mat.StartReceive());
        _gateway.Poll();
    }

    private LoRaAck AwaitAck() => TryAwaitAck() ?? throw new Xunit.Sdk.XunitException("no ack within the unit's listen window");

    // Listens as a unit does after its packet: the ack wait plus an ack's airtime.
    private LoRaAck? TryAwaitAck()
    {
        var buffer = new byte[255];
        var until = _clock.Now + LoRaOptions.ListenMicrosFor(new LoRaOptions());
        while (_clock.Now < until)
        {
            Run(10_000);
            if (_mat.TryReceive(buffer, out var length) == RadioResult.Done)
            {
                var ack = new LoRaAck();
                Assert.True(ack.Read(buffer, length));
                Assert.True(ack.IsAuthentic(buffer, Key, DesktopHmacSha256.Instance));
                return ack;
            }
        }

        return null;
    }

    private void WaitOutDutyCycle() => Run(Math.Max(0, _gateway.DutyCycle.NextAllowedMicros - _clock.Now) + 10_000);

    private void Run(long micros)
    {
        var end = _clock.Now + micros;
        while (_clock.Now < end)
        {
            _clock.Advance(Math.Min(10_000, end - _clock.Now));
            _gateway.Poll();
        }
    }

    /// <summary>Records each packet's passings; answers at once with the contiguous mark of what it holds, unless told not to.</summary>
    private sealed class Delivery : ILoRaDelivery
    {
        private readonly SortedSet<long> _held = [];
        private int _ticket;

        public LoRaGateway? Gateway { get; set; }

        public bool AnswerAtOnce { get; set; } = true;

        public bool Accepts { get; set; } = true;

        public List<List<Passing>> Packets { get; } = [];

        public bool Deliver(LoRaPacketReader packet, int ticket)
        {
            if (!Accepts)
            {
                return false;
            }

            var passings = new List<Passing>();
            var p = new Passing();
            while (packet.Next(p))
            {
                passings.Add(p);
                _held.Add(p.Sequence);
                p = new Passing();
            }

            Packets.Add(passings);
            _ticket = ticket;
            if (AnswerAtOnce)
            {
                AnswerNow(Contiguous());
            }

            return true;
        }

        public void AnswerNow(long acked) => Gateway!.Answer(_ticket, acked);

        private long Contiguous()
        {
            var mark = 0L;
            while (_held.Contains(mark + 1))
            {
                mark++;
            }

            return mark;
        }
    }
}
