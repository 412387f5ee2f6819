using TimingMat.Core.Clock;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// Reads the values of the unit configuration and of commands: whole and fixed-point numbers, ISO 8601 UTC times,
    /// hex keys, on/off. Each returns <c>false</c> (or a sentinel) for text it cannot read; the caller says what was
    /// expected. No culture, no exceptions, nanoFramework subset.
    /// </summary>
    internal static class ValueText
    {
        /// <summary>Reads a whole number, optionally signed.</summary>
        /// <param name="text">The text.</param>
        /// <param name="value">The number.</param>
        /// <returns><c>false</c> for anything but 1–18 digits with an optional sign.</returns>
        public static bool TryParseLong(string text, out long value)
        {
            long scaled;
            bool ok = TryParseFixed(text, 0, out scaled);
            value = scaled;
            return ok;
        }

        /// <summary>Reads a number with a fraction, with at most <paramref name="decimals"/> digits after the point, scaled.</summary>
        /// <param name="text">The text, e.g. <c>26.5</c>.</param>
        /// <param name="decimals">Digits after the point allowed, 0–6.</param>
        /// <param name="scaled">The value times 10^<paramref name="decimals"/>, e.g. 2650 for (26.5, 2).</param>
        /// <returns><c>false</c> for anything else (more decimals, no digits, exponents, spaces).</returns>
        public static bool TryParseFixed(string text, int decimals, out long scaled)
        {
            scaled = 0;
            if (text == null || text.Length == 0 || text.Length > 24)
            {
                return false;
            }

            int i = 0;
            bool negative = text[0] == '-';
            if (negative || text[0] == '+')
            {
                i = 1;
            }

            int digits = 0;
            int fraction = -1;
            long value = 0;
            for (; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '.' && fraction < 0)
                {
                    fraction = 0;
                    continue;
                }

                if (c < '0' || c > '9' || digits >= 18)
                {
                    return false;
                }

                if (fraction >= 0)
                {
                    if (fraction == decimals)
                    {
                        return false;
                    }

                    fraction++;
                }

                value = (value * 10) + (c - '0');
                digits++;
            }

            if (digits == 0 || fraction == 0)
            {
                return false;
            }

            for (int f = fraction < 0 ? 0 : fraction; f < decimals; f++)
            {
                value *= 10;
            }

            scaled = negative ? -value : value;
            return true;
        }

        /// <summary>
        /// Reads an ISO 8601 time with a zone: <c>2026-10-04T06:30:00Z</c>, with optional fractional seconds (up to
        /// 6 digits) and a <c>Z</c> or <c>±hh:mm</c> offset. A time without a zone is refused: it would arm a mat hours off.
        /// </summary>
        /// <param name="text">The text.</param>
        /// <param name="utcMicros">UTC µs since 1970.</param>
        /// <returns><c>false</c> when the text is not such a time or names a day that does not exist.</returns>
        public static bool TryParseUtc(string text, out long utcMicros)
        {
            utcMicros = 0;
            if (text == null || text.Length < 20 || text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' || text[16] != ':')
            {
                return false;
            }

            int year = Digits(text, 0, 4);
            int month = Digits(text, 5, 2);
            int day = Digits(text, 8, 2);
            int hour = Digits(text, 11, 2);
            int minute = Digits(text, 14, 2);
            int second = Digits(text, 17, 2);
            if (year < 1970 || !UtcCalendar.IsValidDate(year, month, day) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
            {
                return false;
            }

            int i = 19;
            long micros = 0;
            if (text[i] == '.')
            {
                i++;
                int start = i;
                long scale = 100000;
                while (i < text.Length && text[i] >= '0' && text[i] <= '9')
                {
                    if (i - start >= 6)
                    {
                        return false;
                    }

                    micros += (text[i] - '0') * scale;
                    scale /= 10;
                    i++;
                }

                if (i == start)
                {
                    return false;
                }
            }

            long offsetMinutes;
            if (i == text.Length - 1 && (text[i] == 'Z' || text[i] == 'z'))
            {
                offsetMinutes = 0;
            }
            else if (i == text.Length - 6 && (text[i] == '+' || text[i] == '-') && text[i + 3] == ':')
            {
                int hours = Digits(text, i + 1, 2);
                int minutes = Digits(text, i + 4, 2);
                if (hours < 0 || hours > 14 || minutes < 0 || minutes > 59)
                {
                    return false;
                }

                offsetMinutes = (hours * 60) + minutes;
                if (text[i] == '-')
                {
                    offsetMinutes = -offsetMinutes;
                }
            }
            else
            {
                return false;
            }

            long seconds = (UtcCalendar.DaysFromCivil(year, month, day) * UtcCalendar.SecondsPerDay) + (hour * 3600) + (minute * 60) + second - (offsetMinutes * 60);
            utcMicros = (seconds * UtcCalendar.MicrosPerSecond) + micros;
            return true;
        }

        /// <summary>Reads hex digits (either case) into bytes.</summary>
        /// <param name="text">An even number of hex digits.</param>
        /// <returns>The bytes, or <c>null</c> when the text is not that.</returns>
        public static byte[] ParseHex(string text)
        {
            if (text == null || text.Length == 0 || (text.Length & 1) != 0)
            {
                return null;
            }

            byte[] bytes = new byte[text.Length / 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                int high = HexDigit(text[2 * i]);
                int low = HexDigit(text[(2 * i) + 1]);
                if (high < 0 || low < 0)
                {
                    return null;
                }

                bytes[i] = (byte)((high << 4) | low);
            }

            return bytes;
        }

        /// <summary>Gets the value of a hex digit.</summary>
        /// <param name="c">The character.</param>
        /// <returns>0–15, or -1.</returns>
        public static int HexDigit(int c)
        {
            if (c >= '0' && c <= '9')
            {
                return c - '0';
            }

            if (c >= 'a' && c <= 'f')
            {
                return c - 'a' + 10;
            }

            if (c >= 'A' && c <= 'F')
            {
                return c - 'A' + 10;
            }

            return -1;
        }

        /// <summary>Reads <c>on</c>/<c>off</c> (also <c>true</c>/<c>false</c>, <c>yes</c>/<c>no</c>, <c>1</c>/<c>0</c>), any case.</summary>
        /// <param name="text">The text.</param>
        /// <param name="value">The switch.</param>
        /// <returns><c>false</c> for anything else.</returns>
        public static bool TryParseSwitch(string text, out bool value)
        {
            string t = text == null ? string.Empty : text.ToLower();
            value = t == "on" || t == "true" || t == "yes" || t == "1";
            return value || t == "off" || t == "false" || t == "no" || t == "0";
        }

        /// <summary>Tells whether a name uses only letters, digits, '.', '-' and '_' (ids and names that go into topics and files).</summary>
        /// <param name="text">The text.</param>
        /// <param name="maxLength">Longest allowed.</param>
        /// <returns><c>true</c> when it is such a name, 1 to <paramref name="maxLength"/> characters.</returns>
        public static bool IsName(string text, int maxLength)
        {
            if (text == null || text.Length == 0 || text.Length > maxLength)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        private static int Digits(string text, int start, int count)
        {
            int value = 0;
            for (int i = start; i < start + count; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                value = (value * 10) + (c - '0');
            }

            return value;
        }
    }
}
