using System.Text;
using System.Text.Json;
using TimingMat.Core.Clock;
using TimingMat.Core.Common;
using TimingMat.Core.Hardware;
using TimingMat.Core.Passings;
using TimingMat.Core.Outbox;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Tests.Reader;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Mqtt;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// The unit application on emulated hardware and simulated time, as every host runs it: boot, lock, arm, time; the
/// status it writes itself; signed commands and everything that must be refused; the state it keeps on flash across
/// reboots (command counter, boot record, clock frequency, race-day changes); the supervisor; the memory report.
/// </summary>
public class MatUnitApplicationTests
{
    private const double NoFixSeconds = 3600;
    private const string StatusTopic = "timingmat/12/status";
    private const string ReplyTopic = "timingmat/12/reply";

    private static readonly byte[] s_chip = ReaderRig.Epc(601);

    private readonly MemoryFileStore _store = new(capacityBytes: 8L * 1024 * 1024, tearSeed: 5);
    private readonly MqttBrokerEmulator _broker = new();

    [Fact]
    public void StatusSnapshotsAsked_EveryPoll_NeverStarveThePublishedStatus()
    {
        // A desktop unit renders its status for its own report every second and the console's status command any
        // time; a status being formatted a slice a poll must still reach the broker, whole.
        var rig = new MatUnitRig(_store, _broker, 4, extraConfig: "status.interval_s = 1").StartTiming();
        Assert.True(rig.RunUntil(() => rig.Unit.Uplink.IsOnline && rig.Unit.Status.Published > 0, 30_000_000), "no first status");
        var before = rig.Unit.Status.Published;

        var rendered = 0;
        Assert.True(
            rig.RunUntil(
                () =>
                {
                    rendered += rig.Unit.Status.Render(rig.Local, "online") == null ? 0 : 1;
                    return rig.Unit.Status.Published >= before + 5;
                },
                10_000_000),
            $"published {rig.Unit.Status.Published - before} statuses in 10 s while every poll asked for a snapshot");

        Assert.True(rendered > 100, $"{rendered} snapshots");
        using var retained = JsonDocument.Parse(_broker.Retained[rig.Unit.Uplink.Topics.Status]);
        Assert.Equal(MatUnitRig.UnitId, retained.RootElement.GetProperty("unit").GetInt32());
    }

    [Fact]
    public void BootLockArmTime_AndTheStatusCarriesEveryPart()
    {
        var battery = new FixedBattery(3880, 312);
        var rig = new MatUnitRig(_store, _broker, gpsAcquisitionSeconds: 4, extraConfig: "race.id = berlin-2026\nmat.name = km05\nmat.km = 5\n", battery: battery);
        Assert.True(rig.Unit.Start());
        Assert.Equal(RaceDayMode.Test, rig.Unit.RaceDay.Mode);

        // Lock, then arm by command and time a runner.
        Assert.True(rig.RunUntil(() => rig.Unit.Clock.State == ClockState.Locked, 120_000_000), "the clock never locked");
        var replies = Listen(ReplyTopic);
        Publish(MatUnitRig.Signed(1000, "arm"));
        rig.RunToLocal(rig.Local + 100_000);
        Assert.Equal(RaceDayMode.Timing, rig.Unit.RaceDay.Mode);
        Assert.Equal("accepted", Reply(replies).GetProperty("result").GetString());
        var crossingAt = rig.Local + 1_000_000;
        rig.Crossing(s_chip, crossingAt);
        rig.RunToLocal(crossingAt + 4_000_000);
        var passing = Assert.Single(rig.JournalPassings());
        Assert.Equal(ClockState.Locked, passing.ClockState);
        Assert.InRange(passing.TimeUtcMicros - rig.TrueUtc(crossingAt + 500_000), -5_000, 5_000);

        // The retained status, written by the unit itself: every part, with values.
        rig.RunToLocal(rig.Local + 11_000_000);
        using var document = JsonDocument.Parse(_broker.Retained[StatusTopic]);
        var s = document.RootElement;
        Assert.Equal(12, s.GetProperty("unit").GetInt32());
        Assert.Equal("online", s.GetProperty("state").GetString());
        Assert.Equal("test-1.0", s.GetProperty("firmware").GetString());
        Assert.Equal("berlin-2026", s.GetProperty("race").GetString());
        Assert.Equal("km05", s.GetProperty("mat").GetString());
        Assert.Equal(5.0, s.GetProperty("km").GetDouble());
        Assert.Equal("split", s.GetProperty("role").GetString());
        Assert.InRange(s.GetProperty("uptime_s").GetDouble(), 25, 60);
        var boot = s.GetProperty("boot");
        Assert.Equal(("first-boot", 1, 0), (boot.GetProperty("reason").GetString(), boot.GetProperty("boots").GetInt32(), boot.GetProperty("crashes").GetInt32()));

        var clock = s.GetProperty("clock");
        Assert.Equal("locked", clock.GetProperty("state").GetString());
        Assert.InRange(DateTimeOffset.Parse(clock.GetProperty("utc").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds() * 1000 - rig.TrueUtc(rig.Local), -11_000_000, 0);
        Assert.InRange(clock.GetProperty("offset_us").GetInt64(), -200, 3_000);
        Assert.InRange(clock.GetProperty("uncertainty_us").GetInt64(), 1, 5_000);
        Assert.InRange(clock.GetProperty("pps").GetInt32(), 30, 60);
        Assert.InRange(clock.GetProperty("satellites").GetInt32(), 4, 20);
        Assert.True(clock.GetProperty("fix").GetBoolean());
        Assert.InRange(Math.Abs(clock.GetProperty("frequency_ppb").GetInt64()), 1, 100_000);
        Assert.False(clock.GetProperty("frequency_restored").GetBoolean());
        Assert.Equal(1, clock.GetProperty("locks").GetInt32());
        // The emulated receiver's fix: 4717.11437 N, 00833.91522 E, 499.6 m.
        var position = clock.GetProperty("position");
        Assert.Equal((47.28524, 8.565254, 499.6), (position.GetProperty("lat").GetDouble(), position.GetProperty("lon").GetDouble(), position.GetProperty("alt_m").GetDouble()));

        var reader = Assert.Single(s.GetProperty("readers").EnumerateArray());
        Assert.Equal((0, "m6e", "reading"), (reader.GetProperty("reader").GetInt32(), reader.GetProperty("type").GetString(), reader.GetProperty("state").GetString()));
        Assert.Equal(rig.Unit.Reader.Counters.TagReads, reader.GetProperty("reads").GetInt64());
        Assert.InRange(reader.GetProperty("reads").GetInt64(), 90, 110);
        Assert.True(reader.GetProperty("reads_per_s").GetDouble() >= 0);
        Assert.Equal(0, reader.GetProperty("restarts").GetInt64());
        Assert.Equal("none", reader.GetProperty("last_restart").GetString());

        Assert.Equal("timing", s.GetProperty("mode").GetString());
        Assert.Equal(JsonValueKind.String, s.GetProperty("window").GetProperty("opens").ValueKind);
        Assert.Equal(JsonValueKind.Null, s.GetProperty("window").GetProperty("cut_off").ValueKind);
        Assert.Equal(1, s.GetProperty("passings").GetProperty("made").GetInt64());
        Assert.Equal(64, s.GetProperty("ring").GetProperty("capacity").GetInt32());
        var journal = s.GetProperty("journal");
        Assert.Equal(1, journal.GetProperty("last_seq").GetInt64());
        Assert.Equal(1, journal.GetProperty("unacked").GetInt64());
        Assert.Equal(4L * 1024 * 1024, journal.GetProperty("capacity_bytes").GetInt64());
        Assert.Equal(64 * ((65536 - 32) / 67), journal.GetProperty("capacity_passings").GetInt64());
        Assert.True(journal.GetProperty("passings_per_h").GetInt64() > 0);
        Assert.InRange(journal.GetProperty("remaining_h").GetDouble(), 100, 5000);
        var outbox = s.GetProperty("outbox");
        Assert.True(outbox.GetProperty("online").GetBoolean());
        Assert.Equal(1, outbox.GetProperty("connections").GetInt32());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("lora").ValueKind);
        Assert.Equal((3880, 66), (s.GetProperty("battery").GetProperty("mv").GetInt32(), s.GetProperty("battery").GetProperty("pct").GetInt32()));
        Assert.Equal(31.2, s.GetProperty("temperature_c").GetDouble());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("memory").GetProperty("free_bytes").ValueKind);
        Assert.Equal(rig.Unit.Memory.TotalBytes, s.GetProperty("memory").GetProperty("core").GetProperty("total").GetInt32());
        var commands = s.GetProperty("commands");
        Assert.Equal((1, 0, 1000L), (commands.GetProperty("accepted").GetInt32(), commands.GetProperty("refused").GetInt32(), commands.GetProperty("last_counter").GetInt64()));
        Assert.Equal(0, commands.GetProperty("rejected").GetProperty("bad_tag").GetInt32());
        Assert.Empty(s.GetProperty("alarms").EnumerateArray());
    }

    [Fact]
    public void SignedCommands_ReachTheirParts_AndEachIsAnswered()
    {
        var rig = new MatUnitRig(_store, _broker, gpsAcquisitionSeconds: 4);
        Assert.True(rig.Unit.Start());
        var replies = Listen(ReplyTopic);
        Assert.True(rig.RunUntil(() => rig.Unit.Clock.State == ClockState.Locked, 120_000_000));

        var sentTrue = rig.TrueUtc(rig.Local);
        Publish(MatUnitRig.Signed(10, "mode timing"));
        Publish(MatUnitRig.Signed(11, "cutoff 2026-10-04T12:00:00Z"));
        Publish(MatUnitRig.Signed(12, "gun"));
        Publish(MatUnitRig.Signed(13, "clock 1791100000000000"));
        Publish(MatUnitRig.Signed(14, "replay 1"));
        Publish(MatUnitRig.Signed(15, "disarm"));
        rig.RunToLocal(rig.Local + 200_000);

        var answers = All(replies);
        Assert.Equal([10L, 11L, 12L, 13L, 14L, 15L], answers.Select(a => a.GetProperty("counter").GetInt64()));
        Assert.Equal(["mode", "cutoff", "gun", "clock", "replay", "disarm"], answers.Select(a => a.GetProperty("verb").GetString()));
        Assert.Equal(["accepted", "accepted", "refused", "accepted", "accepted", "accepted"], answers.Select(a => a.GetProperty("result").GetString()));

        // The gun belongs to a start or finish mat: the race-day control said why, and nothing was recorded.
        Assert.Equal("wrong-role", answers[2].GetProperty("reason").GetString());
        Assert.Equal(0, rig.Unit.Detector.PassingsDelivered);
        Assert.Equal("locked", answers[3].GetProperty("clock").GetProperty("state").GetString());

        // The clock exchange: the tent's send time echoed, the mat clock's receive and send times (the true time to
        // within the clock's error, inside the 200 ms the rig ran), and the age of the last PPS edge.
        var exchange = answers[3].GetProperty("exchange");
        Assert.Equal(1_791_100_000_000_000, exchange.GetProperty("host_us").GetInt64());
        var (rx, tx) = (exchange.GetProperty("rx_us").GetInt64(), exchange.GetProperty("tx_us").GetInt64());
        Assert.InRange(rx, sentTrue - 2_000, rig.TrueUtc(rig.Local) + 2_000);
        Assert.InRange(tx - rx, 0, 1_000);
        Assert.InRange(exchange.GetProperty("last_pps_ms").GetInt64(), 0, 1_100);
        Assert.Equal(1_791_115_200_000_000, rig.Unit.RaceDay.Window.CutOffUtcMicros);
        Assert.Equal(RaceDayMode.Test, rig.Unit.RaceDay.Mode);
        Assert.Equal(1, rig.Unit.Uplink.Outbox!.ReplayRequests);
        Assert.Equal((5, 1, 0), (rig.Unit.Commands.AcceptedCount, rig.Unit.Commands.RefusedCount, rig.Unit.Commands.RejectedCount));
        Assert.Equal(15, rig.Unit.State.CommandCounter);
    }

    [Fact]
    public void AClockExchange_TakesTheArrivalTheLinkStamped_NotThePollThatHandledIt()
    {
        var rig = new MatUnitRig(_store, _broker, gpsAcquisitionSeconds: 4);
        Assert.True(rig.Unit.Start());
        var replies = Listen(ReplyTopic);
        Assert.True(rig.RunUntil(() => rig.Unit.Clock.State == ClockState.Locked, 120_000_000));

        // The command came off the wire 25 ms before the loop got to it (a busy loop, a slow poll): the link's stamp is
        // the receive time, the loop's own time the send time.
        var arrived = rig.Local;
        rig.RunToLocal(arrived + 25_000);
        var (arrivedUtc, handledUtc) = (rig.Unit.Clock.ToMatTime(arrived).UtcMicros, rig.Unit.Clock.Now().UtcMicros);
        rig.Unit.Commands.OnCommand(MatUnitRig.Signed(20, "clock 1791100000000000"), arrived);
        rig.RunToLocal(rig.Local + 50_000);

        var exchange = Reply(replies).GetProperty("exchange");
        var (rx, tx) = (exchange.GetProperty("rx_us").GetInt64(), exchange.GetProperty("tx_us").GetInt64());
        Assert.Equal((arrivedUtc, handledUtc), (rx, tx));
        Assert.InRange(rx - rig.TrueUtc(arrived), -1_000, 1_000);
        Assert.InRange(tx - rx, 24_990, 25_010);
    }

    [Fact]
    public void UnsignedForgedMisaddressedAndReplayedCommands_AreRejected_Counted_AndChangeNothing()
    {
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(rig.Unit.Start());
        var replies = Listen(ReplyTopic);
        rig.RunToLocal(2_000_000);
        Publish(MatUnitRig.Signed(500, "cutoff 2026-10-04T12:00:00Z"));
        rig.RunToLocal(rig.Local + 100_000);
        Assert.Equal("accepted", Reply(replies).GetProperty("result").GetString());
        var window = rig.Unit.RaceDay.Window.CutOffUtcMicros;

        var forged = MatUnitRig.Signed(501, "mode timing", keyHex: "ff" + MatUnitRig.KeyHex[2..]);
        var altered = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(MatUnitRig.Signed(502, "mode test")).Replace("mode test", "mode timing", StringComparison.Ordinal));
        Publish(Encoding.ASCII.GetBytes("mode timing"));
        Publish(forged);
        Publish(altered);
        Publish(MatUnitRig.Signed(503, "mode timing", unit: 13));
        Publish(MatUnitRig.Signed(500, "mode timing"));
        Publish(MatUnitRig.Signed(499, "cutoff 2026-10-04T13:00:00Z"));
        Publish(Encoding.ASCII.GetBytes("tm1 12 504 mode timing 00ff"));
        Publish(MatUnitRig.Signed(505, "launch rockets"));
        rig.RunToLocal(rig.Local + 200_000);

        var answers = All(replies);
        Assert.All(answers, a => Assert.Equal("rejected", a.GetProperty("result").GetString()));
        Assert.Equal(["unsigned", "bad-tag", "bad-tag", "wrong-unit", "replayed", "replayed", "malformed", "invalid"], answers.Select(a => a.GetProperty("reason").GetString()));
        Assert.Equal(RaceDayMode.Test, rig.Unit.RaceDay.Mode);
        Assert.Equal(window, rig.Unit.RaceDay.Window.CutOffUtcMicros);
        var commands = rig.Unit.Commands;
        Assert.Equal((1, 1, 2, 1, 2, 1), (commands.Rejected(CommandCheck.Unsigned), commands.Rejected(CommandCheck.Malformed), commands.Rejected(CommandCheck.BadTag), commands.Rejected(CommandCheck.WrongUnit), commands.Rejected(CommandCheck.Replayed), commands.Rejected(CommandCheck.Invalid)));
        Assert.Equal(8, commands.RejectedCount);

        // Only the authentic one that was not understood used its counter up.
        Assert.Equal(505, rig.Unit.State.CommandCounter);
        rig.RunToLocal(rig.Local + 1_500_000);
        using var status = JsonDocument.Parse(_broker.Retained[StatusTopic]);
        var rejected = status.RootElement.GetProperty("commands").GetProperty("rejected");
        Assert.Equal((1, 2, 1, 2, 1, 1, 0), (rejected.GetProperty("unsigned").GetInt32(), rejected.GetProperty("bad_tag").GetInt32(), rejected.GetProperty("wrong_unit").GetInt32(), rejected.GetProperty("replayed").GetInt32(), rejected.GetProperty("malformed").GetInt32(), rejected.GetProperty("invalid").GetInt32(), rejected.GetProperty("no_key").GetInt32()));
    }

    [Fact]
    public void TheCounter_AndRaceDayChanges_SurviveAReboot()
    {
        var first = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(first.Unit.Start());
        first.RunToLocal(2_000_000);
        Publish(MatUnitRig.Signed(7_000, "mode timing"));
        Publish(MatUnitRig.Signed(7_001, "cutoff 2026-10-04T12:00:00Z"));
        first.RunToLocal(first.Local + 100_000);
        first.Unit.PowerFailing();

        var second = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(second.Unit.Start());
        var replies = Listen(ReplyTopic);
        second.RunToLocal(1_500_000);
        Publish(MatUnitRig.Signed(7_000, "mode test"));
        second.RunToLocal(2_000_000);

        Assert.Equal("replayed", Reply(replies).GetProperty("reason").GetString());
        Assert.Equal(RaceDayMode.Timing, second.Unit.RaceDay.Mode);
        Assert.Equal(1_791_115_200_000_000, second.Unit.RaceDay.Window.CutOffUtcMicros);
        Assert.Equal(BootReason.PowerFail, second.Unit.BootReason);
        Assert.Equal((2, 0), (second.Unit.State.BootCount, second.Unit.State.CrashCount));
    }

    [Fact]
    public void AUnitWithoutACommandKey_RefusesEveryCommand()
    {
        var config = UnitConfig.Parse("unit.id = 12\nmat.role = split\nreader.type = m6e\nreader.region = eu\n");
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds);
        var unit = new MatUnit(config, rig.Hardware);
        Assert.True(unit.Start());
        var replies = Listen(ReplyTopic);
        for (var i = 0; i < 200; i++)
        {
            if (i == 100)
            {
                Publish(MatUnitRig.Signed(1, "mode timing"));
            }

            rig.Rig.Gps.StepBy(5_000);
            unit.Poll();
        }

        Assert.Equal("no-key", Reply(replies).GetProperty("reason").GetString());
        Assert.Equal(RaceDayMode.Test, unit.RaceDay.Mode);
        Assert.Equal(0, unit.State.CommandCounter);
    }

    [Fact]
    public void AConnectThatNeverEnds_IsAStall_TheUnitReboots_AndTheNextBootSaysWhy()
    {
        var first = new MatUnitRig(_store, _broker, NoFixSeconds, extraConfig: "supervisor.stall_s = 10\n");
        first.Link.HangConnects = true;
        Assert.True(first.Unit.Start());
        first.RunToLocal(9_000_000);
        Assert.Equal(0, first.Rebooter.Reboots);
        Assert.True(first.Link.IsConnecting);

        // The timing loop never waited meanwhile: the reader kept being polled.
        Assert.True(first.Unit.Reader.Counters.BytesReceived > 0);
        first.RunToLocal(12_000_000);
        Assert.Equal(1, first.Rebooter.Reboots);
        Assert.True(first.Unit.Rebooted);

        var second = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(second.Unit.Start());
        second.RunToLocal(2_000_000);
        using var status = JsonDocument.Parse(_broker.Retained[StatusTopic]);
        var boot = status.RootElement.GetProperty("boot");
        Assert.Equal(("stall:uplink", 2, 1), (boot.GetProperty("reason").GetString(), boot.GetProperty("boots").GetInt32(), boot.GetProperty("crashes").GetInt32()));
    }

    [Fact]
    public void AReaderPortThatBlocks_IsFoundByTheWatchdog_AndRecordedForTheNextBoot()
    {
        var first = new MatUnitRig(_store, _broker, NoFixSeconds, extraConfig: "supervisor.stall_s = 10\n");
        var blocking = new BlockingPort(first.Hardware.Readers[0]);
        first.Hardware.Readers[0] = blocking;
        var unit = new MatUnit(first.Config, first.Hardware);
        Assert.True(unit.Start());
        for (var i = 0; i < 200; i++)
        {
            first.Rig.Gps.StepBy(5_000);
            unit.Poll();
        }

        blocking.Block();
        var loop = new Thread(unit.Poll) { IsBackground = true };
        loop.Start();
        Assert.True(blocking.Blocked.Wait(TimeSpan.FromSeconds(10)), "the loop never reached the reader");
        Assert.False(unit.Supervise());

        // Eleven seconds of the unit's clock later, the watchdog thread finds the loop still inside the reader work.
        first.Rig.Gps.StepBy(11_000_000);
        Assert.True(unit.Supervise());
        Assert.Equal(1, first.Rebooter.Reboots);
        blocking.Release();
        Assert.True(loop.Join(TimeSpan.FromSeconds(10)));

        var second = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(second.Unit.Start());
        Assert.Equal(BootReason.StallReader, second.Unit.BootReason);
        Assert.Equal(1, second.Unit.State.CrashCount);
    }

    [Fact]
    public void BootReasons_TellACleanStopFromACrash()
    {
        var first = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(first.Unit.Start());
        Assert.Equal(BootReason.FirstBoot, first.Unit.BootReason);
        first.RunToLocal(1_500_000);
        first.Unit.Stop();

        var second = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(second.Unit.Start());
        Assert.Equal(BootReason.PowerOn, second.Unit.BootReason);
        second.RunToLocal(1_500_000);

        // Gone without a word: a crash.
        var third = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(third.Unit.Start());
        Assert.Equal(BootReason.Reset, third.Unit.BootReason);
        Assert.Equal((3, 1), (third.Unit.State.BootCount, third.Unit.State.CrashCount));
    }

    [Fact]
    public void ARebootCommand_RebootsAfterItsReply()
    {
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(rig.Unit.Start());
        var replies = Listen(ReplyTopic);
        rig.RunToLocal(1_500_000);
        Publish(MatUnitRig.Signed(42, "reboot"));
        rig.RunToLocal(rig.Local + 500_000);
        Assert.Equal("accepted", Reply(replies).GetProperty("result").GetString());
        Assert.Equal(0, rig.Rebooter.Reboots);
        rig.RunToLocal(rig.Local + 1_000_000);
        Assert.Equal(1, rig.Rebooter.Reboots);

        var next = new MatUnitRig(_store, _broker, NoFixSeconds);
        Assert.True(next.Unit.Start());
        Assert.Equal(BootReason.Command, next.Unit.BootReason);
        Assert.Equal(0, next.Unit.State.CrashCount);
    }

    [Fact]
    public void TheFrequencySavedBeforeAReboot_MakesTheClockRelockFaster()
    {
        // A cold unit locks after 20 edges; it saves its frequency once locked for a while.
        var cold = new MatUnitRig(_store, _broker, gpsAcquisitionSeconds: 4, configure: s => s.FrequencySaveAfterMicros = 120_000_000);
        Assert.True(cold.Unit.Start());
        Assert.True(cold.RunUntil(() => cold.Unit.Clock.State == ClockState.Locked, 120_000_000));
        var coldLock = cold.Local - MatUnitRig.LocalAtBoot;
        Assert.False(cold.Unit.FrequencyRestored);
        cold.RunToLocal(cold.Local + 125_000_000);
        Assert.True(cold.Unit.State.HasFrequency);
        Assert.InRange(Math.Abs(cold.Unit.State.FrequencyPpb), 5_000, 8_000);
        cold.Unit.PowerFailing();

        // The same crystal ten minutes later: the restored frequency lets it lock after 8 edges.
        var warm = new MatUnitRig(_store, _broker, gpsAcquisitionSeconds: 4, bootUtc: MatUnitRig.BootUtc + 600_000_000);
        Assert.True(warm.Unit.Start());
        Assert.True(warm.Unit.FrequencyRestored);
        Assert.True(warm.RunUntil(() => warm.Unit.Clock.State == ClockState.Locked, 120_000_000));
        var warmLock = warm.Local - MatUnitRig.LocalAtBoot;

        Assert.True(warmLock + 8_000_000 < coldLock, $"warm lock {warmLock / 1e6:0.0} s, cold {coldLock / 1e6:0.0} s");
        var offset = warm.Unit.Clock.Now().UtcMicros - warm.TrueUtc(warm.Local);
        Assert.InRange(offset, -2_000, 2_000);
    }

    [Fact]
    public void TheLedShowsReads_AndTheBuzzerATestTag_ForTheWalkTest()
    {
        var signal = new RecordingSignal();
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds);
        rig.Hardware.Signal = signal;
        var unit = new MatUnit(rig.Config, rig.Hardware);
        Assert.True(unit.Start());
        Assert.True(unit.RaceDay.TestTags.TryAddHex(Convert.ToHexString(s_chip[..4])));
        rig.Crossing(s_chip, 2_000_000);

        var ledAt = -1L;
        var ledOffAt = -1L;
        while (rig.Local < 4_000_000)
        {
            rig.Rig.Gps.StepBy(MatUnitRig.StepMicros);
            rig.Module.Poll();
            unit.Poll();
            ledAt = ledAt < 0 && signal.Led ? rig.Local : ledAt;
            ledOffAt = ledAt >= 0 && ledOffAt < 0 && !signal.Led ? rig.Local : ledOffAt;
        }

        Assert.InRange(ledAt, 2_000_000, 2_100_000);
        Assert.InRange(ledOffAt, 3_150_000, 3_300_000);
        Assert.Equal(unit.RaceDay.Monitor.TestTagReads, signal.Beeps);
        Assert.InRange(signal.Beeps, 90, 110);
        Assert.Equal(RaceDayMode.Test, unit.RaceDay.Mode);
        Assert.Empty(rig.JournalPassings());
    }

    [Fact]
    public void TheMemoryReport_OfTheDefaultConfiguration_IsPinned()
    {
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds);
        var memory = rig.Unit.Memory;

        // A split mat (288 chips, 96 open crossings) with one M6e module, no LoRa: what the core preallocates.
        Assert.Equal(
            ["ring", "gate", "crossings", "clock", "readers", "journal", "outbox", "status", "commands", "lora"],
            Enumerable.Range(0, memory.Count).Select(memory.Name));
        // 64 slots of 64 B of fields and a 16-byte EPC (the chip table's longest), and the consumer's record.
        Assert.Equal((64 * (64 + 16)) + 114, memory.Bytes("ring"));
        Assert.Equal((64 * (64 + 16)) + 114, memory.Bytes("gate"));
        Assert.Equal(rig.Unit.Settings.Crossings.EstimatedBytes, memory.Bytes("crossings"));
        Assert.Equal(0, memory.Bytes("lora"));
        Assert.True(MemoryTotal == memory.TotalBytes, memory.ToString());
        Assert.StartsWith($"core memory {MemoryTotal} B (goal 65536): ring 5234, gate 5234, crossings 42552, ", memory.ToString(), StringComparison.Ordinal);

        // Eight reader modules' status still fits the status writer's buffer.
        var eight = new MatUnitRig(new MemoryFileStore(capacityBytes: 8L * 1024 * 1024), _broker, NoFixSeconds, modules: 8, extraConfig: "race.id = a-race-name-of-32-characters-xx\nmat.name = a-mat-name-of-32-characters-xxxx\n");
        Assert.True(eight.Unit.Start());
        var status = eight.Unit.Status.Render(eight.Local, "online");
        Assert.NotNull(status);
        Assert.InRange(status.Length, 2_000, UnitStatus.BufferBytes - 256);

        // And its recording fits the status writer's tape with room to spare.
        var taped = new JsonWriter(UnitStatus.BufferBytes, UnitStatus.TapeOperations);
        taped.Record();
        eight.Unit.Status.Write(taped, "online", eight.Local);
        Assert.False(taped.Overflow);
        Assert.InRange(taped.TapeLength, 200, UnitStatus.TapeOperations - 24);
    }

    [Fact]
    public void Secrets_NeverAppearInTheDump_TheStatus_OrAnError()
    {
        const string WifiSecret = "correct-horse-battery";
        const string MqttSecret = "s3cr3t-broker-pw";
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds, extraConfig: $"wifi.ssid = race-net\nwifi.password = {WifiSecret}\nmqtt.username = km05\nmqtt.password = {MqttSecret}\n");
        Assert.True(rig.Unit.Start());
        rig.RunToLocal(2_000_000);

        var dump = rig.Config.ToString();
        Assert.Contains("wifi.password = set\n", dump, StringComparison.Ordinal);
        Assert.Contains("mqtt.password = set\n", dump, StringComparison.Ordinal);
        Assert.Contains("command.key = set\n", dump, StringComparison.Ordinal);
        var status = Encoding.UTF8.GetString(_broker.Retained[StatusTopic]);
        foreach (var secret in new[] { WifiSecret, MqttSecret, MatUnitRig.KeyHex, MatUnitRig.KeyHex.ToUpperInvariant() })
        {
            Assert.DoesNotContain(secret, dump, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, status, StringComparison.OrdinalIgnoreCase);
        }

        var shortPassword = Assert.Throws<ConfigFileException>(() => UnitConfig.Parse("wifi.password = hunter2\n"));
        Assert.Equal("line 1: wifi.password = (secret, 7 characters): expected a WPA2 passphrase of 8-63 characters.", shortPassword.Message);
        var badKey = Assert.Throws<ConfigFileException>(() => UnitConfig.Parse("command.key = " + MatUnitRig.KeyHex[..30] + "zz\n"));
        Assert.DoesNotContain(MatUnitRig.KeyHex[..30], badKey.Message, StringComparison.Ordinal);
        Assert.Equal("line 1: command.key = (secret, 32 characters): expected 32-128 hex digits (a 16-64 byte key).", badKey.Message);
    }

    // Pinned: what the default split-mat configuration costs (see UnitMemoryReport and the core README). Over the 64 KB
    // goal by 13.7 KB: the crossing detector's 288 chips and 96 open crossings take 41.6 KB of it.
    private const int MemoryTotal = 79_529;

    private EmulatedMqttLink Listen(string topic)
    {
        var link = _broker.CreateLink();
        Assert.True(link.Connect(new MqttConnectOptions("listener-" + Guid.NewGuid().ToString("N")) { CleanSession = true }));
        Assert.True(link.Subscribe(topic, 1));
        return link;
    }

    private void Publish(byte[] command)
    {
        var tent = _broker.CreateLink();
        Assert.True(tent.Connect(new MqttConnectOptions("tent-" + Guid.NewGuid().ToString("N")) { CleanSession = true }));
        Assert.True(tent.Publish("timingmat/12/cmd", command, 1, false) >= 0);
    }

    private static JsonElement Reply(EmulatedMqttLink replies) => Assert.Single(All(replies));

    private static List<JsonElement> All(EmulatedMqttLink replies)
    {
        var all = new List<JsonElement>();
        while (replies.TakeReceived() is { } message)
        {
            all.Add(JsonDocument.Parse(message.Payload).RootElement.Clone());
        }

        return all;
    }

    private sealed class RecordingSignal : IUnitSignal
    {
        public bool Led { get; private set; }

        public int Beeps { get; private set; }

        public void SetLed(bool on) => Led = on;

        public void Beep(int milliseconds) => Beeps++;
    }

    private sealed class FixedBattery(int millivolts, int deciCelsius) : IBatterySensor
    {
        public int ReadBatteryMillivolts() => millivolts;

        public bool TryReadTemperature(out int temperature)
        {
            temperature = deciCelsius;
            return true;
        }
    }

    /// <summary>A reader port whose reads can be made to hang, as a wedged UART driver would.</summary>
    private sealed class BlockingPort(IBytePort inner) : IBytePort
    {
        private readonly ManualResetEventSlim _release = new(true);

        public ManualResetEventSlim Blocked { get; } = new(false);

        public bool IsOpen => inner.IsOpen;

        public int BaudRate
        {
            get => inner.BaudRate;
            set => inner.BaudRate = value;
        }

        public void Block() => _release.Reset();

        public void Release() => _release.Set();

        public void Open() => inner.Open();

        public void Close() => inner.Close();

        public int Read(byte[] buffer, int offset, int count)
        {
            if (!_release.IsSet)
            {
                Blocked.Set();
                _release.Wait();
            }

            return inner.Read(buffer, offset, count);
        }

        public void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public void DiscardInput() => inner.DiscardInput();
    }
}
