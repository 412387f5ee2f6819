namespace TimingMat.Core.Clock
{
    /// <summary>
    /// The sliding window of PPS stamps (second, local µs) under a <see cref="LowerEnvelopeFit"/>, kept in preallocated
    /// rings with the window's lower convex hull: a new stamp pops the corners it hides; when the oldest leaves, only
    /// the stretch up to the next corner is walked again. Heights are kept against a fixed origin (the hull and every
    /// difference are the same against any line), so a solve only reads the hull's few corners.
    /// </summary>
    /// <remarks>The fit reads these fields into locals once per solve: on the device a property is a call.</remarks>
    internal sealed class StampWindow
    {
        /// <summary>Each stamp's second on the timeline (ring).</summary>
        internal readonly long[] Second;

        /// <summary>Each stamp's local µs (ring).</summary>
        internal readonly long[] Local;

        /// <summary>Each stamp's height above the origin's nominal line, µs (ring).</summary>
        internal readonly long[] Height;

        /// <summary>The hull's corners as ring positions, left to right (ring from <see cref="HullStart"/>).</summary>
        internal readonly int[] Hull;

        /// <summary>Ring position of the oldest stamp.</summary>
        internal int Start;

        /// <summary>Stamps in the window.</summary>
        internal int Count;

        /// <summary>Position in <see cref="Hull"/> of the first corner.</summary>
        internal int HullStart;

        /// <summary>Corners on the hull.</summary>
        internal int HullCount;

        /// <summary>The second heights are measured from.</summary>
        internal long OriginSecond;

        /// <summary>Sum of the stamps' seconds after <see cref="OriginSecond"/> (the mean second of the window).</summary>
        internal long SumSeconds;

        private const long MicrosPerSecond = UtcCalendar.MicrosPerSecond;

        private readonly int[] _chain;
        private readonly int[] _next;
        private long _originLocal;

        // _next[p] is the corner after stamp p on the hull of the stamps from p to the corner whose second this is
        // (built right to left, once per corner): when the oldest stamp leaves, the new hull's front is read off it.
        private long _nextToSecond = long.MinValue;

        /// <summary>Initializes a new instance of the <see cref="StampWindow"/> class.</summary>
        /// <param name="capacity">Stamps kept; older ones leave the window.</param>
        internal StampWindow(int capacity)
        {
            Second = new long[capacity];
            Local = new long[capacity];
            Height = new long[capacity];
            Hull = new int[capacity];
            _chain = new int[capacity];
            _next = new int[capacity];
        }

        /// <summary>Empties the window.</summary>
        internal void Clear()
        {
            Start = 0;
            Count = 0;
            HullStart = 0;
            HullCount = 0;
            SumSeconds = 0;
            _nextToSecond = long.MinValue;
        }

        /// <summary>Gives the ring position of the i-th stamp from the oldest.</summary>
        /// <param name="i">0 for the oldest.</param>
        /// <returns>Its ring position.</returns>
        internal int At(int i)
        {
            int at = Start + i;
            return at >= Second.Length ? at - Second.Length : at;
        }

        /// <summary>Adds a stamp after the last one (its second is later); the oldest leaves a full window.</summary>
        /// <param name="second">Its second on the timeline.</param>
        /// <param name="localMicros">Local µs when the PPS handler ran.</param>
        internal void Add(long second, long localMicros)
        {
            if (Count == Second.Length)
            {
                RemoveOldest();
            }

            if (Count == 0)
            {
                OriginSecond = second;
                _originLocal = localMicros;
            }

            int at = At(Count);
            Second[at] = second;
            Local[at] = localMicros;
            Height[at] = localMicros - _originLocal - ((second - OriginSecond) * MicrosPerSecond);
            SumSeconds += second - OriginSecond;
            Count++;

            // Lower hull, left to right (monotone chain): the new stamp hides the corners that no longer turn
            // counter-clockwise.
            int[] hull = Hull;
            int size = hull.Length;
            int h = HullCount;
            while (h >= 2)
            {
                int b = HullStart + h - 1;
                int a = b - 1;
                if (Cross(hull[a >= size ? a - size : a], hull[b >= size ? b - size : b], at) > 0)
                {
                    break;
                }

                h--;
            }

            int end = HullStart + h;
            hull[end >= size ? end - size : end] = at;
            HullCount = h + 1;
        }

        /// <summary>Relabels every stamp by whole seconds (the GPS's labels moved; the stamps did not).</summary>
        /// <param name="seconds">Seconds to add.</param>
        internal void Renumber(long seconds)
        {
            for (int i = 0; i < Count; i++)
            {
                Second[At(i)] += seconds;
            }

            // Heights are against the origin, which moves with the labels: they stay as they are.
            OriginSecond += seconds;
            _nextToSecond = long.MinValue;
        }

        // The oldest stamp leaves: it is always the hull's first corner. The stamps up to the next corner may now be
        // corners themselves: their hull is read off the right-to-left chain to that corner (built once per corner,
        // so each stamp is walked about once) and put in front; the later corners stay corners.
        private void RemoveOldest()
        {
            int size = Second.Length;
            SumSeconds -= Second[Start] - OriginSecond;
            Start = Start + 1 == size ? 0 : Start + 1;
            Count--;
            HullStart = HullStart + 1 == size ? 0 : HullStart + 1;
            HullCount--;
            int corner = Hull[HullStart];
            if (HullCount == 0 || corner == Start)
            {
                return;
            }

            int[] next = _next;
            if (_nextToSecond != Second[corner])
            {
                // Right to left from the corner: each stamp's next corner is the first that still turns left
                // (the turn p → q → next[q], as Cross, inline: this walk is the fit's largest).
                long[] seconds = Second;
                long[] heights = Height;
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
                while (p != Start);

                _nextToSecond = Second[corner];
            }

            int[] chain = _chain;
            int c = 0;
            for (int v = Start; v != corner; v = next[v])
            {
                chain[c++] = v;
            }

            for (int j = c - 1; j >= 0; j--)
            {
                HullStart = HullStart == 0 ? size - 1 : HullStart - 1;
                Hull[HullStart] = chain[j];
                HullCount++;
            }
        }

        // Turn of o → a → b (ring positions): positive when counter-clockwise.
        private long Cross(int o, int a, int b)
        {
            long ox = Second[o];
            long ax = Second[a] - ox;
            long bx = Second[b] - ox;
            long ay = Height[a] - Height[o];
            long by = Height[b] - Height[o];
            return (ax * by) - (ay * bx);
        }
    }
}
