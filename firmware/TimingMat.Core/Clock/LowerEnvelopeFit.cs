namespace TimingMat.Core.Clock
{
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
    /// so they never set the slope. Everything is integer maths over preallocated arrays (36 bytes per stamp).
    /// <para>Cost on the device's interpreter: the hull is kept as stamps come and go (a new stamp pops the corners it
    /// hides; when the oldest leaves, only the stretch up to the next corner is walked again), heights are kept against
    /// a fixed origin (the hull and every difference are the same against any line), so a solve walks the hull's few
    /// corners and makes one pass over the window for the spacing.</para>
    /// </remarks>
    public sealed class LowerEnvelopeFit
    {
        private const long MicrosPerSecond = UtcCalendar.MicrosPerSecond;

        private readonly long[] _second;
        private readonly long[] _local;
        private readonly long[] _height;
        private readonly long[] _work;
        private readonly int[] _hull;
        private readonly int[] _chain;
        private readonly int[] _next;
        private int _start;
        private int _count;
        private int _hullStart;
        private int _hullCount;
        private long _originSecond;
        private long _originLocal;
        private long _sumSeconds;
        private bool _spacingPending;
        private int _spacingCount;
        private int _spacingRank;

        // _next[p] is the corner after stamp p on the hull of the stamps from p to the corner whose second this is
        // (built right to left, once per corner): when the oldest stamp leaves, the new hull's front is read off it.
        private long _nextToSecond = long.MinValue;

        /// <summary>Initializes a new instance of the <see cref="LowerEnvelopeFit"/> class.</summary>
        /// <param name="capacity">Stamps kept; older ones leave the window. At least 3.</param>
        public LowerEnvelopeFit(int capacity)
        {
            if (capacity < 3)
            {
                throw new System.ArgumentOutOfRangeException("capacity");
            }

            _second = new long[capacity];
            _local = new long[capacity];
            _height = new long[capacity];
            _work = new long[capacity];
            _hull = new int[capacity];
            _chain = new int[capacity];
            _next = new int[capacity];
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
            get { return _count == 0 ? 0 : _second[At(_count - 1)]; }
        }

        /// <summary>Gets the local stamp of the first second in the window (0 when empty).</summary>
        public long FirstLocalMicros
        {
            get { return _count == 0 ? 0 : _local[_start]; }
        }

        /// <summary>Gets the local stamp of the last second in the window (0 when empty).</summary>
        public long LastLocalMicros
        {
            get { return _count == 0 ? 0 : _local[At(_count - 1)]; }
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
            _hullStart = 0;
            _hullCount = 0;
            _sumSeconds = 0;
            _nextToSecond = long.MinValue;
            _spacingPending = false;
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
                RemoveOldest();
            }

            if (_count == 0)
            {
                _originSecond = second;
                _originLocal = localMicros;
            }

            int at = At(_count);
            _second[at] = second;
            _local[at] = localMicros;
            _height[at] = localMicros - _originLocal - ((second - _originSecond) * MicrosPerSecond);
            _sumSeconds += second - _originSecond;
            _count++;

            // Lower hull, left to right (monotone chain): the new stamp hides the corners that no longer turn
            // counter-clockwise.
            int[] hull = _hull;
            int size = hull.Length;
            int h = _hullCount;
            while (h >= 2)
            {
                int b = _hullStart + h - 1;
                int a = b - 1;
                if (Cross(hull[a >= size ? a - size : a], hull[b >= size ? b - size : b], at) > 0)
                {
                    break;
                }

                h--;
            }

            int end = _hullStart + h;
            hull[end >= size ? end - size : end] = at;
            _hullCount = h + 1;
            return true;
        }

        /// <summary>Relabels every stamp by whole seconds (the GPS's labels moved; the stamps did not).</summary>
        /// <param name="seconds">Seconds to add.</param>
        public void Renumber(long seconds)
        {
            for (int i = 0; i < _count; i++)
            {
                _second[At(i)] += seconds;
            }

            // Heights are against the origin, which moves with the labels: they stay as they are.
            _originSecond += seconds;
            _nextToSecond = long.MinValue;
            Line.Renumber(seconds);
        }

        /// <summary>Fits the line under the window, any slope.</summary>
        /// <returns><c>true</c> when <see cref="Line"/> and the figures were updated; <c>false</c> below 2 stamps.</returns>
        public bool Solve()
        {
            bool solved = SolveLine(false, 0, 0);
            FinishSpacing();
            return solved;
        }

        /// <summary>
        /// Fits the line under the window now and leaves the spacing's selection (about half the work) to
        /// <see cref="FinishSpacing"/>, so a device loop can do the two halves in two polls.
        /// </summary>
        /// <returns><c>true</c> when <see cref="Line"/> was updated; <c>false</c> below 2 stamps.</returns>
        public bool SolveLine()
        {
            return SolveLine(false, 0, 0);
        }

        /// <summary>Fits the line now with its frequency error held within bounds; the spacing at <see cref="FinishSpacing"/>.</summary>
        /// <param name="minPpb">Lowest frequency error allowed, parts per billion.</param>
        /// <param name="maxPpb">Highest frequency error allowed, parts per billion.</param>
        /// <returns><c>true</c> when <see cref="Line"/> was updated; <c>false</c> below 2 stamps.</returns>
        public bool SolveLine(long minPpb, long maxPpb)
        {
            return SolveLine(true, minPpb, maxPpb);
        }

        /// <summary>
        /// Sets <see cref="SpacingMicros"/> from the heights the last line left (stamps added since do not count: the
        /// spacing belongs to that line); nothing when none is pending.
        /// </summary>
        public void FinishSpacing()
        {
            if (_spacingPending)
            {
                _spacingPending = false;
                SpacingMicros = Select(_work, _spacingCount, _spacingRank) / _spacingRank;
            }
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
            bool solved = SolveLine(true, minPpb, maxPpb);
            FinishSpacing();
            return solved;
        }

        private bool SolveLine(bool bounded, long minPpb, long maxPpb)
        {
            int n = _count;
            if (n < 2)
            {
                return false;
            }

            long[] seconds = _second;
            long[] heights = _height;
            int[] hull = _hull;
            int size = hull.Length;
            int h = _hullCount;
            int h0 = _hullStart;
            long x0 = seconds[_start];
            long sumDx = _sumSeconds - (n * (x0 - _originSecond));

            // The hull edge over the mean second maximises the line's total height under the stamps (the LP
            // optimum). Its two stamps can be close together, though, and then their own latencies tilt it.
            int k = 0;
            while (k < h - 2 && (long)n * (seconds[Corner(hull, h0, k + 1, size)] - x0) < sumDx)
            {
                k++;
            }

            int lower = Corner(hull, h0, k, size);
            int upper = Corner(hull, h0, k + 1, size);
            long run = seconds[upper] - seconds[lower];
            long rise = heights[upper] - heights[lower];

            // A wider chord of the hull, between its inner corners nearest the window's quarters, averages the
            // slope over half the window instead. The end stamps are hull corners whatever their latency, so
            // they are never used.
            long span = seconds[At(n - 1)] - x0;
            int left = -1;
            int right = -1;
            long leftMiss = 0;
            long rightMiss = 0;
            for (int v = 1; v < h - 1; v++)
            {
                long x = seconds[Corner(hull, h0, v, size)] - x0;
                long toQuarter = (4 * x) - span;
                toQuarter = toQuarter < 0 ? -toQuarter : toQuarter;
                if (left < 0 || toQuarter < leftMiss)
                {
                    left = v;
                    leftMiss = toQuarter;
                }

                long toThreeQuarters = (4 * x) - (3 * span);
                toThreeQuarters = toThreeQuarters < 0 ? -toThreeQuarters : toThreeQuarters;
                if (right < 0 || toThreeQuarters < rightMiss)
                {
                    right = v;
                    rightMiss = toThreeQuarters;
                }
            }

            long middle = seconds[lower] + (run / 2);
            if (left >= 0 && right > left)
            {
                int l = Corner(hull, h0, left, size);
                int r = Corner(hull, h0, right, size);
                long chord = seconds[r] - seconds[l];
                if (chord > run)
                {
                    run = chord;
                    rise = heights[r] - heights[l];
                    middle = seconds[l] + (run / 2);
                }
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

            // The line of that slope rests on the stamp lowest against it: on or below every stamp. The lowest stamp
            // against any line is a hull corner (the first of them when several tie).
            int a = Corner(hull, h0, 0, size);
            long lowest = (heights[a] * run) - ((seconds[a] - x0) * rise);
            for (int v = 1; v < h; v++)
            {
                int c = Corner(hull, h0, v, size);
                long against = (heights[c] * run) - ((seconds[c] - x0) * rise);
                if (against < lowest)
                {
                    lowest = against;
                    a = c;
                }
            }

            long xa = seconds[a];
            Line.Set(xa, _local[a], rise, run);

            // A bounded slope is only as good as its bounds: its doubt grows from where the line rests.
            MiddleSecond = SlopeBounded ? xa : middle;

            // Heights above the line; the lowest quarter of the window (at least 4 stamps) sets the spacing: enough
            // stamps to be steady, few enough to stay in the quick runs.
            long base0 = heights[a];
            long[] work = _work;
            int at = _start;
            for (int i = 0; i < n; i++)
            {
                work[i] = (((heights[at] - base0) * run) - ((seconds[at] - xa) * rise)) / run;
                at++;
                if (at == size)
                {
                    at = 0;
                }
            }

            int rank = n / 4;
            if (rank < 4)
            {
                rank = 4;
            }

            if (rank > n - 1)
            {
                rank = n - 1;
            }

            _spacingCount = n;
            _spacingRank = rank;
            _spacingPending = true;
            return true;
        }

        // Places the k-th smallest of a[0..n) at a[k] with smaller ones before it (quickselect) and returns it.
        private static long Select(long[] a, int n, int k)
        {
            int lo = 0;
            int hi = n - 1;
            while (lo < hi)
            {
                // Median of three: the heights come in time order, often nearly sorted in stretches.
                long x = a[lo];
                long y = a[(lo + hi) / 2];
                long z = a[hi];
                long pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
                int i = lo;
                int j = hi;
                while (i <= j)
                {
                    while (a[i] < pivot)
                    {
                        i++;
                    }

                    while (a[j] > pivot)
                    {
                        j--;
                    }

                    if (i <= j)
                    {
                        long t = a[i];
                        a[i] = a[j];
                        a[j] = t;
                        i++;
                        j--;
                    }
                }

                if (k <= j)
                {
                    hi = j;
                }
                else if (k >= i)
                {
                    lo = i;
                }
                else
                {
                    break;
                }
            }

            return a[k];
        }

        // The stamp (ring position) at hull corner v.
        private static int Corner(int[] hull, int hullStart, int v, int size)
        {
            int at = hullStart + v;
            return hull[at >= size ? at - size : at];
        }

        // The oldest stamp leaves: it is always the hull's first corner. The stamps up to the next corner may now be
        // corners themselves: their hull is read off the right-to-left chain to that corner (built once per corner,
        // so each stamp is walked about once) and put in front; the later corners stay corners.
        private void RemoveOldest()
        {
            int size = _second.Length;
            _sumSeconds -= _second[_start] - _originSecond;
            _start = _start + 1 == size ? 0 : _start + 1;
            _count--;
            _hullStart = _hullStart + 1 == size ? 0 : _hullStart + 1;
            _hullCount--;
            int corner = _hull[_hullStart];
            if (_hullCount == 0 || corner == _start)
            {
                return;
            }

            int[] next = _next;
            if (_nextToSecond != _second[corner])
            {
                // Right to left from the corner: each stamp's next corner is the first that still turns left
                // (the turn p → q → next[q], as Cross, inline: this walk is the fit's largest).
                long[] seconds = _second;
                long[] heights = _height;
                int p = corner;
                do
                {
                    int q = p;
                    p = p == 0 ? size - 1 : p - 1;
                    long px = seconds[p];
                    long py = heights[p];
                    while (q != corner)
                    {
                        int r = next[q];
                        if (((seconds[q] - px) * (heights[r] - py)) - ((heights[q] - py) * (seconds[r] - px)) > 0)
                        {
                            break;
                        }

                        q = r;
                    }

                    next[p] = q;
                }
                while (p != _start);

                _nextToSecond = _second[corner];
            }

            int[] chain = _chain;
            int c = 0;
            for (int v = _start; v != corner; v = next[v])
            {
                chain[c++] = v;
            }

            for (int j = c - 1; j >= 0; j--)
            {
                _hullStart = _hullStart == 0 ? size - 1 : _hullStart - 1;
                _hull[_hullStart] = chain[j];
                _hullCount++;
            }
        }

        // Turn of o → a → b (ring positions): positive when counter-clockwise.
        private long Cross(int o, int a, int b)
        {
            long ox = _second[o];
            long ax = _second[a] - ox;
            long bx = _second[b] - ox;
            long ay = _height[a] - _height[o];
            long by = _height[b] - _height[o];
            return (ax * by) - (ay * bx);
        }

        private int At(int i)
        {
            int at = _start + i;
            return at >= _second.Length ? at - _second.Length : at;
        }
    }
}
