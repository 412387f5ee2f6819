using TimingMat.Core.Crossings;
using Xunit;

namespace TimingMat.Core.Tests.Crossings;

public class PeakFitTests
{
    private readonly List<(int Time, short Rssi, byte Antenna, byte Weight)> _reads = [];

    [Fact]
    public void PhysicalCurve_GivesItsApex_ToTheMicrosecond_EvenWithTheReadsOffCentre()
    {
        // 0-600 ms around an apex at 307.3 ms: more reads after it than before, far down both shoulders.
        AddCurve(apex: 307_300, from: 0, to: 600_000, step: 20_000);

        var fit = new PeakFit(64, 5, 2, 20, 0);
        Assert.True(Fit(fit, out var apex));
        Assert.InRange(apex, 307_290, 307_310);
        Assert.Equal(31, fit.UsedReads);
        Assert.Equal(0, fit.RejectedReads);
    }

    [Fact]
    public void ParabolaInDecibels_WouldBeBiased_ThePhysicalCurveIsNot()
    {
        // The reason for the squared-distance fit: on off-centre reads a parabola through the dB values leans toward
        // the side with more reads, because the real curve flattens in its tails. Shown here with a plain parabola.
        AddCurve(apex: 250_000, from: 0, to: 700_000, step: 10_000, tau: 250_000);

        Assert.True(Fit(new PeakFit(128, 5, 2, 20, 0), out var apex));
        Assert.InRange(apex, 249_990, 250_010);
        var plain = DecibelParabolaApex();
        Assert.True(Math.Abs(plain - 250_000) > 3_000, $"a dB parabola finds {plain}");
    }

    [Fact]
    public void FewerReadsThanTheMinimum_DoNotFit()
    {
        AddCurve(apex: 100_000, from: 60_000, to: 140_000, step: 20_000);

        Assert.False(Fit(new PeakFit(64, 6, 2, 20, 0), out _));
        Assert.True(Fit(new PeakFit(64, 5, 2, 20, 0), out var apex));
        Assert.InRange(apex, 99_990, 100_010);
    }

    [Fact]
    public void ReadsThatOnlyRise_DoNotFit()
    {
        // Still approaching when the reads end: the closest approach is not in the data.
        for (var i = 0; i < 10; i++)
        {
            Add(i * 20_000, (short)(-7000 + (i * 200)));
        }

        Assert.False(Fit(new PeakFit(64, 5, 2, 20, 0), out _));
    }

    [Fact]
    public void ApexBeyondTheReads_DoesNotFit()
    {
        AddCurve(apex: 500_000, from: 0, to: 400_000, step: 20_000);

        Assert.False(Fit(new PeakFit(64, 5, 2, 20, 0), out _));
    }

    [Fact]
    public void ReadsAtOneInstant_DoNotFit()
    {
        for (var i = 0; i < 8; i++)
        {
            Add(100_000, (short)(-6000 - (i * 100)));
        }

        Assert.False(Fit(new PeakFit(64, 5, 2, 20, 0), out _));
    }

    [Fact]
    public void AFadedRead_IsWeightedDown_AndTheApexStaysPut()
    {
        // A multipath fade takes 20 dB off one read on the rising shoulder, where reads carry the most timing.
        AddCurve(apex: 300_000, from: 0, to: 600_000, step: 20_000);
        var faded = _reads.FindIndex(r => r.Time == 200_000);
        _reads[faded] = _reads[faded] with { Rssi = (short)(_reads[faded].Rssi - 2000) };

        var robust = new PeakFit(64, 5, 2, 20, 0);
        Assert.True(Fit(robust, out var robustApex));

        Assert.Equal(1, robust.RejectedReads);
        Assert.Equal(31, robust.UsedReads);
        Assert.InRange(robustApex, 299_000, 301_500);

        // With the outlier limit at 10σ (no read is ever weighted down), the fade drags the apex about 3 times as far.
        Assert.True(Fit(new PeakFit(64, 5, 2, 100, 0), out var loose));
        Assert.True(Math.Abs(loose - 300_000) > 2.5 * Math.Abs(robustApex - 300_000), $"robust {robustApex}, loose {loose}");
    }

    [Fact]
    public void AntennasAtTheirOwnDistances_ShareOneApex()
    {
        // Antenna 2 is farther from the chip's line (8 dB weaker, a wider curve) and only reads after the peak.
        AddCurve(apex: 300_000, from: 0, to: 600_000, step: 20_000);
        for (var t = 310_000; t <= 590_000; t += 20_000)
        {
            Add(t, (short)DetectorRig.FartherRssiAt(t, 300_000, 800), antenna: 2);
        }

        Assert.True(Fit(new PeakFit(64, 5, 2, 20, 0), out var apex));
        Assert.InRange(apex, 299_990, 300_010);
    }

    [Fact]
    public void MergedReads_CountByTheirWeight()
    {
        // The same curve, its first half as single reads and its second half as pairs averaged into one entry each:
        // weights keep the two halves in balance.
        AddCurve(apex: 300_000, from: 0, to: 300_000, step: 10_000);
        for (var t = 310_000; t <= 600_000; t += 20_000)
        {
            var mean = (DetectorRig.RssiAt(t, 300_000) + DetectorRig.RssiAt(t + 10_000, 300_000)) / 2;
            _reads.Add((t + 5_000, (short)mean, 0, 2));
        }

        Assert.True(Fit(new PeakFit(64, 5, 2, 20, 0), out var apex));
        Assert.InRange(apex, 299_500, 300_500);
    }

    [Fact]
    public void FitSpan_KeepsAPlateauFarBelowThePeakOutOfTheFit()
    {
        AddCurve(apex: 300_000, from: 100_000, to: 500_000, step: 20_000, tau: 150_000);
        for (var t = 540_000; t <= 1_500_000; t += 40_000)
        {
            Add(t, -7500);
        }

        Assert.True(Fit(new PeakFit(64, 5, 2, 20, 1500), out var windowed));
        Assert.InRange(windowed, 299_990, 300_010);
        Assert.True(!Fit(new PeakFit(64, 5, 2, 20, 0), out var all) || Math.Abs(all - 300_000) > 10_000);
    }

    [Fact]
    public void LargestMagnitudes_StayExact()
    {
        // 64 entries of 128 merged reads each (the detector's limits), 16 s wide, the far reads nearly 60 dB down:
        // every sum the fit forms is near its largest, and the apex is still exact.
        for (var k = 0; k < 64; k++)
        {
            var t = k * 250_000;
            _reads.Add((t, (short)DetectorRig.RssiAt(t, 8_000_000, tauMicros: 2_800_000), (byte)(k % 2), 128));
        }

        var fit = new PeakFit(64, 5, 2, 20, 0);
        Assert.True(Fit(fit, out var apex));
        Assert.InRange(apex, 7_999_900, 8_000_100);
        Assert.Equal(64, fit.UsedReads);
    }

    [Fact]
    public void ReadsMoreThan60DbDown_AreLeftOut()
    {
        // A steep curve: beyond ±0.9 s the reads are more than 60 dB below the peak, which no crossing spans.
        AddCurve(apex: 2_000_000, from: 0, to: 3_700_000, step: 50_000, tau: 300_000);

        var fit = new PeakFit(128, 5, 2, 20, 0);
        Assert.True(Fit(fit, out var apex));
        Assert.InRange(apex, 1_999_990, 2_000_010);
        Assert.Equal(_reads.Count(r => r.Rssi >= -4500 - 6000), fit.UsedReads);
        Assert.True(fit.UsedReads < _reads.Count);
    }

    [Fact]
    public void NoisyCrossings_AreUnbiased_AndAsPreciseAsTheirReadsAllow()
    {
        // 400 crossings of 30 reads with 3 dB Gaussian noise, RSSI rounded to whole dB as the modules report it.
        var random = new Random(5);
        var errors = new List<double>();
        var fit = new PeakFit(64, 5, 2, 20, 0);
        for (var n = 0; n < 400; n++)
        {
            _reads.Clear();
            var apex = 400_000 + random.Next(-20_000, 20_000);
            for (var t = 0; t <= 800_000; t += 27_000)
            {
                var rssi = DetectorRig.RssiAt(t, apex) + (300 * Gaussian(random));
                _reads.Add((t, (short)(Math.Round(rssi / 100) * 100), 0, 1));
            }

            Assert.True(Fit(fit, out var at));
            errors.Add((at - apex) / 1000.0);
        }

        // The Cramér–Rao bound for these 30 reads (t₀, curvature and level unknown; σ² = 3² + 1/12 dB²) is 7.7 ms:
        // the fit must be unbiased and within 8 % of it (it gives 7.8 ms).
        var rms = Math.Sqrt(errors.Average(e => e * e));
        Assert.InRange(errors.Average(), -1.0, 1.0);
        Assert.InRange(rms, 7.4, 8.3);
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private void Add(int time, short rssi, byte antenna = 0) => _reads.Add((time, rssi, antenna, 1));

    private void AddCurve(int apex, int from, int to, int step, byte antenna = 0, long tau = 300_000)
    {
        for (var t = from; t <= to; t += step)
        {
            Add(t, (short)DetectorRig.RssiAt(t, apex, tauMicros: tau), antenna);
        }
    }

    // Least-squares parabola through the dB values (CrossMgr's fit), in double precision, for comparison.
    private double DecibelParabolaApex()
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, y0 = 0, y1 = 0, y2 = 0;
        foreach (var (time, rssi, _, _) in _reads)
        {
            var u = time / 1e6;
            s0++;
            s1 += u;
            s2 += u * u;
            s3 += u * u * u;
            s4 += u * u * u * u;
            y0 += rssi;
            y1 += u * rssi;
            y2 += u * u * rssi;
        }

        // Cramer's rule on the 3×3 normal equations for y = a·u² + b·u + c.
        double Det(double a, double b, double c, double d, double e, double f, double g, double h, double i) =>
            (a * ((e * i) - (f * h))) - (b * ((d * i) - (f * g))) + (c * ((d * h) - (e * g)));
        var det = Det(s4, s3, s2, s3, s2, s1, s2, s1, s0);
        var a = Det(y2, s3, s2, y1, s2, s1, y0, s1, s0) / det;
        var b = Det(s4, y2, s2, s3, y1, s1, s2, y0, s0) / det;
        return -b / (2 * a) * 1e6;
    }

    private bool Fit(PeakFit fit, out long apex) => fit.TryFit(
        _reads.Select(r => r.Time).ToArray(),
        _reads.Select(r => r.Rssi).ToArray(),
        _reads.Select(r => r.Antenna).ToArray(),
        _reads.Select(r => r.Weight).ToArray(),
        0,
        _reads.Count,
        out apex);
}
