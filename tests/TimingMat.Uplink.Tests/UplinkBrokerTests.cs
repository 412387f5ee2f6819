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

namespace TimingMat.Uplink.Tests;

/// <summary>
/// Mat units — <c>timingmat unit</c> processes, the application the board runs, timing runners an emulated start mat
/// plays into their reader, GPS and PPS wiring — and the collector on a real Mosquitto started by the test, with the
/// faults of a race day: the broker crashing or restarting mid-race, the network cut under units and collector, a unit
/// killed and restarted. The collector must end up with every passing exactly once, identical to the units' journals.
/// The broker and network faults share one race (<see cref="RaceDayFaultsTests"/>), the unit kills have theirs
/// (<see cref="UnitKillTests"/>), in <see cref="UnitProcessCollection"/>: one at a time, beside the rest of the suite.
/// </summary>
public abstract class UplinkBrokerTests : IDisposable
{
    // 300 runners at 10 a second per unit: 30 s of a busy start line, every unit streaming through the faults.
    protected const int Runners = 300;
    protected const long Second = 1_000_000;

    private readonly List<IDisposable> _cleanup = [];

    /// <summary>Gets the folder of the test's units, journals and collector database.</summary>
    protected string Root { get; } = Directory.CreateTempSubdirectory("tm-uplink-").FullName;

    public void Dispose()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            _cleanup[i].Dispose();
        }

        Directory.Delete(Root, recursive: true);
    }

    protected static int Collected(CollectorService collector, int unit) =>
        (int)collector.Read((c, _) => c.Ledger.TryGetValue(unit, out var u) ? u.Contiguous : 0);

    /// <summary>Waits until the collector holds at least so many passings of every unit: they are streaming.</summary>
    private protected static void WaitUntilCollected(CollectorService collector, List<StartLineUnit> units, int passings)
    {
        // The first runner crosses about 25 s after the GPS powers on, once the unit's clock has locked.
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!units.All(u => Collected(collector, u.Id) >= passings))
        {
            Assert.True(DateTime.UtcNow < deadline, $"units did not deliver {passings} passings within 90 s: " + string.Join(", ", units.Select(u => $"unit {u.Id} {Collected(collector, u.Id)}")));
            Thread.Sleep(50);
        }
    }

    protected static void AssertSameAsJournal(string directory, int unit, List<CollectedPassing> stored)
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

    private protected void StopAndVerify(CollectorService collector, List<StartLineUnit> units, Action<JsonElement> check)
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

    protected CollectorService StartCollector(MqttBrokerAddress broker)
    {
        var collector = Own(new CollectorService(broker, Path.Combine(Root, "collector.db"), new CollectorOptions { KeepAliveSeconds = 3, ReconnectMaxMicros = 1_000_000 }));
        Assert.True(collector.Connect(), collector.Link.LastError);
        collector.Start();
        return collector;
    }

    private protected StartLineUnit StartUnit(int id, MqttBrokerAddress broker, int runners)
    {
        var unit = Own(new StartLineUnit(id, Root, broker, runners, perSecond: 10));
        unit.StartUnit();
        unit.Mat.Start();
        return unit;
    }

    protected T Own<T>(T item)
        where T : IDisposable
    {
        _cleanup.Add(item);
        return item;
    }
}
