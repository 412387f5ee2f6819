using TimingMat.Mqtt.Broker;
using TimingMat.Tent.Emulation;
using TimingMat.Tent.Monitoring;
using Xunit;

namespace TimingMat.Uplink.Tests.Tent;

/// <summary>
/// The monitor on a real Mosquitto with four emulated units: a GPS loss raises clock-unlocked on unit 1, a reader
/// silence reader-down on unit 2, an uplink cut unit-silent on unit 3 (the broker's will); each clears once its fault
/// ends and still shows until acknowledged; unit 4, without a fault, raises nothing; the passings reach the checkpoint
/// screens.
/// </summary>
public sealed class MonitorFleetTests
{
    [Fact]
    public void EachFault_RaisesItsAlarm_WhichClearsWhenTheFaultEnds_AndShowsUntilAcknowledged()
    {
        using var broker = new MosquittoProcess();
        broker.Start();
        var options = FaultedFleet.Options(broker, "gps-loss 1 at 15s for 20s; reader-silence 2 at 15s for 20s; uplink-cut 3 at 15s for 10s");
        var monitor = new FleetMonitor(new MonitorThresholds { SilentAfter = TimeSpan.FromSeconds(5), ReaderDownAfter = TimeSpan.FromSeconds(3) }, DateTime.UtcNow, FaultedFleet.Ids);
        var raised = new HashSet<(int Unit, string Kind)>();
        monitor.Changed += () =>
        {
            lock (raised)
            {
                raised.UnionWith(monitor.Snapshot(DateTime.UtcNow).Standing.Select(a => (a.Unit, a.Kind)));
            }
        };
        using var feed = MonitorFeed.Connect(monitor, broker.Address, "timingmat", null, null);
        using var fleet = new EmulatedFleet(options);
        fleet.Start();

        // Live and healthy first: every unit reporting, nothing standing.
        Assert.True(WaitFor(monitor, s => s.Units.All(u => u.ClockState == "locked" && u.ReadersReading == 1 && !u.Offline) && !s.Standing.Any(), 60), Describe(monitor));
        monitor.AcknowledgeAll();
        lock (raised)
        {
            raised.Clear();
        }

        (int, string)[] expected = [(1, "clock-unlocked"), (2, "reader-down"), (3, "unit-silent")];
        Assert.True(WaitFor(monitor, _ => { lock (raised) { return expected.All(raised.Contains); } }, 60), Describe(monitor));
        Assert.True(WaitFor(monitor, s => !s.Standing.Any() && s.Units.All(u => u.ClockState == "locked"), 90), Describe(monitor));

        var shown = monitor.Snapshot(DateTime.UtcNow).Alarms;
        Assert.Equal(expected, shown.Select(a => (a.Unit, a.Kind)).Order());
        Assert.All(shown, a => Assert.True(a.Highlighted && !a.Active && a.ClearedUtc != null, a.ToString()));
        lock (raised)
        {
            Assert.DoesNotContain(raised, r => r.Unit == 4);
        }

        Assert.Equal(3, monitor.AcknowledgeAll());
        Assert.Empty(monitor.Snapshot(DateTime.UtcNow).Alarms);

        // The passings came through beside the statuses: each mat's screen counts its runners, newest first.
        var screen = monitor.Checkpoint(4);
        Assert.True(screen.Count >= 10, $"unit 4's screen counted {screen.Count} crossings");
        Assert.Equal(screen.Latest.OrderByDescending(p => p.TimeUtc).Select(p => p.Sequence), screen.Latest.Select(p => p.Sequence));
        Assert.All(screen.Latest, p => Assert.Equal(24, p.Chip.Length));
    }

    private static bool WaitFor(FleetMonitor monitor, Func<FleetSnapshot, bool> condition, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            monitor.Tick(DateTime.UtcNow);
            if (condition(monitor.Snapshot(DateTime.UtcNow)))
            {
                return true;
            }

            Thread.Sleep(200);
        }

        return false;
    }

    private static string Describe(FleetMonitor monitor)
    {
        var s = monitor.Snapshot(DateTime.UtcNow);
        return string.Join("; ", s.Units.Select(u => $"unit {u.Unit} {u.ClockState} readers {u.ReadersReading}/{u.Readers} offline {u.Offline} seen {u.SecondsSinceSeen}")) + " | " + string.Join("; ", s.Alarms);
    }
}
