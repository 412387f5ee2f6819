using TimingMat.Core.Crossings;
using Xunit;

namespace TimingMat.Core.Tests.Crossings;

public class PeakFitTests
{
    private readonly List<(int Time, short Rssi, byte Antenna, byte Weight)> _reads = [];

    [Fact]
    public void ExactParabola_GivesItsApex_ToTheMicrosecond()
    {
        AddParabola(apex: 307_300, from: 0, to: 600_000, step: 20_000, centiPerMs2: 0.05);

        Assert.True(Fit(new PeakFit(64, 5, 0, 20, 0), out var apex));
        Assert.InRange(apex, 307_290, 307_310);
    }

    [Fact]
    public void FewerReadsThanTheMinimum_DoNotFit()
    {
        AddParabola(apex: 100_000, from: 60_000, to: 140_000, step: 20_000, centiPerMs2: 0.05);

        Assert.False(Fit(new PeakFit(64, 6, 0, 20, 0), out _));
        Assert.True(Fit(new PeakFit(64, 5, 0, 20, 0), out _));
    }

    [Fact]
    public void ReadsThatOnlyRise_DoNotFit()
    {
        for (var i = 0; i < 10; i++)
        {
            Add(i * 20_000, (short)(-7000 + (i * 200)));
        }

        Assert.False(Fit(new PeakFit(64, 5, 0, 20, 0), out _));
    }

    [Fact]
    public void ApexBeyondTheReads_DoesNotFit()
    {
        // A parabola through the reads peaks after the last one: an extrapolation, not a measurement.
        AddParabola(apex: 500_000, from: 0, to: 400_000, step: 20_000, centiPerMs2: 0.05);

        Assert.False(Fit(new PeakFit(64, 5, 0, 20, 0), out _));
    }

    [Fact]
    public void ReadsAtOneInstant_DoNotFit()
    {
        for (var i = 0; i < 8; i++)
        {
            Add(100_000, (short)(-6000 - (i * 100)));
        }

        Assert.False(Fit(new PeakFit(64, 5, 0, 20, 0), out _));
    }

    [Fact]
    public void AFadedRead_IsRejectedAsAnOutlier_AndTheApexComesBack()
    {
        AddParabola(apex: 300_000, from: 0, to: 600_000, step: 20_000, centiPerMs2: 0.05);
        var faded = _reads.FindIndex(r => r.Time == 360_000);
        _reads[faded] = _reads[faded] with { Rssi = (short)(_reads[faded].Rssi - 2000) };

        var plain = new PeakFit(64, 5, 0, 20, 0);
        var robust = new PeakFit(64, 5, 1, 20, 0);
        Assert.True(Fit(plain, out var plainApex));
        Assert.True(Fit(robust, out var robustApex));

        Assert.Equal(0, plain.RejectedReads);
        Assert.Equal(1, robust.RejectedReads);
        Assert.Equal(30, robust.UsedReads);
        Assert.True(Math.Abs(plainApex - 300_000) > 1_000, $"plain fit at {plainApex}");
        Assert.InRange(robustApex, 299_990, 300_010);
    }

    [Fact]
    public void AntennasAtDifferentLevels_ShareOneApex()
    {
        // Antenna 2 reads 8 dB weaker and only after the peak.
        AddParabola(apex: 300_000, from: 0, to: 600_000, step: 20_000, centiPerMs2: 0.05);
        AddParabola(apex: 300_000, from: 310_000, to: 590_000, step: 20_000, centiPerMs2: 0.05, antenna: 2, offset: -800);

        Assert.True(Fit(new PeakFit(64, 5, 0, 20, 0), out var apex));
        Assert.InRange(apex, 299_990, 300_010);
    }

    [Fact]
    public void MergedReads_CountByTheirWeight()
    {
        // The same curve, its first half as single reads and its second half as pairs averaged into one entry each:
        // weights keep the two halves in balance.
        AddParabola(apex: 300_000, from: 0, to: 300_000, step: 10_000, centiPerMs2: 0.05);
        for (var t = 310_000; t <= 600_000; t += 20_000)
        {
            var mean = (Rssi(t, 300_000, 0.05) + Rssi(t + 10_000, 300_000, 0.05)) / 2;
            _reads.Add((t + 5_000, (short)mean, 0, 2));
        }

        Assert.True(Fit(new PeakFit(64, 5, 0, 20, 0), out var apex));
        Assert.InRange(apex, 299_500, 300_500);
    }

    [Fact]
    public void FitSpan_KeepsAPlateauFarBelowThePeakOutOfTheFit()
    {
        AddParabola(apex: 300_000, from: 100_000, to: 500_000, step: 20_000, centiPerMs2: 0.05);
        for (var t = 540_000; t <= 1_500_000; t += 40_000)
        {
            Add(t, -7500);
        }

        Assert.True(Fit(new PeakFit(64, 5, 0, 20, 1000), out var windowed));
        Assert.InRange(windowed, 299_990, 300_010);
        Assert.True(!Fit(new PeakFit(64, 5, 0, 20, 0), out var all) || Math.Abs(all - 300_000) > 10_000);
    }

    private static int Rssi(long t, long apex, double centiPerMs2)
    {
        var ms = (t - apex) / 1000.0;
        return (int)Math.Round(-4500 - (centiPerMs2 * ms * ms));
    }

    private void Add(int time, short rssi, byte antenna = 0) => _reads.Add((time, rssi, antenna, 1));

    private void AddParabola(int apex, int from, int to, int step, double centiPerMs2, byte antenna = 0, int offset = 0)
    {
        for (var t = from; t <= to; t += step)
        {
            Add(t, (short)(Rssi(t, apex, centiPerMs2) + offset), antenna);
        }
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
