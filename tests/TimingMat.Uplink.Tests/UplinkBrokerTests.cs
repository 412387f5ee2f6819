using System.Text.Json;
using TimingMat.Collector;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;
using TimingMat.Host.Storage;
using TimingMat.Mqtt;
using TimingMat.Mqtt.Broker;
using TimingMat.Simulation.Field;
using TimingMat.Uplink.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace TimingMat.Uplink.Tests;

/// <summary>
/// Mat units — <c>timingmat unit</c> processes, the application the board runs, timing runners an emulated start mat
/// plays into their reader, GPS and PPS wiring — and the collector on a real Mosquitto started by the test, with the
/// faults of a race day: the broker crashing or restarting mid-race, the network cut under units and collector, a unit
/// killed and restarted. The collector must end up with every passing exactly once, identical to the units' journals.
/// </summary>
public sealed class UplinkBrokerTests(ITestOutputHelper log) : IDisposable
{
    // 200 runners at 10 a second per unit: 20 s of a busy start line, every unit streaming through the faults.
    private const int Runners = 200;
    private const long Second = 1_000_000;

    private readonly string _root = Directory.CreateTempSubdirectory("tm-uplink-").FullName;
    private readonly List<IDisposable> _cleanup = [];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ThreeUnitsStreaming_ThroughABrokerCrashOrRestart_LoseNothing(bool orderlyRestartWithPersistence)
    {
        var broker = Own(new MosquittoProcess(new MosquittoSettings { Persistence = orderlyRestartWithPersistence }));
        broker.Start();
        var collector = StartCollector(broker.Address);
        var units = Enumerable.Range(1, 3).Select(id => StartUnit(id, broker.Address, Runners)).ToList();

        // The broker goes down while every unit is streaming passings.
        WaitUntilCollected(collector, units, 30);
        if (orderlyRestartWithPersistence)
        {
            broker.Stop();
        }
        else
        {
            broker.Kill();
        }

        Thread.Sleep(1000);
        broker.Start();

        StopAndVerify(collector, units, final => Assert.True(final.GetProperty("outbox").GetProperty("connections").GetInt32() >= 2, "the unit should have reconnected"));
    }

    [Fact]
    public void NetworkCuts_UnderTheUnitsAndTheCollector_LoseNothing()
    {
        var broker = Own(new MosquittoProcess());
        broker.Start();
        var unitsPath = Own(new TcpCutProxy(broker.Port));
        var collectorPath = Own(new TcpCutProxy(broker.Port));
        var collector = StartCollector(collectorPath.Address);
        var units = Enumerable.Range(1, 2).Select(id => StartUnit(id, unitsPath.Address, Runners)).ToList();

        WaitUntilCollected(collector, units, 20);
        unitsPath.Sever();
        Thread.Sleep(1500);
        unitsPath.Restore();
        Thread.Sleep(500);
        collectorPath.Sever();
        Thread.Sleep(1500);
        collectorPath.Restore();

        StopAndVerify(collector, units, final => Assert.True(final.GetProperty("outbox").GetProperty("connections").GetInt32() >= 2, "the unit should have reconnected"));
        Assert.True(collector.Read((c, _) => c.Connections) >= 2);
    }

    [Fact]
    public void UnitProcess_KilledTwiceMidRaceAndRestarted_LosesNothingItJournaled_AndDuplicatesNothing()
    {
        var broker = Own(new MosquittoProcess());
        broker.Start();
        var collector = StartCollector(broker.Address);
        var unit = Own(new StartLineUnit(9, _root, broker.Address, runners: 1000, perSecond: 20));
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

    public void Dispose()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            _cleanup[i].Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }

    private static int Collected(CollectorService collector, int unit) =>
        (int)collector.Read((c, _) => c.Ledger.TryGetValue(unit, out var u) ? u.Contiguous : 0);

    /// <summary>Waits until the collector holds at least so many passings of every unit: they are streaming.</summary>
    private static void WaitUntilCollected(CollectorService collector, List<StartLineUnit> units, int passings)
    {
        // The first runner crosses about 25 s after the GPS powers on, once the unit's clock has locked.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!units.All(u => Collected(collector, u.Id) >= passings))
        {
            Assert.True(DateTime.UtcNow < deadline, $"units did not deliver {passings} passings within 90 s: " + string.Join(", ", units.Select(u => $"unit {u.Id} {Collected(collector, u.Id)}")));
            Thread.Sleep(50);
        }
    }

    private static void AssertSameAsJournal(string directory, int unit, List<CollectedPassing> stored)
    {
        using var files = new DirectoryFileStore(directory);
        var journal = new PassingJournal(files, new JournalOptions(unit));
        Assert.True(journal.Open());
        var cursor = journal.CreateCursor();
        var expected = new Passing();
        var i = 0;
        while (cursor.TryRead(expected))
        {
            var actual = stored[i++].Passing;
            Assert.Equal(expected.Sequence, actual.Sequence);
            Assert.Equal(expected.Epc[..12], actual.Epc[..12]);
            Assert.Equal(expected.TimeUtcMicros, actual.TimeUtcMicros);
        }

        Assert.Equal(stored.Count, i);
    }

    private void StopAndVerify(CollectorService collector, List<StartLineUnit> units, Action<JsonElement> check)
    {
        var finals = new List<JsonElement>();
        foreach (var unit in units)
        {
            unit.WaitUntilAllCollected(collector, TimeSpan.FromSeconds(60));
        }

        foreach (var unit in units)
        {
            finals.Add(unit.StopUnit());
        }

        collector.Stop();
        for (var i = 0; i < units.Count; i++)
        {
            var (unit, final) = (units[i], finals[i]);
            var stored = collector.Read((_, store) => store.ReadPassings(unit.Id));
            var count = stored.Count;

            // Every runner the mat's reader read is one passing, numbered 1.. without a gap, as the unit journaled it.
            var read = unit.BibsRead;
            Assert.Equal(read.Order(), stored.Select(p => RaceField.TryBibOf(p.Passing.Epc.AsSpan(0, p.Passing.EpcLength))).Order());
            Assert.True(read.Count >= Runners - 2, $"unit {unit.Id}: the reader read only {read.Count} of {Runners} runners");
            Assert.Equal(Enumerable.Range(1, count).Select(n => (long)n), stored.Select(p => p.Passing.Sequence));
            Assert.Equal(count, collector.Read((c, _) => c.Ledger[unit.Id].Contiguous));
            var journal = final.GetProperty("journal");
            Assert.Equal((count, count), (journal.GetProperty("last_seq").GetInt64(), journal.GetProperty("acked_seq").GetInt64()));
            check(final);
            AssertSameAsJournal(unit.Journal, unit.Id, stored);
        }
    }

    private CollectorService StartCollector(MqttBrokerAddress broker)
    {
        var collector = Own(new CollectorService(broker, Path.Combine(_root, "collector.db"), new CollectorOptions { KeepAliveSeconds = 3, ReconnectMaxMicros = 1_000_000 }));
        Assert.True(collector.Connect(), collector.Link.LastError);
        collector.Start();
        return collector;
    }

    private StartLineUnit StartUnit(int id, MqttBrokerAddress broker, int runners)
    {
        var unit = Own(new StartLineUnit(id, _root, broker, runners, perSecond: 10));
        unit.StartUnit();
        unit.Mat.Start();
        return unit;
    }

    private T Own<T>(T item)
        where T : IDisposable
    {
        _cleanup.Add(item);
        return item;
    }
}
