using System.Globalization;

namespace TimingMat.Collector.Export;

/// <summary>
/// The JChip receiver's tag record as CrossMgr reads it (esitarski/CrossMgr: JChipImport.py reads a file's lines as
/// <c>&lt;letter&gt;&lt;tag&gt; &lt;HH:MM:SS.ffffff&gt; &lt;field whose second character is the day&gt; …</c>; the bridges
/// Impinj2JChip.py and Alien2JChip.py send the same record live, with <c>DA</c> for the letter and CR as line end):
/// <c>Z&lt;tag&gt; HH:MM:SS.ffffff 10  &lt;index, 5 hex digits&gt;      C7 date=YYYYMMDD</c>.
/// </summary>
public static class JChipRecord
{
    /// <summary>Formats one record: for a file CrossMgr imports (JChip import), or as a receiver sends it live.</summary>
    /// <param name="index">The record's running number (0 first), written in hex as the receiver does.</param>
    /// <param name="chipHex">The chip's EPC; leading zeros are dropped, as CrossMgr's bridges send tags and CrossMgr matches them.</param>
    /// <param name="utcMicros">The passing's time, UTC µs.</param>
    /// <param name="clock">The race's local time: CrossMgr takes times of day in the race's time.</param>
    /// <param name="live">Whether the record goes over a live connection (<c>DA</c> instead of the file's <c>Z</c>).</param>
    /// <returns>The record, without a line end.</returns>
    public static string Line(long index, string chipHex, long utcMicros, ExportClock clock, bool live = false)
    {
        var local = clock.Local(utcMicros);
        var c = CultureInfo.InvariantCulture;
        var tag = chipHex.TrimStart('0');
        return string.Create(c, $"{(live ? "DA" : "Z")}{(tag.Length == 0 ? "0" : tag)} {local.ToString("HH:mm:ss.ffffff", c)} 10  {index & 0xFFFFF:X5}      C7 date={local.ToString("yyyyMMdd", c)}");
    }
}
