using System.Diagnostics;
using TimingMat.Core.Hardware;
using TimingMat.Contracts;
using TimingMat.Host.Clock;

namespace TimingMat.Host.Tests.Clock;

/// <summary>The desktop unit's stopwatch clock keeps the microsecond-clock contract in real time.</summary>
public sealed class StopwatchClockContractTests : MicrosecondClockContractTests
{
    private readonly StopwatchClock _clock = new();

    protected override IMicrosecondClock Clock => _clock;

    // Real time on a loaded two-core machine: the test runner may be descheduled between two lines.
    protected override long BootAllowanceMicros => 500_000;

    protected override long LatenessAllowanceMicros => 500_000;

    protected override void LetTimePass(long micros)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalMicroseconds < micros)
        {
            Thread.Sleep(micros > 2_000 ? 1 : 0);
        }
    }
}
