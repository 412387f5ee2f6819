namespace TimingMat.Core.Clock.Nmea
{
    /// <summary>The NMEA 0183 sentences the mat clock reads; every other sentence is counted and ignored.</summary>
    public enum NmeaSentenceType
    {
        /// <summary>No sentence decoded yet.</summary>
        None = 0,

        /// <summary>RMC, recommended minimum: time, status A/V, date (2-digit year), mode.</summary>
        Rmc = 1,

        /// <summary>GGA, fix data: time, fix quality, satellites in use (no date).</summary>
        Gga = 2,

        /// <summary>ZDA, time and date with a 4-digit year (no fix status: receivers print it from their RTC before a fix).</summary>
        Zda = 3,
    }
}
