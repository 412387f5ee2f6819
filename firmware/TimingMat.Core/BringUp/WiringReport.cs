namespace TimingMat.Core.BringUp
{
    /// <summary>What a unit received from its modules over one reporting interval of a <see cref="WiringCheck"/>.</summary>
    public sealed class WiringReport
    {
        /// <summary>Gets the local time the interval ended, in µs since boot.</summary>
        public long AtMicros { get; internal set; }

        /// <summary>Gets the length of the interval in µs.</summary>
        public long IntervalMicros { get; internal set; }

        /// <summary>Gets the bytes received from the reader module in the interval.</summary>
        public int ReaderBytes { get; internal set; }

        /// <summary>Gets the bytes received from the GPS module in the interval.</summary>
        public int GpsBytes { get; internal set; }

        /// <summary>Gets the NMEA sentence starts (<c>$</c>) received from the GPS in the interval.</summary>
        public int GpsSentences { get; internal set; }

        /// <summary>Gets the PPS edges taken in the interval.</summary>
        public int PpsEdges { get; internal set; }

        /// <summary>Gets the spacing of the last two PPS edges in µs, or 0 before two edges were seen.</summary>
        public long LastPpsIntervalMicros { get; internal set; }

        /// <summary>Gets the PPS edges the capture dropped since start.</summary>
        public int PpsDropped { get; internal set; }

        /// <summary>Gets the result of the storage write/read-back probe.</summary>
        public ProbeResult Storage { get; internal set; }

        /// <summary>Gets the result of the LoRa radio version-register probe.</summary>
        public ProbeResult Radio { get; internal set; }

        /// <summary>Renders the report as one log line, e.g. for the device's debug console.</summary>
        /// <returns>A line such as <c>reader 1200 B, gps 480 B (5 NMEA), pps 1 (1000003 us), storage ok, radio ok</c>.</returns>
        public override string ToString()
        {
            return "reader " + ReaderBytes.ToString() + " B, gps " + GpsBytes.ToString() + " B (" + GpsSentences.ToString()
                + " NMEA), pps " + PpsEdges.ToString() + " (" + LastPpsIntervalMicros.ToString() + " us, dropped "
                + PpsDropped.ToString() + "), storage " + ProbeText(Storage) + ", radio " + ProbeText(Radio);
        }

        /// <summary>Gives the word used for a probe result in reports (nanoFramework prints enums as numbers).</summary>
        /// <param name="result">The probe result.</param>
        /// <returns><c>ok</c>, <c>failed</c> or <c>absent</c>.</returns>
        public static string ProbeText(ProbeResult result)
        {
            if (result == ProbeResult.Ok)
            {
                return "ok";
            }

            return result == ProbeResult.Failed ? "failed" : "absent";
        }
    }
}
