using TimingMat.Core.Journal;
using TimingMat.Core.Lora;
using TimingMat.Core.Passings;
using TimingMat.Core.Tests.Journal;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Radio;
using TimingMat.Emulators.Storage;
using TimingMat.Host.Crypto;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

/// <summary>
/// The LoRa fallback end to end: a journal on an emulated flash, the uplink's radio and a hand-written receiver at the
/// timing tent on one emulated air, all on one simulated clock stepped 10 ms at a time.
/// </summary>
public class LoRaUplinkTests
{
    // The rig's clock starts here; the first poll (and so the start of "offline") is at this time.
    private const long T0 = 1_000_000;

    // Time on air of a full packet (29 records, 254 bytes) at SF7/BW125/CR 4/5: (12.25 + 378) · 1.024 ms.
    private const long FullPacketAirtime = 399_616;

    // The unit's command key: the tent signs its acks with it.
    private static readonly byte[] Key = Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");

    [Fact]
    public void NothingIsSent_UntilTheUnitHasBeenOfflineForFallbackAfter()
    {
        var rig = new Rig(60);

        rig.RunUntil(T0 + 30_000_000);

        Assert.Empty(rig.Sent);
        Assert.False(rig.Uplink.IsActive);
        Assert.Equal(0, rig.Uplink.PacketsSent);

        rig.Step();  // the poll at exactly 30 s offline

        Assert.True(rig.Uplink.IsActive);
        var first = Assert.Single(rig.Sent);
        Assert.Equal(T0 + 30_000_000, first.Start);
        Assert.Equal(254, first.Bytes.Length);
        Assert.Equal(1, rig.Uplink.PacketsSent);
        Assert.Equal(29, rig.Uplink.PassingsSent);
    }

    [Fact]
    public void WhileOnline_NothingIsEverSent()
    {
        var rig = new Rig(60);

        rig.RunUntil(T0 + 120_000_000, online: true);

        Assert.Empty(rig.Sent);
        Assert.False(rig.Uplink.IsActive);
        Assert.Equal(0, rig.Uplink.DutyCycle.Packets);
        Assert.Equal(0, rig.Tent.Chip.PacketsReceived);

        // Offline from now on: the 30 s count from here, not from the start.
        rig.RunUntil(T0 + 150_000_000);
        Assert.Empty(rig.Sent);
        rig.Step();
        Assert.Equal(T0 + 150_000_000, Assert.Single(rig.Sent).Start);
    }

    [Fact]
    public void ABriefReconnect_RestartsTheFallbackCount()
    {
        var rig = new Rig(60);

        rig.RunUntil(T0 + 25_000_000);
        rig.Step(online: true);  // MQTT back for one poll at 25 s
        rig.RunUntil(T0 + 55_010_000);

        Assert.Empty(rig.Sent);
        rig.Step();
        Assert.Equal(T0 + 55_010_000, Assert.Single(rig.Sent).Start);
    }

    [Fact]
    public void Packets_CarryConsecutiveSequencesFromTheAckedMark_AndTheAcksMoveTheJournal()
    {
        var rig = new Rig(60);
        Assert.True(rig.Journal.Acknowledge(10));

        rig.RunUntil(T0 + 60_000_000);

        Assert.Equal(2, rig.Tent.Packets.Count);
        var (first, second) = (rig.Tent.Packets[0], rig.Tent.Packets[1]);
        Assert.Equal((7, 0x1234, 11L, 10L, 29), (first.UnitId, first.JournalId, first.First, first.Acked, first.Records.Count));
        Assert.Equal((7, 0x1234, 40L, 39L, 21), (second.UnitId, second.JournalId, second.First, second.Acked, second.Records.Count));
        var expected = 11L;
        foreach (var record in rig.Tent.Packets.SelectMany(p => p.Records))
        {
            var original = MakePassing((int)expected);
            Assert.Equal(expected, record.Sequence);
            Assert.Equal(7, record.UnitId);
            Assert.Equal(PassingKind.Crossing, record.Kind);
            Assert.Equal(new byte[] { 0xAB, (byte)(expected >> 8), (byte)expected }, record.Epc[..record.EpcLength]);
            Assert.Equal((original.TimeUtcMicros + 500) / 1000 * 1000, record.TimeUtcMicros); // nearest ms
            Assert.Equal(original.Flags, record.Flags);
            Assert.Equal(original.ClockState, record.ClockState);
            Assert.Equal(1000, record.UncertaintyMicros);  // 3–12 µs round up to 1 ms
            expected++;
        }

        Assert.Equal(61, expected);
        Assert.Equal(PassingFlags.TestTag, rig.Tent.Packets[1].Records[50 - 40].Flags);
        Assert.Equal(60, rig.Journal.AckedSequence);
        Assert.Equal(2, rig.Uplink.AcksReceived);
        Assert.Equal(0, rig.Uplink.AckTimeouts);
        Assert.Equal(0, rig.Uplink.OtherPackets);
        Assert.Equal(2, rig.Uplink.PacketsSent);
        Assert.Equal(50, rig.Uplink.PassingsSent);
        Assert.Equal(29, rig.Uplink.MaxRecords);

        // Everything acknowledged: the radio stays quiet.
        rig.RunUntil(T0 + 120_000_000);
        Assert.Equal(2, rig.Sent.Count);
    }

    [Fact]
    public void EachPacket_IsFollowedByNineTimesItsAirtimeOfSilence_AtTenPercent()
    {
        var rig = new Rig(100);

        rig.RunUntil(T0 + 60_000_000);

        Assert.Equal([29, 29, 29, 13], rig.Tent.Packets.Select(p => p.Records.Count));
        Assert.Equal(4, rig.Sent.Count);
        Assert.Equal(FullPacketAirtime, rig.Sent[0].End - rig.Sent[0].Start);
        for (var i = 0; i + 1 < rig.Sent.Count; i++)
        {
            var airtime = rig.Sent[i].End - rig.Sent[i].Start;
            var gap = rig.Sent[i + 1].Start - rig.Sent[i].End;

            Assert.True(gap >= 9 * airtime, $"packet {i + 1}: {gap} µs quiet after {airtime} µs on air");

            // …and no more than two 10 ms poll steps beyond it: the off time, not the ack, sets the pace.
            Assert.True(gap <= (9 * airtime) + 20_000, $"packet {i + 1}: {gap} µs quiet after {airtime} µs on air");
        }

        Assert.Equal(4, rig.Uplink.DutyCycle.Packets);
        Assert.Equal(rig.Sent.Sum(s => s.End - s.Start), rig.Uplink.DutyCycle.AirtimeMicros);
        Assert.Equal(100, rig.Journal.AckedSequence);
    }

    [Fact]
    public void AtOnePercent_TheOffTimeIs99TimesTheAirtime()
    {
        var options = new LoRaOptions { DutyCyclePermille = 10 };
        var rig = new Rig(58, options);

        rig.RunUntil(T0 + 100_000_000);

        Assert.Equal(2, rig.Sent.Count);
        var gap = rig.Sent[1].Start - rig.Sent[0].End;
        Assert.InRange(gap, 99 * FullPacketAirtime, (99 * FullPacketAirtime) + 20_000);
        Assert.Equal(58, rig.Journal.AckedSequence);
    }

    [Fact]
    public void AnUnansweredPacket_IsSentAgainFromTheSameSequence_AfterTheAckWait()
    {
        var rig = new Rig(40);
        rig.Tent.Answers = false;

        // Sent at 31.000 s, on air until 31.399616 s; the uplink sees TxDone at the 31.400 s poll and listens 1 s.
        rig.RunUntil(T0 + 31_400_000);
        Assert.Equal(T0 + 30_000_000, Assert.Single(rig.Sent).Start);
        Assert.Equal(0, rig.Uplink.AckTimeouts);
        rig.Step();  // 32.400 s: the ack wait is over
        Assert.Equal(1, rig.Uplink.AckTimeouts);

        // The off time (9 × 399.616 ms from 31.400 s, to 34.996544 s) outlasts the random backoff (≤ 500 ms).
        rig.RunUntil(T0 + 34_000_000);
        Assert.Single(rig.Sent);
        rig.Step();
        Assert.Equal(2, rig.Sent.Count);
        Assert.Equal(T0 + 34_000_000, rig.Sent[1].Start);
        Assert.Equal(rig.Sent[0].Bytes, rig.Sent[1].Bytes);
        rig.RunUntil(T0 + 34_410_000);  // the repeat is on the air until 35.399616 s (T0 + 34.399616 s)
        Assert.Equal([1L, 1L], rig.Tent.Packets.Select(p => p.First));
        Assert.Equal(0, rig.Journal.AckedSequence);

        // The receiver answers the third time: the run goes on after it.
        rig.Tent.Answers = true;
        rig.RunUntil(T0 + 60_000_000);
        Assert.Equal([1L, 1L, 1L, 30L], rig.Tent.Packets.Select(p => p.First));
        Assert.Equal(40, rig.Journal.AckedSequence);
        Assert.Equal(2, rig.Uplink.AckTimeouts);
        Assert.Equal(2, rig.Uplink.AcksReceived);
        Assert.Equal(4, rig.Uplink.PacketsSent);
        Assert.Equal(29 + 29 + 29 + 11, rig.Uplink.PassingsSent);
    }

    [Fact]
    public void APartialBatch_WaitsBatchMaxAgeBeforeGoing()
    {
        var rig = new Rig(5);

        rig.RunUntil(T0 + 32_000_000);
        Assert.Empty(rig.Sent);
        rig.Step();  // fallback at 31 s + 2 s

        Assert.Equal(T0 + 32_000_000, Assert.Single(rig.Sent).Start);
        Assert.Equal(22 + (5 * 8), rig.Sent[0].Bytes.Length);

        // Three more passings arrive while LoRa is active: they too wait 2 s for company.
        rig.RunUntil(T0 + 40_000_000);
        Assert.Equal(5, rig.Journal.AckedSequence);
        rig.AppendCommitted(6, 8);
        rig.RunUntil(T0 + 42_000_000);
        Assert.Single(rig.Sent);
        rig.Step();
        Assert.Equal(2, rig.Sent.Count);
        Assert.Equal(T0 + 42_000_000, rig.Sent[1].Start);
        rig.RunUntil(T0 + 43_000_000);
        Assert.Equal(2, rig.Tent.Packets.Count);
        Assert.Equal(6, rig.Tent.Packets[1].First);
        Assert.Equal(3, rig.Tent.Packets[1].Records.Count);
    }

    [Fact]
    public void TwentyNinePassings_GoAtOnce()
    {
        var rig = new Rig(29);

        rig.RunUntil(T0 + 30_010_000);

        Assert.Equal(T0 + 30_000_000, Assert.Single(rig.Sent).Start);
    }

    [Theory]
    [InlineData("unit")]
    [InlineData("journal")]
    public void AnAckForAnotherUnitOrJournal_IsIgnored(string which)
    {
        var rig = new Rig(29);
        rig.Tent.Tamper = ack =>
        {
            if (which == "unit")
            {
                ack.UnitId = 8;
            }
            else
            {
                ack.JournalId = 0x1235;
            }
        };

        rig.RunUntil(T0 + 32_500_000);

        Assert.Single(rig.Sent);
        Assert.Equal(1, rig.Tent.AcksSent);
        Assert.Equal(0, rig.Journal.AckedSequence);
        Assert.Equal(0, rig.Uplink.AcksReceived);
        Assert.Equal(1, rig.Uplink.OtherPackets);
        Assert.Equal(1, rig.Uplink.AckTimeouts);

        // Sent again at 35 s, when the off time is over (not before 39 s a third time).
        rig.RunUntil(T0 + 38_000_000);
        Assert.Equal([T0 + 30_000_000, T0 + 34_000_000], rig.Sent.Select(t => t.Start));
        Assert.Equal([1L, 1L], rig.Tent.Packets.Select(p => p.First));
        Assert.Equal(2, rig.Tent.AcksSent);
        Assert.Equal(0, rig.Journal.AckedSequence);
    }

    [Fact]
    public void AForgedAck_PrunesNothing_AndIsCounted()
    {
        // Someone on the channel answers for the tent without the unit's key, claiming everything is stored.
        var rig = new Rig(29);
        rig.Tent.SigningKey = Convert.FromHexString("ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");

        rig.RunUntil(T0 + 32_500_000);

        Assert.Single(rig.Sent);
        Assert.Equal(1, rig.Tent.AcksSent);
        Assert.Equal(0, rig.Journal.AckedSequence);
        Assert.Equal(29, rig.Journal.UnacknowledgedCount);
        Assert.Equal(0, rig.Uplink.AcksReceived);
        Assert.Equal(1, rig.Uplink.AcksRejected);
        Assert.Equal(1, rig.Uplink.AckTimeouts);

        // The real tent's answer to the packet sent again is taken.
        rig.Tent.SigningKey = Key;
        rig.RunUntil(T0 + 38_000_000);
        Assert.Equal(29, rig.Journal.AckedSequence);
        Assert.Equal(1, rig.Uplink.AcksReceived);
    }

    [Fact]
    public void AReplayedAck_PrunesNothing_AndIsCounted()
    {
        // The first packet's genuine ack, recorded off the air, is played back as the answer to the second packet:
        // its tag checks, but it answers another packet, so it must not move the mark for passings 30-58.
        var rig = new Rig(58);
        rig.RunUntil(T0 + 31_000_000);
        Assert.Equal(29, rig.Journal.AckedSequence);
        var recorded = rig.Tent.AcksOnAir[0];
        rig.Tent.Replayed = recorded;
        rig.Tent.Tamper = null;

        rig.RunUntil(T0 + 36_000_000);

        Assert.Equal(2, rig.Sent.Count);
        Assert.Equal(30, rig.Tent.Packets[1].First);
        Assert.Equal(29, rig.Journal.AckedSequence);
        Assert.Equal(29, rig.Journal.UnacknowledgedCount);
        Assert.Equal(1, rig.Uplink.AcksReceived);
        Assert.Equal(1, rig.Uplink.AcksRejected);
    }

    [Fact]
    public void AnUntaggedVersionOneAck_IsNotAnAck()
    {
        // The 16-byte answer of format version 1 (no tag) is heard as another packet and moves nothing.
        var rig = new Rig(29);
        var v1 = new byte[] { 0x12, 0x07, 0x00, 0x34, 0x12, 0x00, 0x00, 0x1D, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x1D };
        rig.Tent.Replayed = v1;

        rig.RunUntil(T0 + 32_500_000);

        Assert.Equal(0, rig.Journal.AckedSequence);
        Assert.Equal(0, rig.Uplink.AcksReceived);
        Assert.Equal(1, rig.Uplink.OtherPackets);
    }

    [Fact]
    public void AnUnpluggedRadio_IsAFault_AndTheUplinkRecoversOnceItIsBack()
    {
        var rig = new Rig(29, start: false);
        rig.Chip.Unplugged = true;

        Assert.False(rig.Uplink.Start());
        Assert.Equal("RegVersion reads 0x00, an SX127x reads 0x12: no radio, wrong part or bad wiring", rig.Uplink.Fault);
        Assert.Equal(1, rig.Uplink.RadioFaults);

        // No retry before RadioRetryMicros; at 10 s it tries again and fails again.
        rig.RunUntil(T0 + 10_000_000);
        Assert.Equal(1, rig.Uplink.RadioFaults);
        rig.Step();
        Assert.Equal(2, rig.Uplink.RadioFaults);

        rig.RunUntil(T0 + 12_000_000);
        rig.Chip.Unplugged = false;
        rig.RunUntil(T0 + 20_000_000);
        Assert.False(rig.Uplink.Radio.IsReady);
        Assert.Equal(2, rig.Uplink.RadioFaults);
        rig.Step();  // 20 s: set up again
        Assert.True(rig.Uplink.Radio.IsReady);
        Assert.Null(rig.Uplink.Fault);
        Assert.Equal(2, rig.Uplink.RadioFaults);

        rig.RunUntil(T0 + 35_000_000);
        Assert.Equal(T0 + 30_000_000, Assert.Single(rig.Sent).Start);
        Assert.Equal(29, rig.Journal.AckedSequence);
    }

    [Fact]
    public void AStuckTransmitter_IsAFault_AndThePacketGoesAgainAfterTheRadioIsSetUpAgain()
    {
        var rig = new Rig(29);
        rig.Chip.StuckTransmit = true;

        // Sent at 31 s; TxDone is overdue after 2 × 399.616 ms + 100 ms = 899.232 ms: the 31.900 s poll.
        rig.RunUntil(T0 + 30_900_000);
        Assert.Single(rig.Sent);
        Assert.Equal(0, rig.Uplink.RadioFaults);
        rig.Step();
        Assert.Equal(1, rig.Uplink.RadioFaults);
        Assert.Equal(1, rig.Uplink.Radio.Recoveries);
        Assert.True(rig.Uplink.Radio.IsReady);

        Assert.Contains("TxDone never came", rig.Uplink.Fault, StringComparison.Ordinal);
        var stuckFor = rig.Uplink.DutyCycle.AirtimeMicros;
        Assert.InRange(stuckFor, 899_232, 909_232);

        rig.Chip.StuckTransmit = false;
        rig.RunUntil(T0 + 45_000_000);

        Assert.Equal(2, rig.Sent.Count);
        // The stuck PA may well have been on air all along: the whole time is charged to the duty cycle (9× off at 10 %)
        // before the random backoff (≤ 500 ms).
        var offFrom = rig.Sent[0].Start + stuckFor;
        Assert.InRange(rig.Sent[1].Start, offFrom + (9 * stuckFor), offFrom + (9 * stuckFor) + 520_000);
        Assert.Equal(rig.Sent[0].Bytes, rig.Sent[1].Bytes);
        Assert.Equal(29, rig.Journal.AckedSequence);
    }

    [Fact]
    public void SlowSpreadingFactorUnderADwellLimit_IsAFault_NotASilentUplink()
    {
        var options = new LoRaOptions();
        options.Radio.SpreadingFactor = 10;
        var journal = new PassingJournal(new MemoryFileStore(capacityBytes: 1024 * 1024), new JournalOptions(7));
        Assert.True(journal.Open());
        var clock = new SimulatedClock(T0);
        var chip = new Sx127xRegisterEmulator(new LoRaAir(), 1, clock);
        var uplink = new LoRaUplink(journal, chip, clock, options, DesktopHmacSha256.Instance, Key);

        Assert.False(uplink.Start());
        Assert.Contains("airtime limit", uplink.Fault, StringComparison.Ordinal);
        Assert.Equal(0, uplink.MaxRecords);
        clock.Advance(60_000_000);
        uplink.Poll(ipOnline: false);
        Assert.Equal(0, chip.Transfers);
    }

    [Fact]
    public void Disabled_NeverStartsTheRadio_NorSends()
    {
        var options = new LoRaOptions { Enabled = false };
        var rig = new Rig(29, options, start: false);

        Assert.False(rig.Uplink.Start());
        rig.RunUntil(T0 + 60_000_000);

        Assert.Empty(rig.Sent);
        Assert.False(rig.Uplink.Radio.IsReady);
        Assert.Equal(0, rig.Chip.Transfers);
        Assert.Equal(0, rig.Uplink.RadioFaults);
    }

    // A passing whose EPC ends AB, sequence high byte, sequence low byte, so the receiver can tell records apart.
    private static Passing MakePassing(int index)
    {
        var p = SamplePassings.Make(index);
        p.Epc[9] = 0xAB;
        p.Epc[10] = (byte)(index >> 8);
        p.Epc[11] = (byte)index;
        return p;
    }

    private sealed record Transmission(long Start, long End, byte[] Bytes);

    private sealed record HeardPacket(long At, int UnitId, int JournalId, long First, long Acked, List<Passing> Records);

    private sealed class Rig
    {
        private readonly LoRaOptions _options;

        public Rig(int passings, LoRaOptions? options = null, bool start = true)
        {
            _options = options ?? new LoRaOptions();
            Assert.Null(_options.Validate());
            Clock = new SimulatedClock(T0);
            var air = new LoRaAir();
            Journal = new PassingJournal(new MemoryFileStore(capacityBytes: 1024 * 1024), new JournalOptions(7) { NewJournalId = 0x1234 });
            Assert.True(Journal.Open());
            AppendCommitted(1, passings);
            Chip = new Sx127xRegisterEmulator(air, 1, Clock);
            Uplink = new LoRaUplink(Journal, Chip, Clock, _options, DesktopHmacSha256.Instance, Key);
            Tent = new TentReceiver(air, Clock, _options.Radio);
            if (start)
            {
                Assert.True(Uplink.Start(), Uplink.Fault);
            }
        }

        public SimulatedClock Clock { get; }

        public PassingJournal Journal { get; }

        public Sx127xRegisterEmulator Chip { get; }

        public LoRaUplink Uplink { get; }

        public TentReceiver Tent { get; }

        public List<Transmission> Sent { get; } = [];

        public void AppendCommitted(int from, int to)
        {
            for (var i = from; i <= to; i++)
            {
                var p = MakePassing(i);
                Assert.True(Journal.Append(p));
                Assert.Equal(i, p.Sequence);
            }

            Assert.True(Journal.Commit());
        }

        // One poll at the current time, then 10 ms on.
        public void Step(bool online = false)
        {
            Uplink.Poll(online);
            if (Chip.PacketsSent > Sent.Count)
            {
                var bytes = Chip.LastSent!;
                Sent.Add(new Transmission(Clock.Now, Clock.Now + LoRaAirtime.Micros(bytes.Length, _options.Radio), bytes));
                Assert.Equal(Sent.Count, Chip.PacketsSent);
            }

            Tent.Service();
            Clock.Advance(10_000);
        }

        // Polls every 10 ms up to, not including, a time.
        public void RunUntil(long micros, bool online = false)
        {
            while (Clock.Now < micros)
            {
                Step(online);
            }
        }
    }

    /// <summary>The receiver at the timing tent: decodes passing packets and answers each with an ack of its last record.</summary>
    private sealed class TentReceiver
    {
        private readonly SimulatedClock _clock;
        private readonly byte[] _buffer = new byte[255];
        private readonly byte[] _ack = new byte[LoRaAck.Bytes];
        private bool _acking;

        public TentReceiver(LoRaAir air, SimulatedClock clock, LoRaSettings settings)
        {
            _clock = clock;
            Chip = new Sx127xRegisterEmulator(air, 99, clock);
            Radio = new Sx127xRadio(Chip, clock);
            Assert.True(Radio.Begin(settings), Radio.Fault);
            Assert.True(Radio.StartReceive());
        }

        public Sx127xRegisterEmulator Chip { get; }

        public Sx127xRadio Radio { get; }

        public bool Answers { get; set; } = true;

        public Action<LoRaAck>? Tamper { get; set; }

        /// <summary>Gets or sets the key the tent signs with (the unit's, unless a test forges).</summary>
        public byte[] SigningKey { get; set; } = Key;

        /// <summary>Gets or sets an ack to send instead of the real answer, as recorded earlier off the air (a replay).</summary>
        public byte[]? Replayed { get; set; }

        /// <summary>Gets every ack sent, as it went on air.</summary>
        public List<byte[]> AcksOnAir { get; } = [];

        public List<HeardPacket> Packets { get; } = [];

        public int AcksSent { get; private set; }

        public void Service()
        {
            if (_acking)
            {
                var sending = Radio.PollTransmit();
                Assert.NotEqual(RadioResult.Fault, sending);
                if (sending != RadioResult.Done)
                {
                    return;
                }

                _acking = false;
                Assert.True(Radio.StartReceive());
            }

            var result = Radio.TryReceive(_buffer, out var length);
            Assert.NotEqual(RadioResult.CrcError, result);  // one sender: nothing collides
            if (result != RadioResult.Done)
            {
                return;
            }

            Assert.Null(LoRaPassingPacket.Check(_buffer, length));
            var count = LoRaPassingPacket.Count(_buffer);
            var records = new List<Passing>();
            for (var i = 0; i < count; i++)
            {
                var p = new Passing();
                LoRaPassingPacket.ReadRecord(_buffer, i, p);
                records.Add(p);
            }

            var first = LoRaPassingPacket.FirstSequence(_buffer);
            Packets.Add(new HeardPacket(_clock.Now, LoRaPassingPacket.UnitId(_buffer), LoRaPassingPacket.JournalId(_buffer), first, LoRaPassingPacket.AckedSequence(_buffer), records));
            if (!Answers)
            {
                return;
            }

            var ack = new LoRaAck
            {
                UnitId = LoRaPassingPacket.UnitId(_buffer),
                JournalId = LoRaPassingPacket.JournalId(_buffer),
                AckedSequence = first + count - 1,
                PacketFirstSequence = first,
                PacketCount = count,
            };
            Tamper?.Invoke(ack);
            var ackLength = ack.Write(_ack, SigningKey, DesktopHmacSha256.Instance);
            if (Replayed != null)
            {
                Replayed.CopyTo(_ack, 0);
                ackLength = Replayed.Length;
            }

            AcksOnAir.Add(_ack[..ackLength]);
            Assert.True(Radio.StartTransmit(_ack, ackLength));
            AcksSent++;
            _acking = true;
        }
    }
}
