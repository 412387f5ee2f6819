namespace TimingMat.Core.Unit
{
    /// <summary>
    /// Reads a <c>key = value</c> file line by line, the dialect of <c>board.cfg</c> and the unit configuration: one pair
    /// per line, keys case-insensitive (returned lower case), values trimmed, blank lines skipped. A <c>#</c> at the start
    /// of a line or after a space or tab starts a comment, so a password may hold a <c>#</c> (<c>wifi.password = a#b</c>).
    /// </summary>
    /// <remarks>
    /// What the keys mean, and which are known, is the caller's: this only splits lines. It allocates the strings it
    /// returns and runs once at boot or when a configuration is written, never on a hot path.
    /// </remarks>
    public sealed class KeyValueReader
    {
        private readonly string _text;
        private int _position;
        private int _line;

        /// <summary>Initializes a new instance of the <see cref="KeyValueReader"/> class.</summary>
        /// <param name="text">The file's text (LF or CR LF line ends).</param>
        public KeyValueReader(string text)
        {
            _text = text == null ? string.Empty : text;
        }

        /// <summary>Gets the key of the current pair, lower case.</summary>
        public string Key { get; private set; }

        /// <summary>Gets the value of the current pair, trimmed; never empty.</summary>
        public string Value { get; private set; }

        /// <summary>Gets the 1-based line of the current pair.</summary>
        public int Line
        {
            get { return _line; }
        }

        /// <summary>Moves to the next pair.</summary>
        /// <returns><c>false</c> at the end of the text.</returns>
        /// <exception cref="ConfigFileException">A line is not <c>key = value</c> or has no value. The line's text is not repeated (it may hold a secret).</exception>
        public bool Next()
        {
            while (_position < _text.Length)
            {
                int end = _text.IndexOf('\n', _position);
                if (end < 0)
                {
                    end = _text.Length;
                }

                string line = _text.Substring(_position, end - _position);
                _position = end + 1;
                _line++;
                line = StripComment(line).Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                int equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    throw new ConfigFileException(_line, null, "expected 'key = value' (a '#' starts a comment).");
                }

                Key = line.Substring(0, equals).Trim().ToLower();
                Value = line.Substring(equals + 1).Trim();
                if (Key.IndexOf(' ') >= 0 || Key.IndexOf('\t') >= 0)
                {
                    throw new ConfigFileException(_line, null, "expected 'key = value': a key has no spaces.");
                }

                if (Value.Length == 0)
                {
                    throw new ConfigFileException(_line, Key, Key + " has no value.");
                }

                return true;
            }

            return false;
        }

        private static string StripComment(string line)
        {
            for (int i = 0; i < line.Length; i++)
            {
                if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t'))
                {
                    return line.Substring(0, i);
                }
            }

            return line;
        }
    }
}
