// Longer than 400 lines on purpose: one file format's reader (race-wide, per-unit and tent keys, each unit built with
// UnitConfig), kept together so it reads against docs/race-file.md.
namespace TimingMat.Core.Unit
{
    /// <summary>
    /// A race file (<c>race.cfg</c>, docs/race-file.md): every unit of one race in the dialect of <c>unit.cfg</c>. A key of
    /// the unit configuration on its own (<c>race.id</c>, <c>mqtt.url</c>, <c>reader.region</c> …) holds for every unit; the
    /// same key behind a unit's name (<c>km05.mat.role = split</c>) holds for that unit and wins over the race-wide one.
    /// Each unit's configuration is built and validated with the core's own <see cref="UnitConfig"/>, so the race file,
    /// the console and the board can never disagree on a key; <c>mat.name</c> defaults to the unit's name.
    /// </summary>
    /// <remarks>
    /// <para>Beside the unit keys, a race file holds the tent's keys (<see cref="TentKeys"/>: the tent's and the
    /// collector's broker accounts), race-wide only: no unit reads them, the tent tools read them with
    /// <see cref="RaceValue"/>.</para>
    /// A file with no unit names is a single unit's <c>unit.cfg</c>; its one unit is named by its <c>mat.name</c> (or
    /// <c>unit-&lt;id&gt;</c>). Unit names are case-insensitive, 1–32 letters, digits, '-' or '_', and none may be a key's
    /// first part (<c>reader</c>, <c>mqtt</c> …). Two units with the same <c>unit.id</c> or <c>mat.name</c> are an error:
    /// they would publish under each other's topics.
    /// </remarks>
    public sealed class RaceFile
    {
        private static readonly string[] s_tentKeys = new string[] { "tent.username", "tent.password", "collector.username", "collector.password" };

        private string[] _pairUnit = new string[64];
        private string[] _pairKey = new string[64];
        private string[] _pairValue = new string[64];
        private int[] _pairLine = new int[64];
        private int _pairs;
        private string[] _units = new string[8];
        private int _unitCount;

        private RaceFile()
        {
        }

        /// <summary>Gets the units' names in the order the file first names them, lower case.</summary>
        public string[] UnitNames
        {
            get
            {
                string[] names = new string[_unitCount];
                for (int i = 0; i < _unitCount; i++)
                {
                    names[i] = _units[i];
                }

                return names;
            }
        }

        /// <summary>Gets the keys a race file takes beside the unit configuration's: the tent's and the collector's broker accounts.</summary>
        public static string[] TentKeys
        {
            get { return s_tentKeys; }
        }

        /// <summary>Gets a value indicating whether the file is one unit's <c>unit.cfg</c> (no unit names).</summary>
        public bool IsSingleUnit { get; private set; }

        /// <summary>Parses a race file and validates every unit's configuration.</summary>
        /// <param name="text">The file's text.</param>
        /// <returns>The race file.</returns>
        /// <exception cref="ConfigFileException">A line, a key or a value is wrong, a unit lacks a required key, or two units share an id or name; the message names the unit and the line.</exception>
        public static RaceFile Parse(string text)
        {
            RaceFile file = new RaceFile();
            KeyValueReader reader = new KeyValueReader(text);
            while (reader.Next())
            {
                file.Add(reader.Key, reader.Value, reader.Line);
            }

            if (file._unitCount == 0)
            {
                file.IsSingleUnit = true;
                UnitConfig single = file.Build(null);
                file.AddUnit(single.MatName.ToLower());
            }

            string[] ids = new string[file._unitCount];
            string[] mats = new string[file._unitCount];
            for (int i = 0; i < file._unitCount; i++)
            {
                UnitConfig config = file.Build(file._units[i]);
                ids[i] = config.Unit.ToString();
                mats[i] = config.MatName.ToLower();
                for (int j = 0; j < i; j++)
                {
                    if (ids[j] == ids[i])
                    {
                        throw new ConfigFileException(0, "unit.id", "units " + file._units[j] + " and " + file._units[i] + " both have unit.id = " + ids[i] + ": expected one id per unit (it names the unit's topics).");
                    }

                    if (mats[j] == mats[i])
                    {
                        throw new ConfigFileException(0, "mat.name", "units " + file._units[j] + " and " + file._units[i] + " both have mat.name = " + mats[i] + ": expected one name per mat.");
                    }
                }
            }

            return file;
        }

        /// <summary>Tells whether the file names a unit.</summary>
        /// <param name="name">The unit's name, any case.</param>
        /// <returns><c>true</c> when it does.</returns>
        public bool HasUnit(string name)
        {
            return IndexOfUnit(name.ToLower()) >= 0;
        }

        /// <summary>Gets a race-wide value as written: a unit key given without a unit's name, or a tent key.</summary>
        /// <param name="key">The key, e.g. <c>mqtt.url</c> or <c>tent.password</c>.</param>
        /// <returns>The value, or <c>null</c> when the file gives the key only behind units' names, or not at all.</returns>
        public string RaceValue(string key)
        {
            int line;
            return ValueOf(null, key, out line);
        }

        /// <summary>Gets one unit's configuration, validated.</summary>
        /// <param name="name">The unit's name, any case.</param>
        /// <returns>The configuration.</returns>
        /// <exception cref="ConfigFileException">The file has no such unit.</exception>
        public UnitConfig ConfigOf(string name)
        {
            return Build(Require(name));
        }

        /// <summary>Gets the keys and values of one unit, as <c>unit.cfg</c> holds them and the console sets them.</summary>
        /// <param name="name">The unit's name, any case.</param>
        /// <param name="keys">The keys, in the order the documentation lists them.</param>
        /// <param name="values">Their values as written (secrets too: never print them).</param>
        /// <exception cref="ConfigFileException">The file has no such unit.</exception>
        public void PairsOf(string name, out string[] keys, out string[] values)
        {
            string unit = Require(name);
            string[] all = UnitConfig.Keys;
            string[] chosen = new string[all.Length];
            int count = 0;
            for (int k = 0; k < all.Length; k++)
            {
                chosen[k] = ValueOf(unit, all[k], null);
                if (all[k] == "mat.name" && chosen[k] == null && !IsSingleUnit)
                {
                    chosen[k] = unit;
                }

                if (chosen[k] != null)
                {
                    count++;
                }
            }

            keys = new string[count];
            values = new string[count];
            int n = 0;
            for (int k = 0; k < all.Length; k++)
            {
                if (chosen[k] != null)
                {
                    keys[n] = all[k];
                    values[n] = chosen[k];
                    n++;
                }
            }
        }

        /// <summary>Gets one unit's <c>unit.cfg</c> text: its keys and values, one a line, secrets included (never print it).</summary>
        /// <param name="name">The unit's name, any case.</param>
        /// <returns>The text.</returns>
        public string UnitText(string name)
        {
            string[] keys;
            string[] values;
            PairsOf(name, out keys, out values);
            string text = string.Empty;
            for (int i = 0; i < keys.Length; i++)
            {
                text += keys[i] + " = " + values[i] + "\n";
            }

            return text;
        }

        private static bool IsKey(string key)
        {
            string[] keys = UnitConfig.Keys;
            for (int i = 0; i < keys.Length; i++)
            {
                if (keys[i] == key)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsTentKey(string key)
        {
            for (int i = 0; i < s_tentKeys.Length; i++)
            {
                if (s_tentKeys[i] == key)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsTentGroup(string name)
        {
            return name == "tent" || name == "collector";
        }

        private static bool IsGroup(string name)
        {
            string[] keys = UnitConfig.Keys;
            for (int i = 0; i < keys.Length; i++)
            {
                int dot = keys[i].IndexOf('.');
                if ((dot < 0 ? keys[i] : keys[i].Substring(0, dot)) == name)
                {
                    return true;
                }
            }

            return false;
        }

        private string Require(string name)
        {
            int index = IndexOfUnit(name.ToLower());
            if (index < 0)
            {
                string known = string.Empty;
                for (int i = 0; i < _unitCount; i++)
                {
                    known += (i == 0 ? string.Empty : ", ") + _units[i];
                }

                throw new ConfigFileException(0, null, "the race file has no unit '" + name + "': it names " + (known.Length == 0 ? "none" : known) + ".");
            }

            return _units[index];
        }

        private void Add(string key, string value, int line)
        {
            string unit = null;
            if (IsTentKey(key))
            {
                // The tent's accounts are race-wide: stored like a race-wide unit key, never built into a unit.
            }
            else if (!IsKey(key))
            {
                int dot = key.IndexOf('.');
                if (dot > 0 && IsTentGroup(key.Substring(0, dot)))
                {
                    throw new ConfigFileException(line, key, "unknown key '" + key + "': the tent's keys are tent.username, tent.password, collector.username and collector.password (race-wide, docs/race-file.md).");
                }

                if (dot <= 0 || IsGroup(key.Substring(0, dot)))
                {
                    // A race-wide key misspelt: the unit configuration names the key it probably meant.
                    new UnitConfig().Set(key, value, line);
                }

                unit = key.Substring(0, dot);
                string rest = key.Substring(dot + 1);
                if (!IsKey(rest))
                {
                    try
                    {
                        new UnitConfig().Set(rest, value, line);
                    }
                    catch (ConfigFileException e)
                    {
                        throw new ConfigFileException(line, rest, "unit " + unit + ": " + e.Problem);
                    }
                }

                key = rest;
                if (!ValueText.IsName(unit, 32) || unit.IndexOf('.') >= 0 || IsGroup(unit) || IsTentGroup(unit))
                {
                    throw new ConfigFileException(line, key, "'" + unit + "' cannot name a unit: expected 1-32 letters, digits, '-' or '_', and not a key's first part.");
                }

                if (IndexOfUnit(unit) < 0)
                {
                    AddUnit(unit);
                }
            }

            for (int i = 0; i < _pairs; i++)
            {
                if (_pairKey[i] == key && _pairUnit[i] == unit)
                {
                    throw new ConfigFileException(line, key, (unit == null ? key : unit + "." + key) + " is set twice (first on line " + _pairLine[i].ToString() + ").");
                }
            }

            if (_pairs == _pairKey.Length)
            {
                _pairUnit = Grow(_pairUnit);
                _pairKey = Grow(_pairKey);
                _pairValue = Grow(_pairValue);
                int[] lines = new int[_pairLine.Length * 2];
                for (int i = 0; i < _pairs; i++)
                {
                    lines[i] = _pairLine[i];
                }

                _pairLine = lines;
            }

            _pairUnit[_pairs] = unit;
            _pairKey[_pairs] = key;
            _pairValue[_pairs] = value;
            _pairLine[_pairs] = line;
            _pairs++;
        }

        private void AddUnit(string unit)
        {
            if (_unitCount == _units.Length)
            {
                _units = Grow(_units);
            }

            _units[_unitCount] = unit;
            _unitCount++;
        }

        private UnitConfig Build(string unit)
        {
            UnitConfig config = new UnitConfig();
            string[] keys = UnitConfig.Keys;
            bool named = false;
            try
            {
                for (int k = 0; k < keys.Length; k++)
                {
                    int line;
                    string value = ValueOf(unit, keys[k], out line);
                    if (value == null && keys[k] == "mat.name" && unit != null)
                    {
                        value = unit;
                        named = true;
                    }

                    if (value != null)
                    {
                        config.Set(keys[k], value, line);
                    }
                }

                config.Validate();
            }
            catch (ConfigFileException e)
            {
                if (unit == null)
                {
                    throw;
                }

                string problem = named && e.Key == "mat.name" ? e.Problem + " (mat.name defaults to the unit's name)" : e.Problem;
                throw new ConfigFileException(e.Line, e.Key, "unit " + unit + ": " + problem);
            }

            return config;
        }

        private string ValueOf(string unit, string key, string fallback)
        {
            int line;
            string value = ValueOf(unit, key, out line);
            return value == null ? fallback : value;
        }

        private string ValueOf(string unit, string key, out int line)
        {
            string wide = null;
            int wideLine = 0;
            for (int i = 0; i < _pairs; i++)
            {
                if (_pairKey[i] != key)
                {
                    continue;
                }

                if (unit != null && _pairUnit[i] == unit)
                {
                    line = _pairLine[i];
                    return _pairValue[i];
                }

                if (_pairUnit[i] == null)
                {
                    wide = _pairValue[i];
                    wideLine = _pairLine[i];
                }
            }

            line = wideLine;
            return wide;
        }

        private int IndexOfUnit(string unit)
        {
            for (int i = 0; i < _unitCount; i++)
            {
                if (_units[i] == unit)
                {
                    return i;
                }
            }

            return -1;
        }

        private static string[] Grow(string[] array)
        {
            string[] grown = new string[array.Length * 2];
            for (int i = 0; i < array.Length; i++)
            {
                grown[i] = array[i];
            }

            return grown;
        }
    }
}
