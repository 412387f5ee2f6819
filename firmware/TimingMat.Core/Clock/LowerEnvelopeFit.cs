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
    /// <para>Cost on the device's interpreter: the <see cref="StampWindow"/> keeps the hull as stamps come and go, so a
    /// solve walks the hull's few corners and makes one pass over the window for the spacing.</para>
    /// </remarks>
    public sealed class LowerEnvelopeFit
    {
        // The line and figures of the last solve as fields: the clock reads them at every fit, and on the device a
        // property is a call. The public properties below give the same values.

        /// <summary><see cref="Line"/>.</summary>
        internal readonly ClockLine Fitted = new ClockLine();

        /// <summary><see cref="SpacingMicros"/>.</summary>
        internal long Spacing;

        /// <summary><see cref="RunSeconds"/>.</summary>
        internal long Run;

        /// <summary><see cref="MiddleSecond"/>.</summary>
        internal long Middle;

        /// <summary><see cref="SlopeBounded"/>.</summary>
        internal bool Bounded;

        /// <summary>
        /// Whether the next solve keeps <see cref="SpacingMicros"/> as it is and skips the heights' pass (~7k IL
        /// instructions on the device): a locked clock's spacing, the scale of the quick handler runs, moves over
        /// minutes, so it is measured on every fourth edge only.
        /// </summary>
        internal bool KeepSpacing;

        /// <summary>Spacing selections that had to look at every height (the band around the last one missed).</summary>
        internal int FullSelections;

        private readonly StampWindow _window;
        private readonly long[] _work;
        private bool _spacingPending;
        private int _spacingCount;
        private int _spacingRank;
        private int _spacingBelow;
        private long _spacingRun;

        // The height at the spacing's rank of the last selection, µs; -1 before the first (or after a clear).
        private long _lastRanked = -1;

        /// <summary>Initializes a new instance of the <see cref="LowerEnvelopeFit"/> class.</summary>
        /// <param name="capacity">Stamps kept; older ones leave the window. At least 3.</param>
        public LowerEnvelopeFit(int capacity)
        {
            if (capacity < 3)
            {
                throw new System.ArgumentOutOfRangeException("capacity");
            }

            _window = new StampWindow(capacity);
            _work = new long[capacity];
        }

        /// <summary>Gets the number of stamps in the window.</summary>
        public int Count
        {
            get { return _window.Count; }
        }

        /// <summary>Gets the largest number of stamps the window holds.</summary>
        public int Capacity
        {
            get { return _work.Length; }
        }

        /// <summary>Gets the first second in the window (0 when empty).</summary>
        public long FirstSecond
        {
            get { return _window.Count == 0 ? 0 : _window.Second[_window.Start]; }
        }

        /// <summary>Gets the last second in the window (0 when empty).</summary>
        public long LastSecond
        {
            get { return _window.Count == 0 ? 0 : _window.Second[_window.At(_window.Count - 1)]; }
        }

        /// <summary>Gets the local stamp of the first second in the window (0 when empty).</summary>
        public long FirstLocalMicros
        {
            get { return _window.Count == 0 ? 0 : _window.Local[_window.Start]; }
        }

        /// <summary>Gets the local stamp of the last second in the window (0 when empty).</summary>
        public long LastLocalMicros
        {
            get { return _window.Count == 0 ? 0 : _window.Local[_window.At(_window.Count - 1)]; }
        }

        /// <summary>Gets the fitted line (valid after a solve returned <c>true</c>).</summary>
        public ClockLine Line
        {
            get { return Fitted; }
        }

        /// <summary>
        /// Gets the spacing of the lowest stamps above the line in µs: the height of the stamp at rank max(4, n/4)
        /// divided by its rank. It is the scale of the quickest handler runs, i.e. of how far the touching stamps
        /// (whose own latency the data cannot show) may sit above the true edges.
        /// </summary>
        public long SpacingMicros
        {
            get { return Spacing; }
        }

        /// <summary>Gets the seconds between the two stamps that hold the line (the window's span when the slope was bounded).</summary>
        public long RunSeconds
        {
            get { return Run; }
        }

        /// <summary>Gets the second at the middle of the stamps that set the slope: the line's error grows with the distance from it.</summary>
        public long MiddleSecond
        {
            get { return Middle; }
        }

        /// <summary>Gets a value indicating whether the last solve hit the slope bounds it was given.</summary>
        public bool SlopeBounded
        {
            get { return Bounded; }
        }

        /// <summary>Empties the window.</summary>
        public void Clear()
        {
            _window.Clear();
            _spacingPending = false;
            _lastRanked = -1;
        }

        /// <summary>Adds a stamp after the last one; the oldest leaves a full window.</summary>
        /// <param name="second">Its second on the timeline; greater than <see cref="LastSecond"/>.</param>
        /// <param name="localMicros">Local µs when the PPS handler ran.</param>
        /// <returns><c>false</c> (and nothing added) when <paramref name="second"/> is not after the last one.</returns>
        public bool Add(long second, long localMicros)
        {
            if (_window.Count > 0 && second <= LastSecond)
            {
                return false;
            }

            _window.Add(second, localMicros);
            return true;
        }

        /// <summary>Relabels every stamp by whole seconds (the GPS's labels moved; the stamps did not).</summary>
        /// <param name="seconds">Seconds to add.</param>
        public void Renumber(long seconds)
        {
            _window.Renumber(seconds);
            Fitted.Renumber(seconds);
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
                // The work holds the heights times the run (the division waits for the one selected: truncating is
                // monotonic, so the rank's height is the same), only those in the band when _spacingBelow >= 0.
                _spacingPending = false;
                int rank = _spacingRank;
                long ranked = QuickSelect.Select(_work, _spacingCount, rank - _spacingBelow) / _spacingRun;
                _lastRanked = ranked;
                Spacing = ranked / rank;
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
            StampWindow w = _window;
            int n = w.Count;
            if (n < 2)
            {
                return false;
            }

            long[] seconds = w.Second;
            long[] heights = w.Height;
            int[] hull = w.Hull;
            int size = hull.Length;
            int h = w.HullCount;
            int h0 = w.HullStart;
            long x0 = seconds[w.Start];
            long sumDx = w.SumSeconds - (n * (x0 - w.OriginSecond));

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
            long span = seconds[w.At(n - 1)] - x0;
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

            Run = run;
            Bounded = false;
            if (bounded && rise * 1000 < minPpb * run)
            {
                rise = minPpb;
                run = 1000;
                Bounded = true;
            }
            else if (bounded && rise * 1000 > maxPpb * run)
            {
                rise = maxPpb;
                run = 1000;
                Bounded = true;
            }

            if (Bounded)
            {
                Run = span;
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
            Fitted.Set(xa, w.Local[a], rise, run);

            // A bounded slope is only as good as its bounds: its doubt grows from where the line rests.
            Middle = Bounded ? xa : middle;

            if (KeepSpacing)
            {
                return true;
            }

            // Heights above the line; the lowest quarter of the window (at least 4 stamps) sets the spacing: enough
            // stamps to be steady, few enough to stay in the quick runs.
            int rank = n / 4;
            if (rank < 4)
            {
                rank = 4;
            }

            if (rank > n - 1)
            {
                rank = n - 1;
            }

            // Each height times the run, (h - h_a)·run − (s − s_a)·rise, as h·run − s·rise + offset (wrapping products give
            // the exact difference). The rank's height moves little from one second to the next: only the heights
            // within an eighth of the last one are kept for the selection, and those below it counted; a band that
            // misses the rank takes one more pass with every height (a young window, a jump).
            long offset = (xa * rise) - (heights[a] * run);
            long last = _lastRanked;
            int count = 0;
            int below = -1;
            if (last >= 0)
            {
                long margin = (last / 8) + 4;
                count = Heights(seconds, heights, w.Start, n, rise, run, offset, (last - margin) * run, (last + margin) * run, out below);
                if (below > rank || below + count <= rank)
                {
                    below = -1;
                }
            }

            if (below < 0)
            {
                FullSelections++;
                count = Heights(seconds, heights, w.Start, n, rise, run, offset, long.MinValue, long.MaxValue, out below);
            }

            _spacingCount = count;
            _spacingBelow = below;
            _spacingRank = rank;
            _spacingRun = run;
            _spacingPending = true;
            return true;
        }

        // Puts the window's heights times the run that lie within [low, high] into the work, in ring order (the
        // window in at most two stretches, so no wrap test per stamp), and counts those below low.
        private int Heights(long[] seconds, long[] heights, int start, int n, long rise, long run, long offset, long low, long high, out int below)
        {
            long[] work = _work;
            int size = work.Length;
            int kept = 0;
            int under = 0;
            int from = start;
            int left = n;
            while (left > 0)
            {
                int to = from + left;
                if (to > size)
                {
                    to = size;
                }

                left -= to - from;
                for (int p = from; p < to; p++)
                {
                    long v = (heights[p] * run) - (seconds[p] * rise) + offset;
                    if (v > high)
                    {
                        continue;
                    }

                    if (v < low)
                    {
                        under++;
                    }
                    else
                    {
                        work[kept++] = v;
                    }
                }

                from = 0;
            }

            below = under;
            return kept;
        }

        // The stamp (ring position) at hull corner v.
        private static int Corner(int[] hull, int hullStart, int v, int size)
        {
            int at = hullStart + v;
            return hull[at >= size ? at - size : at];
        }
    }
}
