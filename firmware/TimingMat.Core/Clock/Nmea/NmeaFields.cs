namespace TimingMat.Core.Clock.Nmea
{
    /// <summary>
    /// The body of the sentence being read (between <c>$</c> and the line end) and its comma-separated field table,
    /// with readers for the field formats NMEA uses: fixed digits, <c>hhmmss.ss</c>, <c>ddmm.mmmm</c> with a
    /// hemisphere letter, signed numbers with a fraction and zone offsets. Every reader refuses a malformed field instead of throwing.
    /// </summary>
    /// <remarks>The parser fills <see cref="Body"/> byte by byte and the field table in its checksum pass; the arrays are
    /// fields so the sentence decoders read them into locals (a property is a call on the device).</remarks>
    internal sealed class NmeaFields
    {
        /// <summary>RMC (13 fields in NMEA 4.1) is the widest sentence decoded; room for a few receiver extras.</summary>
        internal const int MaxFields = 24;

        /// <summary>The characters between <c>$</c> and CR LF.</summary>
        internal readonly byte[] Body = new byte[NmeaParser.MaxSentenceLength - 3];

        /// <summary>Where each field starts in <see cref="Body"/>.</summary>
        internal readonly int[] Start = new int[MaxFields];

        /// <summary>Each field's length (0 for an empty field).</summary>
        internal readonly int[] Length = new int[MaxFields];

        /// <summary>The characters of the body in use.</summary>
        internal int BodyLength;

        /// <summary>The fields the sentence has (may exceed <see cref="MaxFields"/>: the table then holds the first ones).</summary>
        internal int Count;

        /// <summary>Reads a run of digits 0–9.</summary>
        /// <param name="start">Index in <see cref="Body"/>.</param>
        /// <param name="count">How many digits.</param>
        /// <returns>The value, or -1 when the run is empty, runs past the body or holds a non-digit.</returns>
        internal int Digits(int start, int count)
        {
            if (count <= 0 || start + count > BodyLength)
            {
                return -1;
            }

            int value = 0;
            for (int i = start; i < start + count; i++)
            {
                int d = Body[i] - '0';
                if (d < 0 || d > 9)
                {
                    return -1;
                }

                value = (value * 10) + d;
            }

            return value;
        }

        /// <summary>Reads a UTC time of day <c>hhmmss[.s…]</c> into the sentence; an empty field is a valid sentence without a time.</summary>
        /// <param name="field">The field's index.</param>
        /// <param name="s">The sentence to fill.</param>
        /// <returns><c>false</c> when the field is malformed.</returns>
        internal bool Time(int field, NmeaSentence s)
        {
            int length = Length[field];
            if (length == 0)
            {
                // Receivers leave the time empty until their RTC has one: a valid sentence without a time.
                return true;
            }

            int start = Start[field];
            int hour = Digits(start, 2);
            int minute = Digits(start + 2, 2);
            int second = Digits(start + 4, 2);
            if (length < 6 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
            {
                return false;
            }

            if (second == 60 && (hour != 23 || minute != 59))
            {
                // UTC inserts leap seconds only as 23:59:60.
                return false;
            }

            int micros = 0;
            int digits = 0;
            if (length > 6)
            {
                if (Body[start + 6] != (byte)'.' || length == 7)
                {
                    return false;
                }

                int scale = 100000;
                for (int i = start + 7; i < start + length; i++)
                {
                    int d = Body[i] - '0';
                    if (d < 0 || d > 9)
                    {
                        return false;
                    }

                    // Digits beyond the µs are below the clock's resolution; they still count as fraction digits.
                    micros += d * scale;
                    scale /= 10;
                    digits++;
                }
            }

            s.HasTime = true;
            s.Hour = hour;
            s.Minute = minute;
            s.Second = second;
            s.SubsecondMicros = micros;
            s.FractionDigits = digits;
            return true;
        }

        /// <summary>Reads <c>ddmm.mmmm</c> / <c>dddmm.mmmm</c> and the hemisphere letter in the next field into microdegrees.</summary>
        /// <param name="field">The coordinate's field.</param>
        /// <param name="degreeDigits">2 for a latitude, 3 for a longitude.</param>
        /// <param name="positive">The hemisphere letter of positive values (N, E).</param>
        /// <param name="negative">The hemisphere letter of negative values (S, W).</param>
        /// <param name="micro">The coordinate in millionths of a degree.</param>
        /// <returns><c>false</c> when either field is malformed or the value out of range.</returns>
        internal bool Coordinate(int field, int degreeDigits, byte positive, byte negative, out int micro)
        {
            micro = 0;
            int start = Start[field];
            int length = Length[field];
            if (length < degreeDigits + 2 || Length[field + 1] != 1)
            {
                return false;
            }

            int degrees = Digits(start, degreeDigits);
            int minutes = Digits(start + degreeDigits, 2);
            if (degrees < 0 || minutes < 0 || minutes > 59)
            {
                return false;
            }

            // Minutes' fraction to 1e-6 minutes: up to six digits, the rest below the resolution.
            long fraction = 0;
            int scale = 100000;
            int i = start + degreeDigits + 2;
            if (i < start + length)
            {
                if (Body[i] != (byte)'.')
                {
                    return false;
                }

                for (i++; i < start + length; i++)
                {
                    int d = Body[i] - '0';
                    if (d < 0 || d > 9)
                    {
                        return false;
                    }

                    fraction += d * scale;
                    scale /= 10;
                }
            }

            long value = (degrees * 1000000L) + ((((minutes * 1000000L) + fraction) + 30) / 60);
            byte hemisphere = Body[Start[field + 1]];
            if (hemisphere == negative)
            {
                value = -value;
            }
            else if (hemisphere != positive)
            {
                return false;
            }

            long limit = degreeDigits == 2 ? 90000000L : 180000000L;
            if (value > limit || value < -limit)
            {
                return false;
            }

            micro = (int)value;
            return true;
        }

        /// <summary>Reads a number like -19.6 or 1127.7 into tenths (one fraction digit kept, rounded toward zero).</summary>
        /// <param name="field">The field's index.</param>
        /// <param name="tenths">The value in tenths.</param>
        /// <returns><c>false</c> when the field is empty or malformed.</returns>
        internal bool Decimetres(int field, out int tenths)
        {
            tenths = 0;
            int start = Start[field];
            int end = start + Length[field];
            if (end == start)
            {
                return false;
            }

            bool negative = Body[start] == (byte)'-';
            int i = negative ? start + 1 : start;
            long whole = 0;
            int digits = 0;
            for (; i < end && Body[i] != (byte)'.'; i++)
            {
                int d = Body[i] - '0';
                if (d < 0 || d > 9 || digits > 6)
                {
                    return false;
                }

                whole = (whole * 10) + d;
                digits++;
            }

            int tenth = 0;
            if (i < end)
            {
                if (i + 1 < end)
                {
                    tenth = Body[i + 1] - '0';
                    if (tenth < 0 || tenth > 9)
                    {
                        return false;
                    }
                }
            }

            if (digits == 0)
            {
                return false;
            }

            long value = (whole * 10) + tenth;
            tenths = (int)(negative ? -value : value);
            return true;
        }

        /// <summary>Reads a zone offset (hours or minutes, optionally signed).</summary>
        /// <param name="start">Index in <see cref="Body"/>.</param>
        /// <param name="length">The field's length; positive.</param>
        /// <returns><c>true</c> when it is a number 0–59.</returns>
        internal bool IsZone(int start, int length)
        {
            int first = start;
            if (Body[start] == (byte)'-' || Body[start] == (byte)'+')
            {
                first++;
            }

            int value = Digits(first, start + length - first);
            return value >= 0 && value <= 59;
        }
    }
}
