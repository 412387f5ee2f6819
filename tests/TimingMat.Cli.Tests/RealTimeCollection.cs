using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// Tests that run in real time against the wall clock (the HIL harness and a unit process): kept out of the parallel
/// run, so the other tests' simulations do not load the host while a PPS edge or a read is being timed.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealTimeCollection
{
    public const string Name = "real time";
}
