using TimingMat.Core.Hardware;
using TimingMat.Contracts;
using TimingMat.Emulators.Clock;

namespace TimingMat.Emulators.Tests.Clock;

/// <summary>
/// A clock read through a delegate (a unit's view of a shared simulated timebase) keeps the contract when what it
/// reads does: it adds nothing and loses nothing.
/// </summary>
public sealed class DelegateClockContractTests : MicrosecondClockContractTests
{
    private readonly SimulatedClock _race = new();
    private readonly DelegateClock _clock;

    public DelegateClockContractTests() => _clock = new DelegateClock(() => _race.Now);

    protected override IMicrosecondClock Clock => _clock;

    protected override void LetTimePass(long micros) => _race.Advance(micros);
}
