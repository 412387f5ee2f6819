using TimingMat.Collector;
using TimingMat.Core.Journal;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Passings;
using TimingMat.Host.Storage;
using TimingMat.Host.Uplink;
using TimingMat.Mqtt;
using TimingMat.Mqtt.Broker;
using TimingMat.Uplink.Tests.Support;
using Xunit;

namespace TimingMat.Uplink.Tests;

/// <summary>
/// Units and the collector on a real Mosquitto started by the test, with the faults of a race day: the broker
/// crashing or restarting mid-stream, the network cut under units and collector, unit processes killed and
/// restarted. The collector must end up with every passing exactly once, identical to the units' journals.
/// </summary>
public sealed class UplinkBrokerTests : IDisposable
{
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
        var units = Enumerable.Range(1, 3).Select(id => StartUnit(id, broker.Address, 150, 600)).ToList();

        Thread.Sleep(1500);
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

        WaitUntilAllAcknowledged(units, 600);
        foreach (var (uplink, _) in units)
        {
            Assert.True(uplink.Snapshot.Connections >= 2, "the unit should have reconnected");
        }

        StopAndVerify(collector, units, 600);
    }

    [Fact]
    public void NetworkCuts_UnderTheUnitsAndTheCollector_LoseNothing()
    {
        var broker = Own(new MosquittoProcess());
        broker.Start();
        var unitsPath = Own(new TcpCutProxy(broker.Port));
        var collectorPath = Own(new TcpCutProxy(broker.Port));
        var collector = StartCollector(collectorPath.Address);
        var units = Enumerable.Range(1, 2).Select(id => StartUnit(id, unitsPath.Address, 150, 750)).ToList();

        Thread.Sleep(1000);
        unitsPath.Sever();
        Thread.Sleep(1500);
        unitsPath.Restore();
        Thread.Sleep(500);
        collectorPath.Sever();
        Thread.Sleep(1500);
        collectorPath.Restore();

        WaitUntilAllAcknowledged(units, 750);
        StopAndVerify(collector, units, 750);
        Assert.True(collector.Read((c, _) => c.Connections) >= 2);
    }

    [Fact]
    public void UnitProcess_KilledTwiceMidStreamAndRestarted_LosesNothing()
    {
        var broker = Own(new MosquittoProcess());
        broker.Start();
        var collector = StartCollector(broker.Address);
        var journal = Path.Combine(_root, "unit-9");
        const int Count = 1500;

        using (var first = UnitProcess.Start(broker.Address.ToString(), 9, journal, 400, Count, exitWhenAcked: false))
        {
            first.WaitForGenerated(300, TimeSpan.FromSeconds(20));
            first.Kill();
        }

        using (var second = UnitProcess.Start(broker.Address.ToString(), 9, journal, 400, Count, exitWhenAcked: false))
        {
            second.WaitForGenerated(Last(second, "started") + 300, TimeSpan.FromSeconds(20));
            second.Kill();
        }

        using var third = UnitProcess.Start(broker.Address.ToString(), 9, journal, 400, Count, exitWhenAcked: true);
        Assert.True(third.WaitForExit(TimeSpan.FromSeconds(60)), "the restarted unit did not get everything acknowledged");
        Assert.True(third.ExitCode == 0, third.Errors);
        Assert.True(Last(third, "started") > 0, "the third run should resume after the passings already journaled");

        collector.Stop();
        var stored = collector.Read((_, store) => store.ReadPassings(9));
        Assert.Equal(Enumerable.Range(1, Count), stored.Select(p => SyntheticPassings.NumberOf(p.Passing)));
        Assert.Equal(Enumerable.Range(1, Count).Select(i => (long)i), stored.Select(p => p.Passing.Sequence));
        AssertSameAsJournal(journal, 9, stored);
    }

    public void Dispose()
    {
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            _cleanup[i].Dispose();
        }

        Directory.Delete(_root, recursive: true);
    }

    private static int Last(UnitProcess unit, string kind)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var found = unit.Last(kind);
        while (found == null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no '{kind}' event from the unit");
            Thread.Sleep(20);
            found = unit.Last(kind);
        }

        return found.Value.GetProperty("resume_after").GetInt32();
    }

    private static void WaitUntilAllAcknowledged(List<(DesktopUnitUplink Uplink, SyntheticDetector Detector)> units, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!units.All(u => u.Detector.Finished && u.Uplink.Snapshot is { RingCount: 0, DurableSequence: var d, AckedSequence: var a } && d == count && a == d))
        {
            Assert.True(DateTime.UtcNow < deadline, "not everything acknowledged within 60 s: " + string.Join("; ", units.Select(u => u.Uplink.Snapshot)));
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

    private void StopAndVerify(CollectorService collector, List<(DesktopUnitUplink Uplink, SyntheticDetector Detector)> units, int count)
    {
        foreach (var (uplink, detector) in units)
        {
            detector.Stop();
            uplink.Stop();
        }

        collector.Stop();
        foreach (var (uplink, _) in units)
        {
            var unit = uplink.Uplink.Topics.Passings.Split('/')[1];
            var id = int.Parse(unit, System.Globalization.CultureInfo.InvariantCulture);
            var stored = collector.Read((_, store) => store.ReadPassings(id));
            Assert.Equal(Enumerable.Range(1, count), stored.Select(p => SyntheticPassings.NumberOf(p.Passing)));
            Assert.Equal(Enumerable.Range(1, count).Select(i => (long)i), stored.Select(p => p.Passing.Sequence));
            Assert.Equal(count, collector.Read((c, _) => c.Ledger[id].Contiguous));
            uplink.Dispose();
            AssertSameAsJournal(Path.Combine(_root, $"unit-{id}"), id, stored);
        }
    }

    private CollectorService StartCollector(MqttBrokerAddress broker)
    {
        var collector = Own(new CollectorService(broker, Path.Combine(_root, "collector.db"), new CollectorOptions { KeepAliveSeconds = 3, ReconnectMaxMicros = 1_000_000 }));
        Assert.True(collector.Connect(), collector.Link.LastError);
        collector.Start();
        return collector;
    }

    private (DesktopUnitUplink Uplink, SyntheticDetector Detector) StartUnit(int id, MqttBrokerAddress broker, double rate, int count)
    {
        var options = new DesktopUnitOptions(id, Path.Combine(_root, $"unit-{id}"), broker);
        options.Uplink.KeepAliveSeconds = 3;
        options.Uplink.ReconnectMinMicros = 200_000;
        options.Uplink.ReconnectMaxMicros = 1_000_000;
        options.Uplink.Outbox.AckTimeoutMicros = 2_000_000;
        var uplink = Own(new DesktopUnitUplink(options));
        uplink.Start();
        var detector = Own(new SyntheticDetector(uplink.Ring, id, rate, count));
        detector.Start();
        return (uplink, detector);
    }

    private T Own<T>(T item)
        where T : IDisposable
    {
        _cleanup.Add(item);
        return item;
    }
}
