namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// A command received on <c>&lt;prefix&gt;/&lt;unit&gt;/cmd</c>: one line of ASCII words, so a technician can type it
    /// with <c>mosquitto_pub -t timingmat/7/cmd -m "replay 1200"</c>.
    /// </summary>
    /// <remarks>
    /// Commands: <c>replay FROM</c> (re-send every stored passing from sequence number FROM on),
    /// <c>replay FROM TO</c> (… up to TO), <c>status</c> (publish the status now). Words are separated by spaces;
    /// case does not matter.
    /// </remarks>
    public sealed class UnitCommand
    {
        /// <summary>Value of <see cref="Kind"/> for a payload that is not a known command.</summary>
        public const int Unknown = 0;

        /// <summary>Value of <see cref="Kind"/> for <c>replay</c>.</summary>
        public const int Replay = 1;

        /// <summary>Value of <see cref="Kind"/> for <c>status</c>.</summary>
        public const int Status = 2;

        /// <summary>Value of <see cref="To"/> when a replay has no end.</summary>
        public const long OpenEnd = -1;

        private const int MaxWords = 3;
        private const int MaxWordLength = 20;

        private readonly char[][] _words;
        private readonly int[] _lengths;

        /// <summary>Initializes a new instance of the <see cref="UnitCommand"/> class.</summary>
        public UnitCommand()
        {
            _words = new char[MaxWords][];
            _lengths = new int[MaxWords];
            for (int i = 0; i < MaxWords; i++)
            {
                _words[i] = new char[MaxWordLength];
            }
        }

        /// <summary>Gets the command: <see cref="Unknown"/>, <see cref="Replay"/> or <see cref="Status"/>.</summary>
        public int Kind { get; private set; }

        /// <summary>Gets the first sequence number of a replay.</summary>
        public long From { get; private set; }

        /// <summary>Gets the last sequence number of a replay, or <see cref="OpenEnd"/>.</summary>
        public long To { get; private set; }

        /// <summary>Parses a command payload.</summary>
        /// <param name="payload">Message body (ASCII).</param>
        /// <returns><c>true</c> when it is a known, well-formed command.</returns>
        public bool Parse(byte[] payload)
        {
            Kind = Unknown;
            From = 0;
            To = OpenEnd;
            int words = Split(payload);
            if (words == 1 && Is(0, "status"))
            {
                Kind = Status;
                return true;
            }

            if ((words == 2 || words == 3) && Is(0, "replay"))
            {
                long from = Number(1);
                long to = words == 3 ? Number(2) : OpenEnd;
                if (from < 1 || (words == 3 && to < from))
                {
                    return false;
                }

                Kind = Replay;
                From = from;
                To = to;
                return true;
            }

            return false;
        }

        private int Split(byte[] payload)
        {
            int words = 0;
            int length = 0;
            for (int i = 0; i <= payload.Length; i++)
            {
                char c = i < payload.Length ? (char)payload[i] : ' ';
                if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
                {
                    if (length > 0)
                    {
                        _lengths[words++] = length;
                        length = 0;
                    }

                    continue;
                }

                if (words >= MaxWords || length >= MaxWordLength)
                {
                    return 0;
                }

                _words[words][length++] = c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
            }

            return words;
        }

        private bool Is(int word, string text)
        {
            if (_lengths[word] != text.Length)
            {
                return false;
            }

            for (int i = 0; i < text.Length; i++)
            {
                if (_words[word][i] != text[i])
                {
                    return false;
                }
            }

            return true;
        }

        private long Number(int word)
        {
            if (_lengths[word] > 18)
            {
                return -1;
            }

            long value = 0;
            for (int i = 0; i < _lengths[word]; i++)
            {
                char c = _words[word][i];
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
