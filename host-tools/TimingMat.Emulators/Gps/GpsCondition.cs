namespace TimingMat.Emulators.Gps;

/// <summary>What goes wrong with a unit's GPS during a <see cref="GpsCondition"/>.</summary>
public enum GpsConditionKind
{
    /// <summary>Sky blocked (a mat under a truck, a tunnel): no fix, no PPS (unless the receiver pulses without a fix), NMEA says V.</summary>
    NoFix,

    /// <summary>The receiver restarts cold: silent for a second, then NMEA without time, then time without fix, until the window ends with a fix.</summary>
    ColdStart,

    /// <summary>The PPS wire is broken: NMEA as usual, no edges (NMEA without PPS).</summary>
    PpsCut,

    /// <summary>The GPS TX wire is broken: PPS as usual, no NMEA (PPS without NMEA).</summary>
    NmeaCut,

    /// <summary>The receiver labels its seconds wrongly by <see cref="GpsCondition.OffsetSeconds"/> (GPS time before the UTC offset is known, a firmware bug): a GPS time jump at each end.</summary>
    LabelOffset,
}

/// <summary>A scheduled GPS fault on the true timeline, [<see cref="FromUtcMicros"/>, <see cref="ToUtcMicros"/>).</summary>
/// <param name="Kind">What goes wrong.</param>
/// <param name="FromUtcMicros">True UTC µs at which it starts.</param>
/// <param name="ToUtcMicros">True UTC µs at which it ends (a cold start gets its fix then).</param>
/// <param name="OffsetSeconds">For <see cref="GpsConditionKind.LabelOffset"/>: seconds added to every label.</param>
public sealed record GpsCondition(GpsConditionKind Kind, long FromUtcMicros, long ToUtcMicros, int OffsetSeconds = 0)
{
    /// <summary>Tells whether the condition covers a true time.</summary>
    /// <param name="trueUtcMicros">True UTC µs.</param>
    /// <returns><c>true</c> inside the window.</returns>
    public bool Covers(long trueUtcMicros) => trueUtcMicros >= FromUtcMicros && trueUtcMicros < ToUtcMicros;
}
