using TimingMat.Core.Hardware;
using Xunit;

namespace TimingMat.Contracts;

/// <summary>
/// What the mat clock, the crossing detector and every timeout may assume of any <see cref="IMicrosecondClock"/>:
/// microseconds since boot, never backwards, and time that passed shows as that many microseconds.
/// </summary>
public abstract class MicrosecondClockContractTests
{
    /// <summary>Gets the clock under test, just booted.</summary>
    protected abstract IMicrosecondClock Clock { get; }

    /// <summary>Gets how far past zero the first reading may be (the test's own start-up on a real clock).</summary>
    protected virtual long BootAllowanceMicros => 0;

    /// <summary>Gets how much longer than asked a real wait may take on a loaded machine; 0 on simulated time.</summary>
    protected virtual long LatenessAllowanceMicros => 0;

    [Fact]
    public void TheFirstReading_IsNearZero_BecauseItCountsFromBoot()
    {
        Assert.InRange(Clock.GetMicroseconds(), 0, BootAllowanceMicros);
    }

    [Fact]
    public void Readings_NeverGoBackwards()
    {
        var previous = Clock.GetMicroseconds();
        for (var i = 0; i < 20_000; i++)
        {
            if (i % 1_000 == 0)
            {
                LetTimePass(37);
            }

            var now = Clock.GetMicroseconds();
            Assert.True(now >= previous, $"reading {i} went back from {previous} to {now} µs");
            previous = now;
        }
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(20_000)]
    [InlineData(150_000)]
    public void TimeThatPassed_ShowsAsThatManyMicroseconds(long micros)
    {
        var before = Clock.GetMicroseconds();

        LetTimePass(micros);
        var elapsed = Clock.GetMicroseconds() - before;

        Assert.InRange(elapsed, micros, micros + LatenessAllowanceMicros);
    }

    /// <summary>Lets at least <paramref name="micros"/> µs pass: a simulated step or a real wait.</summary>
    /// <param name="micros">How long.</param>
    protected abstract void LetTimePass(long micros);
}
