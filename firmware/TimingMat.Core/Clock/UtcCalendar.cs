namespace TimingMat.Core.Clock
{
    /// <summary>
    /// Proleptic Gregorian calendar maths on whole days since 1970-01-01, in integers: the GPS gives a date and a
    /// time of day, the mat clock keeps UTC as µs since 1970 (no <c>DateTime</c> on the device's hot path).
    /// </summary>
    public static class UtcCalendar
    {
        /// <summary>Microseconds in one second.</summary>
        public const long MicrosPerSecond = 1000000;

        /// <summary>Seconds in one (non-leap-second) UTC day.</summary>
        public const long SecondsPerDay = 86400;

        /// <summary>Tells whether a year of the Gregorian calendar has 29 February.</summary>
        /// <param name="year">The year, e.g. 2028.</param>
        /// <returns><c>true</c> for a leap year.</returns>
        public static bool IsLeapYear(int year)
        {
            return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        }

        /// <summary>Gives the number of days of a month.</summary>
        /// <param name="year">The year.</param>
        /// <param name="month">The month, 1–12.</param>
        /// <returns>28–31, or 0 when <paramref name="month"/> is out of range.</returns>
        public static int DaysInMonth(int year, int month)
        {
            if (month < 1 || month > 12)
            {
                return 0;
            }

            if (month == 2)
            {
                return IsLeapYear(year) ? 29 : 28;
            }

            return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        }

        /// <summary>Tells whether a year, month and day form a real date.</summary>
        /// <param name="year">The year.</param>
        /// <param name="month">The month, 1–12.</param>
        /// <param name="day">The day of the month.</param>
        /// <returns><c>true</c> when the date exists.</returns>
        public static bool IsValidDate(int year, int month, int day)
        {
            return day >= 1 && day <= DaysInMonth(year, month);
        }

        /// <summary>Converts a date to days since 1970-01-01 (negative before).</summary>
        /// <param name="year">The year.</param>
        /// <param name="month">The month, 1–12.</param>
        /// <param name="day">The day of the month.</param>
        /// <returns>The day number; 1970-01-01 is 0.</returns>
        public static long DaysFromCivil(int year, int month, int day)
        {
            // Counting years from March puts the leap day last, so each 400-year era has the same day layout.
            long y = month <= 2 ? year - 1 : year;
            long era = (y >= 0 ? y : y - 399) / 400;
            long yearOfEra = y - (era * 400);
            long monthFromMarch = month > 2 ? month - 3 : month + 9;
            long dayOfYear = (((153 * monthFromMarch) + 2) / 5) + day - 1;
            long dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
            return (era * 146097) + dayOfEra - 719468;
        }

        /// <summary>Converts days since 1970-01-01 back to a date.</summary>
        /// <param name="days">The day number; 1970-01-01 is 0.</param>
        /// <param name="year">The year.</param>
        /// <param name="month">The month, 1–12.</param>
        /// <param name="day">The day of the month.</param>
        public static void CivilFromDays(long days, out int year, out int month, out int day)
        {
            long z = days + 719468;
            long era = (z >= 0 ? z : z - 146096) / 146097;
            long dayOfEra = z - (era * 146097);
            long yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36524) - (dayOfEra / 146096)) / 365;
            long dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
            long monthFromMarch = ((5 * dayOfYear) + 2) / 153;
            day = (int)(dayOfYear - (((153 * monthFromMarch) + 2) / 5) + 1);
            month = (int)(monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
            year = (int)((yearOfEra + (era * 400)) + (month <= 2 ? 1 : 0));
        }

        /// <summary>
        /// Tells whether a UTC day may start right after an inserted leap second: leap seconds are scheduled at the
        /// end of June and December (IERS), so only 1 January and 1 July qualify.
        /// </summary>
        /// <param name="days">The day number; 1970-01-01 is 0.</param>
        /// <returns><c>true</c> for 1 January and 1 July.</returns>
        public static bool MayFollowLeapSecond(long days)
        {
            int year;
            int month;
            int day;
            CivilFromDays(days, out year, out month, out day);
            return day == 1 && (month == 1 || month == 7);
        }
    }
}
