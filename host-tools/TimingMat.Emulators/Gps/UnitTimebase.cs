namespace TimingMat.Emulators.Gps;

/// <summary>
/// One boot of a unit seen from the true timeline: maps true UTC µs to the unit's local µs counter (what its
/// <see cref="Clock.SimulatedClock"/> and the core read) and back, through its crystal's frequency error.
/// </summary>
/// <remarks>
/// This is the ground truth the race simulator and the clock benchmark measure against: many units share one true
/// timeline, each with its own timebase, and the error of any timestamp a unit produced is its mat time minus
/// <see cref="ToTrueUtc"/> of the local µs it was taken at. The frequency is held constant over 10-second steps of
/// true time (the crystal changes far more slowly); both directions agree to within 1 µs. After a reboot the
/// counter restarts: make a new timebase on the same crystal at the reboot's true time.
/// </remarks>
public sealed class UnitTimebase
{
    /// <summary>The true-time step over which the frequency is held constant, µs.</summary>
    public const long StepMicros = 10_000_000;

    // Local µs (relative to LocalAtBoot) at the start of each step, and the local µs per true µs within it.
    private readonly List<double> _localAtStep = [0];
    private readonly List<double> _rate = [];

    /// <summary>Initializes a new instance of the <see cref="UnitTimebase"/> class.</summary>
    /// <param name="crystal">The unit's crystal.</param>
    /// <param name="trueUtcAtBoot">True UTC µs at which the local counter read <paramref name="localAtBoot"/>.</param>
    /// <param name="localAtBoot">Local counter value at that moment (µs since boot; usually small).</param>
    public UnitTimebase(CrystalOscillator crystal, long trueUtcAtBoot, long localAtBoot = 0)
    {
        Crystal = crystal;
        TrueUtcAtBoot = trueUtcAtBoot;
        LocalAtBoot = localAtBoot;
    }

    /// <summary>Gets the unit's crystal.</summary>
    public CrystalOscillator Crystal { get; }

    /// <summary>Gets the true UTC µs at which the counter read <see cref="LocalAtBoot"/>.</summary>
    public long TrueUtcAtBoot { get; }

    /// <summary>Gets the counter value at <see cref="TrueUtcAtBoot"/>.</summary>
    public long LocalAtBoot { get; }

    /// <summary>Gives the local counter at a true time.</summary>
    /// <param name="trueUtcMicros">True UTC µs, not before <see cref="TrueUtcAtBoot"/>.</param>
    /// <returns>The unit's local µs.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The time is before this boot.</exception>
    public long ToLocal(long trueUtcMicros)
    {
        var since = trueUtcMicros - TrueUtcAtBoot;
        ArgumentOutOfRangeException.ThrowIfNegative(since, nameof(trueUtcMicros));
        var step = (int)(since / StepMicros);
        Extend(step + 1);
        var local = _localAtStep[step] + ((since - (step * StepMicros)) * _rate[step]);
        return LocalAtBoot + (long)Math.Round(local);
    }

    /// <summary>Gives the true UTC of a local counter value: the ground truth of a unit's timestamp.</summary>
    /// <param name="localMicros">The unit's local µs, not before <see cref="LocalAtBoot"/>.</param>
    /// <returns>True UTC µs.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is before this boot.</exception>
    public long ToTrueUtc(long localMicros)
    {
        double since = localMicros - LocalAtBoot;
        ArgumentOutOfRangeException.ThrowIfNegative(since, nameof(localMicros));
        while (_localAtStep[^1] <= since)
        {
            Extend(_localAtStep.Count);
        }

        // The step whose local span holds the value (binary search over the increasing step starts).
        int lo = 0, hi = _localAtStep.Count - 2;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (_localAtStep[mid] <= since)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        var trueSince = (lo * (double)StepMicros) + ((since - _localAtStep[lo]) / _rate[lo]);
        return TrueUtcAtBoot + (long)Math.Round(trueSince);
    }

    /// <summary>Gives the crystal's frequency error at a true time (ppm), for reports.</summary>
    /// <param name="trueUtcMicros">True UTC µs.</param>
    /// <returns>ppm.</returns>
    public double FrequencyPpmAt(long trueUtcMicros) => Crystal.FrequencyPpmAt(trueUtcMicros);

    private void Extend(int steps)
    {
        while (_rate.Count < steps)
        {
            var step = _rate.Count;
            var middle = TrueUtcAtBoot + (step * StepMicros) + (StepMicros / 2);
            var rate = 1 + (Crystal.FrequencyPpmAt(middle) * 1e-6);
            _rate.Add(rate);
            _localAtStep.Add(_localAtStep[step] + (StepMicros * rate));
        }
    }
}
