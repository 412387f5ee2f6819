namespace TimingMat.Simulation.Scoring;

/// <summary>A span of true time a mat could read nothing: from the fault until its reader reported a read again.</summary>
/// <param name="FromUtcMicros">True UTC µs the fault started.</param>
/// <param name="ToUtcMicros">True UTC µs of the first read after it (or when the simulator stopped waiting for one).</param>
/// <param name="Cause">What blinded the mat.</param>
public sealed record BlindSpan(long FromUtcMicros, long ToUtcMicros, NeverReadCause Cause)
{
    /// <summary>Tells whether a crossing's read window meets the span.</summary>
    /// <param name="utcMicros">True crossing time.</param>
    /// <param name="marginMicros">Half the time a chip is in the field.</param>
    /// <returns><c>true</c> when they overlap.</returns>
    public bool Covers(long utcMicros, long marginMicros) => utcMicros + marginMicros >= FromUtcMicros && utcMicros - marginMicros <= ToUtcMicros;
}
