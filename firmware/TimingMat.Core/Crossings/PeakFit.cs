// Over 400 lines on purpose: one fit's fixed-point pipeline (scale, solve, reweight) shares its packed reads and
// per-antenna moments, and the overflow bounds below hold only read together; `timingmat bench device` also counts
// this one type as the "peak fit" capability.
namespace TimingMat.Core.Crossings
{
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
    /// data. Fades only ever take signal away: when the residuals' scale is far above the scale of the reads above
    /// the curve (at least 5 times in σ²), the reads below it are judged by the scale from above, which fades cannot
    /// inflate, and weighted down with the square of that factor; noise alone leaves the fit symmetric. With the true curve depth the estimate reaches the Cramér–Rao bound of the crossing model within a few
    /// percent; a depth off by a third (40 or 80 dB per decade) still beats the dB parabola (see Crossings/README.md).
    /// </para>
    /// <para>
    /// Fixed point: times are scaled to at most ±511 units (125 µs doubled until the reads fit), z is in 1/1024 of the
    /// strongest read's (reads more than 60 dB below it are left out), weights are 1–1024 per read, and the normal
    /// equations are formed from centred, weighted within-antenna sums, which keeps every product below 2^62. The fit
    /// fails (and the caller falls back to the strongest read) when there are too few reads, the times do not spread,
    /// the curve has no minimum distance, or the apex lies outside the reads.
    /// </para>
    /// <para>
    /// Body shadow: a chest tag loses signal once the runner is past the line, which pulls this symmetric fit early by a
    /// distance. With <see cref="BodyShadowCentiDb"/> set, the apex moves late by that distance over the runner's speed,
    /// taken from the fitted curve's own width (see Crossings/README.md).
    /// </para>
    /// </remarks>
    public sealed class PeakFit
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

        // One-sided outliers: fewest reads above the curve that give the noise scale on their own, and how much larger
        // (5 times in σ²) the scale of all the reads must be before the reads below the curve are taken for fades.
        private const int MinAboveReads = 4;
        private const int FadeScaleRatio = 5;

        // RSSI falls 60 dB per decade of squared distance: 20 from the two-way path loss (exponent 4), 40 from the
        // beam (cos⁴ each way, a 65° patch). So z = 10^(depth / 60 dB): a table of 10^(k/60) for k = 0..61 dB in
        // 1/2^24 (at most 2^28, so a step product stays below 2^58), interpolated per centi-dB; the step 10^(1/60)
        // is in 1/2^30.
        private const long DecibelStep = 1115749078;
        private const int StepBits = 30;
        private const int TableBits = 24;

        // Body shadow: most the fit corrects for (30 dB), and the knots (every 6 dB) of how far late the apex moves for
        // it, in 1/1024 of the curve's width (see BodyShadowCentiDb).
        private const int MaxShadowCentiDb = 3000;
        private const int ShadowKnotCentiDb = 600;

        private readonly long[] _zTable;

        // The apex's move for 0, 6, 12 … 30 dB of body shadow, in 1/1024 of the curve's width: the symmetric fit's bias
        // on the crossing model (shadow rising over the first half metre past the line; chips 0.9–1.5 m high, 2–6 m/s),
        // measured with `timingmat bench crossing --body-shadow-db S --fit-shadow-db S` until the bias was 0. Nearly 2.3 %
        // of the width per dB up to 12 dB; beyond, the shadow is whole before the fit's shoulders and the bias levels off.
        private readonly long[] _shadowKnots;

        // For a whole number of dB below the strongest read (readers report whole dBm): z already rounded to 1/1024,
        // and its first-pass weight (the interpolation and the weight's division skipped; the same values).
        private readonly long[] _zWhole;
        private readonly long[] _weightWhole;

        // The reads the fit uses, packed (the ones left out never enter a loop again).
        private readonly long[] _u;
        private readonly long[] _z;
        private readonly int[] _group;
        private readonly long[] _reads;
        private readonly long[] _weight;
        private readonly long[] _rho;
        private readonly int[] _groupKey;

        // Per antenna: the weighted moments of the reads (Σw, Σwu, Σwu², Σwu³, Σwu⁴, Σwz, Σwuz, Σwu²z), so a solve
        // makes one pass over the reads: the centred sums follow from them exactly (integer identities, the same
        // rounded means). And the rounded means the reweighting evaluates the curve with.
        private readonly long[] _m0;
        private readonly long[] _m1;
        private readonly long[] _m2;
        private readonly long[] _m3;
        private readonly long[] _m4;
        private readonly long[] _mz;
        private readonly long[] _m1z;
        private readonly long[] _m2z;
        private readonly long[] _meanU;
        private readonly long[] _meanU2;
        private readonly long[] _meanZ;
        private readonly int _minReads;
        private readonly int _reweightPasses;
        private readonly long _outlierLimit;
        private readonly int _spanCentiDb;
        private int _groups;
        private int _used;
        private long _minU;
        private long _maxU;
        private long _aFixed;
        private long _bFixed;
        private long _apexNum;
        private long _apexDen;
        private int _shadowCentiDb;
        private long _shadowShift;

        /// <summary>Initializes a new instance of the <see cref="PeakFit"/> class with work buffers for a crossing's reads.</summary>
        /// <param name="capacity">Most reads one fit takes.</param>
        /// <param name="minReads">Fewest reads a curve is fitted to (at least 3).</param>
        /// <param name="outlierPasses">Refits after the first, each reweighting the reads by the curve and their residuals (0 = one plain fit).</param>
        /// <param name="outlierTenthsOfSigma">Residual beyond which a read's weight is scaled down, in tenths of σ (20 = 2σ).</param>
        /// <param name="spanCentiDb">Depth below the strongest read that bounds the fit window in time, centi-dB (0 = every read).</param>
        public PeakFit(int capacity, int minReads, int outlierPasses, int outlierTenthsOfSigma, int spanCentiDb)
        {
            _zTable = new long[(MaxDepthCentiDb / 100) + 2];
            _shadowKnots = new long[] { 0, 136, 267, 375, 416, 430 };
            _zWhole = new long[_zTable.Length];
            _weightWhole = new long[_zTable.Length];
            _zTable[0] = 1L << TableBits;
            for (int k = 1; k < _zTable.Length; k++)
            {
                _zTable[k] = ((_zTable[k - 1] * DecibelStep) + (1L << (StepBits - 1))) >> StepBits;
            }

            for (int k = 0; k < _zTable.Length; k++)
            {
                _zWhole[k] = (_zTable[k] + (1L << (TableBits - 11))) >> (TableBits - 10);
                _weightWhole[k] = CurveWeight(_zWhole[k], HuberOne);
            }

            _u = new long[capacity];
            _z = new long[capacity];
            _group = new int[capacity];
            _reads = new long[capacity];
            _weight = new long[capacity];
            _rho = new long[capacity];
            _groupKey = new int[MaxGroups];
            _m0 = new long[MaxGroups];
            _m1 = new long[MaxGroups];
            _m2 = new long[MaxGroups];
            _m3 = new long[MaxGroups];
            _m4 = new long[MaxGroups];
            _mz = new long[MaxGroups];
            _m1z = new long[MaxGroups];
            _m2z = new long[MaxGroups];
            _meanU = new long[MaxGroups];
            _meanU2 = new long[MaxGroups];
            _meanZ = new long[MaxGroups];
            _minReads = minReads < 3 ? 3 : minReads;
            _reweightPasses = outlierPasses;
            _outlierLimit = (long)outlierTenthsOfSigma * outlierTenthsOfSigma;
            _spanCentiDb = spanCentiDb;
        }

        /// <summary>
        /// Gets or sets the mat's body shadow in centi-dB (0 = none, the default; at most 3000): the extra loss once a chest
        /// tag is past the line, the runner's body between it and the mat. A symmetric fit times such a crossing early
        /// by a roughly fixed distance, a share of the chip's closest distance to the antenna; the fit moves its apex
        /// late by that share of the curve's own width (the time the chip needs to run its closest distance), so the
        /// correction is a distance per runner, not a constant time: slow runners get more of it.
        /// </summary>
        public int BodyShadowCentiDb
        {
            get
            {
                return _shadowCentiDb;
            }

            set
            {
                _shadowCentiDb = value < 0 ? 0 : (value > MaxShadowCentiDb ? MaxShadowCentiDb : value);
                int knot = _shadowCentiDb / ShadowKnotCentiDb;
                long low = _shadowKnots[knot];
                long high = knot + 1 < _shadowKnots.Length ? _shadowKnots[knot + 1] : low;
                _shadowShift = low + (((high - low) * (_shadowCentiDb - (knot * ShadowKnotCentiDb))) / ShadowKnotCentiDb);
            }
        }

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
            if (_used < _minReads)
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
            if (_apexNum < _minU * _apexDen || _apexNum > _maxU * _apexDen)
            {
                return false;
            }

            long whole = _apexNum / _apexDen;
            long thousandths = ((_apexNum % _apexDen) * 1000) / _apexDen;
            apexMicros = center + (whole * unit) + ((thousandths * unit) / 1000);
            if (_shadowShift > 0)
            {
                apexMicros += (ShadowWidth() * _shadowShift * unit) >> 20;
            }

            UsedReads = _used;
            return true;
        }

        // The curve's width in 1/1024 of a time unit: how long the chip takes from its closest approach to where its
        // squared distance doubles (z of the closest antenna's apex over the curvature), i.e. to run its closest
        // distance. It carries the runner's speed without any RSSI calibration: a faster runner gives a narrower curve.
        private long ShadowWidth()
        {
            long a = _aFixed;
            long b = _bFixed;
            long u0 = RoundDiv(-b, 2 * a);
            long zMin = long.MaxValue;
            for (int g = 0; g < _groups; g++)
            {
                if (_m0[g] > 0)
                {
                    long curve = _meanZ[g] + (((a * ((u0 * u0) - _meanU2[g])) + (b * (u0 - _meanU[g]))) >> FractionBits);
                    zMin = curve < zMin ? curve : zMin;
                }
            }

            // a > 0 here (the solve found a closest approach); a closest z at or below zero is a degenerate curve.
            if (zMin < 1)
            {
                return 0;
            }

            long widthSquared = (zMin << FractionBits) / a;
            widthSquared = widthSquared > (1L << 40) ? 1L << 40 : widthSquared;
            return Sqrt(widthSquared << 20);
        }

        // Rounds a / b to the nearest integer (b > 0).
        private static long RoundDiv(long a, long b)
        {
            return a >= 0 ? (a + (b / 2)) / b : -((-a + (b / 2)) / b);
        }

        // num · 2^bits / den without overflow (den > 0): shifts num left while it has headroom (up to 2^60) and den
        // right for the rest. The headroom comes from num's bit length, found by halving steps rather than bit by bit.
        private static bool TryScaledRatio(long num, long den, int bits, out long result)
        {
            result = 0;
            bool negative = num < 0;
            long magnitude = negative ? -num : num;
            int length = 0;
            long m = magnitude;
            for (int step = 32; step > 0; step >>= 1)
            {
                if (m >= (1L << step))
                {
                    m >>= step;
                    length += step;
                }
            }

            length += (int)m;
            int shifted = length >= 61 ? 0 : 61 - length;
            if (shifted > bits)
            {
                shifted = bits;
            }

            magnitude <<= shifted;
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

        // Weight per read of a point on the curve: 256 / ẑ² relative to the strongest read, times the Huber factor; at least 1.
        private static long CurveWeight(long curveZ, long huber)
        {
            long z = curveZ < MinCurveZ ? MinCurveZ : (curveZ > MaxCurveZ ? MaxCurveZ : curveZ);
            long weight = (huber << 20) / (z * z);
            return weight < 1 ? 1 : weight;
        }

        // Scales the times, turns RSSI into z (10^(depth / 60 dB) in 1/1024 of the strongest read's, interpolated in
        // the table per centi-dB) and packs the reads the fit uses with their first-pass weights.
        private void Scale(int[] times, short[] rssi, byte[] antennas, byte[] weights, int offset, int count, out long center, out long unit)
        {
            int end = offset + count;
            int maxRssi = int.MinValue;
            for (int i = offset; i < end; i++)
            {
                int r = rssi[i];
                maxRssi = r > maxRssi ? r : maxRssi;
            }

            // The fit window runs from the first to the last read within the span below the strongest one: a plateau
            // far below the peak (a runner standing just past the mat, the far tails) does not bend the curve.
            int span = _spanCentiDb <= 0 || _spanCentiDb > MaxDepthCentiDb ? MaxDepthCentiDb : _spanCentiDb;
            int floor = maxRssi - span;
            long minT = long.MaxValue;
            long maxT = long.MinValue;
            for (int i = offset; i < end; i++)
            {
                if (rssi[i] >= floor)
                {
                    long t = times[i];
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

            long[] zTable = _zTable;
            long[] zWhole = _zWhole;
            long[] weightWhole = _weightWhole;
            long[] us = _u;
            long[] zs = _z;
            int[] groups = _group;
            long[] reads = _reads;
            long[] weightsOut = _weight;
            int[] keys = _groupKey;
            long half = unit / 2;
            long minU = long.MaxValue;
            long maxU = long.MinValue;
            long c = center;
            long step = unit;
            int used = 0;
            int groupCount = 0;
            for (int i = offset; i < end; i++)
            {
                // Every read's antenna gets its group in order, used or not, as the groups are numbered by first read.
                int key = antennas[i];
                int g = 0;
                while (g < groupCount && keys[g] != key)
                {
                    g++;
                }

                if (g == groupCount)
                {
                    if (groupCount == MaxGroups)
                    {
                        g = -1;
                    }
                    else
                    {
                        keys[groupCount++] = key;
                    }
                }

                long t = times[i];
                int depth = maxRssi - rssi[i];
                long count1 = weights[i];
                if (g < 0 || count1 <= 0 || t < minT || t > maxT || depth > MaxDepthCentiDb)
                {
                    continue;
                }

                long d = t - c;
                long u = d >= 0 ? (d + half) / step : -((-d + half) / step);
                int k = depth / 100;
                int fraction = depth - (k * 100);
                long z;
                long w;
                if (fraction == 0)
                {
                    z = zWhole[k];
                    w = count1 * weightWhole[k];
                }
                else
                {
                    long low = zTable[k];
                    z = low + (((zTable[k + 1] - low) * fraction) / 100);
                    z = (z + (1L << (TableBits - 11))) >> (TableBits - 10);

                    // First pass: weighted by the read's own z (the curve is not known yet).
                    w = count1 * CurveWeight(z, HuberOne);
                }

                us[used] = u;
                zs[used] = z;
                groups[used] = g;
                reads[used] = count1;
                weightsOut[used] = w;
                minU = u < minU ? u : minU;
                maxU = u > maxU ? u : maxU;
                used++;
            }

            _groups = groupCount;
            _used = used;
            _minU = minU;
            _maxU = maxU;
        }

        // Weighted least squares of z = a·u² + b·u + e_group over the used reads; keeps a and b in fixed point and the
        // apex as a fraction. Centred per antenna (each antenna's weighted mean is its constant e); the centred sums
        // come from the moments: Σw(u²−m₂)² = Σwu⁴ − 2m₂Σwu² + m₂²Σw and so on, exact in integers.
        private bool Solve()
        {
            long[] m0 = _m0;
            long[] m1 = _m1;
            long[] m2 = _m2;
            long[] m3 = _m3;
            long[] m4 = _m4;
            long[] mz = _mz;
            long[] m1z = _m1z;
            long[] m2z = _m2z;
            for (int g = 0; g < _groups; g++)
            {
                m0[g] = 0;
                m1[g] = 0;
                m2[g] = 0;
                m3[g] = 0;
                m4[g] = 0;
                mz[g] = 0;
                m1z[g] = 0;
                m2z[g] = 0;
            }

            // The only pass over the reads: their weighted moments per antenna.
            long[] us = _u;
            long[] zs = _z;
            long[] ws = _weight;
            int[] groups = _group;
            int n = _used;
            for (int i = 0; i < n; i++)
            {
                int g = groups[i];
                long w = ws[i];
                long u = us[i];
                long z = zs[i];
                long wu = w * u;
                long wu2 = wu * u;
                long wu3 = wu2 * u;
                m0[g] += w;
                m1[g] += wu;
                m2[g] += wu2;
                m3[g] += wu3;
                m4[g] += wu3 * u;
                mz[g] += w * z;
                m1z[g] += wu * z;
                m2z[g] += wu2 * z;
            }

            long total = 0;
            long saa = 0;
            long sab = 0;
            long sbb = 0;
            long say = 0;
            long sby = 0;
            for (int g = 0; g < _groups; g++)
            {
                long count = m0[g];
                if (count <= 0)
                {
                    _meanU[g] = 0;
                    _meanU2[g] = 0;
                    _meanZ[g] = 0;
                    continue;
                }

                total += count;
                long half = count / 2;
                long s1 = m1[g];
                long s2 = m2[g];
                long sz = mz[g];
                long mu1 = s1 >= 0 ? (s1 + half) / count : -((-s1 + half) / count);
                long mu2 = (s2 + half) / count;
                long muz = (sz + half) / count;
                _meanU[g] = mu1;
                _meanU2[g] = mu2;
                _meanZ[g] = muz;
                saa += m4[g] - (2 * mu2 * s2) + (mu2 * mu2 * count);
                sab += m3[g] - (mu1 * s2) - (mu2 * s1) + (mu1 * mu2 * count);
                sbb += s2 - (2 * mu1 * s1) + (mu1 * mu1 * count);
                say += m2z[g] - (muz * s2) - (mu2 * sz) + (mu2 * muz * count);
                sby += m1z[g] - (muz * s1) - (mu1 * sz) + (mu1 * muz * count);
            }

            if (total == 0)
            {
                return false;
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
        private bool Reweight()
        {
            long[] us = _u;
            long[] zs = _z;
            long[] ws = _weight;
            long[] reads = _reads;
            long[] rhos = _rho;
            int[] groups = _group;
            long[] meanU = _meanU;
            long[] meanU2 = _meanU2;
            long[] meanZ = _meanZ;
            long aFixed = _aFixed;
            long bFixed = _bFixed;
            int n = _used;
            int groupsUsed = 0;
            for (int g = 0; g < _groups; g++)
            {
                if (_m0[g] > 0)
                {
                    groupsUsed++;
                }
            }

            // Relative residuals ρ = (z − ẑ) / ẑ; a merged entry averages c reads, so c·ρ² estimates σ². The reads above
            // the curve (stronger than fitted) are summed apart: no fade makes a read stronger, so they carry the noise alone.
            long sumSquares = 0;
            long sumAbove = 0;
            long above = 0;
            for (int i = 0; i < n; i++)
            {
                // The fitted z at the read: its antenna's weighted mean plus the curve's departure from it.
                int g = groups[i];
                long u = us[i];
                long curve = meanZ[g] + (((aFixed * ((u * u) - meanU2[g])) + (bFixed * (u - meanU[g]))) >> FractionBits);
                long clamped = curve < MinCurveZ ? MinCurveZ : (curve > MaxCurveZ ? MaxCurveZ : curve);
                long z = zs[i];
                long rho = ((z - curve) << ResidualBits) / clamped;
                rho = rho > MaxResidual ? MaxResidual : (rho < -MaxResidual ? -MaxResidual : rho);

                // A read below the curve (larger z) is weighted by its own depth: the reads a fade hit count less.
                // ẑ waits in _weight until the scale is known.
                ws[i] = z > curve ? z : curve;
                rhos[i] = rho;
                long square = reads[i] * rho * rho;
                sumSquares += square;
                if (rho < 0)
                {
                    sumAbove += square;
                    above++;
                }
            }

            long dof = n - 2 - groupsUsed;
            bool scaled = dof >= 1 && sumSquares != 0;
            long limit = _outlierLimit * sumSquares;

            // Fades (and a tag's null) only ever take signal away. When the reads' scale is far above the scale of the
            // reads above the curve, the excess is one-sided: the reads below the curve are then judged against the
            // scale from above it, σ² = (Σ above c·ρ² / above) · n / dof, which they cannot inflate, and their weight
            // falls with the square beyond the limit (redescending), so the fades stop pulling the curve toward them.
            // Without that excess (noise alone) nothing changes.
            long fadeLimit = 0;
            if (scaled && above >= MinAboveReads && sumSquares * above >= FadeScaleRatio * n * sumAbove)
            {
                fadeLimit = _outlierLimit * (((sumAbove / above) * n) / dof);
            }

            int rejected = 0;
            for (int i = 0; i < n; i++)
            {
                long huber = HuberOne;
                long count1 = reads[i];
                if (scaled)
                {
                    // |ρ|·√c > kσ  ⇔  100 · c · ρ² · dof > (10k)² · Σ c·ρ²; then the factor is kσ / (|ρ|·√c).
                    long rho = rhos[i];
                    long lhs = 100 * count1 * rho * rho;
                    if (rho > 0 && fadeLimit > 0)
                    {
                        // Below the curve with fades about: the factor (kσ / (|ρ|·√c))², σ from the reads above.
                        if (lhs > fadeLimit)
                        {
                            long factorSquared;
                            if (TryScaledRatio(fadeLimit, lhs, 16, out factorSquared))
                            {
                                huber = factorSquared >> 8;
                            }

                            rejected++;
                        }
                    }
                    else if (lhs * dof > limit)
                    {
                        long factorSquared;
                        if (TryScaledRatio(_outlierLimit * (sumSquares / dof), lhs, 16, out factorSquared))
                        {
                            huber = Sqrt(factorSquared);
                            huber = huber > HuberOne ? HuberOne : huber;
                        }

                        rejected++;
                    }
                }

                // The curve's weight (CurveWeight inline: 256 / ẑ², clamped, at least 1).
                long cz = ws[i];
                cz = cz < MinCurveZ ? MinCurveZ : (cz > MaxCurveZ ? MaxCurveZ : cz);
                long weight = (huber << 20) / (cz * cz);
                ws[i] = count1 * (weight < 1 ? 1 : weight);
            }

            if (!scaled)
            {
                // As many parameters as reads: nothing to reweight by; keep the curve's weights.
                return dof >= 1;
            }

            RejectedReads = rejected;
            return true;
        }
    }
}
