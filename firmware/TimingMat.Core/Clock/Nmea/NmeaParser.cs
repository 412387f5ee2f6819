// A little over 400 lines: the per-byte framing and checksum stay in one type so the GPS UART's bytes reach them as
// fields; the field readers (NmeaFields) and the sentence decoding (NmeaSentenceDecoder) are their own types.
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
    /// <para>This class frames lines and checks them; <see cref="NmeaFields"/> reads the field formats and
    /// <see cref="NmeaSentenceDecoder"/> decodes RMC, GGA and ZDA.</para>
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

        private const int MaxFields = NmeaFields.MaxFields;

        private readonly NmeaFields _fields = new NmeaFields();

        // The fields' body buffer, filled here byte by byte (the per-byte path reads no further than this class).
        private readonly byte[] _body;

        // The fields' table, filled by the checksum pass of every line (held here as the body is).
        private readonly int[] _fieldStart;
        private readonly int[] _fieldLength;
        private readonly int[] _counts = new int[10];
        private int _length;
        private bool _inSentence;
        private bool _overLong;
        private bool _corrupt;
        private bool _garbage;

        // The last GGA gave the position: the RMC after it need not read it again.
        private bool _ggaPosition;

        /// <summary>Initializes a new instance of the <see cref="NmeaParser"/> class.</summary>
        public NmeaParser()
        {
            _body = _fields.Body;
            _fieldStart = _fields.Start;
            _fieldLength = _fields.Length;
            Sentence = new NmeaSentence();
            Sentence.Clear();
        }

        /// <summary>Gets the last accepted sentence (reused: valid until the next accepted one).</summary>
        public NmeaSentence Sentence { get; private set; }

        /// <summary>Gets a value indicating whether a GGA or RMC with a valid fix has given a position since the parser was created.</summary>
        public bool HasPosition { get; private set; }

        /// <summary>Gets the last fixed latitude in millionths of a degree, north positive (from GGA, or RMC when no GGA came since the last RMC).</summary>
        public int LatitudeMicrodegrees { get; private set; }

        /// <summary>Gets the last fixed longitude in millionths of a degree, east positive (from GGA, or RMC when no GGA came since the last RMC).</summary>
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
                if (inSentence)
                {
                    // The common case, printable characters inside a sentence: straight into the line buffer, up to
                    // where it would be full (so the length needs no test per byte; ~27 IL a byte instead of ~34).
                    int stop = end;
                    if (stop - i > MaxBody - length)
                    {
                        stop = i + MaxBody - length;
                    }

                    while (i < stop)
                    {
                        byte c = data[i];
                        if (c == (byte)'$' || (uint)(c - 0x20) > 0x5E)
                        {
                            break;
                        }

                        body[length] = c;
                        length++;
                        i++;
                    }

                    if (i == end)
                    {
                        break;
                    }
                }

                // '$', a line end, a byte outside a sentence, a control or 8-bit byte, or a full line buffer.
                byte value = data[i++];
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

        // GSV, GSA, VTG, GLL and TXT: what receivers send beside RMC, GGA and ZDA (and proprietary $P... sentences).
        private static bool Unused(byte[] body)
        {
            byte a = body[2];
            byte b = body[3];
            byte c = body[4];
            if (a == (byte)'G')
            {
                return (b == (byte)'S' && (c == (byte)'V' || c == (byte)'A')) || (b == (byte)'L' && c == (byte)'L');
            }

            return (a == (byte)'V' && b == (byte)'T' && c == (byte)'G') || (a == (byte)'T' && b == (byte)'X' && c == (byte)'T');
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
            byte[] body = _body;
            int length = _length;
            if (length > 5 && (body[0] == (byte)'P' || (body[5] == (byte)',' && Unused(body))))
            {
                // A complete address the clock has no use for: judged by the address alone, before the checksum pass
                // (a u-blox's default output is ~70 % such bytes). Named ones only, so that a damaged RMC, GGA or ZDA
                // address (no single flipped bit makes one of these) still counts as rejected by its checksum.
                return NmeaLineResult.Unsupported;
            }

            // One pass up to the '*': the checksum and the fields between the commas together.
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

            if (fieldLength[0] != 5 || body[0] == (byte)'P')
            {
                // Proprietary ($PUBX, $PMTK) or non-standard addresses are valid NMEA the clock has no use for.
                return NmeaLineResult.Unsupported;
            }

            NmeaSentenceType type = NmeaSentenceDecoder.TypeOf(body);
            if (type == NmeaSentenceType.None)
            {
                return NmeaLineResult.Unsupported;
            }

            NmeaTalker talker = NmeaSentenceDecoder.TalkerOf(body[0], body[1]);
            if (talker == NmeaTalker.Unknown)
            {
                return NmeaLineResult.UnknownTalker;
            }

            // Only a sentence decoded reads the field count and the body's length.
            NmeaFields f = _fields;
            f.Count = fields + 1;
            f.BodyLength = length;
            NmeaSentence s = Sentence;
            s.Clear();
            s.Type = type;
            s.Talker = talker;
            bool ok;
            if (type == NmeaSentenceType.Rmc)
            {
                ok = NmeaSentenceDecoder.Rmc(f, s);
            }
            else if (type == NmeaSentenceType.Gga)
            {
                ok = NmeaSentenceDecoder.Gga(f, s);
            }
            else
            {
                ok = NmeaSentenceDecoder.Zda(f, s);
            }

            if (!ok)
            {
                s.Clear();
                return NmeaLineResult.BadField;
            }

            if (type == NmeaSentenceType.Gga)
            {
                _ggaPosition = s.HasFix && UpdatePosition(type);
            }
            else if (type == NmeaSentenceType.Rmc)
            {
                // A receiver that sends GGA gives the position (with its altitude) there: reading it from RMC as well
                // would parse the same coordinates twice a second. An RMC after an RMC with no GGA between reads it.
                if (!_ggaPosition && s.HasFix)
                {
                    UpdatePosition(type);
                }

                _ggaPosition = false;
            }

            return NmeaLineResult.Accepted;
        }

        private bool UpdatePosition(NmeaSentenceType type)
        {
            // GGA: lat 2, N/S 3, lon 4, E/W 5, altitude 9 (M in 10). RMC: lat 3, N/S 4, lon 5, E/W 6.
            NmeaFields f = _fields;
            int first = type == NmeaSentenceType.Gga ? 2 : 3;
            int latitude;
            int longitude;
            if (!f.Coordinate(first, 2, (byte)'N', (byte)'S', out latitude) || !f.Coordinate(first + 2, 3, (byte)'E', (byte)'W', out longitude))
            {
                return false;
            }

            if (type == NmeaSentenceType.Gga)
            {
                int altitude;
                if (f.Count > 9 && f.Decimetres(9, out altitude))
                {
                    AltitudeDecimetres = altitude;
                }
            }

            LatitudeMicrodegrees = latitude;
            LongitudeMicrodegrees = longitude;
            HasPosition = true;
            return true;
        }
    }
}
