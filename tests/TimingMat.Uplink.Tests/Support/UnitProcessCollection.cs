using Xunit;

namespace TimingMat.Uplink.Tests.Support;

/// <summary>
/// Tests that run <c>timingmat unit</c> processes on start lines played in real time (<see cref="StartLineUnit"/>): one
/// after another, beside the other tests. A line's first runner crosses 25 s after its GPS powers on, the time a unit's
/// clock takes to lock; with four such tests at once (nine unit processes) on two cores the units locked late and the
/// first 64 runners went untimed.
/// </summary>
[CollectionDefinition(Name)]
public sealed class UnitProcessCollection
{
    public const string Name = "unit processes";
}
