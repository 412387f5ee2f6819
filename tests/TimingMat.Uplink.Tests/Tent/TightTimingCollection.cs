using Xunit;

namespace TimingMat.Uplink.Tests.Tent;

/// <summary>
/// Tests that time something tightly against the wall clock: a clock exchange with emulated units to well under a
/// millisecond, headless Chromium rendering the monitor's pages within its time budget (it gave an empty page with the
/// suite running beside it). Kept out of the parallel run, so the other tests do not load the host meanwhile. The
/// other emulated-fleet tests only wait for statuses and alarms (seconds) and run in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TightTimingCollection
{
    public const string Name = "tight timing";
}
