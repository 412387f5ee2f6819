using TimingMat.Core.Crossings;
using Xunit;

namespace TimingMat.Core.Tests.Crossings;

/// <summary>
/// Body shadow after the line (issue 15): a chest tag loses signal once the runner's body is between it and the mat, so
/// the curve is lopsided and a symmetric fit times the crossing early by a distance. With the mat's shadow set, the fit
/// moves its apex late by a share of the curve's width, i.e. per runner.
/// </summary>
public class PeakFitShadowTests
{
    // A chip 1.3 m from the antenna at closest approach; the shadow rises over the first half metre past the line.
    private const double RampShareOfWidth = 0.5 / 1.3;

    [Theory]
    [InlineData(200_000)]
    [InlineData(600_000)]
    public void ShadowedCurve_SymmetricFitIsEarlyByADistance_TheShadowSettingPutsItBack(int tau)
    {
        var (times, rssi) = Crossing(apex: 1_000_000, tau, shadowDb: 6, noiseDb: 0, random: null);

        var symmetric = new PeakFit(64, 5, 2, 20, 0);
        Assert.True(Fit(symmetric, times, rssi, out var early));
        var corrected = new PeakFit(64, 5, 2, 20, 0) { BodyShadowCentiDb = 600 };
        Assert.True(Fit(corrected, times, rssi, out var apex));

        // Early by about 0.12 of the width (τ: the time to run the closest distance): 24 ms at 200 ms, 72 ms at 600 ms,
        // which no constant offset removes; corrected, within 1.5 % of τ (3 and 9 ms).
        Assert.InRange(1_000_000 - early, tau / 10, tau / 6);
        Assert.InRange(apex - 1_000_000, -tau * 15 / 1000, tau * 15 / 1000);
    }

    [Fact]
    public void NoisyShadowedCrossings_AreUnbiased_AndAsPreciseAsUnshadowedOnes()
    {
        // 400 crossings at random speeds (τ 200–600 ms), 3 dB noise, whole-dB RSSI; 12 dB of shadow, set as 12 dB.
        var random = new Random(7);
        var shadowed = new List<double>();
        var plain = new List<double>();
        var uncorrected = new List<double>();
        var fit = new PeakFit(64, 5, 2, 20, 0) { BodyShadowCentiDb = 1200 };
        var symmetric = new PeakFit(64, 5, 2, 20, 0);
        for (var n = 0; n < 400; n++)
        {
            var apex = 1_000_000 + random.Next(-20_000, 20_000);
            var tau = random.Next(200_000, 600_000);
            var (times, rssi) = Crossing(apex, tau, shadowDb: 12, noiseDb: 3, random);
            Assert.True(Fit(fit, times, rssi, out var at));
            shadowed.Add((at - apex) / (double)tau);
            Assert.True(Fit(symmetric, times, rssi, out var early));
            uncorrected.Add((early - apex) / (double)tau);
            (times, rssi) = Crossing(apex, tau, shadowDb: 0, noiseDb: 3, random);
            Assert.True(Fit(symmetric, times, rssi, out at));
            plain.Add((at - apex) / (double)tau);
        }

        // Errors in shares of τ: uncorrected about a fifth early; corrected unbiased within 1 % and no more than a fifth
        // wider than the unshadowed crossings' (the shadowed shoulder carries less signal).
        var rms = Math.Sqrt(shadowed.Average(e => e * e));
        var plainRms = Math.Sqrt(plain.Average(e => e * e));
        Assert.InRange(uncorrected.Average(), -0.26, -0.16);
        Assert.InRange(shadowed.Average(), -0.01, 0.01);
        Assert.InRange(rms, 0.5 * plainRms, 1.2 * plainRms);
    }

    [Fact]
    public void NoShadow_IsTheSymmetricFit_ToTheMicrosecond()
    {
        var random = new Random(3);
        var (times, rssi) = Crossing(apex: 800_000, tau: 300_000, shadowDb: 0, noiseDb: 3, random);
        var fit = new PeakFit(64, 5, 2, 20, 0);
        Assert.True(Fit(fit, times, rssi, out var symmetric));
        fit.BodyShadowCentiDb = 600;
        Assert.True(Fit(fit, times, rssi, out var moved));
        fit.BodyShadowCentiDb = 0;
        Assert.True(Fit(fit, times, rssi, out var back));

        Assert.True(moved > symmetric);
        Assert.Equal(symmetric, back);
    }

    [Fact]
    public void ShadowSetting_IsHeldToItsRange()
    {
        var fit = new PeakFit(32, 5, 1, 20, 0) { BodyShadowCentiDb = -100 };
        Assert.Equal(0, fit.BodyShadowCentiDb);
        fit.BodyShadowCentiDb = 5000;
        Assert.Equal(3000, fit.BodyShadowCentiDb);

        var settings = new CrossingSettings { BodyShadowCentiDb = 3100 };
        var e = Assert.Throws<ArgumentException>(settings.Validate);
        Assert.Contains("BodyShadowCentiDb", e.Message);
    }

    // One antenna's 51 reads over ±2.5 τ, RSSI = −45 dBm − 60·log10(1 + s²) minus the shadow past the line.
    private static (int[] Times, short[] Rssi) Crossing(int apex, int tau, double shadowDb, double noiseDb, Random? random)
    {
        var times = new List<int>();
        var rssi = new List<short>();
        for (var t = apex - (5 * tau / 2); t <= apex + (5 * tau / 2); t += tau / 10)
        {
            var s = (t - apex) / (double)tau;
            var db = -45 - (60 * Math.Log10(1 + (s * s)));
            if (s > 0)
            {
                db -= shadowDb * Math.Min(1.0, s / RampShareOfWidth);
            }

            if (random != null)
            {
                db += noiseDb * Gaussian(random);
            }

            times.Add(t);
            rssi.Add((short)(Math.Round(db) * 100));
        }

        return (times.ToArray(), rssi.ToArray());
    }

    private static bool Fit(PeakFit fit, int[] times, short[] rssi, out long apex) =>
        fit.TryFit(times, rssi, new byte[times.Length], Enumerable.Repeat((byte)1, times.Length).ToArray(), 0, times.Length, out apex);

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
