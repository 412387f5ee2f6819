using TimingMat.Collector;
using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;
using TimingMat.Core.Passings;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Mqtt;
using TimingMat.Emulators.Passings;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Uplink.Tests.Support;

/// <summary>
/// Mat units (ring + journal + outbox over RAM flash) and a collector (SQLite) around an emulated broker, all on one
/// simulated clock in 10 ms steps. Each unit is fed synthetic passings at a rate, standing in for the crossing
/// detector; a passing's EPC carries its running number so the collector's contents can be checked exactly.
/// </summary>
internal sealed class SimulatedUplinkRig : IDisposable
{
    public const long StepMicros = 10_000;

    // 2026-10-04 08:00:00 UTC: simulated time 0.
    public const long RaceStartUtcMicros = 1_791_100_800_000_000;

    private readonly string _dbPath;

    public SimulatedUplinkRig(int units = 1, long latencyMicros = 2_000, int maxQueued = 1000, Action<UplinkOptions>? configure = null, Action<CollectorOptions>? configureCollector = null)
    {
        Broker = new MqttBrokerEmulator(Clock, latencyMicros, maxQueued);
        _dbPath = Path.Combine(Path.GetTempPath(), $"tm-collector-{Guid.NewGuid():N}.db");
        ConfigureCollector = configureCollector;
        StartCollector();
        for (var i = 1; i <= units; i++)
        {
            Units.Add(new SimulatedUnit(this, i, configure));
        }
    }

    public SimulatedClock Clock { get; } = new(1_000_000);

    public MqttBrokerEmulator Broker { get; }

    public List<SimulatedUnit> Units { get; } = [];

    public EmulatedMqttLink CollectorLink { get; private set; } = null!;

    public PassingStore Store { get; private set; } = null!;

    public PassingCollector Collector { get; private set; } = null!;

    public bool CollectorRunning { get; set; } = true;

    public string DatabasePath => _dbPath;

    public Action<CollectorOptions>? ConfigureCollector { get; }

    public long UtcMicros => RaceStartUtcMicros + Clock.Now;

    public SimulatedUnit Unit => Units[0];

    public void Run(long micros)
    {
        var end = Clock.Now + micros;
        while (Clock.Now < end)
        {
            Step();
        }
    }

    public void RunUntil(Func<bool> done, long maxMicros, string what)
    {
        var end = Clock.Now + maxMicros;
        while (!done())
        {
            Assert.True(Clock.Now < end, $"not done after {maxMicros / 1_000_000.0} s of simulated time: {what}");
            Step();
        }
    }

    /// <summary>Stops feeding passings and runs until every unit's journal is fully acknowledged.</summary>
    public void Drain(long maxMicros = 120_000_000)
    {
        foreach (var unit in Units)
        {
            unit.PassingsPerSecond = 0;
        }

        RunUntil(() => Units.All(u => u.Ring.Count == 0 && u.Pending == null && u.Journal.DurableSequence > 0 && u.Journal.AckedSequence == u.Journal.DurableSequence), maxMicros, "units fully acknowledged");
    }

    public void StopCollector()
    {
        CollectorLink.CutNetwork();
        Store.Dispose();
        CollectorRunning = false;
    }

    public void StartCollector()
    {
        var options = new CollectorOptions();
        ConfigureCollector?.Invoke(options);
        CollectorLink = Broker.CreateLink();
        Store = PassingStore.Open(_dbPath, durable: false);
        Collector = new PassingCollector(CollectorLink, Store, Clock, options, () => UtcMicros);
        CollectorRunning = true;
    }

    /// <summary>Checks that the collector holds exactly what the unit's journal holds, and that the unit knows it.</summary>
    public void AssertCollectorHasEveryPassingOf(SimulatedUnit unit)
    {
        var journal = unit.Journal;
        var stored = Store.ReadPassings(unit.Id);
        var cursor = journal.CreateCursor();
        cursor.Seek(1);
        var expected = new Passing();
        var index = 0;
        while (cursor.TryRead(expected))
        {
            Assert.True(index < stored.Count, $"unit {unit.Id}: passing {expected.Sequence} missing at the collector");
            var actual = stored[index++].Passing;
            Assert.Equal(expected.Sequence, actual.Sequence);
            Assert.Equal(expected.Epc[..expected.EpcLength], actual.Epc[..actual.EpcLength]);
            Assert.Equal(expected.TimeUtcMicros, actual.TimeUtcMicros);
            Assert.Equal(expected.Hits, actual.Hits);
        }

        Assert.Equal(journal.DurableSequence, stored.Count);
        Assert.Equal(journal.DurableSequence, Collector.Ledger[unit.Id].Contiguous);
        Assert.Equal(journal.DurableSequence, journal.AckedSequence);
    }

    /// <summary>Gets the running numbers of the passings the collector holds for a unit, in sequence order.</summary>
    /// <summary>Copies the collector's database aside (closing it for the copy) and starts the collector again.</summary>
    /// <returns>The copy, for <see cref="RestoreDatabase"/>.</returns>
    public string BackUpDatabase()
    {
        var copy = _dbPath + ".copy";
        Store.Dispose();
        File.Copy(_dbPath, copy, overwrite: true);
        StartCollector();
        return copy;
    }

    /// <summary>Stops the collector, puts an older copy of its database back, and starts it on that copy.</summary>
    /// <param name="copy">What <see cref="BackUpDatabase"/> returned.</param>
    public void RestoreDatabase(string copy)
    {
        StopCollector();
        File.Copy(copy, _dbPath, overwrite: true);
        File.Delete(copy);
        StartCollector();
    }

    public List<int> CollectedNumbers(int unit) => [.. Store.ReadPassings(unit).Select(p => SyntheticPassings.NumberOf(p.Passing))];

    public void Dispose()
    {
        Store.Dispose();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_dbPath + suffix);
        }
    }

    private void Step()
    {
        Clock.Advance(StepMicros);
        foreach (var unit in Units)
        {
            unit.Step();
        }

        if (CollectorRunning)
        {
            Collector.Poll();
        }
    }
}

/// <summary>One simulated mat unit: synthetic passings into the real ring → journal → outbox.</summary>
internal sealed class SimulatedUnit
{
    private readonly SimulatedUplinkRig _rig;
    private readonly Action<UplinkOptions>? _configure;
    private long _dueMicroPassings;
    private int _boots;

    public SimulatedUnit(SimulatedUplinkRig rig, int id, Action<UplinkOptions>? configure)
    {
        _rig = rig;
        _configure = configure;
        Id = id;
        Link = rig.Broker.CreateLink();
        Boot();
    }

    public int Id { get; }

    public MemoryFileStore Flash { get; } = new(capacityBytes: 64 * 1024 * 1024);

    public EmulatedMqttLink Link { get; }

    public PassingRing Ring { get; private set; } = null!;

    public PassingJournal Journal { get; private set; } = null!;

    public UnitUplink Uplink { get; private set; } = null!;

    public UplinkOptions Options { get; private set; } = null!;

    public double PassingsPerSecond { get; set; }

    public int Generated { get; private set; }

    public Passing? Pending { get; private set; }

    public bool Powered { get; private set; } = true;

    /// <summary>Power cut and reboot: RAM (ring, unflushed journal bytes, MQTT session) is lost, the flash stays.</summary>
    /// <param name="journal">Journal settings after the reboot, or the defaults.</param>
    public void PowerCycle(JournalOptions? journal = null)
    {
        Flash.CutPower();
        Link.CutNetwork();
        Link.RestoreNetwork();
        Boot(journal);

        // The detector restarts too: passings that were only in RAM are gone, numbering resumes after the last stored one.
        var cursor = Journal.CreateCursor();
        cursor.Seek(Journal.LastSequence);
        var p = new Passing();
        Generated = cursor.TryRead(p) ? SyntheticPassings.NumberOf(p) : 0;
        Pending = null;
    }

    public void Step()
    {
        _dueMicroPassings += (long)(PassingsPerSecond * SimulatedUplinkRig.StepMicros);
        while (Pending != null || _dueMicroPassings >= 1_000_000)
        {
            if (Pending == null)
            {
                _dueMicroPassings -= 1_000_000;
                Pending = Make(++Generated);
            }

            if (!Ring.TryAccept(Pending))
            {
                break;  // back-pressure: offer it again next step
            }

            Pending = null;
        }

        Uplink.Poll();
    }

    private Passing Make(int number) => SyntheticPassings.Make(Id, number, _rig.UtcMicros);

    private void Boot(JournalOptions? journal = null)
    {
        _boots++;
        Options = new UplinkOptions(Id);
        _configure?.Invoke(Options);
        Ring = new PassingRing(256);

        // A fresh journal (wiped flash) gets a new id, as the device's random one would be.
        Journal = new PassingJournal(Flash, journal ?? new JournalOptions(Id) { NewJournalId = (1000 * _boots) + Id });
        Uplink = new UnitUplink(Ring, Journal, Link, _rig.Clock, Options);
        Assert.True(Uplink.Start());
    }
}
