namespace TimingMat.Core.Clock
{
    /// <summary>The k-th smallest of an array in place, without sorting it all (the fit's spacing needs one rank).</summary>
    internal static class QuickSelect
    {
        /// <summary>Places the k-th smallest of a[0..n) at a[k] with smaller ones before it (quickselect) and returns it.</summary>
        /// <param name="a">The values; reordered.</param>
        /// <param name="n">How many of them count.</param>
        /// <param name="k">The rank wanted, 0 for the smallest.</param>
        /// <returns>The k-th smallest.</returns>
        internal static long Select(long[] a, int n, int k)
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
    }
}
