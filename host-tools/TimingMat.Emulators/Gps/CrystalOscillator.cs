namespace TimingMat.Emulators.Gps;

/// <summary>
/// A unit's crystal: its frequency error in ppm as a function of true time, from an initial offset, linear aging
/// and a smooth temperature wander (a seeded sum of three slow sinusoids, bounded by <see cref="WanderPpm"/>).
/// </summary>
/// <remarks>
/// The crystal belongs to the board, not to one boot: a reboot makes a new <see cref="UnitTimebase"/> on the same
/// crystal, so the frequency carries on where it was.
/// </remarks>
public sealed class CrystalOscillator
{
    private readonly double[] _amplitude = new double[3];
    private readonly double[] _periodMicros = new double[3];
    private readonly double[] _phase = new double[3];

    /// <summary>Initializes a new instance of the <see cref="CrystalOscillator"/> class.</summary>
    /// <param name="initialPpm">Frequency error at <paramref name="referenceUtcMicros"/> (positive: the local counter runs fast), e.g. ±10 for an ESP32 crystal.</param>
    /// <param name="agingPpmPerDay">Linear drift of the error per day (a new crystal ages ~0.01 ppm/day).</param>
    /// <param name="wanderPpm">Largest temperature excursion around the aged value, e.g. 0.5.</param>
    /// <param name="seed">Seed of the wander's periods and phases.</param>
    /// <param name="referenceUtcMicros">True UTC µs at which <paramref name="initialPpm"/> holds and aging starts.</param>
    public CrystalOscillator(double initialPpm, double agingPpmPerDay = 0, double wanderPpm = 0, int seed = 1, long referenceUtcMicros = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(wanderPpm);
        InitialPpm = initialPpm;
        AgingPpmPerDay = agingPpmPerDay;
        WanderPpm = wanderPpm;
        ReferenceUtcMicros = referenceUtcMicros;
        var random = new Random(seed);
        var weights = new double[3];
        for (var i = 0; i < 3; i++)
        {
            weights[i] = 0.2 + random.NextDouble();

            // Periods of a mat lying in changing sun and shade: 20 minutes to 3 hours.
            _periodMicros[i] = (20 + (random.NextDouble() * 160)) * 60e6;
            _phase[i] = random.NextDouble() * 2 * Math.PI;
        }

        var total = weights.Sum();
        for (var i = 0; i < 3; i++)
        {
            _amplitude[i] = wanderPpm * weights[i] / total;
        }
    }

    /// <summary>Gets the frequency error at the reference time, ppm.</summary>
    public double InitialPpm { get; }

    /// <summary>Gets the aging, ppm per day.</summary>
    public double AgingPpmPerDay { get; }

    /// <summary>Gets the bound of the temperature wander, ppm.</summary>
    public double WanderPpm { get; }

    /// <summary>Gets the true UTC µs at which <see cref="InitialPpm"/> holds.</summary>
    public long ReferenceUtcMicros { get; }

    /// <summary>Gets the frequency error at a true time.</summary>
    /// <param name="trueUtcMicros">True UTC µs.</param>
    /// <returns>ppm; positive means the local counter gains.</returns>
    public double FrequencyPpmAt(long trueUtcMicros)
    {
        double t = trueUtcMicros - ReferenceUtcMicros;
        var ppm = InitialPpm + (AgingPpmPerDay * t / 86_400e6);
        for (var i = 0; i < 3; i++)
        {
            ppm += _amplitude[i] * Math.Sin((2 * Math.PI * t / _periodMicros[i]) + _phase[i]);
        }

        return ppm;
    }
}
