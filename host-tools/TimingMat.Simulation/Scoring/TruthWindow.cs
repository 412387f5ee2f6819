namespace TimingMat.Simulation.Scoring;

/// <summary>A span of true time a run played: the true crossings in it are the ones scored.</summary>
/// <param name="FromUtcMicros">First true UTC µs played (inclusive).</param>
/// <param name="ToUtcMicros">End of the play (exclusive).</param>
public sealed record TruthWindow(long FromUtcMicros, long ToUtcMicros)
{
    /// <summary>Tells whether a true time lies in the window.</summary>
    /// <param name="utcMicros">True UTC µs.</param>
    /// <returns><c>true</c> from <see cref="FromUtcMicros"/> up to, not including, <see cref="ToUtcMicros"/>.</returns>
    public bool Contains(long utcMicros) => utcMicros >= FromUtcMicros && utcMicros < ToUtcMicros;
}
