namespace TimingMat.Core.Crossings
{
    /// <summary>
    /// Finds the moment of peak signal of one crossing: fits RSSI = a·u² + b·u + c to the crossing's kept reads by least
    /// squares, rejects reads far off the curve (2σ by default) and refits, and returns the apex −b / 2a. Integer maths only.
    /// </summary>
    /// <remarks>
    /// <para>
    /// CrossMgr showed that a parabola through RSSI over time beats both the first read and the single strongest read,
    /// because it uses every read and is not limited by the reader's time resolution. Each antenna (reader, port) gets
    /// its own constant c, so reads of one chip on two antennas at different levels share one curve shape and one apex
    /// (the pooled within-antenna covariances below are the least-squares solution of that model).
    /// </para>
    /// <para>
    /// Times are scaled to at most ±511 units (125 µs doubled until the reads fit) and RSSI is taken relative to the
    /// strongest read in centi-dBm, which bounds every product the normal equations form below 2^61: the fit runs in
    /// <c>long</c> without overflow on the device, where <c>Math</c> works in single precision. The fit fails (and the
    /// caller falls back to the strongest read) when there are too few reads, the times do not spread, the curve opens
    /// upwards, or the apex lies outside the reads.
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
        private const int MinRelativeCentiDbm = -16000;
        private const long MaxResidual = 1L << 22;

        private readonly long[] _u;
        private readonly long[] _y;
        private readonly int[] _group;
        private readonly long[] _weight;
        private readonly bool[] _used;
        private readonly long[] _residual;
        private readonly int[] _groupKey;
        private readonly long[] _n;
        private readonly long[] _su;
        private readonly long[] _su2;
        private readonly long[] _su3;
        private readonly long[] _su4;
        private readonly long[] _sy;
        private readonly long[] _suy;
        private readonly long[] _su2y;
        private readonly int _minReads;
        private readonly int _outlierPasses;
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
        /// <param name="minReads">Fewest reads a parabola is fitted to (at least 3).</param>
        /// <param name="outlierPasses">Rounds of outlier rejection.</param>
        /// <param name="outlierTenthsOfSigma">Residual beyond which a read is an outlier, in tenths of σ (20 = 2σ, as CrossMgr).</param>
        /// <param name="spanCentiDb">Depth below the strongest read that bounds the fit window in time, centi-dB (0 = every read).</param>
        public PeakFit(int capacity, int minReads, int outlierPasses, int outlierTenthsOfSigma, int spanCentiDb)
        {
            _u = new long[capacity];
            _y = new long[capacity];
            _group = new int[capacity];
            _weight = new long[capacity];
            _used = new bool[capacity];
            _residual = new long[capacity];
            _groupKey = new int[MaxGroups];
            _n = new long[MaxGroups];
            _su = new long[MaxGroups];
            _su2 = new long[MaxGroups];
            _su3 = new long[MaxGroups];
            _su4 = new long[MaxGroups];
            _sy = new long[MaxGroups];
            _suy = new long[MaxGroups];
            _su2y = new long[MaxGroups];
            _minReads = minReads < 3 ? 3 : minReads;
            _outlierPasses = outlierPasses;
            _outlierLimit = (long)outlierTenthsOfSigma * outlierTenthsOfSigma;
            _spanCentiDb = spanCentiDb;
        }

        /// <summary>Gets how many reads the last successful fit kept after outlier rejection.</summary>
        public int UsedReads { get; private set; }

        /// <summary>Gets how many reads the last fit rejected as outliers.</summary>
        public int RejectedReads { get; private set; }

        /// <summary>Fits a crossing's reads and returns the time of peak signal.</summary>
        /// <param name="times">Read times in µs, relative to any reference the caller chooses.</param>
        /// <param name="rssi">RSSI of each read in centi-dBm.</param>
        /// <param name="antennas">Antenna key of each read (reads with equal keys share an RSSI level).</param>
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

                if (pass >= _outlierPasses || RejectOutliers() == 0)
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
            long minU;
            long maxU;
            UsedRange(out minU, out maxU);
            return _apexNum >= minU * _apexDen && _apexNum <= maxU * _apexDen;
        }

        private void UsedRange(out long minU, out long maxU)
        {
            minU = long.MaxValue;
            maxU = long.MinValue;
            for (int i = 0; i < _count; i++)
            {
                if (_used[i])
                {
                    minU = _u[i] < minU ? _u[i] : minU;
                    maxU = _u[i] > maxU ? _u[i] : maxU;
                }
            }
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

        private void Scale(int[] times, short[] rssi, byte[] antennas, byte[] weights, int offset, int count, out long center, out long unit)
        {
            int maxRssi = int.MinValue;
            for (int i = 0; i < count; i++)
            {
                maxRssi = rssi[offset + i] > maxRssi ? rssi[offset + i] : maxRssi;
            }

            // The fit window runs from the first to the last read within the span below the strongest one: a plateau
            // far below the peak (a runner standing just past the mat, the far tails) does not bend the parabola.
            long minT = long.MaxValue;
            long maxT = long.MinValue;
            for (int i = 0; i < count; i++)
            {
                if (_spanCentiDb <= 0 || rssi[offset + i] >= maxRssi - _spanCentiDb)
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
                int y = rssi[offset + i] - maxRssi;
                _y[i] = y < MinRelativeCentiDbm ? MinRelativeCentiDbm : y;
                _group[i] = GroupOf(antennas[offset + i]);
                _weight[i] = weights[offset + i];
                _used[i] = _group[i] >= 0 && _weight[i] > 0 && t >= minT && t <= maxT;
            }
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

        // Least squares of y = a·u² + b·u + c_group over the used reads; keeps a and b in fixed point and the apex as a fraction.
        private bool Solve()
        {
            for (int g = 0; g < _groups; g++)
            {
                _n[g] = 0;
                _su[g] = 0;
                _su2[g] = 0;
                _su3[g] = 0;
                _su4[g] = 0;
                _sy[g] = 0;
                _suy[g] = 0;
                _su2y[g] = 0;
            }

            long total = 0;
            for (int i = 0; i < _count; i++)
            {
                if (!_used[i])
                {
                    continue;
                }

                int g = _group[i];
                long w = _weight[i];
                long u = _u[i];
                long u2 = u * u;
                long y = _y[i];
                _n[g] += w;
                _su[g] += w * u;
                _su2[g] += w * u2;
                _su3[g] += w * u2 * u;
                _su4[g] += w * u2 * u2;
                _sy[g] += w * y;
                _suy[g] += w * u * y;
                _su2y[g] += w * u2 * y;
                total += w;
            }

            if (UsedCount() < _minReads)
            {
                return false;
            }

            // Within-antenna (co)variances, pooled: each antenna's own mean is its constant c.
            long saa = 0;
            long sab = 0;
            long sbb = 0;
            long say = 0;
            long sby = 0;
            for (int g = 0; g < _groups; g++)
            {
                long n = _n[g];
                if (n == 0)
                {
                    continue;
                }

                saa += _su4[g] - RoundDiv(_su2[g] * _su2[g], n);
                sab += _su3[g] - RoundDiv(_su2[g] * _su[g], n);
                sbb += _su2[g] - RoundDiv(_su[g] * _su[g], n);
                say += _su2y[g] - RoundDiv(_su2[g] * _sy[g], n);
                sby += _suy[g] - RoundDiv(_su[g] * _sy[g], n);
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
            if (aNum >= 0)
            {
                // No maximum: the reads rise or fall throughout, or are flat.
                return false;
            }

            _apexNum = bNum;
            _apexDen = -2 * aNum;
            return TryScaledRatio(aNum, det, FractionBits, out _aFixed) && TryScaledRatio(bNum, det, FractionBits, out _bFixed);
        }

        // Marks reads whose residual exceeds 2σ as unused, unless that would leave too few; returns how many it marked.
        private int RejectOutliers()
        {
            long sumSquares = 0;
            int used = 0;
            int groupsUsed = 0;
            for (int g = 0; g < _groups; g++)
            {
                if (_n[g] > 0)
                {
                    groupsUsed++;
                }
            }

            for (int i = 0; i < _count; i++)
            {
                if (!_used[i])
                {
                    continue;
                }

                // Residual against the antenna's own level, with its means in 1/16 units: r = (y − ȳ) − a(u² − ū²) − b(u − ū).
                int g = _group[i];
                long n = _n[g];
                long u = _u[i];
                long scaled = (((_y[i] << 4) - ((_sy[g] << 4) / n)) << FractionBits)
                    - (_aFixed * ((u * u << 4) - ((_su2[g] << 4) / n)))
                    - (_bFixed * ((u << 4) - ((_su[g] << 4) / n)));

                // Least squares keeps residuals within the reads' own spread; the clamp only guards the squares below.
                long r = scaled >> FractionBits;
                r = r > MaxResidual ? MaxResidual : (r < -MaxResidual ? -MaxResidual : r);
                _residual[i] = r;
                sumSquares += _weight[i] * r * r;
                used++;
            }

            long dof = used - 2 - groupsUsed;
            if (dof < 1)
            {
                return 0;
            }

            // A merged entry averages w reads, so its noise is σ/√w: |r| > kσ/√w  ⇔  100 · w · r² · dof > (10k)² · Σ w·r².
            int outliers = 0;
            for (int i = 0; i < _count; i++)
            {
                if (IsOutlier(i, dof, sumSquares))
                {
                    outliers++;
                }
            }

            if (outliers == 0 || used - outliers < _minReads)
            {
                return 0;
            }

            for (int i = 0; i < _count; i++)
            {
                if (IsOutlier(i, dof, sumSquares))
                {
                    _used[i] = false;
                }
            }

            RejectedReads += outliers;
            return outliers;
        }

        private bool IsOutlier(int i, long dof, long sumSquares)
        {
            return _used[i] && 100 * _weight[i] * _residual[i] * _residual[i] * dof > _outlierLimit * sumSquares;
        }
    }
}
