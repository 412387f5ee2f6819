using Xunit;

namespace TimingMat.Uplink.Tests.Tent;

/// <summary>
/// Tests that run emulated units in real time against the wall clock (a clock exchange is timed to well under a
/// millisecond): kept out of the parallel run, so the other tests do not load the host meanwhile.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmulatedFleetCollection
{
    public const string Name = "emulated fleet";
}
