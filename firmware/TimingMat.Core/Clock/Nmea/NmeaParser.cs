namespace TimingMat.Core.Clock.Nmea
{
    /// <summary>
    /// Reads NMEA 0183 from a GPS byte stream, one byte at a time: frames <c>$…*hh</c> sentences, checks the
    /// checksum, the talker and the fields of RMC, GGA and ZDA, and counts every line it rejects by reason.
    /// </summary>
    /// <remarks>
    /// Allocation-free: a fixed 130-character line buffer and one reused <see cref="NmeaSentence"/>. Nothing a
    /// receiver (or a loose wire, or a wrong baud rate) sends makes it throw: bad input only moves a counter, and
    /// the next <c>$</c> always starts a clean sentence, so the parser resynchronises by itself.
    /// </remarks>
    public sealed class NmeaParser
    {
        /// <summary>
        /// Longest sentence accepted, counting <c>$</c> and the CR LF: 130, as gpsd allows. NMEA 0183 says 82, but real
        /// receivers send more: a GGA with DGPS fields is 84 characters, u-blox high-precision NMEA 89, RTK receivers
        /// 87–93. Longer lines are still two sentences run together after a lost line end.
        /// </summary>
        public const int MaxSentenceLength = 130;

        // Characters between '$' and CR LF.
        private const int MaxBody = MaxSentenceLength - 3;

        // RMC (13 fields in NMEA 4.1) is the widest sentence decoded; room for a few receiver extras.
        private const int MaxFields = 24;

        private readonly byte[] _body = new byte[MaxBody];
        private readonly int[] _fieldStart = new int[MaxFields];
        private readonly int[] _fieldLength = new int[MaxFields];
        private readonly int[] _counts = new int[10];
        private int _length;
        private int _fieldCount;
        private int _latitude;
        private int _longitude;
        private bool _inSentence;
        private bool _overLong;
        private bool _corrupt;
        private bool _garbage;

        /// <summary>Initializes a new instance of the <see cref="NmeaParser"/> class.</summary>
        public NmeaParser()
        {
            Sentence = new NmeaSentence();
            Sentence.Clear();
        }

        /// <summary>Gets the last accepted sentence (reused: valid until the next accepted one).</summary>
        public NmeaSentence Sentence { get; private set; }

        /// <summary>Gets a value indicating whether a GGA or RMC with a valid fix has given a position since the parser was created.</summary>
        public bool HasPosition { get; private set; }

        /// <summary>Gets the last fixed latitude in millionths of a degree, north positive (from GGA or RMC).</summary>
        public int LatitudeMicrodegrees { get; private set; }

        /// <summary>Gets the last fixed longitude in millionths of a degree, east positive (from GGA or RMC).</summary>
        public int LongitudeMicrodegrees { get; private set; }

        /// <summary>Gets the last fixed altitude above mean sea level in decimetres (from GGA only; RMC has none).</summary>
        public int AltitudeDecimetres { get; private set; }

        /// <summary>Gets the number of lines that ended, whatever their outcome (empty lines are not counted).</summary>
        public int Lines { get; private set; }

        /// <summary>Gets the number of accepted RMC, GGA and ZDA sentences.</summary>
        public int Accepted
        {
            get { return _counts[(int)NmeaLineResult.Accepted]; }
        }

        /// <summary>Gets the number of lines rejected for any reason (everything but accepted and unsupported).</summary>
        public int Rejected
        {
            get { return Lines - Accepted - _counts[(int)NmeaLineResult.Unsupported]; }
        }

        /// <summary>Gets how many lines ended with an outcome.</summary>
        /// <param name="result">The outcome, e.g. <see cref="NmeaLineResult.BadChecksum"/>.</param>
        /// <returns>The count since the parser was created or <see cref="ResetCounts"/> was called.</returns>
        public int CountOf(NmeaLineResult result)
        {
            int index = (int)result;
            return index > 0 && index < _counts.Length ? _counts[index] : 0;
        }

        /// <summary>Sets every counter back to zero (the bring-up screen shows counts per interval).</summary>
        public void ResetCounts()
        {
            for (int i = 0; i < _counts.Length; i++)
            {
                _counts[i] = 0;
            }

            Lines = 0;
        }

        /// <summary>Feeds one received byte.</summary>
        /// <param name="value">The byte.</param>
        /// <returns>
        /// <see cref="NmeaLineResult.None"/> while no line ended; otherwise the outcome of the line that ended
        /// (<see cref="NmeaLineResult.Accepted"/>: read <see cref="Sentence"/> now).
        /// </returns>
        public NmeaLineResult Push(byte value)
        {
            if (value == (byte)'$')
            {
                // A new sentence always starts clean: this is how the parser resynchronises after any damage.
                NmeaLineResult ended = NmeaLineResult.None;
                if (_inSentence)
                {
                    ended = Count(EndWithoutLineEnd());
                }
                else if (_garbage)
                {
                    ended = Count(NmeaLineResult.Garbage);
                }

                _inSentence = true;
                _garbage = false;
                _overLong = false;
                _corrupt = false;
                _length = 0;
                return ended;
            }

            if (value == (byte)'\r' || value == (byte)'\n')
            {
                if (_inSentence)
                {
                    _inSentence = false;
                    if (_overLong)
                    {
                        return Count(NmeaLineResult.OverLong);
                    }

                    return Count(_corrupt ? NmeaLineResult.Garbage : Validate());
                }

                if (_garbage)
                {
                    _garbage = false;
                    return Count(NmeaLineResult.Garbage);
                }

                return NmeaLineResult.None;
            }

            if (!_inSentence)
            {
                _garbage = true;
                return NmeaLineResult.None;
            }

            if (value < 0x20 || value > 0x7E)
            {
                _corrupt = true;
            }
            else if (_length >= MaxBody)
            {
                _overLong = true;
            }
            else
            {
                _body[_length] = value;
                _length++;
            }

            return NmeaLineResult.None;
        }

        /// <summary>
        /// Feeds received bytes up to the end of the next line: the chunk form of <see cref="Push(byte)"/>, with the same
        /// outcomes, for a UART read (a call per byte is the costliest part of parsing on the device's interpreter).
        /// </summary>
        /// <param name="data">Source buffer.</param>
        /// <param name="offset">Index of the next byte to feed; advanced past the bytes consumed.</param>
        /// <param name="end">Index just past the last byte to feed.</param>
        /// <returns>The outcome of the line that ended (read <see cref="Sentence"/> now when accepted), or
        /// <see cref="NmeaLineResult.None"/> when every byte was consumed without a line ending.</returns>
        public NmeaLineResult Push(byte[] data, ref int offset, int end)
        {
            byte[] body = _body;
            int length = _length;
            int i = offset;
            bool inSentence = _inSentence;
            while (i < end)
            {
                byte value = data[i++];

                // The common case, a printable character inside a sentence: straight into the line buffer.
                if (inSentence && value >= 0x20 && value <= 0x7E && value != (byte)'$' && length < MaxBody)
                {
                    body[length++] = value;
                    continue;
                }

                _length = length;
                NmeaLineResult result = Push(value);
                length = _length;
                inSentence = _inSentence;
                if (result != NmeaLineResult.None)
                {
                    offset = i;
                    return result;
                }
            }

            _length = length;
            offset = i;
            return NmeaLineResult.None;
        }

        /// <summary>Ends the input (end of a log file): a sentence still open is judged as it stands.</summary>
        /// <returns>The outcome of the open line, or <see cref="NmeaLineResult.None"/> when none was open.</returns>
        public NmeaLineResult Flush()
        {
            if (_inSentence)
            {
                _inSentence = false;
                return Count(EndWithoutLineEnd());
            }

            if (_garbage)
            {
                _garbage = false;
                return Count(NmeaLineResult.Garbage);
            }

            return NmeaLineResult.None;
        }

        private static int Hex(byte c)
        {
            if (c >= (byte)'0' && c <= (byte)'9')
            {
                return c - '0';
            }

            if (c >= (byte)'A' && c <= (byte)'F')
            {
                return c - 'A' + 10;
            }

            // NMEA says upper case; some receivers print lower case and mean the same checksum.
            if (c >= (byte)'a' && c <= (byte)'f')
            {
                return c - 'a' + 10;
            }

            return -1;
        }

        private static NmeaTalker TalkerOf(byte first, byte second)
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

        private NmeaLineResult Count(NmeaLineResult result)
        {
            Lines++;
            _counts[(int)result]++;
            return result;
        }

        private NmeaLineResult EndWithoutLineEnd()
        {
            // A sentence whose checksum is complete only lost its CR LF: judge it. Anything shorter was cut off.
            if (_overLong)
            {
                return NmeaLineResult.OverLong;
            }

            if (_corrupt)
            {
                return NmeaLineResult.Garbage;
            }

            return _length >= 3 && _body[_length - 3] == (byte)'*' ? Validate() : NmeaLineResult.Truncated;
        }

        private NmeaLineResult Validate()
        {
            // One pass up to the '*': the checksum and the fields between the commas together.
            byte[] body = _body;
            int length = _length;
            int[] fieldStart = _fieldStart;
            int[] fieldLength = _fieldLength;
            int star = -1;
            int sum = 0;
            int fields = 0;
            int start = 0;
            for (int i = 0; i < length; i++)
            {
                byte c = body[i];
                if (c == (byte)'*')
                {
                    star = i;
                    break;
                }

                sum ^= c;
                if (c == (byte)',')
                {
                    if (fields < MaxFields)
                    {
                        fieldStart[fields] = start;
                        fieldLength[fields] = i - start;
                    }

                    fields++;
                    start = i + 1;
                }
            }

            if (star < 0)
            {
                return NmeaLineResult.NoChecksum;
            }

            int after = _length - star - 1;
            if (after < 2)
            {
                return NmeaLineResult.Truncated;
            }

            int high = Hex(_body[star + 1]);
            int low = Hex(_body[star + 2]);
            if (after > 2 || high < 0 || low < 0)
            {
                return NmeaLineResult.BadChecksum;
            }

            if (sum != (high << 4) + low)
            {
                return NmeaLineResult.BadChecksum;
            }

            // The last field ends at the '*'.
            if (fields < MaxFields)
            {
                fieldStart[fields] = start;
                fieldLength[fields] = star - start;
            }

            _fieldCount = fields + 1;
            if (_fieldLength[0] != 5 || _body[0] == (byte)'P')
            {
                // Proprietary ($PUBX, $PMTK) or non-standard addresses are valid NMEA the clock has no use for.
                return NmeaLineResult.Unsupported;
            }

            NmeaSentenceType type = TypeOf();
            if (type == NmeaSentenceType.None)
            {
                return NmeaLineResult.Unsupported;
            }

            NmeaTalker talker = TalkerOf(_body[0], _body[1]);
            if (talker == NmeaTalker.Unknown)
            {
                return NmeaLineResult.UnknownTalker;
            }

            NmeaSentence s = Sentence;
            s.Clear();
            s.Type = type;
            s.Talker = talker;
            bool ok;
            if (type == NmeaSentenceType.Rmc)
            {
                ok = DecodeRmc(s);
            }
            else if (type == NmeaSentenceType.Gga)
            {
                ok = DecodeGga(s);
            }
            else
            {
                ok = DecodeZda(s);
            }

            if (!ok)
            {
                s.Clear();
                return NmeaLineResult.BadField;
            }

            if (type != NmeaSentenceType.Zda && s.HasFix)
            {
                UpdatePosition(type);
            }

            return NmeaLineResult.Accepted;
        }

        private NmeaSentenceType TypeOf()
        {
            byte a = _body[2];
            byte b = _body[3];
            byte c = _body[4];
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

        private bool DecodeRmc(NmeaSentence s)
        {
            // $--RMC,time,status,lat,N,lon,E,sog,cog,ddmmyy,magvar,E[,mode[,navstatus]]
            if (_fieldCount < 10 || _fieldCount > MaxFields || !DecodeTime(1, s))
            {
                return false;
            }

            if (_fieldLength[2] != 1 || (_body[_fieldStart[2]] != (byte)'A' && _body[_fieldStart[2]] != (byte)'V'))
            {
                return false;
            }

            s.Status = (char)_body[_fieldStart[2]];
            int date = _fieldStart[9];
            if (_fieldLength[9] != 0)
            {
                int day = Digits(date, 2);
                int month = Digits(date + 2, 2);
                int year = Digits(date + 4, 2);
                if (_fieldLength[9] != 6 || year < 0)
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

            if (_fieldCount > 12 && _fieldLength[12] != 0)
            {
                byte mode = _body[_fieldStart[12]];
                if (_fieldLength[12] != 1 || mode < (byte)'A' || mode > (byte)'Z')
                {
                    return false;
                }

                s.Mode = (char)mode;
            }

            return true;
        }

        private bool DecodeGga(NmeaSentence s)
        {
            // $--GGA,time,lat,N,lon,E,quality,sats,hdop,alt,M,sep,M,age,station
            if (_fieldCount < 8 || _fieldCount > MaxFields || !DecodeTime(1, s))
            {
                return false;
            }

            // Some receivers leave the quality empty (before a fix, or always): the time is still good, the fix unknown.
            if (_fieldLength[6] > 1)
            {
                return false;
            }

            if (_fieldLength[6] == 1)
            {
                int quality = Digits(_fieldStart[6], 1);
                if (quality < 0 || quality > 8)
                {
                    return false;
                }

                s.FixQuality = quality;
            }
            if (_fieldLength[7] != 0)
            {
                if (_fieldLength[7] > 2)
                {
                    return false;
                }

                int sats = Digits(_fieldStart[7], _fieldLength[7]);
                if (sats < 0)
                {
                    return false;
                }

                s.Satellites = sats;
            }

            return true;
        }

        private bool DecodeZda(NmeaSentence s)
        {
            // $--ZDA,time,dd,mm,yyyy,zh,zm
            if (_fieldCount < 5 || _fieldCount > MaxFields || !DecodeTime(1, s))
            {
                return false;
            }

            int emptyDateFields = 0;
            for (int f = 2; f <= 4; f++)
            {
                if (_fieldLength[f] == 0)
                {
                    emptyDateFields++;
                }
            }

            if (emptyDateFields == 0)
            {
                int day = _fieldLength[2] <= 2 ? Digits(_fieldStart[2], _fieldLength[2]) : -1;
                int month = _fieldLength[3] <= 2 ? Digits(_fieldStart[3], _fieldLength[3]) : -1;
                int year = _fieldLength[4] == 4 ? Digits(_fieldStart[4], 4) : -1;
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

            for (int f = 5; f <= 6 && f < _fieldCount; f++)
            {
                if (_fieldLength[f] != 0 && !IsZone(_fieldStart[f], _fieldLength[f]))
                {
                    return false;
                }
            }

            return true;
        }

        private bool DecodeTime(int field, NmeaSentence s)
        {
            int length = _fieldLength[field];
            if (length == 0)
            {
                // Receivers leave the time empty until their RTC has one: a valid sentence without a time.
                return true;
            }

            int start = _fieldStart[field];
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
                if (_body[start + 6] != (byte)'.' || length == 7)
                {
                    return false;
                }

                int scale = 100000;
                for (int i = start + 7; i < start + length; i++)
                {
                    int d = _body[i] - '0';
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

        private int Digits(int start, int count)
        {
            if (count <= 0 || start + count > _length)
            {
                return -1;
            }

            int value = 0;
            for (int i = start; i < start + count; i++)
            {
                int d = _body[i] - '0';
                if (d < 0 || d > 9)
                {
                    return -1;
                }

                value = (value * 10) + d;
            }

            return value;
        }

        private void UpdatePosition(NmeaSentenceType type)
        {
            // GGA: lat 2, N/S 3, lon 4, E/W 5, altitude 9 (M in 10). RMC: lat 3, N/S 4, lon 5, E/W 6.
            int first = type == NmeaSentenceType.Gga ? 2 : 3;
            if (!Coordinate(first, 2, (byte)'N', (byte)'S') || !Coordinate(first + 2, 3, (byte)'E', (byte)'W'))
            {
                return;
            }

            if (type == NmeaSentenceType.Gga)
            {
                int altitude;
                if (_fieldCount > 9 && Decimetres(9, out altitude))
                {
                    AltitudeDecimetres = altitude;
                }
            }

            LatitudeMicrodegrees = _latitude;
            LongitudeMicrodegrees = _longitude;
            HasPosition = true;
        }

        // ddmm.mmmm / dddmm.mmmm and a hemisphere letter into microdegrees (in _latitude or _longitude).
        private bool Coordinate(int field, int degreeDigits, byte positive, byte negative)
        {
            int start = _fieldStart[field];
            int length = _fieldLength[field];
            if (length < degreeDigits + 2 || _fieldLength[field + 1] != 1)
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
                if (_body[i] != (byte)'.')
                {
                    return false;
                }

                for (i++; i < start + length; i++)
                {
                    int d = _body[i] - '0';
                    if (d < 0 || d > 9)
                    {
                        return false;
                    }

                    fraction += d * scale;
                    scale /= 10;
                }
            }

            long micro = (degrees * 1000000L) + ((((minutes * 1000000L) + fraction) + 30) / 60);
            byte hemisphere = _body[_fieldStart[field + 1]];
            if (hemisphere == negative)
            {
                micro = -micro;
            }
            else if (hemisphere != positive)
            {
                return false;
            }

            if (micro > (degreeDigits == 2 ? 90000000L : 180000000L) || micro < (degreeDigits == 2 ? -90000000L : -180000000L))
            {
                return false;
            }

            if (degreeDigits == 2)
            {
                _latitude = (int)micro;
            }
            else
            {
                _longitude = (int)micro;
            }

            return true;
        }

        // A number like -19.6 or 1127.7 into tenths (one fraction digit kept, rounded toward zero).
        private bool Decimetres(int field, out int tenths)
        {
            tenths = 0;
            int start = _fieldStart[field];
            int end = start + _fieldLength[field];
            if (end == start)
            {
                return false;
            }

            bool negative = _body[start] == (byte)'-';
            int i = negative ? start + 1 : start;
            long whole = 0;
            int digits = 0;
            for (; i < end && _body[i] != (byte)'.'; i++)
            {
                int d = _body[i] - '0';
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
                    tenth = _body[i + 1] - '0';
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

        private bool IsZone(int start, int length)
        {
            int first = start;
            if (_body[start] == (byte)'-' || _body[start] == (byte)'+')
            {
                first++;
            }

            int value = Digits(first, start + length - first);
            return value >= 0 && value <= 59;
        }
    }
}
