using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// Tests that measure a unit's clock against the wall clock to a couple of milliseconds (clock verify's round trips
/// over the broker): kept out of the parallel run, so the other tests' simulations do not load the host while a
/// clock exchange is timed (a loaded host once failed two healthy units). Tests that only wait for the wall clock (a
/// HIL race, a unit locking, a monitor alarm) run in parallel: their tolerances are tens of milliseconds.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClockMeasurementCollection
{
    public const string Name = "clock measurement";
}
