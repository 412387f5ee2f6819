using TimingMat.Mqtt.Broker;
using TimingMat.Tent.Emulation;
using TimingMat.Tent.Status;
using Xunit;

namespace TimingMat.Uplink.Tests.Tent;

/// <summary>
/// <c>timingmat emulate</c>'s faults on cue, seen as the tent sees them (the units' statuses on a real Mosquitto): a GPS
/// loss puts the clock in holdover and it locks again after; a reader silence takes the module out of reading and the
/// driver restarts it; an uplink cut leaves the broker's will and the unit comes back online. The unit without a fault
/// stays online, locked and reading throughout.
/// </summary>
public sealed class EmulatedFaultTests
{
    [Fact]
    public void GpsLossReaderSilenceAndUplinkCut_ShowInTheStatuses_AndEachUnitRecovers()
    {
        using var broker = new MosquittoProcess();
        broker.Start();
        var options = FaultedFleet.Options(broker, "gps-loss 1 at 15s for 20s; reader-silence 2 at 15s for 15s; uplink-cut 3 at 15s for 10s");
        var seen = new List<UnitStatusReport>();
        using var watch = UnitStatusWatch.Connect(broker.Address, "timingmat", null, null);
        watch.Received += s =>
        {
            lock (seen)
            {
                seen.Add(s.Status);
            }
        };
        using (var fleet = new EmulatedFleet(options))
        {
            fleet.Start();
            bool Healthy(UnitStatusReport s) => s.Online && s.Clock is { IsLocked: true } && s.Readers.Count > 0 && s.Readers.All(r => r.IsReading);

            // A status that matches after the unit was healthy (not the boot's settling readers or unsynced clock).
            bool Saw(int unit, Func<UnitStatusReport, bool> match)
            {
                lock (seen)
                {
                    return seen.Where(s => s.Unit == unit).SkipWhile(s => !Healthy(s)).Any(match);
                }
            }

            var deadline = DateTime.UtcNow.AddSeconds(120);
            var holdover = false;
            var relocked = false;
            var silenced = false;
            var restarted = false;
            var offline = false;
            var back = false;
            while (DateTime.UtcNow < deadline && !(holdover && relocked && silenced && restarted && offline && back))
            {
                Thread.Sleep(250);
                holdover = Saw(1, s => s.Clock is { State: "holdover", Fix: false });
                relocked = holdover && watch.Of(1)?.Status is { } one && Healthy(one) && one.Clock!.Fix;
                silenced = Saw(2, s => s.Readers.Any(r => !r.IsReading) && s.Online);
                restarted = silenced && watch.Of(2)?.Status is { } two && Healthy(two) && two.Readers.Sum(r => r.Restarts) > 0;
                offline = Saw(3, s => s.IsOffline);
                back = offline && watch.Of(3)?.Status is { } three && Healthy(three);
            }

            Assert.Equal(
                (true, true, true, true, true, true),
                (holdover, relocked, silenced, restarted, offline, back));

            // The unit without a fault: every status it published was online, locked and reading once it went live.
            lock (seen)
            {
                var four = seen.Where(s => s.Unit == 4).ToList();
                Assert.True(four.Count >= 10, $"unit 4 published {four.Count} statuses");
                Assert.All(four.SkipWhile(s => !Healthy(s)), s => Assert.True(Healthy(s), $"unit 4: {s}"));
                Assert.Equal(0, four[^1].Readers.Sum(r => r.Restarts));
                Assert.DoesNotContain(seen, s => s.Unit != 1 && s.Clock is { State: "holdover" });
            }
        }
    }
}
