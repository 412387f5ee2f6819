namespace TimingMat.Core.Clock.Nmea
{
    /// <summary>
    /// Reads a checked sentence's address (type and talker) and decodes the three sentences the clock uses: RMC (time, status, date, mode), GGA (time,
    /// fix quality, satellites) and ZDA (time, date, zone). Each refuses the sentence when a field it needs is malformed.
    /// </summary>
    internal static class NmeaSentenceDecoder
    {
        /// <summary>Gives the sentence type from the address's last three letters.</summary>
        /// <param name="body">The sentence body; its address is 5 characters.</param>
        /// <returns>RMC, GGA, ZDA, or <see cref="NmeaSentenceType.None"/> for any other.</returns>
        internal static NmeaSentenceType TypeOf(byte[] body)
        {
            byte a = body[2];
            byte b = body[3];
            byte c = body[4];
            if (a == (byte)'R' && b == (byte)'M' && c == (byte)'C')
            {
                return NmeaSentenceType.Rmc;
            }

            if (a == (byte)'G' && b == (byte)'G' && c == (byte)'A')
            {
                return NmeaSentenceType.Gga;
            }

            return a == (byte)'Z' && b == (byte)'D' && c == (byte)'A' ? NmeaSentenceType.Zda : NmeaSentenceType.None;
        }

        /// <summary>Gives the satellite system from the address's first two letters.</summary>
        /// <param name="first">The first letter.</param>
        /// <param name="second">The second letter.</param>
        /// <returns>The talker, or <see cref="NmeaTalker.Unknown"/>.</returns>
        internal static NmeaTalker TalkerOf(byte first, byte second)
        {
            if (first == (byte)'G')
            {
                if (second == (byte)'P')
                {
                    return NmeaTalker.Gps;
                }

                if (second == (byte)'N')
                {
                    return NmeaTalker.Gnss;
                }

                if (second == (byte)'L')
                {
                    return NmeaTalker.Glonass;
                }

                if (second == (byte)'A')
                {
                    return NmeaTalker.Galileo;
                }

                if (second == (byte)'B')
                {
                    return NmeaTalker.BeiDouGb;
                }
            }

            return first == (byte)'B' && second == (byte)'D' ? NmeaTalker.BeiDou : NmeaTalker.Unknown;
        }

        /// <summary>Decodes <c>$--RMC,time,status,lat,N,lon,E,sog,cog,ddmmyy,magvar,E[,mode[,navstatus]]</c>.</summary>
        /// <param name="f">The sentence's fields.</param>
        /// <param name="s">The sentence to fill (cleared).</param>
        /// <returns><c>false</c> when a field is malformed.</returns>
        internal static bool Rmc(NmeaFields f, NmeaSentence s)
        {
            if (f.Count < 10 || f.Count > NmeaFields.MaxFields || !f.Time(1, s))
            {
                return false;
            }

            if (f.Length[2] != 1 || (f.Body[f.Start[2]] != (byte)'A' && f.Body[f.Start[2]] != (byte)'V'))
            {
                return false;
            }

            s.Status = (char)f.Body[f.Start[2]];
            int date = f.Start[9];
            if (f.Length[9] != 0)
            {
                int day = f.Digits(date, 2);
                int month = f.Digits(date + 2, 2);
                int year = f.Digits(date + 4, 2);
                if (f.Length[9] != 6 || year < 0)
                {
                    return false;
                }

                // Two-digit years: GPS time starts in 1980, so 80–99 are the 1900s (only a receiver's RTC before a fix prints them).
                year += year >= 80 ? 1900 : 2000;
                if (!UtcCalendar.IsValidDate(year, month, day))
                {
                    return false;
                }

                s.HasDate = true;
                s.Year = year;
                s.Month = month;
                s.Day = day;
            }

            if (f.Count > 12 && f.Length[12] != 0)
            {
                byte mode = f.Body[f.Start[12]];
                if (f.Length[12] != 1 || mode < (byte)'A' || mode > (byte)'Z')
                {
                    return false;
                }

                s.Mode = (char)mode;
            }

            return true;
        }

        /// <summary>Decodes <c>$--GGA,time,lat,N,lon,E,quality,sats,hdop,alt,M,sep,M,age,station</c>.</summary>
        /// <param name="f">The sentence's fields.</param>
        /// <param name="s">The sentence to fill (cleared).</param>
        /// <returns><c>false</c> when a field is malformed.</returns>
        internal static bool Gga(NmeaFields f, NmeaSentence s)
        {
            if (f.Count < 8 || f.Count > NmeaFields.MaxFields || !f.Time(1, s))
            {
                return false;
            }

            // Some receivers leave the quality empty (before a fix, or always): the time is still good, the fix unknown.
            if (f.Length[6] > 1)
            {
                return false;
            }

            if (f.Length[6] == 1)
            {
                int quality = f.Digits(f.Start[6], 1);
                if (quality < 0 || quality > 8)
                {
                    return false;
                }

                s.FixQuality = quality;
            }

            if (f.Length[7] != 0)
            {
                if (f.Length[7] > 2)
                {
                    return false;
                }

                int sats = f.Digits(f.Start[7], f.Length[7]);
                if (sats < 0)
                {
                    return false;
                }

                s.Satellites = sats;
            }

            return true;
        }

        /// <summary>Decodes <c>$--ZDA,time,dd,mm,yyyy,zh,zm</c>: the date whole or not at all.</summary>
        /// <param name="f">The sentence's fields.</param>
        /// <param name="s">The sentence to fill (cleared).</param>
        /// <returns><c>false</c> when a field is malformed or the date is half given.</returns>
        internal static bool Zda(NmeaFields f, NmeaSentence s)
        {
            if (f.Count < 5 || f.Count > NmeaFields.MaxFields || !f.Time(1, s))
            {
                return false;
            }

            int emptyDateFields = 0;
            for (int i = 2; i <= 4; i++)
            {
                if (f.Length[i] == 0)
                {
                    emptyDateFields++;
                }
            }

            if (emptyDateFields == 0)
            {
                int day = f.Length[2] <= 2 ? f.Digits(f.Start[2], f.Length[2]) : -1;
                int month = f.Length[3] <= 2 ? f.Digits(f.Start[3], f.Length[3]) : -1;
                int year = f.Length[4] == 4 ? f.Digits(f.Start[4], 4) : -1;
                if (year < 0 || !UtcCalendar.IsValidDate(year, month, day))
                {
                    return false;
                }

                s.HasDate = true;
                s.Year = year;
                s.Month = month;
                s.Day = day;
            }
            else if (emptyDateFields != 3)
            {
                // Half a date is a damaged sentence, not a receiver that does not know the date yet.
                return false;
            }

            for (int i = 5; i <= 6 && i < f.Count; i++)
            {
                if (f.Length[i] != 0 && !f.IsZone(f.Start[i], f.Length[i]))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
