using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// Tests kept out of the parallel run, so the other tests' simulations and processes do not load the host meanwhile:
/// clock verify times round trips over the broker to 2 ms (a loaded host once failed two healthy units), and the
/// evening-before provisioning drives three unit consoles and two HIL processes against the self-test's time limits
/// (beside the suite, a board's GPS check and a console read-back failed). Tests that only wait for the wall clock (a
/// unit locking, collect, a monitor alarm, the HIL races of <see cref="HilRaceCollection"/>) run in parallel.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunAloneCollection
{
    public const string Name = "run alone";
}
