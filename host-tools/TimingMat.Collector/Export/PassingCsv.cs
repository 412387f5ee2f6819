using System.Globalization;
using System.Text;
using TimingMat.Collector.Courses;
using TimingMat.Core.Passings;

namespace TimingMat.Collector.Export;

/// <summary>
/// The documented CSV (docs/export-formats.md): one row per stored chip passing, or with a course one row per merged
/// crossing. Comma-separated, a header row, LF line ends, no field needs quoting (names and lists use no commas).
/// </summary>
public static class PassingCsv
{
    /// <summary>The header of a passing row.</summary>
    public const string PassingHeader = "unit,seq,chip,time_utc,time_local,time_us,hits,rssi_dbm,antenna,clock,uncertainty_us,flags,source";

    /// <summary>The header of a crossing row.</summary>
    public const string CrossingHeader = "timing_point,chip,time_utc,time_local,time_us,line,unit,seq,hits,lines_read,speed_mps,time_from,passings";

    /// <summary>Formats one stored passing.</summary>
    /// <param name="p">The passing.</param>
    /// <param name="clock">The race's local time.</param>
    /// <returns>The row, without a line end.</returns>
    public static string Row(StoredPassing p, ExportClock clock) => string.Create(
        CultureInfo.InvariantCulture,
        $"{p.Unit},{p.Sequence},{p.ChipHex},{ExportClock.Utc(p.TimeUtcMicros)},{clock.LocalIso(p.TimeUtcMicros)},{p.TimeUtcMicros},{p.Hits},{p.RssiCentiDbm / 100.0:0.##},{p.Antenna},{p.Clock},{p.UncertaintyMicros},{FlagNames(p.Flags)},{p.Source}");

    /// <summary>Formats one merged crossing.</summary>
    /// <param name="c">The crossing.</param>
    /// <param name="clock">The race's local time.</param>
    /// <returns>The row, without a line end.</returns>
    public static string Row(MergedCrossing c, ExportClock clock) => string.Create(
        CultureInfo.InvariantCulture,
        $"{c.TimingPoint},{c.ChipHex},{ExportClock.Utc(c.TimeUtcMicros)},{clock.LocalIso(c.TimeUtcMicros)},{c.TimeUtcMicros},{c.Line},{c.Unit},{c.Sequence},{c.Hits},{c.LinesRead},{c.SpeedMps?.ToString("0.###", CultureInfo.InvariantCulture)},{c.TimeFrom},{string.Join(' ', c.Passings.Select(p => $"{p.Unit}:{p.Sequence}"))}");

    // The unit's qualifiers, '|'-separated in the names the passing JSON uses (a test tag never reaches an export).
    private static string FlagNames(PassingFlags flags)
    {
        var names = new StringBuilder();
        void Add(PassingFlags flag, string name)
        {
            if ((flags & flag) != 0)
            {
                names.Append(names.Length == 0 ? string.Empty : "|").Append(name);
            }
        }

        Add(PassingFlags.OutsideArmedWindow, "outside_armed_window");
        Add(PassingFlags.Stray, "stray");
        Add(PassingFlags.CapacityClosed, "capacity_closed");
        return names.ToString();
    }
}
