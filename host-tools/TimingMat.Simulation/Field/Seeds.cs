namespace TimingMat.Simulation.Field;

/// <summary>
/// Derives independent seeds from the race seed and a few numbers (mat, bib, boot). Deterministic across processes
/// and machines, unlike <see cref="HashCode.Combine{T1, T2}(T1, T2)"/>, which .NET randomises per process.
/// </summary>
public static class Seeds
{
    /// <summary>Mixes numbers into one seed (SplitMix64 finaliser over each part).</summary>
    /// <param name="parts">The race seed followed by whatever distinguishes the stream.</param>
    /// <returns>A non-negative seed for <see cref="Random"/>.</returns>
    public static int Mix(params long[] parts)
    {
        ulong state = 0x9E3779B97F4A7C15;
        foreach (var part in parts)
        {
            state += unchecked((ulong)part) + 0x9E3779B97F4A7C15;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            state = z ^ (z >> 31);
        }

        return (int)(state & 0x7FFFFFFF);
    }
}
