using TimingMat.Core.Unit;

namespace TimingMat.Core.Lora
{
    /// <summary>
    /// The LoRa gateway's keys: every unit's <c>command.key</c>, by unit id, so that it can check each packet's tag and
    /// sign its acks. A file on the gateway's flash, <c>keys.cfg</c>, in the configuration dialect (docs/unit-config.md):
    /// <c>&lt;unit id&gt; = &lt;hex key&gt;</c>, one unit a line. A secret: never printed back.
    /// </summary>
    public sealed class LoRaKeyList
    {
        /// <summary>The file's name on a board's flash, next to <c>unit.cfg</c>.</summary>
        public const string FileName = "keys.cfg";

        /// <summary>Most units one gateway answers.</summary>
        public const int MaxUnits = 256;

        private readonly int[] _units;
        private readonly byte[][] _keys;

        /// <summary>Initializes a new instance of the <see cref="LoRaKeyList"/> class.</summary>
        /// <param name="units">Unit ids, 1–65535, each once.</param>
        /// <param name="keys">Their command keys, 16–64 bytes each.</param>
        public LoRaKeyList(int[] units, byte[][] keys)
        {
            _units = units;
            _keys = keys;
        }

        /// <summary>Gets the number of units.</summary>
        public int Count
        {
            get { return _units.Length; }
        }

        /// <summary>Parses a key file.</summary>
        /// <param name="text">The file's text.</param>
        /// <returns>The keys.</returns>
        /// <exception cref="ConfigFileException">A line is not <c>unit = key</c>, a unit is given twice, or there are too many.</exception>
        public static LoRaKeyList Parse(string text)
        {
            KeyValueReader reader = new KeyValueReader(text);
            int count = 0;
            while (reader.Next())
            {
                count++;
            }

            if (count > MaxUnits)
            {
                throw new ConfigFileException(0, null, FileName + " names " + count.ToString() + " units: expected at most " + MaxUnits.ToString() + ".");
            }

            int[] units = new int[count];
            byte[][] keys = new byte[count][];
            reader = new KeyValueReader(text);
            int i = 0;
            while (reader.Next())
            {
                long unit;
                if (!ValueText.TryParseLong(reader.Key, out unit) || unit < 1 || unit > 65535)
                {
                    throw new ConfigFileException(reader.Line, reader.Key, "'" + reader.Key + "' is not a unit id: expected 'unit id = the unit's command.key', the id 1-65535.");
                }

                byte[] key = ValueText.ParseHex(reader.Value);
                if (key == null || key.Length < UnitConfig.MinKeyBytes || key.Length > UnitConfig.MaxKeyBytes)
                {
                    throw new ConfigFileException(reader.Line, reader.Key, reader.Key + " = (secret, " + reader.Value.Length.ToString() + " characters): expected 32-128 hex digits (the unit's command.key).");
                }

                for (int j = 0; j < i; j++)
                {
                    if (units[j] == unit)
                    {
                        throw new ConfigFileException(reader.Line, reader.Key, "unit " + reader.Key + " is given twice.");
                    }
                }

                units[i] = (int)unit;
                keys[i] = key;
                i++;
            }

            return new LoRaKeyList(units, keys);
        }

        /// <summary>Gets the slot of a unit (0 … <see cref="Count"/> − 1).</summary>
        /// <param name="unit">Unit id.</param>
        /// <returns>The slot, or −1 for a unit without a key.</returns>
        public int SlotOf(int unit)
        {
            int[] units = _units;
            for (int i = 0; i < units.Length; i++)
            {
                if (units[i] == unit)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Gets the unit id in a slot.</summary>
        /// <param name="slot">0 … <see cref="Count"/> − 1.</param>
        /// <returns>The unit id.</returns>
        public int UnitAt(int slot)
        {
            return _units[slot];
        }

        /// <summary>Gets the key in a slot.</summary>
        /// <param name="slot">0 … <see cref="Count"/> − 1.</param>
        /// <returns>The key (not to be printed).</returns>
        public byte[] KeyAt(int slot)
        {
            return _keys[slot];
        }
    }
}
