using TimingMat.Mqtt.Broker;
using TimingMat.Simulation.Field;
using TimingMat.Uplink.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TimingMat.Uplink.Tests;

/// <summary>
/// A unit process killed twice mid-race (SIGKILL, as a power cut) and started again on its journal: every passing it
/// journaled reaches the collector once (<see cref="UplinkBrokerTests"/>).
/// </summary>
[Collection(UnitProcessCollection.Name)]
public sealed class UnitKillTests(ITestOutputHelper log) : UplinkBrokerTests
{
    [Fact]
    public void UnitProcess_KilledTwiceMidRaceAndRestarted_LosesNothingItJournaled_AndDuplicatesNothing()
    {
        var broker = Own(new MosquittoProcess());
        broker.Start();
        var collector = StartCollector(broker.Address);
        var unit = Own(new StartLineUnit(9, Root, broker.Address, runners: 1000, perSecond: 20));
        var mat = unit.Mat;

        // Runs of the unit, each from when it ran until it was killed (race time); the mat plays on throughout.
        var runs = new List<(long From, long To)>();
        var first = unit.StartUnit();
        mat.Start();
        var from = mat.TrueNow;
        WaitUntilCollected(collector, [unit], 100);
        runs.Add((from, mat.TrueNow));
        first.Kill();

        var second = unit.StartUnit();
        from = mat.TrueNow;
        var before = Collected(collector, 9);
        WaitUntilCollected(collector, [unit], before + 200);
        runs.Add((from, mat.TrueNow));
        second.Kill();

        unit.StartUnit();
        from = mat.TrueNow;
        unit.WaitUntilAllCollected(collector, TimeSpan.FromSeconds(60));
        var final = unit.StopUnit();
        runs.Add((from, long.MaxValue));

        collector.Stop();
        var stored = collector.Read((_, store) => store.ReadPassings(9));
        var journal = final.GetProperty("journal");
        var last = journal.GetProperty("last_seq").GetInt64();

        // Every passing the unit journaled reached the collector once, numbered without a gap across the three runs.
        Assert.Equal(Enumerable.Range(1, (int)last).Select(i => (long)i), stored.Select(p => p.Passing.Sequence));
        Assert.Equal(last, journal.GetProperty("acked_seq").GetInt64());
        Assert.True(last >= before + 200, $"the journal ends at seq {last}, below the {before + 200} collected before the second kill");
        AssertSameAsJournal(unit.Journal, 9, stored);

        // The same journal across every boot; the third boot knows it is the third, after two that ended unclean.
        var boot = final.GetProperty("boot");
        Assert.Equal(("reset", 3, 2), (boot.GetProperty("reason").GetString(), boot.GetProperty("boots").GetInt32(), boot.GetProperty("crashes").GetInt32()));

        // No runner twice (a restart does not make passings again), and every runner the reader read while the unit had
        // been up 5 s and 5 s before a kill was timed: only crossings open or waiting in RAM at a kill may be missing.
        var bibs = stored.Select(p => RaceField.TryBibOf(p.Passing.Epc.AsSpan(0, p.Passing.EpcLength))).ToList();
        Assert.Equal(bibs.Count, bibs.Distinct().Count());
        var surely = runs.Select(r => mat.BibsCrossing(r.From + (5 * Second), r.To == long.MaxValue ? long.MaxValue : r.To - (5 * Second)).Where(b => mat.ReadsOf(b) > 0).ToList()).ToList();
        Assert.True(surely[2].Count >= 100, $"only {surely[2].Count} runners crossed in the third run: the kills came too late in the race");
        log.WriteLine($"{stored.Count} passings collected of {mat.Crossings.Count} runners; runners surely timed per run {string.Join(", ", surely.Select(r => r.Count))}; boot {final.GetProperty("boot")}");
        Assert.Empty(surely.SelectMany(r => r).Except(bibs));
        Assert.Empty(bibs.Except(mat.BibsCrossing(long.MinValue, long.MaxValue)));
    }
}
