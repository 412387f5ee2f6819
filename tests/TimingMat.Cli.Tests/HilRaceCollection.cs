using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// The HIL races (<see cref="HilCommandTests"/>, <see cref="HilTwoModuleTests"/>): one after the other, beside the rest
/// of the suite. Each waits most of its ~50 s on the wall clock (its unit's clock locking, the race played in real
/// time); in the run-alone collection their 110 s came after everything else. With the tests built in Release both
/// passed beside a host loaded to 20-25 (other builds and suites), their unit locked throughout.
/// </summary>
[CollectionDefinition(Name)]
public sealed class HilRaceCollection
{
    public const string Name = "hil races";
}
