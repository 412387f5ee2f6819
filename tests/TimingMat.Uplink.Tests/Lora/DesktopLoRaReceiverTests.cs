using System.Diagnostics;
using TimingMat.Collector;
using TimingMat.Collector.Lora;
using TimingMat.Core.Clock;
using TimingMat.Core.Hardware;
using TimingMat.Core.Lora;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Radio;
using TimingMat.Host.Clock;
using TimingMat.Host.Crypto;
using TimingMat.Mqtt;
using TimingMat.Mqtt.Broker;
using Xunit;

namespace TimingMat.Uplink.Tests.Lora;

/// <summary>
/// <see cref="DesktopLoRaReceiver"/>, what <c>timingmat collect --lora spidev0.0</c> runs, in real time: the receiver's
/// own thread polling the firmware's gateway on a register-level SX127x, inside a running <see cref="CollectorService"/>
/// whose broker is down (LoRa must not need the tent's broker). Only the spidev adapter itself is not exercised here.
/// </summary>
public sealed class DesktopLoRaReceiverTests : IDisposable
{
    private const int Unit = 21;
    private const int Journal = 4;
    private static readonly byte[] Key = Convert.FromHexString("1f2e3d4c5b6a79880716253443526170a1b2c3d4e5f60718293a4b5c6d7e8f90");
    private static readonly byte[] Chip = [0xE2, 0x80, 0x11, 0x60, 0, 0, 0, 0, 0, 0x02, 0x00, 0x07];

    private readonly string _root = Directory.CreateTempSubdirectory("tm-lora-rx-").FullName;
    private readonly StopwatchClock _clock = new();
    private readonly LoRaAir _air = new();
    private readonly CollectorService _service;
    private readonly LoRaChipList _chips = LoRaChipList.Parse(ChipListFile.Write([Chip]));

    public DesktopLoRaReceiverTests()
    {
        // Nobody listens on this port: the collector keeps trying its broker while LoRa runs.
        var broker = new MqttBrokerAddress("127.0.0.1", MosquittoProcess.FreeLoopbackPort(), UseTls: false);
        _service = new CollectorService(broker, Path.Combine(_root, "race.db"), new CollectorOptions { ReconnectMaxMicros = 500_000 });
        _service.Start();
    }

    [Fact]
    public void APacket_IsStoredAndAnswered_ByTheReceiversOwnThread_WithTheTentBrokerDown()
    {
        using var receiver = new DesktopLoRaReceiver(_service, new Sx127xRegisterEmulator(_air, -1, _clock), new LoRaOptions(), new LoRaKeyList([Unit], [Key]), _chips, _clock);
        Assert.True(receiver.Start(), receiver.Gateway.Radio.Fault);
        var mat = MatRadio();

        var ack = SendAndAwaitAnswer(receiver, mat, first: 1, 2);

        Assert.Equal((Unit, Journal, 2L, 1L, 2), (ack.UnitId, ack.JournalId, ack.AckedSequence, ack.PacketFirstSequence, ack.PacketCount));
        var stored = _service.Read((_, store) => store.ReadPassings(Unit));
        Assert.Equal([1L, 2L], stored.Select(p => p.Passing.Sequence));
        Assert.All(stored, p => Assert.Equal(PassingStore.SourceLora, p.Source));
        Assert.Equal(Chip, stored[0].Passing.Epc[..stored[0].Passing.EpcLength]);
        Assert.False(_service.Read((c, _) => c.IsOnline));

        // The ears hear the answer as it leaves; the gateway counts it acked at its next poll after the transmission ends.
        Until(() => _service.Read((_, _) => receiver.Gateway.Acked == 1), 5, "the gateway counted its answer");
        Assert.Equal((1L, 1L, 2L), _service.Read((_, _) => (receiver.Gateway.Forwarded, receiver.Gateway.Acked, receiver.Gateway.PassingsForwarded)));
        Assert.Null(receiver.SpiError);
    }

    [Fact]
    public void ARadioThatDoesNotAnswerAtStart_IsTriedAgain_AndThenReceives()
    {
        var radio = new Sx127xRegisterEmulator(_air, -1, _clock) { Unplugged = true };
        var options = new LoRaOptions { RadioRetryMicros = 100_000 };
        using var receiver = new DesktopLoRaReceiver(_service, radio, options, new LoRaKeyList([Unit], [Key]), _chips, _clock);

        Assert.False(receiver.Start());
        Assert.Contains("RegVersion", receiver.Gateway.Radio.Fault, StringComparison.Ordinal);

        _service.Read((_, _) => radio.Unplugged = false);
        Until(() => _service.Read((_, _) => receiver.Gateway.Radio.IsReady), 5, "the radio tried again");
        var ack = SendAndAwaitAnswer(receiver, MatRadio(), first: 1, 1);
        Assert.Equal(1, ack.AckedSequence);
    }

    [Fact]
    public void AnSpiDeviceThatFails_IsReported_TheThreadKeepsRunning_AndReceivesOnceItIsBack()
    {
        var spi = new FailingSpi(new Sx127xRegisterEmulator(_air, -1, _clock));
        using var receiver = new DesktopLoRaReceiver(_service, spi, new LoRaOptions(), new LoRaKeyList([Unit], [Key]), _chips, _clock);
        Assert.True(receiver.Start());

        spi.Failing = true;
        Until(() => receiver.SpiError != null, 5, "the receiver reported the SPI error");
        Assert.Contains("spidev gone", receiver.SpiError, StringComparison.Ordinal);
        spi.Failing = false;

        var ack = SendAndAwaitAnswer(receiver, MatRadio(), first: 1, 3);
        Assert.Equal(3, ack.AckedSequence);
        Assert.Equal(3, _service.Read((_, store) => store.CountPassings(Unit)));
        Assert.Null(receiver.SpiError);
    }

    public void Dispose()
    {
        _service.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private static void Until(Func<bool> done, double seconds, string what) => Until(done, seconds, () => what);

    private static void Until(Func<bool> done, double seconds, Func<string> what)
    {
        var watch = Stopwatch.StartNew();
        while (!done())
        {
            Assert.True(watch.Elapsed.TotalSeconds < seconds, $"not within {seconds} s: {what()}");
            Thread.Sleep(2);
        }
    }

    private Sx127xRadio MatRadio()
    {
        // The air is shared with the receiver's thread: every touch of it takes the collector's turn, as the receiver does.
        var mat = new Sx127xRadio(new Sx127xRegisterEmulator(_air, Unit, _clock), _clock);
        Assert.True(_service.Read((_, _) => mat.Begin(new LoRaSettings())));
        return mat;
    }

    private LoRaAck SendAndAwaitAnswer(DesktopLoRaReceiver receiver, Sx127xRadio mat, long first, int count)
    {
        var writer = new LoRaPacketWriter { Chips = _chips };
        var passing = new Passing { Kind = PassingKind.Crossing, UnitId = Unit, ClockState = ClockState.Locked, UncertaintyMicros = 300, Hits = 9 };
        Chip.CopyTo(passing.Epc, 0);
        passing.EpcLength = Chip.Length;
        for (var i = 0; i < count; i++)
        {
            passing.Sequence = first + i;
            passing.TimeUtcMicros = 1_800_000_000_000_000 + (i * 1_500_000);
            passing.FirstReadUtcMicros = passing.TimeUtcMicros - 100_000;
            passing.LastReadUtcMicros = passing.TimeUtcMicros + 100_000;
            if (i == 0)
            {
                writer.Begin(Unit, Journal, passing, first - 1, 255);
            }

            Assert.True(writer.TryAdd(passing));
        }

        var length = writer.Finish(Key, DesktopHmacSha256.Instance);

        // The mat's ears: a second radio of the mat's, listening before the packet goes. The mat's own radio would turn
        // to receive after its packet, and this thread can be later than the receiver's 50 ms turnaround on a loaded
        // machine; the turnaround itself is LoRaGatewayTests' (core) to test, on simulated time.
        var ears = new Sx127xRadio(new Sx127xRegisterEmulator(_air, Unit + 1000, _clock), _clock);
        Assert.True(_service.Read((_, _) => ears.Begin(new LoRaSettings()) && ears.StartReceive()));
        Assert.True(_service.Read((_, _) => mat.StartTransmit(writer.Buffer, length)));

        var buffer = new byte[255];
        var received = 0;
        Until(() => _service.Read((_, _) => ears.TryReceive(buffer, out received) == RadioResult.Done && received == LoRaAck.Bytes), 5, () => "the receiver answered (" + Counts(receiver) + ")");
        var ack = new LoRaAck();
        Assert.True(ack.Read(buffer, received), "the answer must be a well-formed ack");
        Assert.True(ack.IsAuthentic(buffer, Key, DesktopHmacSha256.Instance), "the answer must be signed with the unit's key");
        return ack;
    }

    private string Counts(DesktopLoRaReceiver receiver) => _service.Read((_, _) =>
    {
        var g = receiver.Gateway;
        return $"air {_air.Transmissions} sent, {_air.Collisions} collided, {_air.Losses} lost; ready {g.Radio.IsReady}, duty next {g.DutyCycle.NextAllowedMicros} now {_clock.GetMicroseconds()}; heard {g.Heard}, damaged {g.Damaged}, forwarded {g.Forwarded}, acked {g.Acked}, late {g.AcksLate}, refused: {g.LastRejection}, spi: {receiver.SpiError}";
    });

    /// <summary>An SPI device that throws as spidev does when its file goes away.</summary>
    private sealed class FailingSpi(ISpiDevice inner) : ISpiDevice
    {
        private volatile bool _failing;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        public void TransferFullDuplex(byte[] write, byte[] read)
        {
            if (_failing)
            {
                throw new IOException("spidev gone");
            }

            inner.TransferFullDuplex(write, read);
        }

        public void Write(byte[] buffer) => TransferFullDuplex(buffer, new byte[buffer.Length]);
    }
}
