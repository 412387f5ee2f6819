namespace TimingMat.Core.Board
{
    /// <summary>
    /// The keys of <c>board.cfg</c> and the reading of its <c>key = value</c> lines: unknown, repeated and empty keys are
    /// refused with their line; the values are kept by key index beside the line each came from, and read as text, whole
    /// numbers or yes/no.
    /// </summary>
    internal static class BoardKeys
    {
        /// <summary>What a pin key holds when the board has no such pin.</summary>
        internal const int NoPin = -1;

        /// <summary>Every key; a key's index is its place in the value and line tables.</summary>
        internal static readonly string[] Names = new string[]
        {
            "board.name", "board.target", "uplink", "storage.root",
            "reader.uart", "reader.rx", "reader.tx", "reader.baud",
            "gps.uart", "gps.rx", "gps.tx", "gps.baud", "gps.pps",
            "lora.bus", "lora.mosi", "lora.miso", "lora.sck", "lora.cs", "lora.reset", "lora.dio0",
            "led", "bench.pps_drive",
            "crossings.chips",
            "board.psram", "lora.clock_hz", "buzzer", "pmu", "battery.adc", "battery.r_top", "battery.r_bottom",
            "ethernet.phy", "storage.capacity_kb", "sd.interface", "sd.cs",
            "console.uart", "console.rx", "console.tx",
        };

        /// <summary>Reads the <c>key = value</c> lines of a file into the tables.</summary>
        /// <param name="text">The file's text.</param>
        /// <param name="values">Filled with each value by key index.</param>
        /// <param name="lines">Filled with the line of each value.</param>
        /// <exception cref="BoardProfileException">A line is not <c>key = value</c>, or its key is unknown, repeated or empty.</exception>
        internal static void ReadPairs(string text, string[] values, int[] lines)
        {
            string[] rawLines = text.Split('\n');
            for (int i = 0; i < rawLines.Length; i++)
            {
                int lineNumber = i + 1;
                string line = rawLines[i];
                int hash = line.IndexOf('#');
                if (hash >= 0)
                {
                    line = line.Substring(0, hash);
                }

                line = line.Trim();
                if (line.Length == 0)
                {
                    continue;
                }

                int equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    throw new BoardProfileException(lineNumber, "expected 'key = value', found '" + line + "'.");
                }

                string key = line.Substring(0, equals).Trim().ToLower();
                string value = line.Substring(equals + 1).Trim();
                int index = IndexOf(key);
                if (index < 0)
                {
                    throw new BoardProfileException(lineNumber, "unknown key '" + key + "'.");
                }

                if (values[index] != null)
                {
                    throw new BoardProfileException(lineNumber, "'" + key + "' is already set on line " + lines[index].ToString() + ".");
                }

                if (value.Length == 0)
                {
                    throw new BoardProfileException(lineNumber, "'" + key + "' has no value.");
                }

                values[index] = value;
                lines[index] = lineNumber;
            }
        }

        /// <summary>Finds a key's index.</summary>
        /// <param name="key">The key, lower case.</param>
        /// <returns>Its index, or -1.</returns>
        internal static int IndexOf(string key)
        {
            for (int i = 0; i < Names.Length; i++)
            {
                if (Names[i] == key)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Gets a value the board must state.</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <param name="key">The key.</param>
        /// <returns>The value.</returns>
        /// <exception cref="BoardProfileException">The key is not set.</exception>
        internal static string Required(string[] values, int[] lines, string key)
        {
            string value = values[IndexOf(key)];
            if (value == null)
            {
                throw new BoardProfileException(0, "'" + key + "' is required.");
            }

            return value;
        }

        /// <summary>Gets a whole number the board must state.</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <param name="key">The key.</param>
        /// <returns>The number.</returns>
        /// <exception cref="BoardProfileException">The key is not set or not a whole number.</exception>
        internal static int RequiredInt(string[] values, int[] lines, string key)
        {
            Required(values, lines, key);
            return OptionalInt(values, lines, key, NoPin);
        }

        /// <summary>Gets a whole number, or a default when the key is not set.</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <param name="key">The key.</param>
        /// <param name="fallback">The default.</param>
        /// <returns>The number.</returns>
        /// <exception cref="BoardProfileException">The value is not a whole number.</exception>
        internal static int OptionalInt(string[] values, int[] lines, string key, int fallback)
        {
            int index = IndexOf(key);
            string value = values[index];
            if (value == null)
            {
                return fallback;
            }

            int result;
            if (!int.TryParse(value, out result))
            {
                throw new BoardProfileException(lines[index], "'" + key + "' must be a whole number, found '" + value + "'.");
            }

            return result;
        }

        /// <summary>Gets a yes/no value, or a default when the key is not set.</summary>
        /// <param name="values">The values by key index.</param>
        /// <param name="lines">The line of each value by key index.</param>
        /// <param name="key">The key.</param>
        /// <param name="fallback">The default.</param>
        /// <returns>The value.</returns>
        /// <exception cref="BoardProfileException">The value is not yes, no, true or false.</exception>
        internal static bool YesNo(string[] values, int[] lines, string key, bool fallback)
        {
            int index = IndexOf(key);
            string value = values[index];
            if (value == null)
            {
                return fallback;
            }

            string lower = value.ToLower();
            if (lower == "yes" || lower == "true")
            {
                return true;
            }

            if (lower == "no" || lower == "false")
            {
                return false;
            }

            throw new BoardProfileException(lines[index], "'" + key + "' must be yes or no, found '" + value + "'.");
        }
    }
}
