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
/// than unknowns has no finite bound; it counts as beyond every percentile (<see cref="BoundFigures.Unbounded"/>).
/// Ignored: that reads only exist above the sensitivity (the tails are censored), multipath fades, and what the
/// pattern of read and missed slots says; so the bound describes the symmetric Gaussian part of the model.
/// </para>
/// </remarks>
public sealed class CrossingBound : ITagReadSink
{
    private readonly CrossingModel _model;
    private readonly bool _withKnownCurve;
    private readonly double _variance;
    private readonly double _decibelsPerLn;
    private readonly int _antennasOnMat;
    private readonly Dictionary<byte[], Chip> _chips = new(EpcComparer.Instance);
    private readonly List<double> _bound = [];
    private readonly List<double> _knownCurve = [];
    private readonly List<byte[]> _done = [];
    private readonly List<int> _antennas = new(16);
    private double[] _fisher = [];
    private double[] _work = [];
    private double[] _vector = [];

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

        // RSSI = C − (10·n_path + 20·n_beam)·log10(d) = C − K·log10(d²), K per natural log.
        _decibelsPerLn = ((5 * settings.PathLossExponent) + (10 * settings.BeamExponent)) / Math.Log(10);
        _antennasOnMat = settings.Readers * settings.AntennasPerReader;
    }

    /// <summary>Gets the number of crossings with at least one read whose bounds are taken.</summary>
    public int Crossings => _bound.Count;

    /// <summary>Gets the bound of every crossing taken so far, ms (+∞ where the reads cannot fix the unknowns), in the order taken.</summary>
    public IReadOnlyList<double> Bounds => _bound;

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

            _chips[chip.Epc] = new Chip(runner.ChipCrossingMicros(chip), runner.SpeedMps, runner.LateralM + chip.LateralOffsetM, chip.HeightM, _antennasOnMat);
        }
    }

    /// <inheritdoc />
    public void OnTagRead(TagRead read)
    {
        if (_chips.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(read.Epc.AsSpan(0, read.EpcLength), out var chip))
        {
            Add(chip, read.LocalMicros, (read.ReaderIndex * _model.Settings.AntennasPerReader) + read.Antenna - 1);
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
            Add(chip, localMicros, antenna);
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
    public (BoundFigures Bound, BoundFigures KnownCurve) Summarise(int seed)
    {
        TakeAll();
        return (BoundFigures.Of(_bound, new Random(seed)), BoundFigures.Of(_knownCurve, new Random(seed)));
    }

    /// <summary>The bound for one crossing with the curve's form known (t₀, curvature and a constant per antenna unknown), ms.</summary>
    /// <param name="chip">The crossing's geometry and reads.</param>
    /// <returns>Standard deviation of t₀ in ms, or +∞ when the reads cannot fix the unknowns.</returns>
    private double FormBound(Chip chip)
    {
        // The unknowns: t₀, the curvature, and the constant of every antenna that read the chip.
        var antennas = _antennas;
        antennas.Clear();
        for (var a = 0; a < chip.ReadsByAntenna.Length; a++)
        {
            if (chip.ReadsByAntenna[a] > 0)
            {
                antennas.Add(a);
            }
        }

        var n = 2 + antennas.Count;
        if (chip.Reads < n)
        {
            return double.PositiveInfinity;
        }

        if (_fisher.Length < n * n || _vector.Length < 2 * n)
        {
            _fisher = new double[n * n];
            _work = new double[n * n];
            _vector = new double[2 * n];
        }

        var fisher = _fisher;
        Array.Clear(fisher, 0, n * n);
        fisher[0] = chip.F00;
        fisher[1] = fisher[n] = chip.F01;
        fisher[n + 1] = chip.F11;
        for (var i = 0; i < antennas.Count; i++)
        {
            var a = antennas[i];
            var k = 2 + i;
            fisher[k] = fisher[k * n] = chip.F0A[a];
            fisher[n + k] = fisher[(k * n) + 1] = chip.F1A[a];
            fisher[(k * n) + k] = chip.FAA[a];
        }

        var variance = InverseCorner(fisher, n, _work, _vector);
        return variance > 0 && double.IsFinite(variance) ? Math.Sqrt(variance) : double.PositiveInfinity;
    }

    // One read's Fisher information, added as it comes (no read is kept). Its gradient has three non-zero entries:
    // t₀, the curvature, and its own antenna's constant; the known curve's only unknowns are t₀ and the level.
    private void Add(Chip chip, long micros, int antenna)
    {
        var s = (micros - chip.TrueMicros) / 1e6;
        var lateral = chip.LateralM - _model.AntennaLateralM(antenna);
        var v2 = chip.SpeedMps * chip.SpeedMps;
        var q = (v2 * s * s) + (lateral * lateral) + (chip.HeightM * chip.HeightM);
        var g0 = 2 * _decibelsPerLn * v2 * s / q / 1000;
        var g1 = -_decibelsPerLn * s * s / q;
        var g2 = -_decibelsPerLn / q;
        chip.F00 += g0 * g0 / _variance;
        chip.F01 += g0 * g1 / _variance;
        chip.F11 += g1 * g1 / _variance;
        chip.F0A[antenna] += g0 * g2 / _variance;
        chip.F1A[antenna] += g1 * g2 / _variance;
        chip.FAA[antenna] += g2 * g2 / _variance;
        chip.ReadsByAntenna[antenna]++;
        chip.Reads++;
        if (_withKnownCurve)
        {
            const double h = 100;
            var before = _model.MeanRssiDbm(chip.SpeedMps * (micros - h - chip.TrueMicros) / 1e6, lateral, chip.HeightM, 0);
            var after = _model.MeanRssiDbm(chip.SpeedMps * (micros + h - chip.TrueMicros) / 1e6, lateral, chip.HeightM, 0);

            // ∂RSSI/∂t₀ per ms: moving t₀ later is moving the read earlier on the curve.
            var d = (before - after) / (2 * h) * 1000;
            chip.KnownSlope += d;
            chip.KnownSlope2 += d * d;
        }
    }

    /// <summary>The bound for one crossing with the model's exact curve known up to its level, ms.</summary>
    /// <param name="chip">The crossing's geometry and reads.</param>
    /// <returns>Standard deviation of t₀ in ms, or +∞ with fewer than two reads.</returns>
    private double KnownCurveBound(Chip chip)
    {
        var n = chip.Reads;
        var det = (n * chip.KnownSlope2) - (chip.KnownSlope * chip.KnownSlope);
        return n < 2 || det <= 0 ? double.PositiveInfinity : Math.Sqrt(n * _variance / det);
    }

    // [F⁻¹]₀₀ by Gaussian elimination with partial pivoting (F is small: 2 + antennas), on reused buffers: n × n
    // row-major in work, the right-hand side and the solution in vector.
    private static double InverseCorner(double[] fisher, int n, double[] work, double[] vector)
    {
        Array.Copy(fisher, work, n * n);
        var a = work;
        var e = vector.AsSpan(0, n);
        var x = vector.AsSpan(n, n);
        e.Clear();
        e[0] = 1;
        for (var c = 0; c < n; c++)
        {
            var pivot = c;
            for (var i = c + 1; i < n; i++)
            {
                if (Math.Abs(a[(i * n) + c]) > Math.Abs(a[(pivot * n) + c]))
                {
                    pivot = i;
                }
            }

            if (Math.Abs(a[(pivot * n) + c]) < 1e-300)
            {
                return double.PositiveInfinity;
            }

            for (var j = 0; j < n; j++)
            {
                (a[(c * n) + j], a[(pivot * n) + j]) = (a[(pivot * n) + j], a[(c * n) + j]);
            }

            (e[c], e[pivot]) = (e[pivot], e[c]);
            for (var i = c + 1; i < n; i++)
            {
                var f = a[(i * n) + c] / a[(c * n) + c];
                for (var j = c; j < n; j++)
                {
                    a[(i * n) + j] -= f * a[(c * n) + j];
                }

                e[i] -= f * e[c];
            }
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var sum = e[i];
            for (var j = i + 1; j < n; j++)
            {
                sum -= a[(i * n) + j] * x[j];
            }

            x[i] = sum / a[(i * n) + i];
        }

        return x[0];
    }

    private void Take(Chip chip)
    {
        if (chip.Reads == 0)
        {
            return;
        }

        _bound.Add(FormBound(chip));
        if (_withKnownCurve)
        {
            _knownCurve.Add(KnownCurveBound(chip));
        }
    }

    private sealed class Chip(long trueMicros, double speedMps, double lateralM, double heightM, int antennas)
    {
        public long TrueMicros => trueMicros;

        public double SpeedMps => speedMps;

        public double LateralM => lateralM;

        public double HeightM => heightM;

        public int Reads { get; set; }

        public int[] ReadsByAntenna { get; } = new int[antennas];

        public double F00 { get; set; }

        public double F01 { get; set; }

        public double F11 { get; set; }

        public double[] F0A { get; } = new double[antennas];

        public double[] F1A { get; } = new double[antennas];

        public double[] FAA { get; } = new double[antennas];

        public double KnownSlope { get; set; }

        public double KnownSlope2 { get; set; }
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
