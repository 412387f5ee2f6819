using TimingMat.Core.Hardware;
using TimingMat.Contracts;
using TimingMat.Emulators.Clock;

namespace TimingMat.Emulators.Tests.Clock;

/// <summary>The simulator's clock keeps the microsecond-clock contract, exactly.</summary>
public sealed class SimulatedClockContractTests : MicrosecondClockContractTests
{
    private readonly SimulatedClock _clock = new();

    protected override IMicrosecondClock Clock => _clock;

    protected override void LetTimePass(long micros) => _clock.Advance(micros);
}
