using TimingMat.Core.Clock;
using TimingMat.Core.Common;

namespace TimingMat.Core.Tests.Clock
{
    // The lower-envelope fit as it was before issue 16, kept as the oracle of LowerEnvelopeFitEquivalenceTests: it
    // recomputes residuals and hull from the whole window at every solve. The incremental fit must agree exactly.
    /// <summary>
    /// Fits the line under a sliding window of PPS stamps (second, local µs) whose errors are all late: the
    /// managed PPS handler runs 0.1–25 ms after the edge, never before. The line rests on the lower convex hull of
    /// the stamps (a minimum-delay fit, as in network clock synchronisation): its slope is the hull's chord
    /// between the inner corners nearest the window's quarters (or the hull edge over the mean second, the
    /// linear-programming optimum, when that one is wider), and it is lowered onto the stamp lowest against that
    /// slope, so it lies on or below every stamp.
    /// </summary>
    /// <remarks>
    /// A plain average of the stamps is biased by the mean latency (about 4 ms with a busy managed thread) and
    /// scattered by its spread; the lower envelope follows the quickest handler runs, which sit within tens of µs of
    /// the true edge. The chord averages the slope over half the window, where a single short hull edge could be
    /// tilted by the latencies of its two stamps; the window's end stamps are hull corners whatever their latency,
    /// so they never set the slope. Everything is integer maths over preallocated arrays (28 bytes per stamp): a
    /// solve is O(n) and allocation-free.
    /// </remarks>
    internal sealed class WholeWindowLowerEnvelopeFit
    {
        private readonly long[] _second;
        private readonly long[] _local;
        private readonly long[] _residual;
        private readonly int[] _hull;
        private int _start;
        private int _count;

        /// <summary>Initializes a new instance of the <see cref="LowerEnvelopeFit"/> class.</summary>
        /// <param name="capacity">Stamps kept; older ones leave the window. At least 3.</param>
        public WholeWindowLowerEnvelopeFit(int capacity)
        {
            if (capacity < 3)
            {
                throw new System.ArgumentOutOfRangeException("capacity");
            }

            _second = new long[capacity];
            _local = new long[capacity];
            _residual = new long[capacity];
            _hull = new int[capacity];
            Line = new ClockLine();
        }

        /// <summary>Gets the number of stamps in the window.</summary>
        public int Count
        {
            get { return _count; }
        }

        /// <summary>Gets the largest number of stamps the window holds.</summary>
        public int Capacity
        {
            get { return _second.Length; }
        }

        /// <summary>Gets the first second in the window (0 when empty).</summary>
        public long FirstSecond
        {
            get { return _count == 0 ? 0 : _second[_start]; }
        }

        /// <summary>Gets the last second in the window (0 when empty).</summary>
        public long LastSecond
        {
            get { return _count == 0 ? 0 : _second[Index(_count - 1)]; }
        }

        /// <summary>Gets the local stamp of the first second in the window (0 when empty).</summary>
        public long FirstLocalMicros
        {
            get { return _count == 0 ? 0 : _local[_start]; }
        }

        /// <summary>Gets the local stamp of the last second in the window (0 when empty).</summary>
        public long LastLocalMicros
        {
            get { return _count == 0 ? 0 : _local[Index(_count - 1)]; }
        }

        /// <summary>Gets the fitted line (valid after a solve returned <c>true</c>).</summary>
        public ClockLine Line { get; private set; }

        /// <summary>
        /// Gets the spacing of the lowest stamps above the line in µs: the height of the stamp at rank max(4, n/4)
        /// divided by its rank. It is the scale of the quickest handler runs, i.e. of how far the touching stamps
        /// (whose own latency the data cannot show) may sit above the true edges.
        /// </summary>
        public long SpacingMicros { get; private set; }

        /// <summary>Gets the seconds between the two stamps that hold the line (the window's span when the slope was bounded).</summary>
        public long RunSeconds { get; private set; }

        /// <summary>Gets the second at the middle of the stamps that set the slope: the line's error grows with the distance from it.</summary>
        public long MiddleSecond { get; private set; }

        /// <summary>Gets a value indicating whether the last solve hit the slope bounds it was given.</summary>
        public bool SlopeBounded { get; private set; }

        /// <summary>Empties the window.</summary>
        public void Clear()
        {
            _start = 0;
            _count = 0;
        }

        /// <summary>Adds a stamp after the last one; the oldest leaves a full window.</summary>
        /// <param name="second">Its second on the timeline; greater than <see cref="LastSecond"/>.</param>
        /// <param name="localMicros">Local µs when the PPS handler ran.</param>
        /// <returns><c>false</c> (and nothing added) when <paramref name="second"/> is not after the last one.</returns>
        public bool Add(long second, long localMicros)
        {
            if (_count > 0 && second <= LastSecond)
            {
                return false;
            }

            if (_count == _second.Length)
            {
                _start = Index(1);
                _count--;
            }

            int at = Index(_count);
            _second[at] = second;
            _local[at] = localMicros;
            _count++;
            return true;
        }

        /// <summary>Relabels every stamp by whole seconds (the GPS's labels moved; the stamps did not).</summary>
        /// <param name="seconds">Seconds to add.</param>
        public void Renumber(long seconds)
        {
            for (int i = 0; i < _count; i++)
            {
                _second[Index(i)] += seconds;
            }

            Line.Renumber(seconds);
        }

        /// <summary>Fits the line under the window, any slope.</summary>
        /// <returns><c>true</c> when <see cref="Line"/> and the figures were updated; <c>false</c> below 2 stamps.</returns>
        public bool Solve()
        {
            return Solve(false, 0, 0);
        }

        /// <summary>
        /// Fits the line under the window with its frequency error held within bounds: a young window (few stamps
        /// after a holdover) cannot tell the slope well, but the crystal cannot have moved far from what it was.
        /// </summary>
        /// <param name="minPpb">Lowest frequency error allowed, parts per billion.</param>
        /// <param name="maxPpb">Highest frequency error allowed, parts per billion.</param>
        /// <returns><c>true</c> when <see cref="Line"/> and the figures were updated; <c>false</c> below 2 stamps.</returns>
        public bool Solve(long minPpb, long maxPpb)
        {
            return Solve(true, minPpb, maxPpb);
        }

        private bool Solve(bool bounded, long minPpb, long maxPpb)
        {
            int n = _count;
            if (n < 2)
            {
                return false;
            }

            // Work on heights above a nominal 1 s per second from the first stamp: small numbers, no overflow.
            long x0 = _second[_start];
            long y0 = _local[_start];
            long sumDx = 0;
            for (int i = 0; i < n; i++)
            {
                int at = Index(i);
                long dx = _second[at] - x0;
                _residual[i] = _local[at] - y0 - (dx * UtcCalendar.MicrosPerSecond);
                sumDx += dx;
            }

            // Lower hull, left to right (monotone chain): keep only counter-clockwise turns.
            int h = 0;
            for (int i = 0; i < n; i++)
            {
                while (h >= 2 && Cross(_hull[h - 2], _hull[h - 1], i, x0) <= 0)
                {
                    h--;
                }

                _hull[h] = i;
                h++;
            }

            // The hull edge over the mean second maximises the line's total height under the stamps (the LP
            // optimum). Its two stamps can be close together, though, and then their own latencies tilt it.
            int k = 0;
            while (k < h - 2 && (long)n * (SecondAt(_hull[k + 1]) - x0) < sumDx)
            {
                k++;
            }

            long run = SecondAt(_hull[k + 1]) - SecondAt(_hull[k]);
            long rise = _residual[_hull[k + 1]] - _residual[_hull[k]];

            // A wider chord of the hull, between its inner corners nearest the window's quarters, averages the
            // slope over half the window instead. The end stamps are hull corners whatever their latency, so
            // they are never used.
            long span = SecondAt(n - 1) - x0;
            int left = -1;
            int right = -1;
            for (int v = 1; v < h - 1; v++)
            {
                long x = SecondAt(_hull[v]) - x0;
                if (left < 0 || FixedPoint.Abs((4 * x) - span) < FixedPoint.Abs((4 * (SecondAt(_hull[left]) - x0)) - span))
                {
                    left = v;
                }

                if (right < 0 || FixedPoint.Abs((4 * x) - (3 * span)) < FixedPoint.Abs((4 * (SecondAt(_hull[right]) - x0)) - (3 * span)))
                {
                    right = v;
                }
            }

            long middle = SecondAt(_hull[k]) + (run / 2);
            if (left >= 0 && right > left && SecondAt(_hull[right]) - SecondAt(_hull[left]) > run)
            {
                run = SecondAt(_hull[right]) - SecondAt(_hull[left]);
                rise = _residual[_hull[right]] - _residual[_hull[left]];
                middle = SecondAt(_hull[left]) + (run / 2);
            }

            RunSeconds = run;
            SlopeBounded = false;
            if (bounded && rise * 1000 < minPpb * run)
            {
                rise = minPpb;
                run = 1000;
                SlopeBounded = true;
            }
            else if (bounded && rise * 1000 > maxPpb * run)
            {
                rise = maxPpb;
                run = 1000;
                SlopeBounded = true;
            }

            if (SlopeBounded)
            {
                RunSeconds = span;
            }

            // The line of that slope rests on the stamp lowest against it: on or below every stamp.
            int a = 0;
            for (int i = 1; i < n; i++)
            {
                if (Against(i, rise, run) < Against(a, rise, run))
                {
                    a = i;
                }
            }

            Line.Set(SecondAt(a), _local[Index(a)], rise, run);

            // A bounded slope is only as good as its bounds: its doubt grows from where the line rests.
            MiddleSecond = SlopeBounded ? SecondAt(a) : middle;

            // Heights above the line, in place of the residuals (no longer needed).
            long base0 = _residual[a];
            long xa = SecondAt(a);
            for (int i = 0; i < n; i++)
            {
                _residual[i] = (((_residual[i] - base0) * run) - ((SecondAt(i) - xa) * rise)) / run;
            }

            // The lowest quarter of the window (at least 4 stamps) sets the spacing: enough stamps to be steady,
            // few enough to stay in the quick runs.
            int rank = n / 4;
            if (rank < 4)
            {
                rank = 4;
            }

            if (rank > n - 1)
            {
                rank = n - 1;
            }

            SpacingMicros = QuickSelect.Select(_residual, n, rank) / rank;
            return true;
        }

        private long Cross(int o, int a, int b, long x0)
        {
            long ox = _second[Index(o)] - x0;
            long ax = _second[Index(a)] - x0 - ox;
            long bx = _second[Index(b)] - x0 - ox;
            long ay = _residual[a] - _residual[o];
            long by = _residual[b] - _residual[o];
            return (ax * by) - (ay * bx);
        }

        // Height of a stamp against a slope of rise µs per run seconds, scaled by run.
        private long Against(int i, long rise, long run)
        {
            return (_residual[i] * run) - ((SecondAt(i) - SecondAt(0)) * rise);
        }

        private long SecondAt(int i)
        {
            return _second[Index(i)];
        }

        private int Index(int i)
        {
            int at = _start + i;
            return at >= _second.Length ? at - _second.Length : at;
        }
    }
}
