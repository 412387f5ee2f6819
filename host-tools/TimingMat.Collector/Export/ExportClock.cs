using System.Globalization;

namespace TimingMat.Collector.Export;

/// <summary>
/// Turns a passing's UTC µs into the texts the export formats carry: ISO 8601 in UTC, and the race's local time of
/// day, which scoring software expects (RACE RESULT and CrossMgr take times of day without a zone).
/// </summary>
/// <param name="LocalOffset">The race's offset from UTC, or null for this computer's time zone (daylight saving included).</param>
public sealed record ExportClock(TimeSpan? LocalOffset)
{
    /// <summary>Gets the local time of a UTC instant.</summary>
    /// <param name="utcMicros">UTC µs since 1970.</param>
    /// <returns>The local time with its offset.</returns>
    public DateTimeOffset Local(long utcMicros)
    {
        var utc = new DateTimeOffset(DateTime.UnixEpoch.AddTicks(utcMicros * 10), TimeSpan.Zero);
        return LocalOffset is { } offset ? utc.ToOffset(offset) : TimeZoneInfo.ConvertTime(utc, TimeZoneInfo.Local);
    }

    /// <summary>Formats a UTC instant as ISO 8601 in UTC with µs, e.g. <c>2026-10-04T08:25:00.123456Z</c>.</summary>
    /// <param name="utcMicros">UTC µs since 1970.</param>
    /// <returns>The text.</returns>
    public static string Utc(long utcMicros) =>
        DateTime.UnixEpoch.AddTicks(utcMicros * 10).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Formats a UTC instant as local ISO 8601 with µs and offset, e.g. <c>2026-10-04T10:25:00.123456+02:00</c>.</summary>
    /// <param name="utcMicros">UTC µs since 1970.</param>
    /// <returns>The text.</returns>
    public string LocalIso(long utcMicros) => Local(utcMicros).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture);
}
