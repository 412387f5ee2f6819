using TimingMat.Emulators.Reader;
using Xunit;

namespace TimingMat.Emulators.Tests.Reader;

public class ChipsInFieldTagSourceTests
{
    [Fact]
    public void ReadsPerSecond_TimesTheTimeInTheField_AllInsideTheWindow_InTimeOrder()
    {
        var source = new ChipsInFieldTagSource(seed: 1)
            .Add([1, 2], 1_000_000, 3_000_000, 40, RssiCurve.Flat(-6000))
            .Add([3, 4], 2_000_000, 2_500_000, 100, RssiCurve.Flat(-5000), antenna: 2, frequencyKhz: 915_000);
        var reads = new List<EmulatedRead>();

        for (var t = 0L; t <= 4_000_000; t += 10_000)
        {
            source.TakeReads(t, reads);
        }

        Assert.Equal(80 + 50, reads.Count);
        Assert.Equal(reads.OrderBy(r => r.AtMicros).Select(r => r.AtMicros), reads.Select(r => r.AtMicros));
        Assert.All(reads.Where(r => r.Epc[0] == 1), r => Assert.InRange(r.AtMicros, 1_000_000, 2_999_999));
        Assert.All(reads.Where(r => r.Epc[0] == 3), r =>
        {
            Assert.InRange(r.AtMicros, 2_000_000, 2_499_999);
            Assert.Equal(2, r.Antenna);
            Assert.Equal(915_000, r.FrequencyKhz);
        });
        Assert.Equal(130, source.ReadsTaken);
    }

    [Fact]
    public void TheSameSeed_GivesTheSameReads()
    {
        static List<EmulatedRead> Take(int seed)
        {
            var source = new ChipsInFieldTagSource(seed).Add([9], 0, 1_000_000, 300, RssiCurve.Peak(-7000, -4000, noiseCentiDbm: 150));
            var reads = new List<EmulatedRead>();
            source.TakeReads(1_000_000, reads);
            return reads;
        }

        Assert.Equal(Take(5).Select(r => (r.AtMicros, r.RssiCentiDbm)), Take(5).Select(r => (r.AtMicros, r.RssiCentiDbm)));
        Assert.NotEqual(Take(5).Select(r => r.AtMicros), Take(6).Select(r => r.AtMicros));
    }

    [Fact]
    public void PeakCurve_RisesToThePeak_AndFallsBack()
    {
        var source = new ChipsInFieldTagSource().Add([7], 0, 1_000_000, 1000, RssiCurve.Peak(-7000, -4000, peakAt: 0.25));
        var reads = new List<EmulatedRead>();
        source.TakeReads(1_000_000, reads);

        var peak = reads.MaxBy(r => r.RssiCentiDbm);
        Assert.InRange(peak.AtMicros, 240_000, 260_000);
        Assert.InRange(peak.RssiCentiDbm, -4010, -4000);
        Assert.InRange(reads[0].RssiCentiDbm, -7000, -6980);
        Assert.InRange(reads[^1].RssiCentiDbm, -7000, -6990);
    }

    [Fact]
    public void Noise_HasTheRequestedSpread()
    {
        var source = new ChipsInFieldTagSource(seed: 2).Add([8], 0, 10_000_000, 1000, RssiCurve.Flat(-6000, noiseCentiDbm: 200));
        var reads = new List<EmulatedRead>();
        source.TakeReads(10_000_000, reads);

        var mean = reads.Average(r => r.RssiCentiDbm);
        var sd = Math.Sqrt(reads.Average(r => Math.Pow(r.RssiCentiDbm - mean, 2)));
        Assert.InRange(mean, -6010, -5990);
        Assert.InRange(sd, 190, 210);
    }
}
