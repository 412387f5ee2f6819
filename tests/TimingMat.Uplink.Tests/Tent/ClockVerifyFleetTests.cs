using System.Globalization;
using TimingMat.Mqtt.Broker;
using TimingMat.Tent.Clock;
using TimingMat.Tent.Commands;
using TimingMat.Tent.Emulation;
using TimingMat.Tent.Status;
using Xunit;
using Xunit.Abstractions;

namespace TimingMat.Uplink.Tests.Tent;

/// <summary>
/// <c>clock verify</c>'s measurement on a real Mosquitto with emulated units: a fleet where one unit's PPS arrives
/// 5 ms late (its own clock cannot see it) fails that unit and only that one; the rest of the fleet passes.
/// </summary>
[Collection(TightTimingCollection.Name)]
public sealed class ClockVerifyFleetTests(ITestOutputHelper output)
{
    private static readonly byte[] Key = Convert.FromHexString("5e1f0c3a9b7d24e68f0a1c3e5b7d9f21");

    [Fact]
    public void AFleetWithOneUnitFiveMillisecondsLate_FailsExactlyThatUnit_AndTheOthersPass()
    {
        using var broker = new MosquittoProcess();
        broker.Start();
        int[] ids = [1, 2, 3, 4, 5];
        var options = new EmulationOptions
        {
            Broker = broker.Address,
            Units = [.. ids.Select(id => new EmulatedUnitSpec(id, "km" + id, Key))],
            RunnersPerSecond = 2,
            Faults = FaultPlan.Parse("clock-offset 3 5ms", ids),
        };
        using var fleet = new EmulatedFleet(options);
        fleet.Start();
        using var tent = TentCommander.Connect(broker.Address, "timingmat", null, null);
        using (var watch = UnitStatusWatch.Connect(broker.Address, "timingmat", null, null))
        {
            // As a crew would: verify once every unit says it is online with a locked clock.
            Assert.True(watch.WaitUntil(seen => ids.All(id => seen.TryGetValue(id, out var s) && s.Status.Online && s.Status.Clock is { IsLocked: true }), TimeSpan.FromSeconds(60)), "the units did not come online locked");
        }

        var all = ClockVerifier.Verify(tent, [.. ids.Select(id => (id, (byte[]?)Key))], 1000, 5000, 8, TimeSpan.FromSeconds(5));
        Report("whole fleet", all);
        var healthy = ClockVerifier.Verify(tent, [.. ids.Where(id => id != 3).Select(id => (id, (byte[]?)Key))], 1000, 5000, 8, TimeSpan.FromSeconds(5));
        Report("fleet without unit 3", healthy);

        Assert.Equal("fleet-median", all.Reference);
        Assert.Equal([3], all.Failed.Select(u => u.Unit));
        var late = all.Units.Single(u => u.Unit == 3);
        Assert.Equal("offset", late.Verdict);
        Assert.InRange(late.OffsetMs!.Value, -6, -4);
        Assert.All(all.Units.Where(u => u.Unit != 3), u => Assert.InRange(u.OffsetMs!.Value, -1, 1));
        Assert.True(healthy.Passed, string.Join("; ", healthy.Failed.Select(u => $"unit {u.Unit} {u.Verdict}: {u.Detail}")));
    }

    private void Report(string what, ClockVerification result)
    {
        output.WriteLine($"{what}: reference {result.Reference}, host offset {result.HostOffsetMs} ms");
        foreach (var u in result.Units)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  unit {u.Unit}: {u.Verdict} offset {u.OffsetMs} ms host {u.HostOffsetMs} ms ±{u.UncertaintyMs} ms rtt {u.RoundTripMs} ms ({u.Exchanges} exchanges) {u.Detail}"));
        }
    }
}
