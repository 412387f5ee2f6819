using System.Diagnostics;
using System.Text.Json;
using TimingMat.Collector;
using TimingMat.Collector.Lora;
using TimingMat.Core.Clock;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Lora;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Radio;
using TimingMat.Emulators.Storage;
using TimingMat.Host.Clock;
using TimingMat.Host.Crypto;
using TimingMat.Mqtt;
using TimingMat.Mqtt.Broker;
using TimingMat.Uplink.Tests.Support;
using Xunit;

namespace TimingMat.Uplink.Tests.Lora;

/// <summary>
/// The gateway role end to end, in real time: a mat (journal, MQTT uplink, LoRa fallback) whose network is cut, the
/// gateway application (<see cref="LoRaGatewayUnit"/>, the code a gateway board runs) on the same emulated air, both on
/// a real Mosquitto with the real collector and SQLite, and someone on the channel forging and replaying.
/// </summary>
public sealed class LoRaGatewayBrokerTests : IDisposable
{
    private const int MatUnit = 5;
    private const int GatewayUnit = 900;
    private const int OverMqtt = 40;
    private const int OverLora = 160;
    private static readonly byte[] MatKey = Convert.FromHexString("8f3a5c0e1b9d4f6a2c7e0b5d8a1f3c6e9b2d4f7a0c3e5b8d1f4a6c9e2b5d7f0a");
    private static readonly byte[] OtherKey = Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000001");

    private readonly string _root = Directory.CreateTempSubdirectory("tm-lora-").FullName;
    private readonly List<IDisposable> _cleanup = [];
    private readonly StopwatchClock _clock = new();
    private readonly LoRaAir _air = new();

    [Fact]
    public void AMatCutOff_DeliversOverTheGatewayToTheCollector_ForgeriesAndReplaysChangeNothing_AndLaterMqttRecordsDuplicateNothing()
    {
        var broker = Own(new MosquittoProcess());
        broker.Start();
        var collectorPath = Own(new TcpCutProxy(broker.Port));
        var matPath = Own(new TcpCutProxy(broker.Port));
        var collector = Own(new CollectorService(collectorPath.Address, Path.Combine(_root, "collector.db"), new CollectorOptions { KeepAliveSeconds = 3, ReconnectMaxMicros = 500_000 }));
        Assert.True(collector.Connect(), collector.Link.LastError);
        collector.Start();

        // The race's chips and the units' keys, as the files on the boards say them.
        var chipsText = ChipListFile.Write(Enumerable.Range(1, 500).Select(Chip));
        var gateway = StartGateway(broker.Address, chipsText);
        var mat = new Mat(matPath.Address, _clock, _air, LoRaChipList.Parse(chipsText));
        var attacker = new Sx127xRadio(new Sx127xRegisterEmulator(_air, 666, _clock), _clock);
        Assert.True(attacker.Begin(new LoRaSettings()));
        Assert.True(attacker.StartReceive());
        var heard = new List<byte[]>();

        void Poll()
        {
            mat.Poll();
            gateway.Poll();
            var buffer = new byte[255];
            while (attacker.TryReceive(buffer, out var length) == Core.Lora.RadioResult.Done)
            {
                heard.Add(buffer[..length]);
            }

            Thread.Sleep(1);
        }

        void Until(Func<bool> done, double seconds, string what)
        {
            var watch = Stopwatch.StartNew();
            while (!done())
            {
                Assert.True(watch.Elapsed.TotalSeconds < seconds, $"not within {seconds} s: {what}");
                Poll();
            }
        }

        // Online: the first passings go over MQTT.
        mat.Append(1, OverMqtt);
        Until(() => mat.Uplink.Journal.AckedSequence == OverMqtt, 20, "the MQTT passings acknowledged");

        // The mat's network is cut; more passings come, and LoRa takes over after its fallback second.
        matPath.Sever();
        mat.Append(OverMqtt + 1, OverMqtt + OverLora);
        Until(() => mat.Lora.AcksReceived >= 1, 20, "the first LoRa packet answered through the gateway and the collector");
        var firstPacket = heard.First(p => p[0] == LoRaPassingPacket.FirstByte);
        var firstAck = heard.First(p => p.Length == LoRaAck.Bytes);
        Assert.True(mat.Uplink.Journal.AckedSequence > OverMqtt, "the gateway's answer moved the mat's acked mark");

        // With the collector unreachable, nothing answers the mat's next packet but someone on the channel: a forged
        // ack claiming everything, then the first genuine ack played back. Neither may move the mat's mark.
        collectorPath.Sever();
        var ackedBefore = mat.Uplink.Journal.AckedSequence;
        var sent = mat.Lora.PacketsSent;
        Until(() => mat.Lora.PacketsSent > sent && !mat.Lora.Radio.IsTransmitting && mat.Lora.DutyCycle.Packets > sent, 20, "the mat's next packet on the air");
        Transmit(attacker, ForgedAck(mat.Uplink.Journal.JournalId), Poll);
        Transmit(attacker, firstAck, Poll);
        Until(() => mat.Lora.AckTimeouts >= 1, 5, "the mat's listen window over");
        Assert.Equal(2, mat.Lora.AcksRejected);
        Assert.Equal(ackedBefore, mat.Uplink.Journal.AckedSequence);

        // At the gateway: the first packet played back, and a packet for the mat signed with another key.
        Transmit(attacker, firstPacket, Poll);
        Transmit(attacker, Forged(firstPacket), Poll);
        Until(() => gateway.Gateway.Replays == 1 && gateway.Gateway.BadTag == 1, 5, "the gateway refusing both");

        // The collector is back: everything the mat has arrives over LoRa.
        collectorPath.Restore();
        Until(() => mat.Uplink.Journal.AckedSequence == OverMqtt + OverLora, 90, "every LoRa passing acknowledged");
        var lora = collector.Read((c, store) => store.ReadPassings(MatUnit));
        Assert.Equal(OverMqtt + OverLora, lora.Count);
        Assert.Equal(Enumerable.Range(1, OverMqtt + OverLora).Select(i => (long)i), lora.Select(p => p.Passing.Sequence));
        Assert.All(lora.Skip(OverMqtt), p => Assert.Equal(0, p.Passing.Hits));  // LoRa carries no read details
        Assert.All(lora, p => Assert.Equal(Chip((int)p.Passing.Sequence), p.Passing.Epc[..p.Passing.EpcLength]));
        Assert.Equal(0, collector.Read((_, store) => store.CountConflicts()));

        // The mat's network returns and it replays the LoRa stretch over MQTT (as a collector's replay request would
        // have it): the full records replace the LoRa ones, one row each.
        matPath.Restore();
        Until(() => mat.Uplink.IsOnline, 30, "the mat back on MQTT");
        mat.Uplink.Outbox.Replay(OverMqtt + 1, OverMqtt + OverLora);
        Until(() => collector.Read((c, _) => c.Upgrades) == OverLora, 30, "the full records upgrading the LoRa ones");
        var full = collector.Read((c, store) => store.ReadPassings(MatUnit));
        Assert.Equal(OverMqtt + OverLora, full.Count);
        Assert.All(full, p => Assert.Equal(20 + (int)(p.Passing.Sequence % 7), p.Passing.Hits));
        Assert.Equal(0, collector.Read((_, store) => store.CountConflicts()));

        // The gateway's status, as the collector keeps it: heard, refused by reason, answered, the mat's RSSI and SNR.
        Until(() => collector.Read((_, store) => store.ReadStatus(GatewayUnit)) is { } s && s.Contains("\"replay\":1", StringComparison.Ordinal), 30, "the gateway's status at the collector");
        using var status = JsonDocument.Parse(collector.Read((_, store) => store.ReadStatus(GatewayUnit))!);
        var root = status.RootElement.GetProperty("lora");
        Assert.Equal("gateway", status.RootElement.GetProperty("role").GetString());
        Assert.Equal(1, root.GetProperty("rejected").GetProperty("bad_tag").GetInt64());
        Assert.Equal(1, root.GetProperty("rejected").GetProperty("replay").GetInt64());
        Assert.True(root.GetProperty("acked").GetInt64() >= 1);
        Assert.True(root.GetProperty("airtime_s").GetDouble() > 0);
        var unit = root.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("unit").GetInt32() == MatUnit);
        Assert.Equal(Sx127xRegisterEmulator.LinkRssiDbm, unit.GetProperty("rssi_dbm").GetInt32());
        Assert.Equal(7.0, unit.GetProperty("snr_db").GetDouble());
        Assert.True(unit.GetProperty("passings").GetInt64() >= OverLora, "every LoRa passing went through the gateway, re-sends counted too");
    }

    public void Dispose()
    {
        foreach (var item in Enumerable.Reverse(_cleanup))
        {
            item.Dispose();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private static byte[] Chip(int bib) => [0xE2, 0x80, 0x11, 0x60, 0x60, 0, 0x02, 0x05, 0, 0, (byte)(bib >> 8), (byte)bib];

    private static byte[] ForgedAck(int journal)
    {
        var ack = new LoRaAck { UnitId = MatUnit, JournalId = journal, AckedSequence = 1_000_000, PacketFirstSequence = 1, PacketCount = 1 };
        var bytes = new byte[LoRaAck.Bytes];
        ack.Write(bytes, OtherKey, DesktopHmacSha256.Instance);
        return bytes;
    }

    // The same packet with its tag remade under another key: structure fine, tag wrong.
    private static byte[] Forged(byte[] packet)
    {
        var forged = (byte[])packet.Clone();
        var tag = System.Security.Cryptography.HMACSHA256.HashData(OtherKey, forged.AsSpan(0, forged.Length - LoRaPassingPacket.TagBytes));
        tag.AsSpan(0, LoRaPassingPacket.TagBytes).CopyTo(forged.AsSpan(forged.Length - LoRaPassingPacket.TagBytes));
        return forged;
    }

    private static void Transmit(Sx127xRadio radio, byte[] packet, Action poll)
    {
        Assert.True(radio.StartTransmit(packet, packet.Length));
        while (radio.PollTransmit() == Core.Lora.RadioResult.Pending)
        {
            poll();
        }

        Assert.True(radio.StartReceive());
    }

    private LoRaGatewayUnit StartGateway(MqttBrokerAddress broker, string chipsText)
    {
        var config = UnitConfig.Parse($"unit.id = {GatewayUnit}\nlora.role = gateway\nmqtt.url = mqtt://{broker.Host}:{broker.Port}\nstatus.interval_s = 1\n");
        config.LoraKeys = LoRaKeyList.Parse($"{MatUnit} = {Convert.ToHexString(MatKey)}\n");
        config.LoraChips = LoRaChipList.Parse(chipsText);
        var app = UnitApplication.Create(config, config.ToSettings(), new UnitHardware
        {
            Clock = _clock,
            Mqtt = Own(new MqttLink(broker)),
            LoraRadio = new Sx127xRegisterEmulator(_air, -1, _clock),
            Hmac = DesktopHmacSha256.Instance,
            Rebooter = new NoReboot(),
            FirmwareVersion = "test",
        });
        var gateway = Assert.IsType<LoRaGatewayUnit>(app);
        Assert.True(gateway.Start());
        return gateway;
    }

    private T Own<T>(T item)
        where T : IDisposable
    {
        _cleanup.Add(item);
        return item;
    }

    private sealed class NoReboot : IRebooter
    {
        public void Reboot() => throw new InvalidOperationException("the gateway asked to reboot");
    }

    /// <summary>A mat unit's uplink as the unit application composes it: journal, MQTT uplink, LoRa fallback after 1 s.</summary>
    private sealed class Mat
    {
        private readonly MqttLink _link;

        public Mat(MqttBrokerAddress broker, IMicrosecondClock clock, LoRaAir air, LoRaChipList chips)
        {
            var uplink = new UplinkOptions(MatUnit) { ClientId = "lora-test-mat", KeepAliveSeconds = 2, ReconnectMinMicros = 200_000, ReconnectMaxMicros = 500_000 };
            _link = new MqttLink(broker);
            Uplink = new UnitUplink(new PassingRing(256), new PassingJournal(new MemoryFileStore(capacityBytes: 4 * 1024 * 1024), new JournalOptions(MatUnit) { NewJournalId = 4242 }), _link, clock, uplink);
            Assert.True(Uplink.Start());
            var options = new LoRaOptions { FallbackAfterMicros = 1_000_000 };
            Lora = new LoRaUplink(Uplink.Journal, new Sx127xRegisterEmulator(air, MatUnit, clock), clock, options, DesktopHmacSha256.Instance, MatKey, chips);
            Assert.True(Lora.Start(), Lora.Fault);
        }

        public UnitUplink Uplink { get; }

        public LoRaUplink Lora { get; }

        public void Append(int from, int to)
        {
            for (var i = from; i <= to; i++)
            {
                var p = new Passing
                {
                    Kind = PassingKind.Crossing,
                    TimeUtcMicros = 1_791_100_800_000_000 + (i * 731_000L),
                    ClockState = ClockState.Locked,
                    UncertaintyMicros = 40,
                    Hits = 20 + (i % 7),
                    MaxRssiCentiDbm = -5000,
                    BestAntenna = 1,
                    EpcLength = 12,
                };
                p.FirstReadUtcMicros = p.TimeUtcMicros - 100_000;
                p.LastReadUtcMicros = p.TimeUtcMicros + 100_000;
                Chip(i).CopyTo(p.Epc, 0);
                Assert.True(Uplink.Ring.TryAccept(p));
                Uplink.PollJournal();
            }

            Assert.True(Uplink.Persist());
        }

        public void Poll()
        {
            Uplink.Poll();
            Lora.Poll(Uplink.IsOnline);
        }
    }
}
