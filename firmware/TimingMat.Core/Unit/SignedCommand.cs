using TimingMat.Core.Hardware;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// A command to a unit, signed with its command key (firmware/docs/wire-formats.md §6): one line of ASCII words
    /// separated by single spaces, <c>tm1 &lt;unit&gt; &lt;counter&gt; &lt;verb&gt; [&lt;argument&gt; …] &lt;tag&gt;</c>, where the tag is
    /// HMAC-SHA256 with the unit's key over every byte before the space in front of it, truncated to its first 8–32
    /// bytes and written in hex. The counter must be above every counter the unit accepted before (the tent tools use
    /// the UTC time in ms), so a recorded command cannot be played again.
    /// </summary>
    /// <remarks>Checks in order: signed format, well-formed, this unit, a key to check with, the tag (compared in constant
    /// time), a new counter; then the verb and its arguments. Allocates a few strings per command, never per passing.</remarks>
    public sealed class SignedCommand
    {
        /// <summary>The first word of every signed command (format version 1).</summary>
        public const string Format = "tm1";

        /// <summary>The shortest tag accepted, in bytes (64 bits).</summary>
        public const int MinTagBytes = 8;

        /// <summary>The longest tag, in bytes (the whole HMAC-SHA256).</summary>
        public const int MaxTagBytes = 32;

        /// <summary>The longest command in bytes.</summary>
        public const int MaxBytes = 200;

        /// <summary>The most arguments a verb takes.</summary>
        public const int MaxArguments = 3;

        private readonly IHmacSha256 _hmac;
        private readonly byte[] _tag = new byte[32];
        private readonly byte[] _given = new byte[MaxTagBytes];
        private readonly string[] _arguments = new string[MaxArguments];
        private readonly int[] _starts = new int[MaxArguments + 5];
        private readonly int[] _ends = new int[MaxArguments + 5];

        /// <summary>Initializes a new instance of the <see cref="SignedCommand"/> class.</summary>
        /// <param name="hmac">The platform's HMAC-SHA256.</param>
        public SignedCommand(IHmacSha256 hmac)
        {
            _hmac = hmac;
            Counter = -1;
        }

        /// <summary>Gets the unit the last command named, or -1.</summary>
        public int Unit { get; private set; }

        /// <summary>Gets the counter of the last command, or -1 when it had none readable.</summary>
        public long Counter { get; private set; }

        /// <summary>Gets the verb of the last command (lower case), or <c>null</c>.</summary>
        public string Verb { get; private set; }

        /// <summary>Gets the number of arguments after the verb.</summary>
        public int ArgumentCount { get; private set; }

        /// <summary>Gets an argument after the verb.</summary>
        /// <param name="index">0 for the first.</param>
        /// <returns>The argument as written.</returns>
        public string Argument(int index)
        {
            return _arguments[index];
        }

        /// <summary>
        /// Reads and authenticates a command. On <see cref="CommandCheck.Accepted"/> the caller must store the counter
        /// (it is above <paramref name="lastCounter"/>) before it acts, and check the verb's arguments itself.
        /// </summary>
        /// <param name="payload">The message body.</param>
        /// <param name="unitId">This unit's id.</param>
        /// <param name="key">This unit's command key, or <c>null</c> when it has none.</param>
        /// <param name="lastCounter">The highest counter accepted so far.</param>
        /// <returns>Accepted, or why not (nothing is carried out).</returns>
        public CommandCheck Read(byte[] payload, int unitId, byte[] key, long lastCounter)
        {
            Unit = -1;
            Counter = -1;
            Verb = null;
            ArgumentCount = 0;
            int length = payload == null ? 0 : payload.Length;
            while (length > 0 && (payload[length - 1] == '\n' || payload[length - 1] == '\r'))
            {
                length--;
            }

            if (length < 4 || payload[0] != 't' || payload[1] != 'm' || payload[2] != '1' || payload[3] != ' ')
            {
                return CommandCheck.Unsigned;
            }

            if (length > MaxBytes)
            {
                return CommandCheck.Malformed;
            }

            // Words: tm1, unit, counter, verb, up to three arguments, tag.
            int words = 0;
            int[] starts = _starts;
            int[] ends = _ends;
            int start = 0;
            for (int i = 0; i <= length; i++)
            {
                if (i < length && payload[i] > 0x20 && payload[i] < 0x7F)
                {
                    continue;
                }

                if ((i < length && payload[i] != ' ') || i == start || words == starts.Length)
                {
                    // A control character, a non-ASCII byte, two spaces in a row, or too many words.
                    return CommandCheck.Malformed;
                }

                starts[words] = start;
                ends[words] = i;
                words++;
                start = i + 1;
            }

            if (words < 5)
            {
                return CommandCheck.Malformed;
            }

            long unit = Number(payload, starts[1], ends[1]);
            long counter = Number(payload, starts[2], ends[2]);
            int tagStart = starts[words - 1];
            int tagLength = ends[words - 1] - tagStart;
            if (unit < 0 || unit > 65535 || counter < 1 || (tagLength & 1) != 0 || tagLength < 2 * MinTagBytes || tagLength > 2 * MaxTagBytes)
            {
                return CommandCheck.Malformed;
            }

            for (int i = 0; i < tagLength / 2; i++)
            {
                int high = ValueText.HexDigit(payload[tagStart + (2 * i)]);
                int low = ValueText.HexDigit(payload[tagStart + (2 * i) + 1]);
                if (high < 0 || low < 0)
                {
                    return CommandCheck.Malformed;
                }

                _given[i] = (byte)((high << 4) | low);
            }

            Unit = (int)unit;
            Counter = counter;
            Verb = Text(payload, starts[3], ends[3]).ToLower();
            ArgumentCount = words - 5;
            for (int i = 0; i < ArgumentCount; i++)
            {
                _arguments[i] = Text(payload, starts[4 + i], ends[4 + i]);
            }

            if (unit != unitId)
            {
                return CommandCheck.WrongUnit;
            }

            if (key == null)
            {
                return CommandCheck.NoKey;
            }

            _hmac.Compute(key, payload, tagStart - 1, _tag);
            int difference = 0;
            for (int i = 0; i < tagLength / 2; i++)
            {
                difference |= _tag[i] ^ _given[i];
            }

            if (difference != 0)
            {
                return CommandCheck.BadTag;
            }

            return counter <= lastCounter ? CommandCheck.Replayed : CommandCheck.Accepted;
        }

        /// <summary>Signs a command text: appends the hex tag. What <c>timingmat command</c> and the tests send.</summary>
        /// <param name="text">The command without its tag, e.g. <c>tm1 7 1791100802006 arm</c>.</param>
        /// <param name="key">The unit's command key.</param>
        /// <param name="hmac">HMAC-SHA256.</param>
        /// <param name="tagBytes">Tag length, <see cref="MinTagBytes"/>–<see cref="MaxTagBytes"/>.</param>
        /// <returns>The command with its tag.</returns>
        public static string Sign(string text, byte[] key, IHmacSha256 hmac, int tagBytes)
        {
            byte[] message = new byte[text.Length];
            for (int i = 0; i < message.Length; i++)
            {
                message[i] = (byte)text[i];
            }

            byte[] tag = new byte[32];
            hmac.Compute(key, message, message.Length, tag);
            string hex = "0123456789abcdef";
            string signed = text + " ";
            for (int i = 0; i < tagBytes; i++)
            {
                signed += hex[tag[i] >> 4];
                signed += hex[tag[i] & 15];
            }

            return signed;
        }

        private static long Number(byte[] payload, int start, int end)
        {
            if (end - start > 18)
            {
                return -1;
            }

            long value = 0;
            for (int i = start; i < end; i++)
            {
                int c = payload[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                value = (value * 10) + (c - '0');
            }

            return value;
        }

        private static string Text(byte[] payload, int start, int end)
        {
            string text = string.Empty;
            for (int i = start; i < end; i++)
            {
                text += (char)payload[i];
            }

            return text;
        }
    }
}
