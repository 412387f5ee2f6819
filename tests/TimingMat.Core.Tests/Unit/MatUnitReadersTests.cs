using TimingMat.Core.Crossings;
using TimingMat.Core.Hardware;
using TimingMat.Core.Passings;
using TimingMat.Core.Reader;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Tests.Reader;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Mqtt;
using TimingMat.Emulators.Reader;
using TimingMat.Emulators.Serial;
using TimingMat.Emulators.Storage;
using TimingMat.Host.Crypto;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// A unit with several reader modules on one mat (one UART each): every module's reads reach one crossing detector,
/// which makes one passing per chip crossing from all of them.
/// </summary>
public class MatUnitReadersTests
{
    // A GPS that never gets a fix within a test: passings carry local µs, which is all these tests compare.
    private const double NoFixSeconds = 3600;

    private static readonly byte[] s_chip = ReaderRig.Epc(701);
    private static readonly byte[] s_left = ReaderRig.Epc(702);
    private static readonly byte[] s_right = ReaderRig.Epc(703);

    private readonly MemoryFileStore _store = new(capacityBytes: 8L * 1024 * 1024, tearSeed: 5);
    private readonly MqttBrokerEmulator _broker = new();

    [Theory]
    [InlineData(ReaderProtocol.Mercury)]
    [InlineData(ReaderProtocol.R2000)]
    public void AChipSeenByTwoModules_IsOnePassing_FromBothModulesReads(ReaderProtocol protocol)
    {
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds, protocol, modules: 2).StartTiming();

        // The runner crosses between the two segments, nearer the second: both read the chip, the second stronger.
        // Both curves peak at 3.5 s, the true crossing.
        rig.TagSources[0].Add(s_chip, 3_000_000, 4_000_000, 40, RssiCurve.Peak(-7000, -5500));
        rig.TagSources[1].Add(s_chip, 3_000_000, 4_000_000, 40, RssiCurve.Peak(-7000, -4800));
        rig.RunToLocal(6_000_000);

        Assert.Equal(2, rig.Unit.Readers.Length);
        Assert.Same(rig.Unit.Readers[0], rig.Unit.Reader);
        Assert.Equal([0, 1], rig.Unit.Readers.Select(r => r.ReaderIndex));
        Assert.All(rig.Modules, m => Assert.InRange(m.ReadsSent, 36, 40));

        var passing = Assert.Single(Stored(rig));
        Assert.Equal(s_chip, passing.Epc[..passing.EpcLength]);
        Assert.Equal(rig.Modules.Sum(m => m.ReadsSent), passing.Hits);
        Assert.Equal(-4800, passing.MaxRssiCentiDbm);
        Assert.Equal(17, passing.BestAntenna); // reader 1, port 1
        Assert.InRange(passing.TimeUtcMicros, 3_500_000 - 10_000, 3_500_000 + 10_000);
        Assert.InRange(passing.FirstReadUtcMicros, 3_000_000, 3_030_000);
    }

    [Fact]
    public void ChipsOnDifferentSegments_AreTheirOwnPassings_EachNamingItsModulesAntenna()
    {
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds, modules: 3).StartTiming();
        rig.TagSources[0].Add(s_left, 3_000_000, 4_000_000, 40, RssiCurve.Peak(-7000, -5000));
        rig.TagSources[2].Add(s_right, 3_010_000, 4_010_000, 40, RssiCurve.Peak(-7000, -5000));
        rig.RunToLocal(6_000_000);

        var passings = Stored(rig).OrderBy(p => p.TimeUtcMicros).ToList();
        Assert.Equal(2, passings.Count);
        Assert.Equal(s_left, passings[0].Epc[..passings[0].EpcLength]);
        Assert.Equal(1, passings[0].BestAntenna);
        Assert.Equal(s_right, passings[1].Epc[..passings[1].EpcLength]);
        Assert.Equal(33, passings[1].BestAntenna); // reader 2, port 1

        // Two chips 10 ms apart on different segments keep their own times (the two-chip rule must see both).
        Assert.InRange(passings[1].TimeUtcMicros - passings[0].TimeUtcMicros, 0, 20_000);
        Assert.Equal(0, rig.Modules[1].ReadsSent);
    }

    [Fact]
    public void AModuleThatFails_IsRestartedOnItsOwn_WhileTheOthersKeepTiming()
    {
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds, modules: 2).StartTiming();
        rig.RunToLocal(2_000_000);
        Assert.All(rig.Unit.Readers, r => Assert.Equal(ReaderState.Reading, r.State));

        rig.Modules[1].SilenceFor(30_000_000);
        rig.TagSources[0].Add(s_chip, 3_000_000, 4_000_000, 40, RssiCurve.Peak(-7000, -5000));
        rig.RunToLocal(8_000_000);

        Assert.True(rig.Unit.Readers[1].Counters.Restarts >= 1, "the silent module was never restarted");
        Assert.Equal(0, rig.Unit.Readers[0].Counters.Restarts);
        var passing = Assert.Single(Stored(rig));
        Assert.Equal(s_chip, passing.Epc[..passing.EpcLength]);
    }

    [Fact]
    public void AUnitNeedsOneToEightReaderPorts_AllPresent()
    {
        var clock = new SimulatedClock();
        var config = UnitConfig.Parse("unit.id = 3\nmat.role = split\nreader.type = m6e\nreader.region = eu\n");
        IBytePort Port() => new SerialLine(clock, 115_200).UnitEnd;
        MatUnit Build(IBytePort[] readers) => new(config, new UnitHardware
        {
            Clock = clock,
            Readers = readers,
            Gps = Port(),
            Pps = new NoPpsEdges(),
            Store = _store,
            Mqtt = _broker.CreateLink(),
            Hmac = DesktopHmacSha256.Instance,
            Rebooter = new CountingRebooter(),
        });

        Assert.Contains("Readers (1-8 ports) is missing", Assert.Throws<ArgumentException>(() => Build([])).Message, StringComparison.Ordinal);
        Assert.Contains("Readers (1-8 ports) is missing", Assert.Throws<ArgumentException>(() => Build(Enumerable.Range(0, 9).Select(_ => Port()).ToArray())).Message, StringComparison.Ordinal);
        Assert.Contains("Readers[1] is missing", Assert.Throws<ArgumentException>(() => Build([Port(), null!])).Message, StringComparison.Ordinal);
        Assert.Equal(8, Build(Enumerable.Range(0, 8).Select(_ => Port()).ToArray()).Readers.Length);

        // A configuration that names its modules must get as many ports.
        var four = UnitConfig.Parse("unit.id = 3\nmat.role = split\nreader.type = m6e\nreader.region = eu\nreader.modules = 4\n");
        var hardware = new UnitHardware { Clock = clock, Readers = [Port(), Port()], Gps = Port(), Pps = new NoPpsEdges(), Store = _store, Mqtt = _broker.CreateLink(), Hmac = DesktopHmacSha256.Instance, Rebooter = new CountingRebooter() };
        Assert.Equal("reader.modules = 4 but the unit has 2 reader port(s).", Assert.Throws<ArgumentException>(() => new MatUnit(four, hardware)).Message);
    }

    [Fact]
    public void AConfigurationWithoutModules_SizesTheKeptReadsForEveryModuleWired()
    {
        var clock = new SimulatedClock();
        var asWired = UnitConfig.Parse("unit.id = 3\nmat.role = split\nreader.type = m6e\nreader.region = eu\n");
        IBytePort Port() => new SerialLine(clock, 115_200).UnitEnd;
        UnitHardware Hardware(int readers) => new() { Clock = clock, Readers = Enumerable.Range(0, readers).Select(_ => Port()).ToArray(), Gps = Port(), Pps = new NoPpsEdges(), Store = new MemoryFileStore(capacityBytes: 8L * 1024 * 1024), Mqtt = _broker.CreateLink(), Hmac = DesktopHmacSha256.Instance, Rebooter = new CountingRebooter() };

        var one = new MatUnit(asWired, Hardware(1));
        var three = new MatUnit(asWired, Hardware(3));

        // An M6e line at 115,200 baud carries 245 reads/s; three wired modules, three lines into one detector.
        Assert.Equal(245, one.Settings.Crossings.ReadsPerSecond);
        Assert.Equal(3 * 245, three.Settings.Crossings.ReadsPerSecond);
        Assert.True(three.Settings.Crossings.KeptReadEntries > one.Settings.Crossings.KeptReadEntries);
    }

    [Fact]
    public void TheWalkTestCounts_TellEveryModulesPortsApart()
    {
        // Set-up: the unit boots in test mode and counts reads per reader and port.
        var rig = new MatUnitRig(_store, _broker, NoFixSeconds, modules: MatUnit.MaxReaders);
        Assert.True(rig.Unit.Start());
        rig.TagSources[^1].Add(s_chip, 2_000_000, 3_000_000, 40, RssiCurve.Flat(-5000));
        rig.RunToLocal(4_000_000);

        var monitor = rig.Unit.RaceDay.Monitor;
        Assert.Equal(rig.Modules[^1].ReadsSent, monitor.ReadsOn(MatUnit.MaxReaders - 1, 1));
        Assert.InRange(monitor.ReadsOn(MatUnit.MaxReaders - 1, 1), 36, 40);
        Assert.Equal(monitor.Reads, monitor.ReadsOn(MatUnit.MaxReaders - 1, 1));
    }

    [Fact]
    public void AReaderIndex_IsCopiedIntoEveryRead_AndMustFitFourBits()
    {
        var clock = new SimulatedClock();
        var driver = new MercuryReaderDriver(new SerialLine(clock, 115_200).UnitEnd, clock, new CollectingSink(), null);

        Assert.Equal(0, driver.ReaderIndex);
        driver.ReaderIndex = 15;
        Assert.Equal(15, driver.ReaderIndex);
        Assert.Throws<ArgumentOutOfRangeException>(() => driver.ReaderIndex = 16);
        Assert.Throws<ArgumentOutOfRangeException>(() => driver.ReaderIndex = -1);
        Assert.Equal(15, driver.ReaderIndex);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(0, 4, 4)]
    [InlineData(1, 1, 17)]
    [InlineData(2, 4, 36)]
    [InlineData(7, 16, 128)]
    [InlineData(15, 16, 255)]
    [InlineData(0, 300, 255)]
    [InlineData(0, -1, 0)]
    public void MatAntenna_KeepsOneModulesPorts_AndNumbersTheOthersBySixteens(int reader, int port, int expected)
    {
        Assert.Equal(expected, MatAntenna.Of(reader, port));
    }

    // Without a fix the gate holds every passing; stopping the unit commits them as they are (local µs).
    private static List<Passing> Stored(MatUnitRig rig)
    {
        rig.Unit.Stop();
        return rig.JournalPassings();
    }

    private sealed class CollectingSink : ITagReadSink
    {
        public void OnTagRead(TagRead read)
        {
        }
    }

    private sealed class NoPpsEdges : IPpsSource
    {
        public int DroppedEdges => 0;

        public bool TryTakeEdge(out long localMicros)
        {
            localMicros = 0;
            return false;
        }
    }
}
