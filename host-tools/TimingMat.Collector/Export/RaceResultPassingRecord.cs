using System.Globalization;

namespace TimingMat.Collector.Export;

/// <summary>
/// The RACE RESULT decoder's passing record (Decoder Communication Protocol, "Passing Record", protocol 1.6 and later:
/// raceresult.com/en-us/support/kbexport2?id=487), the line a RACE RESULT decoder answers and stores, so RACE RESULT
/// software and CrossMgr's RACE RESULT import read our passings as a decoder's:
/// <c>PassingNo;TranspCode;Date;Time;EventID;Hits;MaxRSSI;InternalData;IsActive;Channel;LoopID;LoopOnly;WakeupCounter;Battery;Temperature;InternalActiveData;BoxName;FileNumber;MaxRSSIAntenna;BoxId</c>.
/// </summary>
public static class RaceResultPassingRecord
{
    /// <summary>The record's line end: CR LF.</summary>
    public const string LineEnd = "\r\n";

    /// <summary>Formats one record.</summary>
    /// <param name="passingNo">Record number, 1 for the first.</param>
    /// <param name="chipHex">The chip's EPC (the transponder code: UHF chips are multi-use tags, so no event id).</param>
    /// <param name="utcMicros">The passing's time, UTC µs.</param>
    /// <param name="hits">Reads.</param>
    /// <param name="rssiCentiDbm">Strongest read, centi-dBm (written as whole dBm).</param>
    /// <param name="antenna">Antenna of the strongest read, or 0 when unknown.</param>
    /// <param name="boxName">The device's name: the timing point with a course, else the unit.</param>
    /// <param name="unit">The unit, as the box id.</param>
    /// <param name="clock">The race's local time: date and time of day are local, as a decoder with GPS writes them.</param>
    /// <returns>The record, without its line end.</returns>
    public static string Line(long passingNo, string chipHex, long utcMicros, int hits, int rssiCentiDbm, int antenna, string boxName, int unit, ExportClock clock)
    {
        var local = clock.Local(utcMicros);
        var c = CultureInfo.InvariantCulture;
        var rssi = (int)Math.Round(rssiCentiDbm / 100.0, MidpointRounding.AwayFromZero);

        // EventID 0 (a multi-use tag), not active, no channel/loop/wake-up/battery/temperature (active transponders only).
        return string.Create(c, $"{passingNo};{chipHex};{local.ToString("yyyy-MM-dd", c)};{local.ToString("HH:mm:ss.fff", c)};0;{hits};{rssi};;0;;;;;;;;{boxName};1;{(antenna > 0 ? antenna.ToString(c) : string.Empty)};TM-{unit}");
    }
}
