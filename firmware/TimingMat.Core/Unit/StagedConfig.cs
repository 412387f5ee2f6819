using System.IO;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The console's configuration verbs (<c>get</c>, <c>set</c>, <c>unset</c>, <c>clear</c>, <c>revert</c>,
    /// <c>validate</c>, <c>commit</c>) and what they work on: the staged values, key by key as the technician typed them,
    /// and the committed ones read from <c>unit.cfg</c>. Every value is checked with the core's own
    /// <see cref="UnitConfig"/> as it is set, the whole again before it is written, and a secret is only ever shown as
    /// <c>set</c>.
    /// </summary>
    internal sealed class StagedConfig
    {
        private readonly UnitConsole _console;
        private readonly UnitConfigStore _store;
        private readonly string[] _keys;
        private readonly string[] _staged;
        private readonly string[] _committed;

        /// <summary>Initializes a new instance of the <see cref="StagedConfig"/> class and reads the committed configuration.</summary>
        /// <param name="console">Where the verbs answer.</param>
        /// <param name="store">The storage holding <c>unit.cfg</c>.</param>
        internal StagedConfig(UnitConsole console, UnitConfigStore store)
        {
            _console = console;
            _store = store;
            _keys = UnitConfig.Keys;
            _staged = new string[_keys.Length];
            _committed = new string[_keys.Length];
            LoadCommitted();
        }

        /// <summary>Gets why the stored <c>unit.cfg</c> is not valid, or <c>null</c> when it is (or there is none).</summary>
        internal string StoredProblem { get; private set; }

        /// <summary>Gets a value indicating whether nothing is staged beyond what is committed.</summary>
        internal bool IsClean
        {
            get { return Same(_staged, _committed); }
        }

        /// <summary>Answers <c>get</c>: every staged key, or one.</summary>
        /// <param name="key">The key, or empty for all.</param>
        internal void Get(string key)
        {
            if (key.Length == 0)
            {
                for (int i = 0; i < _keys.Length; i++)
                {
                    if (_staged[i] != null)
                    {
                        _console.Send(_keys[i] + " = " + Shown(i, _staged[i]));
                    }
                }

                _console.Ok(null);
                return;
            }

            int index = KeyIndex(key.ToLower());
            if (index < 0)
            {
                UnknownKey(key.ToLower());
                return;
            }

            if (_staged[index] == null)
            {
                _console.Ok("not-set");
                return;
            }

            _console.Send(_keys[index] + " = " + Shown(index, _staged[index]));
            _console.Ok(null);
        }

        /// <summary>Answers <c>set</c>: stages one key when the core takes its value, else changes nothing.</summary>
        /// <param name="rest">What follows the verb: <c>KEY VALUE</c> or <c>KEY = VALUE</c>.</param>
        internal void Set(string rest)
        {
            // "set KEY VALUE", and "set KEY = VALUE" as the file writes it.
            int blank = UnitConsole.FirstBlank(rest);
            int equals = rest.IndexOf('=');
            int cut = blank < 0 || (equals >= 0 && equals < blank) ? equals : blank;
            if (cut <= 0)
            {
                _console.Error("usage", "set KEY VALUE");
                return;
            }

            string key = rest.Substring(0, cut).Trim().ToLower();
            string value = rest.Substring(cut + 1).Trim();
            if (value.StartsWith("="))
            {
                value = value.Substring(1).Trim();
            }

            int index = KeyIndex(key);
            if (index < 0)
            {
                UnknownKey(key);
                return;
            }

            if (value.Length == 0)
            {
                _console.Error("invalid-value", key + " has no value: expected one (unset removes a key)");
                return;
            }

            string problem = FileProblem(value);
            if (problem != null)
            {
                _console.Error("invalid-value", key + " = " + Shown(index, value) + ": " + problem);
                return;
            }

            try
            {
                // The core's own parser decides, with the same message a file would get; nothing is staged on error.
                UnitConfig scratch = new UnitConfig();
                scratch.Set(key, value);
            }
            catch (ConfigFileException e)
            {
                _console.Error("invalid-value", e.Problem);
                return;
            }

            _staged[index] = value;
            _console.Ok(null);
        }

        /// <summary>Answers <c>unset</c>: removes one key from the staged configuration.</summary>
        /// <param name="key">The key.</param>
        internal void Unset(string key)
        {
            int index = KeyIndex(key);
            if (index < 0)
            {
                UnknownKey(key);
                return;
            }

            _staged[index] = null;
            _console.Ok(null);
        }

        /// <summary>Answers <c>clear</c>: empties the staged configuration.</summary>
        internal void Clear()
        {
            for (int i = 0; i < _staged.Length; i++)
            {
                _staged[i] = null;
            }

            _console.Ok(null);
        }

        /// <summary>Answers <c>revert</c>: back to the committed configuration.</summary>
        internal void Revert()
        {
            Copy(_committed, _staged);
            _console.Ok(null);
        }

        /// <summary>Answers <c>validate</c>: checks the staged configuration as commit would.</summary>
        internal void Validate()
        {
            UnitConfig config = Parse();
            if (config != null)
            {
                _console.Ok("checksum=" + UnitConsole.Checksum(config));
            }
        }

        /// <summary>
        /// Answers <c>commit</c> unless it writes: validates the staged configuration and writes <c>unit.cfg</c>; the
        /// console answers a written one, as it restarts the unit on it.
        /// </summary>
        /// <returns>The new configuration's checksum when it was written, else <c>null</c> (already answered).</returns>
        internal string Commit()
        {
            UnitConfig config = Parse();
            if (config == null)
            {
                return null;
            }

            string text = Render(_staged);
            if (Same(_staged, _committed) && StoredProblem == null)
            {
                _console.Ok("checksum=" + UnitConsole.Checksum(config) + " unchanged");
                return null;
            }

            try
            {
                _store.Write(text);
            }
            catch (IOException)
            {
                _console.Error("storage", "unit.cfg cannot be written (the storage is full or failing): the unit keeps its configuration");
                return null;
            }

            Copy(_staged, _committed);
            StoredProblem = null;
            return UnitConsole.Checksum(config);
        }

        private UnitConfig Parse()
        {
            try
            {
                return UnitConfig.Parse(Render(_staged));
            }
            catch (ConfigFileException e)
            {
                _console.Error("invalid-config", e.Problem + " (the unit keeps its configuration)");
                return null;
            }
        }

        private void LoadCommitted()
        {
            string text = _store.Read();
            if (text == null)
            {
                return;
            }

            try
            {
                KeyValueReader reader = new KeyValueReader(text);
                while (reader.Next())
                {
                    int index = KeyIndex(reader.Key);
                    if (index >= 0)
                    {
                        _committed[index] = reader.Value;
                    }
                }

                UnitConfig.Parse(text);
            }
            catch (ConfigFileException e)
            {
                StoredProblem = (e.Line > 0 ? "line " + e.Line.ToString() + ": " : string.Empty) + e.Problem;
            }

            Copy(_committed, _staged);
        }

        private string Render(string[] values)
        {
            string text = string.Empty;
            for (int i = 0; i < _keys.Length; i++)
            {
                if (values[i] != null)
                {
                    text += _keys[i] + " = " + values[i] + "\n";
                }
            }

            return text;
        }

        private int KeyIndex(string key)
        {
            for (int i = 0; i < _keys.Length; i++)
            {
                if (_keys[i] == key)
                {
                    return i;
                }
            }

            return -1;
        }

        private void UnknownKey(string key)
        {
            try
            {
                new UnitConfig().Set(key, "x");
                _console.Error("unknown-key", "unknown key '" + UnitConsole.Shorten(key) + "'");
            }
            catch (ConfigFileException e)
            {
                _console.Error("unknown-key", e.Problem);
            }
        }

        private string Shown(int index, string value)
        {
            if (UnitConfig.IsSecret(_keys[index]))
            {
                return "set";
            }

            return value;
        }

        // What the key = value file cannot hold: it would read back as something else.
        private static string FileProblem(string value)
        {
            if (value.Length > UnitConsole.MaxValueLength)
            {
                return "longer than " + UnitConsole.MaxValueLength.ToString() + " characters";
            }

            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c < ' ' || c == (char)127)
                {
                    return "holds a control character";
                }

                if (c == '#' && i > 0 && (value[i - 1] == ' ' || value[i - 1] == '\t'))
                {
                    return "holds ' #', which unit.cfg would read as the start of a comment";
                }
            }

            return null;
        }

        private static bool Same(string[] a, string[] b)
        {
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static void Copy(string[] from, string[] to)
        {
            for (int i = 0; i < from.Length; i++)
            {
                to[i] = from[i];
            }
        }
    }
}
