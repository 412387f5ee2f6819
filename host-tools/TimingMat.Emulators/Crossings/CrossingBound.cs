using TimingMat.Core.Reader;

namespace TimingMat.Emulators.Crossings;

/// <summary>
/// The Cramér–Rao bound of the crossing time for the reads the crossing model actually produced: how precisely any
/// unbiased estimator could time each chip crossing from the RSSI of its reads, given the model's physics and noise.
/// The bench compares the detector's errors with it.
/// </summary>
/// <remarks>
/// <para>
/// Two bounds per crossing, from the Fisher information of the reads it got (their times and antennas), with the
/// per-read noise σ² = <see cref="CrossingModelSettings.NoiseDb"/>² plus the reported RSSI's rounding (step²/12):
/// </para>
/// <list type="bullet">
/// <item><b>Bound</b> (what a detector faces): the curve's form is known — RSSI = C − K·log10(v²(t − t₀)² + Dₖ) with K
/// from the path-loss and beam exponents — but not the runner's speed, the chip's height and lateral position or
/// the tag's loss: t₀, the curvature and one constant per antenna are unknown.</item>
/// <item><b>Known curve</b>: the model's exact noise-free curve (body shadow included) is known up to its level: only
/// t₀ and the tag's loss are unknown. No estimator without extra knowledge of the runner can do better.</item>
/// </list>
/// <para>
/// Percentiles of |error| are drawn by Monte Carlo from N(0, bound) per crossing (seeded). A crossing with fewer reads
/// than unknowns has no finite bound; it counts as beyond every percentile (<see cref="BoundSummary.Unbounded"/>).
/// Ignored: that reads only exist above the sensitivity (the tails are censored), multipath fades, and what the
/// pattern of read and missed slots says; so the bound describes the symmetric Gaussian part of the model.
/// </para>
/// </remarks>
public sealed class CrossingBound : ITagReadSink
{
    private readonly CrossingModel _model;
    private readonly bool _withKnownCurve;
    private readonly double _variance;
    private readonly double _depthPerDecade;
    private readonly Dictionary<byte[], Chip> _chips = new(EpcComparer.Instance);
    private readonly List<double> _bound = [];
    private readonly List<double> _knownCurve = [];
    private readonly List<byte[]> _done = [];
    private double[,] _fisher = new double[0, 0];

    /// <summary>Initializes a new instance of the <see cref="CrossingBound"/> class.</summary>
    /// <param name="model">The model the reads come from (its geometry and curve).</param>
    /// <param name="rssiStepCentiDbm">RSSI resolution of the reads, centi-dBm (100: whole dBm).</param>
    /// <param name="withKnownCurve">Whether to take the known-curve bound too (the race simulator leaves it out: it costs two curve evaluations a read).</param>
    public CrossingBound(CrossingModel model, int rssiStepCentiDbm = 100, bool withKnownCurve = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rssiStepCentiDbm, 1);
        _model = model;
        _withKnownCurve = withKnownCurve;
        var settings = model.Settings;
        var step = rssiStepCentiDbm / 100.0;
        _variance = (settings.NoiseDb * settings.NoiseDb) + (step * step / 12);

        // RSSI = C − (10·n_path + 20·n_beam)·log10(d) = C − K·log10(d²).
        _depthPerDecade = (5 * settings.PathLossExponent) + (10 * settings.BeamExponent);
    }

    /// <summary>Gets the number of crossings with at least one read whose bounds are taken.</summary>
    public int Crossings => _bound.Count;

    /// <summary>Gets the bound of every crossing taken so far, ms (+∞ where the reads cannot fix the unknowns), in the order taken.</summary>
    public IReadOnlyList<double> Bounds => _bound;

    /// <summary>Gets the number of chips registered and not yet taken (stays small: each is taken once it has left the field).</summary>
    public int ChipsHeld => _chips.Count;

    /// <summary>Registers a runner before their chips can be read (the geometry the bound needs).</summary>
    /// <param name="runner">The runner, as the model takes it from the stream.</param>
    public void Expect(RunnerCrossing runner)
    {
        foreach (var chip in runner.Chips)
        {
            if (_chips.Remove(chip.Epc, out var earlier))
            {
                Take(earlier); // the same chip again (a lap, a second pass): its earlier crossing is done
            }

            _chips[chip.Epc] = new Chip(runner.ChipCrossingMicros(chip), runner.SpeedMps, runner.LateralM + chip.LateralOffsetM, chip.HeightM);
        }
    }

    /// <inheritdoc />
    public void OnTagRead(TagRead read)
    {
        if (_chips.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(read.Epc.AsSpan(0, read.EpcLength), out var chip))
        {
            chip.Reads.Add((read.LocalMicros, (read.ReaderIndex * _model.Settings.AntennasPerReader) + read.Antenna - 1));
        }
    }

    /// <summary>Takes one read of a chip as the detector gets it.</summary>
    /// <param name="epc">The chip's EPC (compared by content).</param>
    /// <param name="localMicros">When it was read, on the model's clock.</param>
    /// <param name="antenna">Antenna over the whole mat, 0-based: reader × antennas per reader + port − 1.</param>
    public void OnRead(byte[] epc, long localMicros, int antenna)
    {
        if (_chips.TryGetValue(epc, out var chip))
        {
            chip.Reads.Add((localMicros, antenna));
        }
    }

    /// <summary>Takes the bounds of the chips that can no longer be read at a time, and forgets them.</summary>
    /// <param name="localMicros">Unit-local µs now.</param>
    public void Settle(long localMicros)
    {
        _done.Clear();
        foreach (var (epc, chip) in _chips)
        {
            // Past the far edge of the read range, with a second to spare.
            if (chip.TrueMicros + (long)(((_model.ReadRangeM / chip.SpeedMps) + 1) * 1e6) < localMicros)
            {
                _done.Add(epc);
            }
        }

        foreach (var epc in _done)
        {
            Take(_chips[epc]);
            _chips.Remove(epc);
        }
    }

    /// <summary>Takes the bounds of every chip still held (a run's end, a power cut that ends the model).</summary>
    public void TakeAll()
    {
        foreach (var chip in _chips.Values)
        {
            Take(chip);
        }

        _chips.Clear();
    }

    /// <summary>Takes the bounds of every chip still held (end of the run) and summarises.</summary>
    /// <param name="seed">Seed of the Monte Carlo draws.</param>
    /// <returns>The bound and the known-curve bound.</returns>
    public (BoundSummary Bound, BoundSummary KnownCurve) Summarise(int seed)
    {
        TakeAll();
        return (BoundSummary.Of(_bound, new Random(seed)), BoundSummary.Of(_knownCurve, new Random(seed)));
    }

    /// <summary>The bound for one crossing with the curve's form known (t₀, curvature and a constant per antenna unknown), ms.</summary>
    /// <param name="chip">The crossing's geometry and reads.</param>
    /// <returns>Standard deviation of t₀ in ms, or +∞ when the reads cannot fix the unknowns.</returns>
    private double FormBound(Chip chip)
    {
        var antennas = new List<int>(8);
        foreach (var (_, antenna) in chip.Reads)
        {
            if (!antennas.Contains(antenna))
            {
                antennas.Add(antenna);
            }
        }

        var n = 2 + antennas.Count;
        if (chip.Reads.Count < n)
        {
            return double.PositiveInfinity;
        }

        if (_fisher.GetLength(0) != n)
        {
            _fisher = new double[n, n];
        }
        else
        {
            Array.Clear(_fisher);
        }

        // Each read's gradient has three non-zero entries: t₀, the curvature and its own antenna's constant.
        var fisher = _fisher;
        var v2 = chip.SpeedMps * chip.SpeedMps;
        var k = _depthPerDecade / Math.Log(10);
        foreach (var (micros, antenna) in chip.Reads)
        {
            var s = (micros - chip.TrueMicros) / 1e6;
            var lateral = chip.LateralM - _model.AntennaLateralM(antenna);
            var q = (v2 * s * s) + (lateral * lateral) + (chip.HeightM * chip.HeightM);
            var g0 = 2 * k * v2 * s / q / 1000;
            var g1 = -k * s * s / q;
            var g2 = -k / q;
            var a = 2 + antennas.IndexOf(antenna);
            fisher[0, 0] += g0 * g0 / _variance;
            fisher[0, 1] += g0 * g1 / _variance;
            fisher[1, 1] += g1 * g1 / _variance;
            fisher[0, a] += g0 * g2 / _variance;
            fisher[1, a] += g1 * g2 / _variance;
            fisher[a, a] += g2 * g2 / _variance;
        }

        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                fisher[i, j] = fisher[j, i];
            }
        }

        var variance = InverseCorner(fisher);
        return variance > 0 && double.IsFinite(variance) ? Math.Sqrt(variance) : double.PositiveInfinity;
    }

    /// <summary>The bound for one crossing with the model's exact curve known up to its level, ms.</summary>
    /// <param name="chip">The crossing's geometry and reads.</param>
    /// <returns>Standard deviation of t₀ in ms, or +∞ with fewer than two reads.</returns>
    private double KnownCurveBound(Chip chip)
    {
        double slope2 = 0;
        double slope = 0;
        var n = chip.Reads.Count;
        foreach (var (micros, antenna) in chip.Reads)
        {
            var lateral = chip.LateralM - _model.AntennaLateralM(antenna);
            const double h = 100;
            var before = _model.MeanRssiDbm(chip.SpeedMps * (micros - h - chip.TrueMicros) / 1e6, lateral, chip.HeightM, 0);
            var after = _model.MeanRssiDbm(chip.SpeedMps * (micros + h - chip.TrueMicros) / 1e6, lateral, chip.HeightM, 0);

            // ∂RSSI/∂t₀ per ms: moving t₀ later is moving the read earlier on the curve.
            var d = (before - after) / (2 * h) * 1000;
            slope2 += d * d;
            slope += d;
        }

        var det = (n * slope2) - (slope * slope);
        return n < 2 || det <= 0 ? double.PositiveInfinity : Math.Sqrt(n * _variance / det);
    }

    // [F⁻¹]₀₀ by Gaussian elimination with partial pivoting (F is small: 2 + antennas).
    private static double InverseCorner(double[,] fisher)
    {
        var n = fisher.GetLength(0);
        var a = (double[,])fisher.Clone();
        var e = new double[n];
        e[0] = 1;
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var i = c + 1; i < n; i++)
            {
                if (Math.Abs(a[i, c]) > Math.Abs(a[pivot, c]))
                {
                    pivot = i;
                }
            }

            if (Math.Abs(a[pivot, c]) < 1e-300)
            {
                return double.PositiveInfinity;
            }

            for (var j = 0; j < n; j++)
            {
                (a[c, j], a[pivot, j]) = (a[pivot, j], a[c, j]);
            }

            (e[c], e[pivot]) = (e[pivot], e[c]);
            for (var i = c + 1; i < n; i++)
            {
                var f = a[i, c] / a[c, c];
                for (var j = c; j < n; j++)
                {
                    a[i, j] -= f * a[c, j];
                }

                e[i] -= f * e[c];
            }
        }

        var x = new double[n];
        for (var i = n - 1; i >= 0; i--)
        {
            var sum = e[i];
            for (var j = i + 1; j < n; j++)
            {
                sum -= a[i, j] * x[j];
            }

            x[i] = sum / a[i, i];
        }

        return x[0];
    }

    private void Take(Chip chip)
    {
        if (chip.Reads.Count == 0)
        {
            return;
        }

        _bound.Add(FormBound(chip));
        if (_withKnownCurve)
        {
            _knownCurve.Add(KnownCurveBound(chip));
        }
    }

    private sealed record Chip(long TrueMicros, double SpeedMps, double LateralM, double HeightM)
    {
        public List<(long Micros, int Antenna)> Reads { get; } = [];
    }

    // EPCs by content, without a string per read.
    private sealed class EpcComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly EpcComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = default(HashCode);
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
