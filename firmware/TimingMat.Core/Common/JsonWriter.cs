// Kept whole (~650 lines): each value kind's write and its tape record sit side by side in one method, and Play replays
// the tape through those same methods; what could leave (the tape's three arrays, the ISO date) is 40-odd lines each.
namespace TimingMat.Core.Common
{
    /// <summary>
    /// Writes compact JSON as ASCII straight into a preallocated byte buffer: the status report and the human
    /// rendering of batches, with no strings built on the way (nanoFramework has no Utf8JsonWriter, and a
    /// StringBuilder would allocate per status).
    /// </summary>
    /// <remarks>
    /// Commas are placed automatically. Characters outside printable ASCII are written as <c>\u00XX</c> escapes.
    /// When the buffer is too small the writer stops and sets <see cref="Overflow"/>; the output is then invalid.
    /// A writer made with a tape can also record instead of write (<see cref="Record"/>): the values are taken in one
    /// poll, and <see cref="Play"/> formats them a slice a poll, so no single poll of the device loop pays for the whole
    /// text (a status is ~60k IL instructions on the interpreter, ~25 ms).
    /// </remarks>
    public sealed class JsonWriter
    {
        private const int MaxDepth = 16;
        private const string Hex = "0123456789ABCDEF";

        // Tape operations; a fixed-point number keeps its digits after the point in the upper four bits of its kind.
        private const int OpOpen = 1;
        private const int OpClose = 2;
        private const int OpName = 3;
        private const int OpMemberNumber = 4;
        private const int OpMemberString = 5;
        private const int OpMemberBoolean = 6;
        private const int OpString = 7;
        private const int OpNumber = 8;
        private const int OpDecimal = 9;
        private const int OpBoolean = 10;
        private const int OpNull = 11;
        private const int OpTimestamp = 12;

        private readonly byte[] _buffer;
        private readonly bool[] _hasItems = new bool[MaxDepth];
        private readonly byte[] _digits = new byte[20];
        private readonly byte[] _tapeKinds;
        private readonly long[] _tapeValues;
        private readonly string[] _tapeTexts;
        private int _length;
        private int _depth;
        private bool _afterName;
        private bool _overflow;
        private bool _recording;
        private int _tapeCount;
        private int _tapePlayed;

        /// <summary>Initializes a new instance of the <see cref="JsonWriter"/> class that writes at once.</summary>
        /// <param name="capacity">Largest output in bytes.</param>
        public JsonWriter(int capacity)
            : this(capacity, 0)
        {
        }

        /// <summary>Initializes a new instance of the <see cref="JsonWriter"/> class that can also record and play.</summary>
        /// <param name="capacity">Largest output in bytes.</param>
        /// <param name="tapeOperations">Largest recording: one operation per member, value, bracket or name.</param>
        public JsonWriter(int capacity, int tapeOperations)
        {
            _buffer = new byte[capacity];
            _tapeKinds = new byte[tapeOperations];
            _tapeValues = new long[tapeOperations];
            _tapeTexts = new string[tapeOperations];
        }

        /// <summary>Gets the bytes a tape of <paramref name="tapeOperations"/> operations takes on the device.</summary>
        /// <param name="tapeOperations">Operations.</param>
        /// <returns>Bytes: a kind, a value and a text reference per operation.</returns>
        public static int TapeBytes(int tapeOperations)
        {
            return tapeOperations * (1 + 8 + 4);
        }

        /// <summary>Gets the output buffer; the first <see cref="Length"/> bytes are the JSON.</summary>
        public byte[] Buffer
        {
            get { return _buffer; }
        }

        /// <summary>Gets the length of the output.</summary>
        public int Length
        {
            get { return _length; }
        }

        /// <summary>Gets a value indicating whether the output (or the recording) did not fit.</summary>
        public bool Overflow
        {
            get { return _overflow; }
        }

        /// <summary>Gets the operations recorded since <see cref="Record"/>.</summary>
        public int TapeLength
        {
            get { return _tapeCount; }
        }

        /// <summary>Starts again with an empty output and an empty tape; a recording goes on recording.</summary>
        public void Clear()
        {
            _length = 0;
            _depth = 0;
            _afterName = false;
            _overflow = false;
            _hasItems[0] = false;
            _tapeCount = 0;
            _tapePlayed = 0;
        }

        /// <summary>
        /// Clears, then records what is written instead of writing it: numbers and string references are kept as they are
        /// now (a consistent snapshot), the text is made by <see cref="Play"/>. <see cref="HexString"/> cannot be recorded.
        /// </summary>
        public void Record()
        {
            Clear();
            _recording = _tapeKinds.Length > 0;
            _overflow = !_recording;
        }

        /// <summary>Ends the recording and writes the next recorded operations until about <paramref name="bytes"/> more are written.</summary>
        /// <param name="bytes">Output to write in this call; the operation that crosses it is finished.</param>
        /// <returns><c>true</c> when the whole tape is written (the output is then complete, or <see cref="Overflow"/>).</returns>
        public bool Play(int bytes)
        {
            _recording = false;
            int stop = _length + bytes;
            int i = _tapePlayed;
            int count = _tapeCount;
            byte[] kinds = _tapeKinds;
            long[] values = _tapeValues;
            string[] texts = _tapeTexts;
            while (i < count && _length < stop && !_overflow)
            {
                int kind = kinds[i];
                long value = values[i];
                string text = texts[i];
                switch (kind & 0x0F)
                {
                    case OpOpen:
                        Open((char)value);
                        break;
                    case OpClose:
                        Close((char)value);
                        break;
                    case OpName:
                        Name(text);
                        break;
                    case OpMemberNumber:
                        Name(text);
                        Number(value);
                        break;
                    case OpMemberString:
                        Name(text);
                        String(texts[i + 1]);
                        i++;
                        break;
                    case OpMemberBoolean:
                        Name(text);
                        Boolean(value != 0);
                        break;
                    case OpString:
                        String(text);
                        break;
                    case OpNumber:
                        Number(value);
                        break;
                    case OpDecimal:
                        Decimal(value, kind >> 4);
                        break;
                    case OpBoolean:
                        Boolean(value != 0);
                        break;
                    case OpNull:
                        Null();
                        break;
                    default:
                        Timestamp(value);
                        break;
                }

                i++;
            }

            _tapePlayed = i;
            return i >= count || _overflow;
        }

        /// <summary>Copies the output into a new array of its exact length (to hand to the MQTT link).</summary>
        /// <returns>The JSON bytes.</returns>
        public byte[] ToArray()
        {
            byte[] copy = new byte[_length];
            System.Array.Copy(_buffer, 0, copy, 0, _length);
            return copy;
        }

        /// <summary>Starts an object.</summary>
        public void BeginObject()
        {
            if (_recording)
            {
                Tape(OpOpen, '{', null);
                return;
            }

            Open('{');
        }

        /// <summary>Ends an object.</summary>
        public void EndObject()
        {
            if (_recording)
            {
                Tape(OpClose, '}', null);
                return;
            }

            Close('}');
        }

        /// <summary>Starts an array.</summary>
        public void BeginArray()
        {
            if (_recording)
            {
                Tape(OpOpen, '[', null);
                return;
            }

            Open('[');
        }

        /// <summary>Ends an array.</summary>
        public void EndArray()
        {
            if (_recording)
            {
                Tape(OpClose, ']', null);
                return;
            }

            Close(']');
        }

        /// <summary>Writes an object member's name; its value follows.</summary>
        /// <param name="name">Member name.</param>
        public void Name(string name)
        {
            if (_recording)
            {
                Tape(OpName, 0, name);
                return;
            }

            Separate();
            Quoted(name);
            Put(':');
            _afterName = true;
        }

        /// <summary>Writes an object member with an integer value.</summary>
        /// <param name="name">Member name.</param>
        /// <param name="value">The value.</param>
        public void Member(string name, long value)
        {
            if (_recording)
            {
                Tape(OpMemberNumber, value, name);
                return;
            }

            Name(name);
            Number(value);
        }

        /// <summary>Writes an object member with a string value.</summary>
        /// <param name="name">Member name.</param>
        /// <param name="value">The text, or <c>null</c>.</param>
        public void Member(string name, string value)
        {
            if (_recording)
            {
                // Two operations: the name's, then the value's.
                Tape(OpMemberString, 0, name);
                Tape(0, 0, value);
                return;
            }

            Name(name);
            String(value);
        }

        /// <summary>Writes an object member with a Boolean value.</summary>
        /// <param name="name">Member name.</param>
        /// <param name="value">The value.</param>
        public void Member(string name, bool value)
        {
            if (_recording)
            {
                Tape(OpMemberBoolean, value ? 1 : 0, name);
                return;
            }

            Name(name);
            Boolean(value);
        }

        /// <summary>Writes a string value.</summary>
        /// <param name="value">The text, or <c>null</c> for JSON null.</param>
        public void String(string value)
        {
            if (_recording)
            {
                Tape(OpString, 0, value);
                return;
            }

            Separate();
            if (value == null)
            {
                Text("null");
                return;
            }

            Quoted(value);
        }

        /// <summary>Writes bytes as a string of upper-case hex digits (an EPC).</summary>
        /// <param name="data">Source.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        public void HexString(byte[] data, int offset, int count)
        {
            if (_recording)
            {
                // The bytes may change before the tape is played: not a snapshot, so not recordable.
                _overflow = true;
                return;
            }

            Separate();
            Put('"');
            for (int i = offset; i < offset + count; i++)
            {
                Put(Hex[data[i] >> 4]);
                Put(Hex[data[i] & 0x0F]);
            }

            Put('"');
        }

        /// <summary>Writes an integer value.</summary>
        /// <param name="value">The value.</param>
        public void Number(long value)
        {
            if (_recording)
            {
                Tape(OpNumber, value, null);
                return;
            }

            Separate();
            Digits(value, 0);
        }

        /// <summary>Writes a fixed-point value as a JSON number with a point, e.g. (−4550, 2) as <c>-45.50</c>.</summary>
        /// <param name="scaled">The value times 10^<paramref name="decimals"/>.</param>
        /// <param name="decimals">Digits after the point, 1–9.</param>
        public void Decimal(long scaled, int decimals)
        {
            if (_recording)
            {
                Tape(OpDecimal | ((decimals & 0x0F) << 4), scaled, null);
                return;
            }

            Separate();
            Digits(scaled, decimals);
        }

        /// <summary>Writes a Boolean value.</summary>
        /// <param name="value">The value.</param>
        public void Boolean(bool value)
        {
            if (_recording)
            {
                Tape(OpBoolean, value ? 1 : 0, null);
                return;
            }

            Separate();
            Text(value ? "true" : "false");
        }

        /// <summary>Writes null.</summary>
        public void Null()
        {
            if (_recording)
            {
                Tape(OpNull, 0, null);
                return;
            }

            Separate();
            Text("null");
        }

        /// <summary>Writes a UTC time as an ISO 8601 string with microseconds, e.g. <c>"2026-10-04T08:00:00.040123Z"</c>.</summary>
        /// <param name="utcMicros">Microseconds since 1970-01-01T00:00:00Z.</param>
        public void Timestamp(long utcMicros)
        {
            if (_recording)
            {
                Tape(OpTimestamp, utcMicros, null);
                return;
            }

            const long MicrosPerDay = 86400000000;
            long days = utcMicros / MicrosPerDay;
            long micros = utcMicros % MicrosPerDay;
            if (micros < 0)
            {
                micros += MicrosPerDay;
                days--;
            }

            // Days to civil date (H. Hinnant's algorithm, proleptic Gregorian calendar).
            long z = days + 719468;
            long era = (z >= 0 ? z : z - 146096) / 146097;
            long dayOfEra = z - (era * 146097);
            long yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36524) - (dayOfEra / 146096)) / 365;
            long dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
            long monthIndex = ((5 * dayOfYear) + 2) / 153;
            long day = dayOfYear - (((153 * monthIndex) + 2) / 5) + 1;
            long month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
            long year = yearOfEra + (era * 400) + (month <= 2 ? 1 : 0);

            Separate();
            Put('"');
            Padded(year, 4);
            Put('-');
            Padded(month, 2);
            Put('-');
            Padded(day, 2);
            Put('T');
            Padded(micros / 3600000000, 2);
            Put(':');
            Padded((micros / 60000000) % 60, 2);
            Put(':');
            Padded((micros / 1000000) % 60, 2);
            Put('.');
            Padded(micros % 1000000, 6);
            Put('Z');
            Put('"');
        }

        private void Tape(int kind, long value, string text)
        {
            int at = _tapeCount;
            if (at >= _tapeKinds.Length)
            {
                _overflow = true;
                return;
            }

            _tapeKinds[at] = (byte)kind;
            _tapeValues[at] = value;
            _tapeTexts[at] = text;
            _tapeCount = at + 1;
        }

        private void Open(char bracket)
        {
            Separate();
            Put(bracket);
            if (_depth + 1 >= MaxDepth)
            {
                _overflow = true;
                return;
            }

            _depth++;
            _hasItems[_depth] = false;
        }

        private void Close(char bracket)
        {
            Put(bracket);
            if (_depth > 0)
            {
                _depth--;
            }

            _hasItems[_depth] = true;
        }

        private void Separate()
        {
            if (_afterName)
            {
                _afterName = false;
                return;
            }

            if (_hasItems[_depth])
            {
                Put(',');
            }

            _hasItems[_depth] = true;
        }

        private void Quoted(string text)
        {
            int length = text.Length;
            int i = 0;
            int at = _length;
            byte[] buffer = _buffer;
            if (at + length + 2 <= buffer.Length)
            {
                // Names and most values are plain ASCII: written straight into the buffer (a Put per character is a
                // call on the device); the first character that needs escaping hands the rest to the loop below.
                buffer[at++] = (byte)'"';
                while (i < length)
                {
                    char c = text[i];
                    if (c == '"' || c == '\\' || c < ' ' || c > '~')
                    {
                        break;
                    }

                    buffer[at++] = (byte)c;
                    i++;
                }

                _length = at;
                if (i == length)
                {
                    buffer[at] = (byte)'"';
                    _length = at + 1;
                    return;
                }
            }
            else
            {
                Put('"');
            }

            for (; i < length; i++)
            {
                char c = text[i];
                if (c == '"' || c == '\\')
                {
                    Put('\\');
                    Put(c);
                }
                else if (c < ' ' || c > '~')
                {
                    Put('\\');
                    Put('u');
                    Put(Hex[(c >> 12) & 0x0F]);
                    Put(Hex[(c >> 8) & 0x0F]);
                    Put(Hex[(c >> 4) & 0x0F]);
                    Put(Hex[c & 0x0F]);
                }
                else
                {
                    Put(c);
                }
            }

            Put('"');
        }

        private void Digits(long value, int decimals)
        {
            bool negative = value < 0;
            int count = 0;
            byte[] digits = _digits;

            // Work on the negative side so that the smallest long needs no special case.
            long rest = negative ? value : -value;
            while (rest != 0 || count <= decimals)
            {
                long next = rest / 10;
                digits[count++] = (byte)('0' - (rest - (next * 10)));
                rest = next;
            }

            int at = _length;
            byte[] buffer = _buffer;
            if (at + count + (negative ? 1 : 0) + (decimals > 0 ? 1 : 0) > buffer.Length)
            {
                _overflow = true;
                return;
            }

            if (negative)
            {
                buffer[at++] = (byte)'-';
            }

            for (int i = count - 1; i >= 0; i--)
            {
                buffer[at++] = digits[i];
                if (i == decimals && decimals > 0)
                {
                    buffer[at++] = (byte)'.';
                }
            }

            _length = at;
        }

        private void Padded(long value, int width)
        {
            long limit = 1;
            for (int i = 1; i < width; i++)
            {
                limit *= 10;
            }

            for (; limit > 0; limit /= 10)
            {
                Put((char)('0' + ((value / limit) % 10)));
            }
        }

        private void Text(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                Put(text[i]);
            }
        }

        private void Put(char c)
        {
            if (_length >= _buffer.Length)
            {
                _overflow = true;
                return;
            }

            _buffer[_length++] = (byte)c;
        }
    }
}
