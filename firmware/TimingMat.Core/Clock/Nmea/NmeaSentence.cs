namespace TimingMat.Core.Clock.Nmea
{
    /// <summary>
    /// The fields of the last sentence an <see cref="NmeaParser"/> accepted. One instance is reused for every
    /// sentence, so parsing allocates nothing: read what you need before pushing more bytes.
    /// </summary>
    public sealed class NmeaSentence
    {
        /// <summary>Value of <see cref="Satellites"/> and <see cref="FixQuality"/> when the sentence does not give it.</summary>
        public const int NotGiven = -1;

        /// <summary>Gets the sentence type.</summary>
        public NmeaSentenceType Type { get; internal set; }

        /// <summary>Gets the satellite system that produced it.</summary>
        public NmeaTalker Talker { get; internal set; }

        /// <summary>Gets a value indicating whether the sentence carries a time of day (empty before the receiver knows it).</summary>
        public bool HasTime { get; internal set; }

        /// <summary>Gets the UTC hour, 0–23.</summary>
        public int Hour { get; internal set; }

        /// <summary>Gets the UTC minute, 0–59.</summary>
        public int Minute { get; internal set; }

        /// <summary>Gets the UTC second, 0–60 (60 only during an inserted leap second).</summary>
        public int Second { get; internal set; }

        /// <summary>Gets the fraction of the second in µs (0 for a sentence labelling a PPS second: <c>hhmmss.00</c>).</summary>
        public int SubsecondMicros { get; internal set; }

        /// <summary>Gets the number of fraction digits the receiver printed (0 for <c>hhmmss</c>, 2 for <c>hhmmss.00</c>).</summary>
        public int FractionDigits { get; internal set; }

        /// <summary>Gets a value indicating whether the sentence carries a date (RMC, ZDA; empty before the receiver knows it).</summary>
        public bool HasDate { get; internal set; }

        /// <summary>Gets the year (RMC's two digits read as 2000–2079 or 1980–1999).</summary>
        public int Year { get; internal set; }

        /// <summary>Gets the month, 1–12.</summary>
        public int Month { get; internal set; }

        /// <summary>Gets the day of the month.</summary>
        public int Day { get; internal set; }

        /// <summary>Gets the RMC status: <c>A</c> valid, <c>V</c> warning; 0 for other sentences.</summary>
        public char Status { get; internal set; }

        /// <summary>Gets the RMC mode indicator (A autonomous, D differential, E estimated, N not valid…); 0 when absent.</summary>
        public char Mode { get; internal set; }

        /// <summary>Gets the GGA fix quality (0 invalid, 1 GPS, 2 DGPS, 4 RTK fixed, 5 RTK float, 6 estimated…), or <see cref="NotGiven"/>.</summary>
        public int FixQuality { get; internal set; }

        /// <summary>Gets the satellites used in the GGA solution, or <see cref="NotGiven"/>.</summary>
        public int Satellites { get; internal set; }

        /// <summary>
        /// Gets a value indicating whether this sentence reports fix validity: RMC, and GGA with a fix-quality field (a GGA
        /// with that field empty gives its time but says nothing about the fix; not ZDA).
        /// </summary>
        public bool CarriesFix
        {
            get { return Type == NmeaSentenceType.Rmc || (Type == NmeaSentenceType.Gga && FixQuality != NotGiven); }
        }

        /// <summary>
        /// Gets a value indicating whether the sentence reports a real satellite fix: RMC status A with a mode other
        /// than N/E, or GGA quality 1–5. Estimated (dead-reckoning), manual and simulated solutions do not count:
        /// their time is the receiver's guess, not GNSS time.
        /// </summary>
        public bool HasFix
        {
            get
            {
                if (Type == NmeaSentenceType.Rmc)
                {
                    return Status == 'A' && Mode != 'N' && Mode != 'E';
                }

                return Type == NmeaSentenceType.Gga && FixQuality >= 1 && FixQuality <= 5;
            }
        }

        /// <summary>Gets the second of the UTC day, 0–86400 (86400 is 23:59:60).</summary>
        public int SecondOfDay
        {
            get { return (Hour * 3600) + (Minute * 60) + Second; }
        }

        /// <summary>Gets the date as days since 1970-01-01; meaningful only when <see cref="HasDate"/>.</summary>
        public long DayNumber
        {
            get { return UtcCalendar.DaysFromCivil(Year, Month, Day); }
        }

        internal void Clear()
        {
            Type = NmeaSentenceType.None;
            Talker = NmeaTalker.Unknown;
            HasTime = false;
            Hour = 0;
            Minute = 0;
            Second = 0;
            SubsecondMicros = 0;
            FractionDigits = 0;
            HasDate = false;
            Year = 0;
            Month = 0;
            Day = 0;
            Status = (char)0;
            Mode = (char)0;
            FixQuality = NotGiven;
            Satellites = NotGiven;
        }
    }
}
