namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// Writes compact JSON as ASCII straight into a preallocated byte buffer: the status report and the human
    /// rendering of batches, with no strings built on the way (nanoFramework has no Utf8JsonWriter, and a
    /// StringBuilder would allocate per status).
    /// </summary>
    /// <remarks>
    /// Commas are placed automatically. Characters outside printable ASCII are written as <c>\u00XX</c> escapes.
    /// When the buffer is too small the writer stops and sets <see cref="Overflow"/>; the output is then invalid.
    /// </remarks>
    public sealed class JsonWriter
    {
        private const int MaxDepth = 16;
        private const string Hex = "0123456789ABCDEF";

        private readonly byte[] _buffer;
        private readonly bool[] _hasItems = new bool[MaxDepth];
        private readonly byte[] _digits = new byte[20];
        private int _length;
        private int _depth;
        private bool _afterName;

        /// <summary>Initializes a new instance of the <see cref="JsonWriter"/> class.</summary>
        /// <param name="capacity">Largest output in bytes.</param>
        public JsonWriter(int capacity)
        {
            _buffer = new byte[capacity];
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

        /// <summary>Gets a value indicating whether the output did not fit.</summary>
        public bool Overflow { get; private set; }

        /// <summary>Starts again with an empty output.</summary>
        public void Clear()
        {
            _length = 0;
            _depth = 0;
            _afterName = false;
            Overflow = false;
            _hasItems[0] = false;
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
            Open('{');
        }

        /// <summary>Ends an object.</summary>
        public void EndObject()
        {
            Close('}');
        }

        /// <summary>Starts an array.</summary>
        public void BeginArray()
        {
            Open('[');
        }

        /// <summary>Ends an array.</summary>
        public void EndArray()
        {
            Close(']');
        }

        /// <summary>Writes an object member's name; its value follows.</summary>
        /// <param name="name">Member name.</param>
        public void Name(string name)
        {
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
            Name(name);
            Number(value);
        }

        /// <summary>Writes an object member with a string value.</summary>
        /// <param name="name">Member name.</param>
        /// <param name="value">The text, or <c>null</c>.</param>
        public void Member(string name, string value)
        {
            Name(name);
            String(value);
        }

        /// <summary>Writes an object member with a Boolean value.</summary>
        /// <param name="name">Member name.</param>
        /// <param name="value">The value.</param>
        public void Member(string name, bool value)
        {
            Name(name);
            Boolean(value);
        }

        /// <summary>Writes a string value.</summary>
        /// <param name="value">The text, or <c>null</c> for JSON null.</param>
        public void String(string value)
        {
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
            Separate();
            Digits(value, 0);
        }

        /// <summary>Writes a fixed-point value as a JSON number with a point, e.g. (−4550, 2) as <c>-45.50</c>.</summary>
        /// <param name="scaled">The value times 10^<paramref name="decimals"/>.</param>
        /// <param name="decimals">Digits after the point, 1–9.</param>
        public void Decimal(long scaled, int decimals)
        {
            Separate();
            Digits(scaled, decimals);
        }

        /// <summary>Writes a Boolean value.</summary>
        /// <param name="value">The value.</param>
        public void Boolean(bool value)
        {
            Separate();
            Text(value ? "true" : "false");
        }

        /// <summary>Writes null.</summary>
        public void Null()
        {
            Separate();
            Text("null");
        }

        /// <summary>Writes a UTC time as an ISO 8601 string with microseconds, e.g. <c>"2026-10-04T08:00:00.040123Z"</c>.</summary>
        /// <param name="utcMicros">Microseconds since 1970-01-01T00:00:00Z.</param>
        public void Timestamp(long utcMicros)
        {
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

        private void Open(char bracket)
        {
            Separate();
            Put(bracket);
            if (_depth + 1 >= MaxDepth)
            {
                Overflow = true;
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
                Overflow = true;
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
                Overflow = true;
                return;
            }

            _buffer[_length++] = (byte)c;
        }
    }
}
