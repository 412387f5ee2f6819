namespace TimingMat.Core.Tests.Crossings
{
    // The peak fit as it was before issue 16, kept as the oracle of PeakFitEquivalenceTests: the rewritten fit (dense
    // arrays of the used reads, helpers inlined, for the device's interpreter) must give exactly the same apex.
    /// <summary>
    /// Finds the moment of peak signal of one crossing: turns each read's RSSI into the chip's squared distance to the
    /// antenna, fits the parabola that squared distance follows in time (its own constant per antenna), reweights the
    /// reads by the curve and by how far each lies off it (Huber, 2σ by default) and refits, and returns the vertex,
    /// the moment of closest approach. Integer maths only.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Physics: a chip at height h, lateral offset l from an antenna and running at v is at squared distance
    /// d² = l² + h² + v²(t − t₀)², and the two-way path loss (exponent 4) and the mat antenna's beam (cos⁴ each way)
    /// give RSSI = C − 60·log10(d²). So z = 10^(−RSSI / 60 dB) is an exact parabola in time, z = a(t − t₀)² + e, with one
    /// curvature a = c·v² for every antenna and one constant e = c·(l² + h²) per antenna. Fitting a parabola to the RSSI
    /// itself (CrossMgr's method) only matches near the peak; the squared-distance parabola matches the whole curve, so
    /// every read counts, and a chip read by two antennas shares one apex.
    /// </para>
    /// <para>
    /// Weights: RSSI noise in dB is relative noise on z, so a read's weight is (reads it stands for) / ẑ², with ẑ the
    /// fitted curve (the first pass uses the read's own z); a read below the curve (a larger z than fitted) keeps the
    /// weight of its own z, because reads hit by a fade lie below it. A read whose relative residual exceeds the
    /// outlier limit (2σ) has its weight scaled by limit / residual (Huber): a multipath fade cannot drag the apex,
    /// yet no read is thrown away on a noise excursion, which is what CrossMgr's hard 2σ rejection costs on clean
    /// data. With the true curve depth the estimate reaches the Cramér–Rao bound of the crossing model within a few
    /// percent; a depth off by a third (40 or 80 dB per decade) still beats the dB parabola (see Crossings/README.md).
    /// </para>
    /// <para>
    /// Fixed point: times are scaled to at most ±511 units (125 µs doubled until the reads fit), z is in 1/1024 of the
    /// strongest read's (reads more than 60 dB below it are left out), weights are 1–1024 per read, and the normal
    /// equations are formed from centred, weighted within-antenna sums, which keeps every product below 2^62. The fit
    /// fails (and the caller falls back to the strongest read) when there are too few reads, the times do not spread,
    /// the curve has no minimum distance, or the apex lies outside the reads.
    /// </para>
    /// </remarks>
    internal sealed class ReferencePeakFit
    {
        /// <summary>Most antennas (reader and port pairs) one fit tells apart; reads of further antennas are left out.</summary>
        public const int MaxGroups = 8;

        private const long MaxUnits = 511;
        private const long MinUnitMicros = 125;
        private const long MaxUnitMicros = 1L << 24;
        private const int FractionBits = 20;
        private const long MaxFixed = 1L << 36;

        // z of the strongest read, and the deepest read taken (60 dB below it: z = 10; no crossing spans more, since
        // chips are read from about −35 dBm down to the readers' −85 dBm sensitivity).
        private const int ZOne = 1024;
        private const int MaxDepthCentiDb = 6000;

        // The fitted curve is held within 0.5–16 times the strongest read's z when it weights the reads.
        private const long MinCurveZ = ZOne / 2;
        private const long MaxCurveZ = ZOne * 16;

        // Relative residuals in 1/4096; clamped where only the clamp guards the squares.
        private const int ResidualBits = 12;
        private const long MaxResidual = 1L << 17;

        // Weight of a read at the strongest level with full trust: 256 (the Huber factor is in 1/256).
        private const int HuberOne = 256;

        // RSSI falls 60 dB per decade of squared distance: 20 from the two-way path loss (exponent 4), 40 from the
        // beam (cos⁴ each way, a 65° patch). So z = 10^(depth / 60 dB): a table of 10^(k/60) for k = 0..61 dB in
        // 1/2^24 (at most 2^28, so a step product stays below 2^58), interpolated per centi-dB; the step 10^(1/60)
        // is in 1/2^30.
        private const long DecibelStep = 1115749078;
        private const int StepBits = 30;
        private const int TableBits = 24;

        private readonly long[] _zTable;
        private readonly long[] _u;
        private readonly long[] _z;
        private readonly int[] _group;
        private readonly long[] _reads;
        private readonly long[] _weight;
        private readonly bool[] _used;
        private readonly long[] _rho;
        private readonly int[] _groupKey;
        private readonly long[] _sw;
        private readonly long[] _meanU;
        private readonly long[] _meanU2;
        private readonly long[] _meanZ;
        private readonly int _minReads;
        private readonly int _reweightPasses;
        private readonly long _outlierLimit;
        private readonly int _spanCentiDb;
        private int _groups;
        private int _count;
        private long _aFixed;
        private long _bFixed;
        private long _apexNum;
        private long _apexDen;

        /// <summary>Initializes a new instance of the <see cref="PeakFit"/> class with work buffers for a crossing's reads.</summary>
        /// <param name="capacity">Most reads one fit takes.</param>
        /// <param name="minReads">Fewest reads a curve is fitted to (at least 3).</param>
        /// <param name="outlierPasses">Refits after the first, each reweighting the reads by the curve and their residuals (0 = one plain fit).</param>
        /// <param name="outlierTenthsOfSigma">Residual beyond which a read's weight is scaled down, in tenths of σ (20 = 2σ).</param>
        /// <param name="spanCentiDb">Depth below the strongest read that bounds the fit window in time, centi-dB (0 = every read).</param>
        public ReferencePeakFit(int capacity, int minReads, int outlierPasses, int outlierTenthsOfSigma, int spanCentiDb)
        {
            _zTable = new long[(MaxDepthCentiDb / 100) + 2];
            _zTable[0] = 1L << TableBits;
            for (int k = 1; k < _zTable.Length; k++)
            {
                _zTable[k] = ((_zTable[k - 1] * DecibelStep) + (1L << (StepBits - 1))) >> StepBits;
            }

            _u = new long[capacity];
            _z = new long[capacity];
            _group = new int[capacity];
            _reads = new long[capacity];
            _weight = new long[capacity];
            _used = new bool[capacity];
            _rho = new long[capacity];
            _groupKey = new int[MaxGroups];
            _sw = new long[MaxGroups];
            _meanU = new long[MaxGroups];
            _meanU2 = new long[MaxGroups];
            _meanZ = new long[MaxGroups];
            _minReads = minReads < 3 ? 3 : minReads;
            _reweightPasses = outlierPasses;
            _outlierLimit = (long)outlierTenthsOfSigma * outlierTenthsOfSigma;
            _spanCentiDb = spanCentiDb;
        }

        /// <summary>Gets or sets a value indicating whether reads below the curve are judged as fades when their excess is one-sided (issue 15; false: the symmetric fit before it).</summary>
        public bool OneSidedFades { get; set; } = true;

        /// <summary>Gets how many reads the last successful fit used.</summary>
        public int UsedReads { get; private set; }

        /// <summary>Gets how many reads the last fit's final pass weighted down as outliers.</summary>
        public int RejectedReads { get; private set; }

        /// <summary>Fits a crossing's reads and returns the time of peak signal (closest approach).</summary>
        /// <param name="times">Read times in µs, relative to any reference the caller chooses.</param>
        /// <param name="rssi">RSSI of each read in centi-dBm.</param>
        /// <param name="antennas">Antenna key of each read (reads with equal keys share a distance at closest approach).</param>
        /// <param name="weights">How many reads each entry stands for (merged neighbours), 1–255.</param>
        /// <param name="offset">Index of the first read in the three arrays.</param>
        /// <param name="count">Number of reads; at most the capacity given to the constructor.</param>
        /// <param name="apexMicros">The apex in the same µs reference as <paramref name="times"/>, when the fit succeeds.</param>
        /// <returns><c>true</c> when the fit is well conditioned and its apex lies within the reads.</returns>
        public bool TryFit(int[] times, short[] rssi, byte[] antennas, byte[] weights, int offset, int count, out long apexMicros)
        {
            apexMicros = 0;
            UsedReads = 0;
            RejectedReads = 0;
            if (count < _minReads || count > _u.Length)
            {
                return false;
            }

            long center;
            long unit;
            Scale(times, rssi, antennas, weights, offset, count, out center, out unit);
            if (UsedCount() < _minReads)
            {
                return false;
            }

            for (int pass = 0; ; pass++)
            {
                if (!Solve())
                {
                    return false;
                }

                if (pass >= _reweightPasses || !Reweight())
                {
                    break;
                }
            }

            // The apex must lie within the reads the curve was fitted to; outside it is an extrapolation.
            if (!ApexWithinReads())
            {
                return false;
            }

            long whole = _apexNum / _apexDen;
            long thousandths = ((_apexNum % _apexDen) * 1000) / _apexDen;
            apexMicros = center + (whole * unit) + ((thousandths * unit) / 1000);
            UsedReads = UsedCount();
            return true;
        }

        private bool ApexWithinReads()
        {
            long minU = long.MaxValue;
            long maxU = long.MinValue;
            for (int i = 0; i < _count; i++)
            {
                if (_used[i])
                {
                    minU = _u[i] < minU ? _u[i] : minU;
                    maxU = _u[i] > maxU ? _u[i] : maxU;
                }
            }

            return _apexNum >= minU * _apexDen && _apexNum <= maxU * _apexDen;
        }

        // Rounds a / b to the nearest integer (b > 0).
        private static long RoundDiv(long a, long b)
        {
            return a >= 0 ? (a + (b / 2)) / b : -((-a + (b / 2)) / b);
        }

        // num · 2^bits / den without overflow (den > 0): shifts num left while it has headroom and den right for the rest.
        private static bool TryScaledRatio(long num, long den, int bits, out long result)
        {
            result = 0;
            bool negative = num < 0;
            long magnitude = negative ? -num : num;
            int shifted = 0;
            while (shifted < bits && magnitude < 0x1000000000000000L)
            {
                magnitude <<= 1;
                shifted++;
            }

            long divisor = den >> (bits - shifted);
            if (divisor <= 0)
            {
                return false;
            }

            long value = magnitude / divisor;
            if (value > MaxFixed)
            {
                return false;
            }

            result = negative ? -value : value;
            return true;
        }

        // Integer square root (floor) of a non-negative value.
        private static long Sqrt(long value)
        {
            long root = 0;
            long bit = 1L << 62;
            while (bit > value)
            {
                bit >>= 2;
            }

            while (bit != 0)
            {
                if (value >= root + bit)
                {
                    value -= root + bit;
                    root = (root >> 1) + bit;
                }
                else
                {
                    root >>= 1;
                }

                bit >>= 2;
            }

            return root;
        }

        // z = 10^(depth / 60 dB) in 1/1024 of the strongest read's, for a depth in centi-dB below it (0–6000).
        private long DistanceSquared(int depthCentiDb)
        {
            int k = depthCentiDb / 100;
            int fraction = depthCentiDb % 100;
            long low = _zTable[k];
            long z = low + (((_zTable[k + 1] - low) * fraction) / 100);
            return (z + (1L << (TableBits - 11))) >> (TableBits - 10);
        }

        private void Scale(int[] times, short[] rssi, byte[] antennas, byte[] weights, int offset, int count, out long center, out long unit)
        {
            int maxRssi = int.MinValue;
            for (int i = 0; i < count; i++)
            {
                maxRssi = rssi[offset + i] > maxRssi ? rssi[offset + i] : maxRssi;
            }

            // The fit window runs from the first to the last read within the span below the strongest one: a plateau
            // far below the peak (a runner standing just past the mat, the far tails) does not bend the curve.
            int span = _spanCentiDb <= 0 || _spanCentiDb > MaxDepthCentiDb ? MaxDepthCentiDb : _spanCentiDb;
            long minT = long.MaxValue;
            long maxT = long.MinValue;
            for (int i = 0; i < count; i++)
            {
                if (rssi[offset + i] >= maxRssi - span)
                {
                    long t = times[offset + i];
                    minT = t < minT ? t : minT;
                    maxT = t > maxT ? t : maxT;
                }
            }

            center = minT + ((maxT - minT) / 2);
            long halfSpan = maxT - center;
            unit = MinUnitMicros;
            while (unit < MaxUnitMicros && (halfSpan + (unit / 2)) / unit > MaxUnits)
            {
                unit *= 2;
            }

            _groups = 0;
            _count = count;
            for (int i = 0; i < count; i++)
            {
                long t = times[offset + i];
                _u[i] = RoundDiv(t - center, unit);
                int depth = maxRssi - rssi[offset + i];
                _z[i] = DistanceSquared(depth > MaxDepthCentiDb ? MaxDepthCentiDb : depth);
                _group[i] = GroupOf(antennas[offset + i]);
                _reads[i] = weights[offset + i];
                _used[i] = _group[i] >= 0 && _reads[i] > 0 && t >= minT && t <= maxT && depth <= MaxDepthCentiDb;

                // First pass: weighted by the read's own z (the curve is not known yet).
                _weight[i] = _reads[i] * CurveWeight(_z[i], HuberOne);
            }
        }

        // Weight per read of a point on the curve: 256 / ẑ² relative to the strongest read, times the Huber factor; at least 1.
        private static long CurveWeight(long curveZ, long huber)
        {
            long z = curveZ < MinCurveZ ? MinCurveZ : (curveZ > MaxCurveZ ? MaxCurveZ : curveZ);
            long weight = (huber << 20) / (z * z);
            return weight < 1 ? 1 : weight;
        }

        private int GroupOf(int key)
        {
            for (int g = 0; g < _groups; g++)
            {
                if (_groupKey[g] == key)
                {
                    return g;
                }
            }

            if (_groups == MaxGroups)
            {
                return -1;
            }

            _groupKey[_groups] = key;
            return _groups++;
        }

        private int UsedCount()
        {
            int used = 0;
            for (int i = 0; i < _count; i++)
            {
                if (_used[i])
                {
                    used++;
                }
            }

            return used;
        }

        // Weighted least squares of z = a·u² + b·u + e_group over the used reads; keeps a and b in fixed point and the
        // apex as a fraction. Centred per antenna (each antenna's weighted mean is its constant e).
        private bool Solve()
        {
            for (int g = 0; g < _groups; g++)
            {
                _sw[g] = 0;
                _meanU[g] = 0;
                _meanU2[g] = 0;
                _meanZ[g] = 0;
            }

            long total = 0;
            for (int i = 0; i < _count; i++)
            {
                if (_used[i])
                {
                    int g = _group[i];
                    long w = _weight[i];
                    _sw[g] += w;
                    _meanU[g] += w * _u[i];
                    _meanU2[g] += w * _u[i] * _u[i];
                    _meanZ[g] += w * _z[i];
                    total += w;
                }
            }

            if (total == 0)
            {
                return false;
            }

            for (int g = 0; g < _groups; g++)
            {
                long n = _sw[g];
                if (n > 0)
                {
                    _meanU[g] = RoundDiv(_meanU[g], n);
                    _meanU2[g] = RoundDiv(_meanU2[g], n);
                    _meanZ[g] = RoundDiv(_meanZ[g], n);
                }
            }

            long saa = 0;
            long sab = 0;
            long sbb = 0;
            long say = 0;
            long sby = 0;
            for (int i = 0; i < _count; i++)
            {
                if (!_used[i])
                {
                    continue;
                }

                int g = _group[i];
                long w = _weight[i];
                long p = (_u[i] * _u[i]) - _meanU2[g];
                long q = _u[i] - _meanU[g];
                long r = _z[i] - _meanZ[g];
                saa += w * p * p;
                sab += w * p * q;
                sbb += w * q * q;
                say += w * p * r;
                sby += w * q * r;
            }

            long a2 = RoundDiv(saa, total);
            long ab = RoundDiv(sab, total);
            long b2 = RoundDiv(sbb, total);
            long ay = RoundDiv(say, total);
            long by = RoundDiv(sby, total);
            long det = (a2 * b2) - (ab * ab);
            if (det <= 0)
            {
                return false;
            }

            long aNum = (ay * b2) - (ab * by);
            long bNum = (a2 * by) - (ab * ay);
            if (aNum <= 0)
            {
                // No closest approach: the chip only came nearer, only went away, or the reads are flat.
                return false;
            }

            _apexNum = -bNum;
            _apexDen = 2 * aNum;
            return TryScaledRatio(aNum, det, FractionBits, out _aFixed) && TryScaledRatio(bNum, det, FractionBits, out _bFixed);
        }

        // Weights every used read by the fitted curve (1/ẑ²) and, beyond the outlier limit, by limit / residual.
        // Returns false when the residuals cannot give a scale (too few reads for the parameters).
        // A fade's weight factor, (limit / lhs) in 1/256: the square of the Huber factor; 256 when the ratio does not fit.
        private static long FadeFactor(long limit, long lhs)
        {
            long factorSquared;
            return TryScaledRatio(limit, lhs, 16, out factorSquared) ? factorSquared >> 8 : HuberOne;
        }

        private bool Reweight()
        {
            int used = 0;
            int groupsUsed = 0;
            for (int g = 0; g < _groups; g++)
            {
                if (_sw[g] > 0)
                {
                    groupsUsed++;
                }
            }

            // Relative residuals ρ = (z − ẑ) / ẑ; a merged entry averages c reads, so c·ρ² estimates σ².
            long sumSquares = 0;
            long sumAbove = 0;
            long above = 0;
            for (int i = 0; i < _count; i++)
            {
                if (!_used[i])
                {
                    continue;
                }

                long curve = CurveAt(i);
                long clamped = curve < MinCurveZ ? MinCurveZ : (curve > MaxCurveZ ? MaxCurveZ : curve);
                long rho = ((_z[i] - curve) << ResidualBits) / clamped;
                rho = rho > MaxResidual ? MaxResidual : (rho < -MaxResidual ? -MaxResidual : rho);

                // A read below the curve (larger z) is weighted by its own depth: the reads a fade hit count less.
                // ẑ waits in _weight until the scale is known.
                _weight[i] = _z[i] > curve ? _z[i] : curve;
                _rho[i] = rho;
                sumSquares += _reads[i] * rho * rho;
                used++;
                if (rho < 0)
                {
                    // Above the curve: no fade makes a read stronger.
                    sumAbove += _reads[i] * rho * rho;
                    above++;
                }
            }

            long dof = used - 2 - groupsUsed;
            if (dof < 1 || sumSquares == 0)
            {
                // As many parameters as reads: nothing to reweight by; keep the curve's weights.
                for (int i = 0; i < _count; i++)
                {
                    if (_used[i])
                    {
                        _weight[i] = _reads[i] * CurveWeight(_weight[i], HuberOne);
                    }
                }

                return dof >= 1;
            }

            // Issue 15: one-sided excess (σ² of all the reads at least 5 times the σ² of the 4+ reads above the curve)
            // means fades; the reads below the curve are then judged by the scale from above it, redescending.
            long fadeLimit = 0;
            if (OneSidedFades && above >= 4 && sumSquares * above >= 5 * used * sumAbove)
            {
                fadeLimit = _outlierLimit * (((sumAbove / above) * used) / dof);
            }

            RejectedReads = 0;
            for (int i = 0; i < _count; i++)
            {
                if (!_used[i])
                {
                    continue;
                }

                long rho = _rho[i];
                long huber = HuberOne;

                // |ρ|·√c > kσ  ⇔  100 · c · ρ² · dof > (10k)² · Σ c·ρ²; then the factor is kσ / (|ρ|·√c).
                long lhs = 100 * _reads[i] * rho * rho;
                bool fade = rho > 0 && fadeLimit > 0;
                if (fade && lhs > fadeLimit)
                {
                    huber = FadeFactor(fadeLimit, lhs);
                    RejectedReads++;
                }
                else if (!fade && lhs * dof > _outlierLimit * sumSquares)
                {
                    long factorSquared;
                    if (TryScaledRatio(_outlierLimit * (sumSquares / dof), lhs, 16, out factorSquared))
                    {
                        huber = Sqrt(factorSquared);
                        huber = huber > HuberOne ? HuberOne : huber;
                    }

                    RejectedReads++;
                }

                _weight[i] = _reads[i] * CurveWeight(_weight[i], huber);
            }

            return true;
        }

        // The fitted z at read i: its antenna's weighted mean plus the curve's departure from it.
        private long CurveAt(int i)
        {
            int g = _group[i];
            long p = (_u[i] * _u[i]) - _meanU2[g];
            long q = _u[i] - _meanU[g];
            return _meanZ[g] + (((_aFixed * p) + (_bFixed * q)) >> FractionBits);
        }
    }
}
