using Microsoft.Data.Sqlite;
using TimingMat.Collector;
using TimingMat.Collector.Lora;
using TimingMat.Core.Clock;
using TimingMat.Core.Journal;
using TimingMat.Core.Lora;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Radio;
using TimingMat.Host.Crypto;
using TimingMat.Uplink.Tests.Support;
using Xunit;

namespace TimingMat.Uplink.Tests.Lora;

/// <summary>
/// The desktop receiver (<c>timingmat collect --lora</c>): a mat's radio and the firmware's gateway on one emulated air,
/// delivering straight into the real collector and SQLite.
/// </summary>
public sealed class LoRaGatewayTests : IDisposable
{
    private const int Unit = 12;
    private const int Journal = 77;
    private static readonly byte[] ChipA = [0xE2, 0x80, 0x11, 0x60, 0, 0, 0, 0, 0, 0x01, 0x00, 0x2A];
    private static readonly byte[] ChipB = [0xE2, 0x80, 0x11, 0x60, 0, 0, 0, 0, 0, 0x01, 0x00, 0x2B];

    // The unit's command key, which the gateway signs its answers with.
    private static readonly byte[] Key = Convert.FromHexString("0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000");

    private readonly SimulatedUplinkRig _rig = new();
    private readonly LoRaAir _air = new();
    private readonly Sx127xRadio _mat;
    private readonly LoRaGateway _gateway;

    public LoRaGatewayTests()
    {
        _mat = new Sx127xRadio(new Sx127xRegisterEmulator(_air, Unit, _rig.Clock), _rig.Clock);
        Assert.True(_mat.Begin(new LoRaSettings()));
        var chips = LoRaChipList.Parse(ChipListFile.Write([ChipA, ChipB]));
        _gateway = CollectorLoRaDelivery.GatewayFor(new Sx127xRegisterEmulator(_air, -1, _rig.Clock), _rig.Clock, _rig.Collector, new LoRaOptions(), new LoRaKeyList([Unit], [Key]), chips, DesktopHmacSha256.Instance);
        Assert.True(_gateway.Start());
    }

    public void Dispose() => _rig.Dispose();

    [Fact]
    public void Packet_IsStoredWithTheFullEpc_AndAnsweredWithTheContiguousMark()
    {
        var stored = new List<CollectedPassing>();
        _rig.Collector.PassingStored += (_, e) => stored.Add(e.Passing);

        Send(first: 1, Crossing(ChipA, 1_000_000_123_456), Crossing(ChipB, 1_000_000_133_456));
        var ack = AwaitAnswer();

        Assert.Equal(1, _gateway.Forwarded);
        Assert.Equal(2, stored.Count);
        Assert.All(stored, s => Assert.Equal(PassingStore.SourceLora, s.Source));
        Assert.Equal(ChipA, stored[0].Passing.Epc[..stored[0].Passing.EpcLength]);
        Assert.Equal(ChipB, stored[1].Passing.Epc[..stored[1].Passing.EpcLength]);

        // Two chips 10 ms apart keep their own ms times (the 0.1 s two-chip rule stays auditable over LoRa).
        Assert.Equal(1_000_000_123_000, stored[0].Passing.TimeUtcMicros);
        Assert.Equal(1_000_000_133_000, stored[1].Passing.TimeUtcMicros);
        Assert.Equal((Unit, Journal, 2L, 1L, 2), (ack.UnitId, ack.JournalId, ack.AckedSequence, ack.PacketFirstSequence, ack.PacketCount));
        Assert.Equal("lora", SourceOf(1));
    }

    [Fact]
    public void SamePacketTwice_IsOneStoredPassing_AndTheSameAnswer()
    {
        Send(first: 1, Crossing(ChipA, 2_000_000_000_000));
        AwaitAnswer();
        WaitOutDutyCycle();
        Send(first: 1, Crossing(ChipA, 2_000_000_000_000));
        var again = AwaitAnswer();

        Assert.Equal(1, _rig.Store.CountPassings(Unit));
        Assert.Equal(1, _rig.Collector.Duplicates);
        Assert.Equal(1, again.AckedSequence);
    }

    [Fact]
    public void ChipNotInTheRace_TravelsWithItsWholeEpc()
    {
        byte[] stranger = [0xE2, 0x80, 0x11, 0x60, 0, 0, 0, 0, 0, 0x09, 0x99, 0x99];

        Send(first: 1, Crossing(stranger, 3_000_000_000_000));
        AwaitAnswer();

        Assert.Equal(0, _gateway.UnresolvedChips);
        Assert.Equal(stranger, _rig.Store.ReadPassings(Unit)[0].Passing.Epc[..12]);
        Assert.Equal(12, _rig.Store.ReadPassings(Unit)[0].Passing.EpcLength);
    }

    [Fact]
    public void Garbage_IsRejectedWithAReason_NothingStored_NoAnswer()
    {
        byte[] noise = [0x13, 0x37, 0x00, 0x42];
        Assert.True(_mat.StartTransmit(noise, noise.Length));
        Run(200_000);
        _gateway.Poll();

        Assert.Equal(1, _gateway.Malformed);
        Assert.Contains("shorter than the smallest passing packet", _gateway.LastRejection, StringComparison.Ordinal);
        Assert.Equal(0, _rig.Store.CountPassings());
        Run(1_000_000);
        _gateway.Poll();
        Assert.Equal(0, _gateway.Acked);
    }

    [Fact]
    public void FullRecordOverMqttLater_ReplacesTheLoRaOne_AndTheReverseIsADuplicate()
    {
        var full = Crossing(ChipA, 4_000_000_000_500);
        full.Sequence = 1;
        full.Hits = 37;
        full.MaxRssiCentiDbm = -4_410;
        var body = new byte[PassingBody.MaxBytes];
        var fullLength = PassingBody.Write(full, body, 0);

        Send(first: 1, Crossing(ChipA, 4_000_000_000_500));
        AwaitAnswer();
        Assert.Equal(StoreResult.Upgraded, _rig.Store.Store(full, Journal, body, 0, fullLength, 0, PassingStore.SourceMqtt));
        Assert.Equal(StoreResult.Duplicate, _rig.Store.Store(full, Journal, body, 0, fullLength, 0, PassingStore.SourceMqtt));

        var upgraded = _rig.Store.ReadPassings(Unit)[0].Passing;
        Assert.Equal(37, upgraded.Hits);
        Assert.Equal(4_000_000_000_500, upgraded.TimeUtcMicros);
        Assert.Equal("mqtt", SourceOf(1));

        // LoRa carries less: once the full record is there, a late LoRa copy changes nothing.
        WaitOutDutyCycle();
        Send(first: 1, Crossing(ChipA, 4_000_000_000_500));
        AwaitAnswer();
        Assert.Equal(37, _rig.Store.ReadPassings(Unit)[0].Passing.Hits);
        Assert.Equal(0, _rig.Store.CountConflicts());
    }

    [Fact]
    public void AUnitWhoseKeyTheGatewayLacks_IsNeitherStoredNorAnswered()
    {
        // Without the unit's key its packets cannot be told from forgeries: refused and counted. The unit keeps its
        // passings and sends them over MQTT later.
        SendAs(13, first: 1, Crossing(ChipA, 1_000_000_123_456));
        var buffer = new byte[255];
        for (var t = 0; t < 100; t++)
        {
            Run(10_000);
            _gateway.Poll();
            Assert.Equal(RadioResult.Pending, _mat.TryReceive(buffer, out _));
        }

        Assert.Equal((1L, 0L, 0L), (_gateway.UnknownUnit, _gateway.Forwarded, _gateway.Acked));
        Assert.Equal(0, _rig.Store.CountPassings(13));
    }

    private static Passing Crossing(byte[] epc, long utcMicros)
    {
        var p = new Passing { Kind = PassingKind.Crossing, UnitId = Unit, TimeUtcMicros = utcMicros, ClockState = ClockState.Locked, UncertaintyMicros = 300 };
        epc.CopyTo(p.Epc, 0);
        p.EpcLength = epc.Length;
        p.FirstReadUtcMicros = utcMicros - 200_000;
        p.LastReadUtcMicros = utcMicros + 300_000;
        p.Hits = 12;
        return p;
    }

    private void Send(long first, params Passing[] passings) => SendAs(Unit, first, passings);

    private void SendAs(int unit, long first, params Passing[] passings)
    {
        var writer = new LoRaPacketWriter { Chips = LoRaChipList.Parse(ChipListFile.Write([ChipA, ChipB])) };
        for (var i = 0; i < passings.Length; i++)
        {
            passings[i].Sequence = first + i;
            if (i == 0)
            {
                writer.Begin(unit, Journal, passings[0], first - 1, 255);
            }

            Assert.True(writer.TryAdd(passings[i]));
        }

        var length = writer.Finish(Key, DesktopHmacSha256.Instance);
        var packet = writer.Buffer;
        Assert.True(_mat.StartTransmit(packet, length));
        Run(LoRaAirtime.Micros(length, new LoRaSettings()) + 1);
        Assert.Equal(RadioResult.Done, _mat.PollTransmit());
        Assert.True(_mat.StartReceive());
        _gateway.Poll();
    }

    private LoRaAck AwaitAnswer()
    {
        var buffer = new byte[255];
        var ack = new LoRaAck();
        for (var t = 0; t < 100; t++)
        {
            Run(10_000);
            _gateway.Poll();
            if (_mat.TryReceive(buffer, out var length) == RadioResult.Done)
            {
                Assert.True(ack.Read(buffer, length), "the answer must be a well-formed ack");
                Assert.True(ack.IsAuthentic(buffer, Key, DesktopHmacSha256.Instance), "the answer must be signed with the unit's key");
                return ack;
            }
        }

        throw new Xunit.Sdk.XunitException("no answer within 1 s");
    }

    private void WaitOutDutyCycle() => Run(2_000_000);

    private void Run(long micros) => _rig.Clock.Advance(micros);

    private string SourceOf(long sequence)
    {
        using var connection = new SqliteConnection($"Data Source={_rig.DatabasePath};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT source FROM passings WHERE unit = {Unit} AND seq = {sequence}";
        return (string)command.ExecuteScalar()!;
    }
}
