using System.Text.Json;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Power;
using TimingMat.Mqtt.Broker;
using TimingMat.Tent.Emulation;
using TimingMat.Tent.Monitoring;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// The monitor's battery-low and journal-filling alarms end to end, on a real Mosquitto with four emulated units: unit 2's
/// pack runs down for 30 s (the voltage its supply sensing reads falls below the core's <c>battery_low</c> level) and
/// unit 3's journal holds a quarter of an hour of its mat's passings (its status says under the core's one hour of
/// outage left). Each raises exactly its alarm on exactly its unit, from the unit's own status; <c>monitor --once</c> exits
/// 80 naming both; battery-low clears when a charged pack is back and still shows until acknowledged; the journal's
/// alarm stands (its size does not change); units 1 and 4 raise nothing.
/// </summary>
public sealed class MonitorPowerAndJournalTests
{
    private static readonly int[] Ids = [1, 2, 3, 4];
    private static readonly byte[] Key = Convert.FromHexString("5e1f0c3a9b7d24e68f0a1c3e5b7d9f21");

    [Fact]
    public void BatteryLowAndJournalFilling_RaiseTheirAlarmOnTheirUnitOnly_AndBatteryLowClearsWhenThePackIsBack()
    {
        using var broker = new MosquittoProcess();
        broker.Start();
        var monitor = new FleetMonitor(new MonitorThresholds(), DateTime.UtcNow, Ids);
        var raised = new HashSet<(int Unit, string Kind)>();
        var watching = false;
        monitor.Changed += () =>
        {
            lock (raised)
            {
                if (watching)
                {
                    raised.UnionWith(monitor.Snapshot(DateTime.UtcNow).Standing.Select(a => (a.Unit, a.Kind)));
                }
            }
        };
        using var feed = MonitorFeed.Connect(monitor, broker.Address, "timingmat", null, null);
        using var fleet = new EmulatedFleet(new EmulationOptions
        {
            Broker = broker.Address,
            Units = [.. Ids.Select(id => new EmulatedUnitSpec(id, "km" + id, Key))],
            RunnersPerSecond = 2,
            StatusIntervalSeconds = 1,
            Faults = FaultPlan.Parse("battery-low 2 at 30s for 30s; journal-filling 3", Ids),
        });
        fleet.Start();

        // Live first: every unit online, locked and reading, and nothing standing but what the faults raise.
        (int, string)[] faulted = [(2, "battery-low"), (3, "journal-filling")];
        Until(monitor, "live", s => s.Units.All(u => u.ClockState == "locked" && u.ReadersReading == 1 && !u.Offline) && s.Standing.All(a => faulted.Contains((a.Unit, a.Kind))), 60);
        lock (raised)
        {
            watching = true;
        }

        // The pack runs down 30 s after the start: both alarms stand, each with what the unit's own status says.
        var picture = Until(monitor, "both raised", s => faulted.All(f => s.Standing.Any(a => (a.Unit, a.Kind) == f)), 60);
        var two = picture.Units.Single(u => u.Unit == 2);
        Assert.Equal(UnitStatus.BatteryPercent(EmulatedBattery.RunDownMillivolts), two.BatteryPercent);
        Assert.InRange(two.BatteryPercent!.Value, 1, UnitStatus.LowBatteryPercent - 1);
        Assert.Equal($"battery {two.BatteryPercent} %", two.Alarms.Single(a => a.Kind == "battery-low").Detail);
        var three = picture.Units.Single(u => u.Unit == 3);
        Assert.NotNull(three.RemainingHours);
        Assert.InRange(three.RemainingHours.Value, 0, UnitStatus.FillingAlarmHours - 0.1);
        Assert.Contains("h of outage left", three.Alarms.Single(a => a.Kind == "journal-filling").Detail);
        Assert.All(picture.Units.Where(u => u.Unit != 3), u => Assert.True(u.RemainingHours is null or > 1, $"unit {u.Unit}: {u.RemainingHours} h left"));
        Assert.All(picture.Units.Where(u => u.Unit != 2), u => Assert.Equal(UnitStatus.BatteryPercent(EmulatedBattery.ChargedMillivolts), u.BatteryPercent));

        // As the crew's script sees it: exit 80 naming both, and the JSON picture holds exactly those two.
        var (code, _, stderr) = Monitor(broker);
        Assert.Equal(80, code);
        // In the order the monitor heard them, which is the order the units' first statuses came in.
        Assert.Contains("error TM80 fleet-alarms: 2 alarm(s) stand: unit ", stderr);
        Assert.Contains($"unit 2 battery-low (battery {two.BatteryPercent} %)", stderr);
        Assert.Contains("unit 3 journal-filling (", stderr);
        Assert.Contains("unacknowledged (", stderr);
        (code, var stdout, _) = Monitor(broker, "--json");
        Assert.Equal(80, code);
        using (var json = JsonDocument.Parse(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0]))
        {
            Assert.Equal(faulted, json.RootElement.GetProperty("alarms").EnumerateArray().Select(a => (a.GetProperty("unit").GetInt32(), a.GetProperty("kind").GetString()!)).Order());
        }

        // A charged pack is back 60 s after the start: battery-low clears and shows, cleared, until acknowledged.
        var shown = Until(monitor, "battery-low cleared", s => s.Standing.Select(a => (a.Unit, a.Kind)).SequenceEqual([(3, "journal-filling")]), 60);
        var battery = shown.Alarms.Single(a => a.Unit == 2);
        Assert.True(battery is { Kind: "battery-low", Active: false, Highlighted: true, ClearedUtc: not null }, battery.ToString());
        Assert.Equal(UnitStatus.BatteryPercent(EmulatedBattery.ChargedMillivolts), shown.Units.Single(u => u.Unit == 2).BatteryPercent);
        Assert.True(monitor.Acknowledge(2, AlarmKind.BatteryLow));
        Assert.Equal([(3, "journal-filling")], monitor.Snapshot(DateTime.UtcNow).Alarms.Select(a => (a.Unit, a.Kind)));

        (code, _, stderr) = Monitor(broker);
        Assert.Equal(80, code);
        Assert.Contains("1 alarm(s) stand: unit 3 journal-filling (", stderr);

        lock (raised)
        {
            Assert.Equal(faulted, raised.Order());
        }
    }

    [Fact]
    public void Emulate_RefusesAJournalFillingWithATime_OrWithoutRunners_WithAFix()
    {
        // Refused before anything runs (the broker is never dialled), each with what to give instead.
        (string[] Faults, string Says, string Fix)[] refused =
        [
            (["journal-filling 2 at 30s"], "journal-filling is the size of the unit's journal, set at boot for the whole run; give it without 'at' or 'for', e.g. 'journal-filling 2'", "fix: see 'timingmat emulate --help'"),
            (["journal-filling 2", "--rate", "0"], "journal-filling sizes the unit's journal by the runners' rate, and --rate is 0.", "fix: give --rate above 0"),
        ];
        foreach (var (faults, says, fix) in refused)
        {
            var result = CliRunner.InProcess(["emulate", "--units", "3", "--broker", "mqtt://127.0.0.1:1", "--faults", .. faults]);
            Assert.True(result.Code == 12 && result.Error.Contains(says, StringComparison.Ordinal) && result.Error.Contains(fix, StringComparison.Ordinal), $"exit {result.Code}: {result.Error}");
        }

        var plan = FaultPlan.Parse("battery-low 1 at 2m for 30s; journal-filling 3", [1, 2, 3]);
        Assert.Equal(
            [new EmulatedFault(EmulatedFaultKind.BatteryLow, 1, 0, 120_000_000, 30_000_000), new EmulatedFault(EmulatedFaultKind.JournalFilling, 3, 0, 0, long.MaxValue)],
            plan.Faults);
    }

    private static (int Code, string Out, string Error) Monitor(MosquittoProcess broker, params string[] more) =>
        CliRunner.InProcess(["monitor", "--once", "--units", "1-4", "--broker", broker.Address.ToString(), .. more]);

    // Ticks the monitor (a silent unit is timed) and looks every 200 ms; fails with the fleet's picture when it times out.
    private static FleetSnapshot Until(FleetMonitor monitor, string what, Func<FleetSnapshot, bool> condition, int seconds)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(seconds); ; Thread.Sleep(200))
        {
            monitor.Tick(DateTime.UtcNow);
            var s = monitor.Snapshot(DateTime.UtcNow);
            if (condition(s))
            {
                return s;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"not {what} within {seconds} s: " + string.Join("; ", s.Units.Select(u => $"unit {u.Unit} {u.ClockState} readers {u.ReadersReading}/{u.Readers} offline {u.Offline} battery {u.BatteryPercent} journal {u.JournalFillPercent} % {u.RemainingHours} h")) + " | " + string.Join("; ", s.Alarms));
            }
        }
    }
}
