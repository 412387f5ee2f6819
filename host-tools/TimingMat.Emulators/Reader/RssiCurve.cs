namespace TimingMat.Emulators.Reader;

/// <summary>
/// How a chip's signal strength develops while it is in the field, as a function of the fraction of its time there
/// (0 at entry, 1 at exit), plus Gaussian noise.
/// </summary>
public sealed class RssiCurve
{
    private readonly Func<double, double> _centiDbmAt;

    private RssiCurve(Func<double, double> centiDbmAt, int noiseCentiDbm)
    {
        _centiDbmAt = centiDbmAt;
        NoiseCentiDbm = noiseCentiDbm;
    }

    /// <summary>Gets the standard deviation of the noise added to each read, in centi-dBm.</summary>
    public int NoiseCentiDbm { get; }

    /// <summary>A constant signal, e.g. a chip lying on the mat.</summary>
    /// <param name="centiDbm">Signal in centi-dBm.</param>
    /// <param name="noiseCentiDbm">Noise standard deviation in centi-dBm.</param>
    /// <returns>The curve.</returns>
    public static RssiCurve Flat(int centiDbm, int noiseCentiDbm = 0) => new(_ => centiDbm, noiseCentiDbm);

    /// <summary>
    /// A chip passing over the antenna: the signal rises linearly from <paramref name="edgeCentiDbm"/> to
    /// <paramref name="peakCentiDbm"/> at <paramref name="peakAt"/>, then falls back.
    /// </summary>
    /// <param name="edgeCentiDbm">Signal at entry and exit.</param>
    /// <param name="peakCentiDbm">Signal at the peak.</param>
    /// <param name="peakAt">Where the peak is, as a fraction of the time in the field (0..1).</param>
    /// <param name="noiseCentiDbm">Noise standard deviation in centi-dBm.</param>
    /// <returns>The curve.</returns>
    public static RssiCurve Peak(int edgeCentiDbm, int peakCentiDbm, double peakAt = 0.5, int noiseCentiDbm = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(peakAt, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(peakAt, 1.0);
        return new(
            f =>
            {
                var rise = f <= peakAt ? (peakAt == 0 ? 1 : f / peakAt) : (peakAt == 1 ? 1 : (1 - f) / (1 - peakAt));
                return edgeCentiDbm + ((peakCentiDbm - edgeCentiDbm) * rise);
            },
            noiseCentiDbm);
    }

    /// <summary>Any curve.</summary>
    /// <param name="centiDbmAtFraction">Signal in centi-dBm at a fraction (0..1) of the time in the field.</param>
    /// <param name="noiseCentiDbm">Noise standard deviation in centi-dBm.</param>
    /// <returns>The curve.</returns>
    public static RssiCurve From(Func<double, double> centiDbmAtFraction, int noiseCentiDbm = 0) => new(centiDbmAtFraction, noiseCentiDbm);

    /// <summary>Gets the signal of one read.</summary>
    /// <param name="fraction">Fraction of the time in the field, 0..1.</param>
    /// <param name="random">Source of the noise.</param>
    /// <returns>Signal in centi-dBm.</returns>
    public int At(double fraction, Random random)
    {
        var value = _centiDbmAt(Math.Clamp(fraction, 0, 1));
        if (NoiseCentiDbm > 0)
        {
            // Box-Muller.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            value += NoiseCentiDbm * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
        }

        return (int)Math.Round(value);
    }
}
