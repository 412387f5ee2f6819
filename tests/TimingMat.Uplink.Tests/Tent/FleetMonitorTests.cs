using System.Text.Json;
using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;
using TimingMat.Tent.Monitoring;
using TimingMat.Tent.Status;
using Xunit;

namespace TimingMat.Uplink.Tests.Tent;

/// <summary>
/// The monitor's fleet model on statuses and batches made here, time given (no waiting): each alarm is raised by its
/// condition, cleared when it ends, highlighted until acknowledged, and still shown after clearing until acknowledged;
/// the checkpoint screen counts each crossing once, newest first, with the bib when the chips file maps the chip.
/// </summary>
public sealed class FleetMonitorTests
{
    private static readonly DateTime T0 = new(2026, 10, 4, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void AHealthyUnit_RaisesNothing_AndItsRowShowsItsStatus()
    {
        var monitor = new FleetMonitor(new MonitorThresholds(), T0);
        monitor.Observe(Seen(7, T0, Healthy()));
        monitor.Tick(T0.AddSeconds(29));
        var snapshot = monitor.Snapshot(T0.AddSeconds(29));
        var unit = Assert.Single(snapshot.Units);
        Assert.Empty(snapshot.Alarms);
        Assert.Equal(
            (7, "km05", "timing", (int?)70, (bool?)true, (int?)9, "locked", (double?)0.412, 1, 1, 412.3, 2L, 22L, (double?)32.4, (double?)29.0),
            (unit.Unit, unit.Mat, unit.Mode, unit.BatteryPercent, unit.Fix, unit.Satellites, unit.ClockState, unit.ClockOffsetMs, unit.ReadersReading, unit.Readers, unit.ReadsPerSecond, unit.Backlog, unit.Unacknowledged, unit.JournalFillPercent, unit.SecondsSinceSeen));
    }

    [Fact]
    public void ASilentUnit_IsRaisedAfter30s_ClearedByItsNextStatus_AndStillShownUntilAcknowledged()
    {
        var monitor = new FleetMonitor(new MonitorThresholds(), T0);
        monitor.Observe(Seen(7, T0, Healthy()));
        Assert.False(monitor.Tick(T0.AddSeconds(29.9)));
        Assert.True(monitor.Tick(T0.AddSeconds(30)));
        var alarm = Assert.Single(monitor.Snapshot(T0.AddSeconds(30)).Alarms);
        Assert.Equal((7, "unit-silent", "no status for 30 s", true, true), (alarm.Unit, alarm.Kind, alarm.Detail, alarm.Active, alarm.Highlighted));

        // It speaks again: the condition ends, the alarm still shows, cleared, highlighted until acknowledged.
        monitor.Observe(Seen(7, T0.AddSeconds(45), Healthy()));
        alarm = Assert.Single(monitor.Snapshot(T0.AddSeconds(45)).Alarms);
        Assert.Equal((false, true, (DateTime?)T0.AddSeconds(45)), (alarm.Active, alarm.Highlighted, alarm.ClearedUtc));
        Assert.Empty(monitor.Snapshot(T0.AddSeconds(45)).Standing);

        Assert.True(monitor.Acknowledge(7, AlarmKind.UnitSilent));
        Assert.Empty(monitor.Snapshot(T0.AddSeconds(46)).Alarms);
        Assert.False(monitor.Acknowledge(7, AlarmKind.UnitSilent));
    }

    [Fact]
    public void AnAcknowledgedAlarm_ShowsUnhighlightedWhileItStands_LeavesWhenItEnds_AndARaiseCallsAgain()
    {
        var monitor = new FleetMonitor(new MonitorThresholds(), T0);
        monitor.Observe(Seen(3, T0, Healthy(clock: """{"state":"holdover","offset_us":300,"uncertainty_us":900,"pps":50,"satellites":0,"fix":false}""")));
        var alarm = Assert.Single(monitor.Snapshot(T0).Alarms);
        Assert.Equal(("clock-unlocked", "clock holdover, no GPS fix", true), (alarm.Kind, alarm.Detail, alarm.Highlighted));

        Assert.Equal(1, monitor.AcknowledgeAll());
        alarm = Assert.Single(monitor.Snapshot(T0).Alarms);
        Assert.Equal((true, false), (alarm.Active, alarm.Highlighted));

        monitor.Observe(Seen(3, T0.AddSeconds(10), Healthy()));
        Assert.Empty(monitor.Snapshot(T0.AddSeconds(10)).Alarms);

        monitor.Observe(Seen(3, T0.AddSeconds(20), Healthy(clock: """{"state":"unsynced","pps":0,"satellites":0,"fix":false}""")));
        alarm = Assert.Single(monitor.Snapshot(T0.AddSeconds(20)).Alarms);
        Assert.Equal((true, true, T0.AddSeconds(20), "clock unsynced, no GPS fix"), (alarm.Active, alarm.Highlighted, alarm.RaisedUtc, alarm.Detail));
    }

    [Fact]
    public void TheBrokersWill_RaisesUnitSilentAtOnce_AndKeepsTheOtherAlarmsAsLastSeen()
    {
        var monitor = new FleetMonitor(new MonitorThresholds(), T0);
        monitor.Observe(Seen(4, T0, Healthy(battery: 12)));
        monitor.Observe(new SeenStatus(UnitStatusReport.Parse("timingmat/4/status", "timingmat", """{"unit":4,"state":"offline"}"""u8.ToArray())!, T0.AddSeconds(1)));
        var kinds = monitor.Snapshot(T0.AddSeconds(1)).Alarms.Select(a => (a.Kind, a.Active, a.Detail)).ToList();
        Assert.Equal([("battery-low", true, "battery 12 %"), ("unit-silent", true, "offline (the broker's last will: its connection dropped)")], kinds);
        Assert.True(monitor.Snapshot(T0.AddSeconds(1)).Units[0].Offline);
    }

    [Fact]
    public void AReaderOut_IsDownOnlyAfter10s_AndTheUnitsOwnReaderDownRaisesItAtOnce()
    {
        var monitor = new FleetMonitor(new MonitorThresholds(), T0);
        monitor.Observe(Seen(2, T0, Healthy(reader: "backoff")));
        monitor.Observe(Seen(2, T0.AddSeconds(5), Healthy(reader: "starting")));
        Assert.Empty(monitor.Snapshot(T0.AddSeconds(5)).Alarms);
        monitor.Tick(T0.AddSeconds(10));
        var alarm = Assert.Single(monitor.Snapshot(T0.AddSeconds(10)).Alarms);
        Assert.Equal(("reader-down", "reader 0 starting for 10 s"), (alarm.Kind, alarm.Detail));
        monitor.Observe(Seen(2, T0.AddSeconds(11), Healthy()));
        Assert.False(Assert.Single(monitor.Snapshot(T0.AddSeconds(11)).Alarms).Active);

        var other = new FleetMonitor(new MonitorThresholds(), T0);
        other.Observe(Seen(5, T0, Healthy(alarms: "\"reader_down\"")));
        Assert.Equal("reader-down", Assert.Single(other.Snapshot(T0).Alarms).Kind);
    }

    [Fact]
    public void AFillingJournalAndALowBattery_AreRaisedAtTheirThresholds_AndClearedBelowThem()
    {
        var monitor = new FleetMonitor(new MonitorThresholds { JournalUnacknowledgedPercent = 75, BatteryLowPercent = 25 }, T0);
        monitor.Observe(Seen(1, T0, Healthy(unacked: 74_900, battery: 25)));
        Assert.Empty(monitor.Snapshot(T0).Alarms);
        monitor.Observe(Seen(1, T0.AddSeconds(10), Healthy(unacked: 75_000, battery: 24)));
        Assert.Equal(["battery-low", "journal-filling"], monitor.Snapshot(T0.AddSeconds(10)).Standing.Select(a => a.Kind).Order());
        Assert.Equal("75000 unacknowledged (75 % of the journal), 6.3 h of outage left, journal 32.4 % full", monitor.Snapshot(T0.AddSeconds(10)).Alarms.Single(a => a.Kind == "journal-filling").Detail);

        // Under an hour of outage left is filling too, whatever the fill.
        monitor.Observe(Seen(1, T0.AddSeconds(20), Healthy(fill: 10, remaining: 0.9)));
        Assert.Equal(["journal-filling"], monitor.Snapshot(T0.AddSeconds(20)).Standing.Select(a => a.Kind));
        monitor.Observe(Seen(1, T0.AddSeconds(30), Healthy()));
        Assert.Empty(monitor.Snapshot(T0.AddSeconds(30)).Standing);
        Assert.Equal(2, monitor.AcknowledgeAll());
        Assert.Empty(monitor.Snapshot(T0.AddSeconds(30)).Alarms);
    }

    [Fact]
    public void AJournalFullOfAcknowledgedPassings_KeptAsABackup_IsNoAlarm()
    {
        // Seven hours at a busy mat: the journal keeps what the collector acknowledged until it needs the space, so
        // its fill passes 80 % on a healthy unit. Only what is not acknowledged fills it.
        var monitor = new FleetMonitor(new MonitorThresholds(), T0);
        monitor.Observe(Seen(1, T0, Healthy(fill: 95, unacked: 22)));
        Assert.Empty(monitor.Snapshot(T0).Alarms);
        monitor.Observe(Seen(1, T0.AddSeconds(10), Healthy(fill: 95, unacked: 80_000)));
        Assert.Equal(["journal-filling"], monitor.Snapshot(T0.AddSeconds(10)).Standing.Select(a => a.Kind));
    }

    [Fact]
    public void AnExpectedUnitNeverHeardFrom_IsShown_AndSilent30sAfterTheStart()
    {
        var monitor = new FleetMonitor(new MonitorThresholds(), T0, [5, 9]);
        monitor.Observe(Seen(5, T0.AddSeconds(1), Healthy()));
        monitor.Tick(T0.AddSeconds(30));
        var snapshot = monitor.Snapshot(T0.AddSeconds(30));
        Assert.Equal([5, 9], snapshot.Units.Select(u => u.Unit));
        var alarm = Assert.Single(snapshot.Alarms);
        Assert.Equal((9, "unit-silent", "never heard from"), (alarm.Unit, alarm.Kind, alarm.Detail));
    }

    [Fact]
    public void TheCheckpointScreen_CountsEachCrossingOnce_NewestFirst_WithTheBibWhereTheChipsFileHasIt()
    {
        var bibs = ChipBibs.Parse("bib,chip\n# the elite field\n101,E28011606000020500000001\n\"102\";E28011606000020500000002\n", "chips.csv");
        var monitor = new FleetMonitor(new MonitorThresholds(), T0, bibs: bibs, zone: TimeZoneInfo.CreateCustomTimeZone("race", TimeSpan.FromHours(2), "race", "race"), passingsKept: 2);
        var first = Batch(7, 100, (1, 0), (2, 500_000), (3, 1_000_000));
        Assert.Equal(3, monitor.ObservePassings(7, first));
        Assert.Equal(0, monitor.ObservePassings(7, first));
        Assert.Equal(1, monitor.ObservePassings(7, Batch(7, 103, (2, 2_250_000))));
        Assert.Equal(-1, monitor.ObservePassings(8, first));
        first[40] ^= 0xFF;
        Assert.Equal(-1, monitor.ObservePassings(7, first));

        var screen = monitor.Checkpoint(7);
        Assert.Equal(4, screen.Count);
        Assert.Equal(
            [(103L, "102", "10:00:02.2", "E28011606000020500000002"), (102L, "E28011606000020500000003", "10:00:01.0", "E28011606000020500000003")],
            screen.Latest.Select(p => (p.Sequence, p.Shown, p.TimeOfDay, p.Chip)));
        Assert.Equal(4, monitor.Snapshot(T0).Units.Single().PassingsSeen);
    }

    [Fact]
    public void AChipsFileWithABadLine_IsRefusedNamingTheLine()
    {
        var e = Assert.Throws<FormatException>(() => ChipBibs.Parse("101,E28011606000020500000001\n102,not-a-chip\n", "chips.csv"));
        Assert.StartsWith("chips.csv: line 2: '102,not-a-chip': expected BIB,CHIP", e.Message);
        e = Assert.Throws<FormatException>(() => ChipBibs.Parse("101,E28011606000020500000001\n102,e28011606000020500000001\n", "chips.csv"));
        Assert.Equal("chips.csv: line 2: chip e28011606000020500000001 is given to bib 101 already: one chip, one bib", e.Message);
    }

    private static SeenStatus Seen(int unit, DateTime at, string json)
    {
        using var document = JsonDocument.Parse(json.Replace("\"unit\":7,", $"\"unit\":{unit},", StringComparison.Ordinal));
        return new SeenStatus(UnitStatusReport.From(document.RootElement, unit), at);
    }

    private static string Healthy(string? clock = null, string reader = "reading", double fill = 32.4, double remaining = 6.3, int battery = 70, string alarms = "", long unacked = 22) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $$"""
        {"unit":7,"state":"online","mat":"km05","role":"split","mode":"timing","uptime_s":812.4,
         "clock":{{clock ?? """{"state":"locked","offset_us":412,"uncertainty_us":180,"pps":800,"satellites":9,"fix":true}"""}},
         "readers":[{"reader":0,"state":"{{reader}}","reads":183220,"reads_per_s":412.3,"restarts":0}],
         "passings":{"made":20312},
         "journal":{"unacked":{{unacked}},"capacity_passings":100000,"fill_pct":{{fill}},"remaining_h":{{remaining}}},
         "outbox":{"online":true,"backlog":2},
         "battery":{"mv":3912,"pct":{{battery}}},
         "alarms":[{{alarms}}]}
        """);

    // A batch of crossings (chip number, µs after 08:00:00 UTC) from sequence `first` on.
    private static byte[] Batch(int unit, long first, params (int Chip, long Micros)[] crossings)
    {
        var buffer = new byte[BatchFormat.HeaderBytes + (crossings.Length * PassingBody.MaxBytes)];
        var position = BatchFormat.HeaderBytes;
        foreach (var (chip, micros) in crossings)
        {
            var p = new Passing { Kind = PassingKind.Crossing, UnitId = unit, EpcLength = 12, TimeUtcMicros = ((T0 - DateTime.UnixEpoch).Ticks / 10) + micros, Hits = 3 };
            Convert.FromHexString("E2801160600002050000000" + chip).CopyTo(p.Epc, 0);
            position += PassingBody.Write(p, buffer, position);
        }

        var length = BatchFormat.Seal(buffer, 0, unit, 42, first, first - 1, crossings.Length, position - BatchFormat.HeaderBytes);
        return buffer[..length];
    }
}
