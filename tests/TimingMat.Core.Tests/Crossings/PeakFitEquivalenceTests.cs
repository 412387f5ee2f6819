using TimingMat.Core.Crossings;
using Xunit;

namespace TimingMat.Core.Tests.Crossings;

/// <summary>
/// The peak fit rewritten for the device's interpreter (used reads packed, helpers inlined) gives exactly the apex,
/// used and rejected reads of the fit before it (issue 16: cheaper, and no timing figure may move).
/// </summary>
public class PeakFitEquivalenceTests
{
    [Theory]
    [InlineData(1, 32, 2, 20, 0)]
    [InlineData(2, 64, 2, 20, 0)]
    [InlineData(3, 32, 0, 20, 0)]
    [InlineData(4, 32, 3, 15, 2500)]
    [InlineData(5, 18, 1, 30, 0)]
    public void Every_fit_matches_the_fit_before_issue_16(int seed, int capacity, int passes, int sigmaTenths, int span)
    {
        var random = new Random(seed);
        var fit = new PeakFit(capacity, 5, passes, sigmaTenths, span);
        var reference = new ReferencePeakFit(capacity, 5, passes, sigmaTenths, span);
        var times = new int[capacity * 2];
        var rssi = new short[capacity * 2];
        var antennas = new byte[capacity * 2];
        var weights = new byte[capacity * 2];
        var fitted = 0;
        for (var crossing = 0; crossing < 3000; crossing++)
        {
            // A crossing at a random speed, height and offset, read by 1-10 antennas with noise, fades and merged
            // entries, from an offset into the arrays as the detector's slots are.
            var offset = random.Next(capacity);
            var count = random.Next(3, capacity + 1);
            var apex = random.Next(-500_000, 1_500_000);
            var tau = random.Next(80_000, 600_000);
            var groups = random.Next(1, 11);
            var t = apex - random.Next(0, 2 * tau);
            for (var i = 0; i < count; i++)
            {
                t += random.Next(1, 60_000);
                var x = (t - apex) / (double)tau;
                var db = (-45 - (60 * Math.Log10(1 + (x * x))) + (random.NextDouble() * 6) - 3 - (random.Next(15) == 0 ? random.Next(25) : 0)) * 100;
                times[offset + i] = t;
                rssi[offset + i] = (short)Math.Max(short.MinValue, Math.Round(db / 100) * 100);
                antennas[offset + i] = (byte)random.Next(groups);
                weights[offset + i] = (byte)(random.Next(8) == 0 ? random.Next(2, 6) : (random.Next(200) == 0 ? 0 : 1));
            }

            var ok = fit.TryFit(times, rssi, antennas, weights, offset, count, out var apexMicros);
            Assert.Equal(reference.TryFit(times, rssi, antennas, weights, offset, count, out var expected), ok);
            Assert.Equal(reference.UsedReads, fit.UsedReads);
            Assert.Equal(reference.RejectedReads, fit.RejectedReads);
            if (ok)
            {
                Assert.Equal(expected, apexMicros);
                fitted++;
            }
        }

        Assert.True(fitted > 1000, $"only {fitted} crossings fitted");
    }
}
