using TimingMat.Core.Crossings;
using TimingMat.Core.Journal;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Mqtt;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// The memory report tells the truth: what it says a configuration costs is what constructing the parts really
/// allocates (measured on the desktop runtime with <see cref="GC.GetAllocatedBytesForCurrentThread"/>), so the figure a
/// technician reads at boot cannot drift from the code.
/// </summary>
/// <remarks>
/// The report counts payload bytes (array elements and fields); the desktop runtime adds 16-24 bytes of header to
/// every object and array, so the measured figure is a little above the report, never below it.
/// </remarks>
public class UnitMemoryReportTests
{
    // Desktop headers on top of the payload: at most this share of the report, or this many bytes for a small part
    // made of a few dozen arrays.
    private const double HeaderMargin = 0.10;
    private const int HeaderBytes = 1024;

    private readonly MemoryFileStore _store = new(capacityBytes: 8L * 1024 * 1024);
    private readonly MqttBrokerEmulator _broker = new();

    [Fact]
    public void TheReportedTotal_IsWhatBuildingTheUnitAllocates()
    {
        var rig = new MatUnitRig(_store, _broker, 3600);

        // The rig built one unit already: type initialisers and the runtime's first-use caches are not the unit's.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var unit = new MatUnit(rig.Config, rig.Unit.Settings, rig.Hardware);
        var measured = GC.GetAllocatedBytesForCurrentThread() - before;

        AssertWithinHeaders(unit.Memory.TotalBytes, measured, unit.Memory.ToString());
    }

    [Fact]
    public void EachBigPart_CostsWhatTheReportSays()
    {
        var rig = new MatUnitRig(_store, _broker, 3600);
        var settings = rig.Unit.Settings;
        var memory = rig.Unit.Memory;

        AssertWithinHeaders(memory.Bytes("ring"), Measure(() => new PassingRing(settings.RingCapacity, settings.Crossings.MaxEpcBytes)), "ring");
        AssertWithinHeaders(memory.Bytes("gate"), Measure(() => new ClockGate(rig.Unit.Clock, rig.Unit.Qualifier, settings.ClockGateCapacity, settings.Crossings.MaxEpcBytes)), "gate");
        AssertWithinHeaders(memory.Bytes("crossings"), Measure(() => new CrossingDetector(settings.Crossings, rig.Unit.Clock, rig.Unit.Gate)), "crossings");
    }

    private static long Measure(Func<object> build)
    {
        build();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var built = build();
        var measured = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(built);
        return measured;
    }

    private static void AssertWithinHeaders(int reported, long measured, string what)
    {
        var most = reported + Math.Max((int)(reported * HeaderMargin), HeaderBytes);
        Assert.True(
            measured >= reported && measured <= most,
            $"{what}: the report says {reported} B, building it allocated {measured} B (expected {reported} to {most})");
    }
}
