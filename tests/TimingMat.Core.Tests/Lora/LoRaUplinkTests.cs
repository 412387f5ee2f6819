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

    // Time on air of a full packet (253–255 bytes) at SF7/BW125/CR 4/5: (12.25 + 378) · 1.024 ms.
    private const long FullPacketAirtime = 399_616;

    // Sixty passings in one packet: 25 + 60 · 3 + 2 · 3 (flags changes around the test tag at 50) + 4 = 215 bytes,
    // 8 + ceil((1720 − 28 + 44) / 28) · 5 = 318 symbols: (12.25 + 318) · 1.024 ms.
    private const int SixtyPacketBytes = 215;
    private const long SixtyPacketAirtime = 338_176;

    // The race's chips as the rig makes them: E2 00 … 00 | 00 AB hi lo, one run.
    private static readonly LoRaChipList s_chips = LoRaChipList.Parse("E20000000000000000AB0000 = 65533\n");

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

        // 25 header + 60 three-byte records (chip index, 40 ms delta) + 2 flags changes around the test tag at 50 + 4 tag.
        Assert.Equal(SixtyPacketBytes, first.Bytes.Length);
        Assert.Equal(1, rig.Uplink.PacketsSent);
        Assert.Equal(60, rig.Uplink.PassingsSent);
        Assert.Equal(0, rig.Uplink.UnlistedChipsSent);
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
    public void Packets_CarryConsecutiveSequencesFromTheAckedMark_EveryFieldComesBack_AndTheAcksMoveTheJournal()
    {
        var rig = new Rig(160);
        Assert.True(rig.Journal.Acknowledge(10));

        rig.RunUntil(T0 + 60_000_000);

        Assert.Equal(3, rig.Tent.Packets.Count);
        Assert.Equal((7, 0x1234, 11L, 10L), (rig.Tent.Packets[0].UnitId, rig.Tent.Packets[0].JournalId, rig.Tent.Packets[0].First, rig.Tent.Packets[0].Acked));
        Assert.Equal(rig.Tent.Packets[0].First + rig.Tent.Packets[0].Records.Count, rig.Tent.Packets[1].First);
        Assert.Equal(rig.Tent.Packets[1].First - 1, rig.Tent.Packets[1].Acked);
        var expected = 11L;
        foreach (var record in rig.Tent.Packets.SelectMany(p => p.Records))
        {
            var original = MakePassing((int)expected);
            Assert.Equal(expected, record.Sequence);
            Assert.Equal(7, record.UnitId);
            Assert.Equal(original.Kind, record.Kind);
            if (original.Kind == PassingKind.Crossing)
            {
                Assert.Equal(original.Epc[..12], record.Epc[..record.EpcLength]);
            }
            else
            {
                Assert.Equal(original.MarkerValue, record.MarkerValue);
            }

            Assert.Equal((original.TimeUtcMicros + 500) / 1000 * 1000, record.TimeUtcMicros); // nearest ms
            Assert.Equal(original.Flags, record.Flags);
            Assert.Equal(original.ClockState, record.ClockState);
            Assert.Equal(1000, record.UncertaintyMicros);  // 3–12 µs round up to 1 ms
            expected++;
        }

        Assert.Equal(161, expected);
        Assert.All(rig.Sent, s => Assert.True(s.Bytes.Length <= 255));
        Assert.InRange(rig.Sent[0].Bytes.Length, 253, 255);  // full to within a record
        Assert.Equal(160, rig.Journal.AckedSequence);
        Assert.Equal(3, rig.Uplink.AcksReceived);
        Assert.Equal(0, rig.Uplink.AckTimeouts);
        Assert.Equal(0, rig.Uplink.OtherPackets);
        Assert.Equal(3, rig.Uplink.PacketsSent);
        Assert.Equal(150, rig.Uplink.PassingsSent);
        Assert.Equal(255, rig.Uplink.MaxPacketBytes);

        // Everything acknowledged: the radio stays quiet.
        rig.RunUntil(T0 + 120_000_000);
        Assert.Equal(3, rig.Sent.Count);
    }

    [Fact]
    public void EachPacket_IsFollowedByNineTimesItsAirtimeOfSilence_AtTenPercent()
    {
        var rig = new Rig(300);

        rig.RunUntil(T0 + 60_000_000);

        Assert.Equal(300, rig.Tent.Packets.Sum(p => p.Records.Count));
        Assert.True(rig.Sent.Count >= 4, $"{rig.Sent.Count} packets");
        Assert.Equal(FullPacketAirtime, rig.Sent[0].End - rig.Sent[0].Start);
        for (var i = 0; i + 1 < rig.Sent.Count; i++)
        {
            var airtime = rig.Sent[i].End - rig.Sent[i].Start;
            var gap = rig.Sent[i + 1].Start - rig.Sent[i].End;

            Assert.True(gap >= 9 * airtime, $"packet {i + 1}: {gap} µs quiet after {airtime} µs on air");

            // …and no more than two 10 ms poll steps beyond it: the off time, not the ack, sets the pace.
            Assert.True(gap <= (9 * airtime) + 20_000, $"packet {i + 1}: {gap} µs quiet after {airtime} µs on air");
        }

        Assert.Equal(rig.Sent.Count, rig.Uplink.DutyCycle.Packets);
        Assert.Equal(rig.Sent.Sum(s => s.End - s.Start), rig.Uplink.DutyCycle.AirtimeMicros);
        Assert.Equal(300, rig.Journal.AckedSequence);
    }

    [Fact]
    public void AtOnePercent_TheOffTimeIs99TimesTheAirtime()
    {
        var options = new LoRaOptions { DutyCyclePermille = 10 };
        var rig = new Rig(150, options);

        rig.RunUntil(T0 + 100_000_000);

        Assert.Equal(2, rig.Sent.Count);
        var airtime = rig.Sent[0].End - rig.Sent[0].Start;
        var gap = rig.Sent[1].Start - rig.Sent[0].End;
        Assert.InRange(gap, 99 * airtime, (99 * airtime) + 20_000);
        Assert.Equal(rig.Tent.Packets.Sum(p => p.Records.Count), rig.Journal.AckedSequence);
    }

    [Fact]
    public void AnUnansweredPacket_IsSentAgainFromTheSameSequence_AfterTheListenWindow()
    {
        var rig = new Rig(60);
        rig.Tent.Answers = false;

        // Sent at 30 s (from T0), on air 338.176 ms; the uplink sees TxDone at the 30.340 s poll and listens 1 s plus
        // an ack's time on air (61.696 ms), to 31.401696 s.
        rig.RunUntil(T0 + 31_410_000);
        Assert.Equal(T0 + 30_000_000, Assert.Single(rig.Sent).Start);
        Assert.Equal(SixtyPacketAirtime, rig.Sent[0].End - rig.Sent[0].Start);
        Assert.Equal(0, rig.Uplink.AckTimeouts);
        rig.Step();  // 31.410 s: the listen window is over
        Assert.Equal(1, rig.Uplink.AckTimeouts);

        // The off time (9 × 338.176 ms from 30.340 s, to 33.383584 s) outlasts the random backoff (≤ 500 ms).
        rig.RunUntil(T0 + 33_390_000);
        Assert.Single(rig.Sent);
        rig.Step();
        Assert.Equal(2, rig.Sent.Count);
        Assert.Equal(T0 + 33_390_000, rig.Sent[1].Start);
        Assert.Equal(rig.Sent[0].Bytes, rig.Sent[1].Bytes);
        rig.RunUntil(T0 + 33_740_000);
        Assert.Equal([1L, 1L], rig.Tent.Packets.Select(p => p.First));
        Assert.Equal(0, rig.Journal.AckedSequence);

        // The gateway answers the third time.
        rig.Tent.Answers = true;
        rig.RunUntil(T0 + 60_000_000);
        Assert.Equal([1L, 1L, 1L], rig.Tent.Packets.Select(p => p.First));
        Assert.Equal(60, rig.Journal.AckedSequence);
        Assert.Equal(2, rig.Uplink.AckTimeouts);
        Assert.Equal(1, rig.Uplink.AcksReceived);
        Assert.Equal(3, rig.Uplink.PacketsSent);
        Assert.Equal(180, rig.Uplink.PassingsSent);
    }

    [Fact]
    public void APartialBatch_WaitsBatchMaxAgeBeforeGoing()
    {
        var rig = new Rig(5);

        rig.RunUntil(T0 + 32_000_000);
        Assert.Empty(rig.Sent);
        rig.Step();  // fallback at 30 s + 2 s

        Assert.Equal(T0 + 32_000_000, Assert.Single(rig.Sent).Start);
        Assert.Equal(25 + (5 * 3) + 4, rig.Sent[0].Bytes.Length);

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
    public void FiftySixPassings_AFullPacketsWorthAtFourBytesEach_GoAtOnce()
    {
        var rig = new Rig(56);

        rig.RunUntil(T0 + 30_010_000);

        Assert.Equal(T0 + 30_000_000, Assert.Single(rig.Sent).Start);
    }

    [Fact]
    public void WithoutAChipList_EveryChipGoesWithItsEpc_FewerAPacket()
    {
        var rig = new Rig(60, chips: LoRaChipList.Parse(string.Empty));

        rig.RunUntil(T0 + 60_000_000);

        Assert.Equal(60, rig.Journal.AckedSequence);
        Assert.Equal(60, rig.Uplink.UnlistedChipsSent);

        // 2 + 1 + 12 + 1 = 16 bytes a crossing: (255 − 29) / 16 = 14 a packet.
        Assert.Equal(14, rig.Tent.Packets[0].Records.Count);
        Assert.Equal(MakePassing(1).Epc[..12], rig.Tent.Packets[0].Records[0].Epc[..12]);
    }

    [Fact]
    public void WithoutACommandKey_TheRadioStaysSilent_AndSaysWhy()
    {
        var rig = new Rig(60, start: false, key: []);

        Assert.False(rig.Uplink.Start());
        rig.RunUntil(T0 + 60_000_000);

        Assert.Equal("no command.key: the gateway takes only packets signed with the unit's key", rig.Uplink.Fault);
        Assert.Empty(rig.Sent);
        Assert.Equal(0, rig.Chip.Transfers);
    }

    [Fact]
    public void NewestFirst_SendsWhatJustHappened_ThenFillsTheGapsBelow_AndTheAckedMarkCatchesUp()
    {
        var options = new LoRaOptions { NewestFirst = true };
        var rig = new Rig(200, options);
        rig.Tent.Contiguous = true;

        rig.RunUntil(T0 + 31_000_000);

        // The first packet ends at the newest passing; the gateway holds it, the collector's mark stays at 0 (gap).
        var first = Assert.Single(rig.Tent.Packets);
        Assert.Equal(200, first.First + first.Records.Count - 1);
        Assert.True(first.First > 100, $"first packet starts at {first.First}");
        Assert.Equal(0, rig.Journal.AckedSequence);
        Assert.Equal(1, rig.Uplink.AcksReceived);

        // Five new passings meanwhile: they go before the older gap.
        rig.AppendCommitted(201, 205);
        rig.RunUntil(T0 + 60_000_000);
        Assert.Equal(201, rig.Tent.Packets[1].First);
        Assert.Equal(5, rig.Tent.Packets[1].Records.Count);

        // Then the rest, newest first, nothing twice: the journal is acknowledged to the end.
        Assert.Equal(205, rig.Journal.AckedSequence);
        var sequences = rig.Tent.Packets.SelectMany(p => p.Records).Select(r => r.Sequence).ToList();
        Assert.Equal(205, sequences.Count);
        Assert.Equal(Enumerable.Range(1, 205).Select(i => (long)i), sequences.Order());
        Assert.True(rig.Tent.Packets[2].First + rig.Tent.Packets[2].Records.Count == first.First, "the third packet ends where the first began");
    }

    [Fact]
    public void AnAckWhoseTagChecks_AnswersOnlyThePacketItNames_OtherwiseNoAckedMarkMoves()
    {
        // The gateway's acked mark (its collector's contiguous mark) may stay below the packet when a gap is
        // missing there: the unit takes the packet as held and goes on, and the mark moves only as far as it says.
        var rig = new Rig(100);
        rig.Tent.Tamper = ack => ack.AckedSequence = 0;

        rig.RunUntil(T0 + 60_000_000);

        Assert.Equal(0, rig.Journal.AckedSequence);
        Assert.Equal(100, rig.Tent.Packets.Sum(p => p.Records.Count));
        Assert.Equal(rig.Tent.Packets.Count, rig.Uplink.AcksReceived);
        Assert.Equal(0, rig.Uplink.AckTimeouts);
    }

    [Theory]
    [InlineData("unit")]
    [InlineData("journal")]
    public void AnAckForAnotherUnitOrJournal_IsIgnored(string which)
    {
        var rig = new Rig(60);
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

        // Sent again when the off time is over (33.39 s), not a third time before 36 s.
        rig.RunUntil(T0 + 36_000_000);
        Assert.Equal([T0 + 30_000_000, T0 + 33_390_000], rig.Sent.Select(t => t.Start));
        Assert.Equal([1L, 1L], rig.Tent.Packets.Select(p => p.First));
        Assert.Equal(2, rig.Tent.AcksSent);
        Assert.Equal(0, rig.Journal.AckedSequence);
    }

    [Fact]
    public void AForgedAck_PrunesNothing_AndIsCounted()
    {
        // Someone on the channel answers for the tent without the unit's key, claiming everything is stored.
        var rig = new Rig(60);
        rig.Tent.SigningKey = Convert.FromHexString("ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100");

        rig.RunUntil(T0 + 32_500_000);

        Assert.Single(rig.Sent);
        Assert.Equal(1, rig.Tent.AcksSent);
        Assert.Equal(0, rig.Journal.AckedSequence);
        Assert.Equal(60, rig.Journal.UnacknowledgedCount);
        Assert.Equal(0, rig.Uplink.AcksReceived);
        Assert.Equal(1, rig.Uplink.AcksRejected);
        Assert.Equal(1, rig.Uplink.AckTimeouts);

        // The real tent's answer to the packet sent again is taken.
        rig.Tent.SigningKey = Key;
        rig.RunUntil(T0 + 38_000_000);
        Assert.Equal(60, rig.Journal.AckedSequence);
        Assert.Equal(1, rig.Uplink.AcksReceived);
    }

    [Fact]
    public void AReplayedAck_PrunesNothing_AndIsCounted()
    {
        // The first packet's genuine ack, recorded off the air, is played back as the answer to the second packet:
        // its tag checks, but it answers another packet, so it must not move the mark for the second packet's run.
        var rig = new Rig(130);
        rig.RunUntil(T0 + 31_000_000);
        var held = rig.Tent.Packets[0].Records.Count;
        Assert.Equal(held, rig.Journal.AckedSequence);
        var recorded = rig.Tent.AcksOnAir[0];
        rig.Tent.Replayed = recorded;
        rig.Tent.Tamper = null;

        rig.RunUntil(T0 + 36_000_000);

        Assert.Equal(2, rig.Sent.Count);
        Assert.Equal(held + 1, rig.Tent.Packets[1].First);
        Assert.Equal(held, rig.Journal.AckedSequence);
        Assert.Equal(130 - held, rig.Journal.UnacknowledgedCount);
        Assert.Equal(1, rig.Uplink.AcksReceived);
        Assert.Equal(1, rig.Uplink.AcksRejected);
    }

    [Fact]
    public void AnUntaggedVersionOneAck_IsNotAnAck()
    {
        // The 16-byte answer of format version 1 (no tag) is heard as another packet and moves nothing.
        var rig = new Rig(60);
        var v1 = new byte[] { 0x12, 0x07, 0x00, 0x34, 0x12, 0x00, 0x00, 0x3C, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C };
        rig.Tent.Replayed = v1;

        rig.RunUntil(T0 + 32_500_000);

        Assert.Equal(0, rig.Journal.AckedSequence);
        Assert.Equal(0, rig.Uplink.AcksReceived);
        Assert.Equal(1, rig.Uplink.OtherPackets);
    }

    [Fact]
    public void AnUnpluggedRadio_IsAFault_AndTheUplinkRecoversOnceItIsBack()
    {
        var rig = new Rig(60, start: false);
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
        Assert.Equal(60, rig.Journal.AckedSequence);
    }

    [Fact]
    public void AStuckTransmitter_IsAFault_AndThePacketGoesAgainAfterTheRadioIsSetUpAgain()
    {
        var rig = new Rig(60);
        rig.Chip.StuckTransmit = true;

        // Sent at 30 s; TxDone is overdue after 2 × 338.176 ms + 100 ms = 776.352 ms: the 30.780 s poll.
        rig.RunUntil(T0 + 30_780_000);
        Assert.Single(rig.Sent);
        Assert.Equal(0, rig.Uplink.RadioFaults);
        rig.Step();
        Assert.Equal(1, rig.Uplink.RadioFaults);
        Assert.Equal(1, rig.Uplink.Radio.Recoveries);
        Assert.True(rig.Uplink.Radio.IsReady);

        Assert.Contains("TxDone never came", rig.Uplink.Fault, StringComparison.Ordinal);
        var stuckFor = rig.Uplink.DutyCycle.AirtimeMicros;
        Assert.InRange(stuckFor, 776_352, 786_352);

        rig.Chip.StuckTransmit = false;
        rig.RunUntil(T0 + 45_000_000);

        Assert.Equal(2, rig.Sent.Count);
        // The stuck PA may well have been on air all along: the whole time is charged to the duty cycle (9× off at 10 %)
        // before the random backoff (≤ 500 ms).
        var offFrom = rig.Sent[0].Start + stuckFor;
        Assert.InRange(rig.Sent[1].Start, offFrom + (9 * stuckFor), offFrom + (9 * stuckFor) + 520_000);
        Assert.Equal(rig.Sent[0].Bytes, rig.Sent[1].Bytes);
        Assert.Equal(60, rig.Journal.AckedSequence);
    }

    [Fact]
    public void SlowSpreadingFactorUnderADwellLimit_IsAFault_NotASilentUplink()
    {
        var options = new LoRaOptions();
        options.Radio.SpreadingFactor = 10;
        options.Radio.FrequencyHz = 915_000_000;  // US915: 400 ms dwell
        var journal = new PassingJournal(new MemoryFileStore(capacityBytes: 1024 * 1024), new JournalOptions(7));
        Assert.True(journal.Open());
        var clock = new SimulatedClock(T0);
        var chip = new Sx127xRegisterEmulator(new LoRaAir(), 1, clock);
        var uplink = new LoRaUplink(journal, chip, clock, options, DesktopHmacSha256.Instance, Key, s_chips);

        Assert.False(uplink.Start());
        Assert.Contains("airtime limit", uplink.Fault, StringComparison.Ordinal);
        Assert.Equal(24, uplink.MaxPacketBytes);
        clock.Advance(60_000_000);
        uplink.Poll(ipOnline: false);
        Assert.Equal(0, chip.Transfers);
    }

    [Fact]
    public void Disabled_NeverStartsTheRadio_NorSends()
    {
        var options = new LoRaOptions { Enabled = false };
        var rig = new Rig(60, options, start: false);

        Assert.False(rig.Uplink.Start());
        rig.RunUntil(T0 + 60_000_000);

        Assert.Empty(rig.Sent);
        Assert.False(rig.Uplink.Radio.IsReady);
        Assert.Equal(0, rig.Chip.Transfers);
        Assert.Equal(0, rig.Uplink.RadioFaults);
    }

    // A passing whose EPC is E2 00 … 00 AB, sequence high byte, sequence low byte: chip index = its sequence.
    private static Passing MakePassing(int index)
    {
        var p = SamplePassings.Make(index);
        Array.Clear(p.Epc, 1, 8);
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

        public Rig(int passings, LoRaOptions? options = null, bool start = true, byte[]? key = null, LoRaChipList? chips = null)
        {
            // key and chips: the unit's own unless a test passes an empty one, which means none.
            key ??= Key;
            chips ??= s_chips;

            _options = options ?? new LoRaOptions();
            Assert.Null(_options.Validate());
            Clock = new SimulatedClock(T0);
            var air = new LoRaAir();
            Journal = new PassingJournal(new MemoryFileStore(capacityBytes: 1024 * 1024), new JournalOptions(7) { NewJournalId = 0x1234 });
            Assert.True(Journal.Open());
            AppendCommitted(1, passings);
            Chip = new Sx127xRegisterEmulator(air, 1, Clock);
            Uplink = new LoRaUplink(Journal, Chip, Clock, _options, DesktopHmacSha256.Instance, key.Length == 0 ? null! : key, chips.Count == 0 ? null : chips);
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
        private readonly LoRaPacketReader _reader = new() { Chips = s_chips };
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

        /// <summary>Gets or sets a value indicating whether the tent answers with its contiguous mark (as the collector does) rather than the packet's last record.</summary>
        public bool Contiguous { get; set; }

        private SortedSet<long> Held { get; } = [];

        public Action<LoRaAck>? Tamper { get; set; }

        /// <summary>Gets or sets the key the tent signs with (the unit's, unless a test forges).</summary>
        public byte[] SigningKey { get; set; } = Key;

        /// <summary>Gets or sets an ack to send instead of the real answer, as recorded earlier off the air (a replay).</summary>
        public byte[]? Replayed { get; set; }

        /// <summary>Gets every ack sent, as it went on air.</summary>
        public List<byte[]> AcksOnAir { get; } = [];

        public List<HeardPacket> Packets { get; } = [];

        public int AcksSent { get; private set; }

        private long ContiguousMark(List<Passing> records)
        {
            foreach (var r in records)
            {
                Held.Add(r.Sequence);
            }

            var mark = 0L;
            while (Held.Contains(mark + 1))
            {
                mark++;
            }

            return mark;
        }

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

            Assert.Null(_reader.Load(_buffer, length));
            Assert.True(_reader.IsAuthentic(Key, DesktopHmacSha256.Instance));
            var count = _reader.Count;
            var records = new List<Passing>();
            var p = new Passing();
            while (_reader.Next(p))
            {
                records.Add(p);
                p = new Passing();
            }

            var first = _reader.FirstSequence;
            Packets.Add(new HeardPacket(_clock.Now, _reader.UnitId, _reader.JournalId, first, _reader.AckedSequence, records));
            if (!Answers)
            {
                return;
            }

            var ack = new LoRaAck
            {
                UnitId = _reader.UnitId,
                JournalId = _reader.JournalId,
                AckedSequence = Contiguous ? ContiguousMark(records) : first + count - 1,
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
