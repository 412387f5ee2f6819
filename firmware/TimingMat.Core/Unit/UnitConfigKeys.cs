namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The keys of <c>unit.cfg</c>: their index, their names in the order docs/unit-config.md lists them, which hold
    /// secrets, and the suggestion an unknown key gets. Indexes into every per-key table of <see cref="UnitConfig"/>.
    /// </summary>
    internal static class UnitConfigKeys
    {

        internal const int UnitId = 0;
        internal const int RaceIdKey = 1;
        internal const int MatNameKey = 2;
        internal const int MatKmKey = 3;
        internal const int MatRoleKey = 4;
        internal const int ModeKey = 5;
        internal const int OpensKey = 6;
        internal const int CutOffKey = 7;
        internal const int DetectionKey = 8;
        internal const int ReactionKey = 9;
        internal const int DeadTimeKey = 10;
        internal const int ReaderTypeKey = 11;
        internal const int RegionKey = 12;
        internal const int PowerKey = 13;
        internal const int BaudKey = 14;
        internal const int LineBaudKey = 15;
        internal const int AntennasKey = 16;
        internal const int ModulesKey = 17;
        internal const int NetworkKey = 18;
        internal const int SsidKey = 19;
        internal const int WifiPasswordKey = 20;
        internal const int UrlKey = 21;
        internal const int UsernameKey = 22;
        internal const int MqttPasswordKey = 23;
        internal const int CaFileKey = 24;
        internal const int PrefixKey = 25;
        internal const int ClientIdKey = 26;
        internal const int StatusKey = 27;
        internal const int StallKey = 28;
        internal const int LoraKey = 29;
        internal const int SfKey = 30;
        internal const int DutyKey = 31;
        internal const int FallbackKey = 32;
        internal const int LoraRoleKey = 33;
        internal const int LoraOrderKey = 34;
        internal const int LoraFrequencyKey = 35;
        internal const int CommandKeyKey = 36;
        internal const int BodyShadowKey = 37;


        internal static readonly string[] Names = new string[]
        {
            "unit.id", "race.id", "mat.name", "mat.km", "mat.role",
            "mode", "window.opens", "window.cut_off",
            "crossings.mode", "crossings.reaction_ms", "crossings.dead_time_ms",
            "reader.type", "reader.region", "reader.power_dbm", "reader.baud", "reader.line_baud", "reader.antennas", "reader.modules",
            "network", "wifi.ssid", "wifi.password",
            "mqtt.url", "mqtt.username", "mqtt.password", "mqtt.ca_file", "mqtt.prefix", "mqtt.client_id",
            "status.interval_s", "supervisor.stall_s",
            "lora.enabled", "lora.sf", "lora.duty_cycle_pct", "lora.fallback_s", "lora.role", "lora.order", "lora.frequency_mhz",
            "command.key",
            "crossings.body_shadow_db",
        };

        /// <summary>Tells whether the key at an index holds a secret.</summary>
        /// <param name="index">The key's index.</param>
        /// <returns><c>true</c> for <c>wifi.password</c>, <c>mqtt.password</c> and <c>command.key</c>.</returns>
        internal static bool IsSecret(int index)
        {
            return index == WifiPasswordKey || index == MqttPasswordKey || index == CommandKeyKey;
        }

        /// <summary>Finds a key's index.</summary>
        /// <param name="key">The key, lower case.</param>
        /// <returns>Its index in <see cref="Names"/>, or -1 for an unknown key.</returns>
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

        /// <summary>Gets the roles <c>mat.role</c> takes, as an error's expectation lists them.</summary>
        /// <returns>The list.</returns>
        internal static string RoleList()
        {
            return "check-in, start, split, turnaround or finish";
        }

        /// <summary>Gets the known key an unknown one was probably meant to be.</summary>
        /// <param name="key">The unknown key.</param>
        /// <returns><c> (did you mean '…'?)</c>, or empty when no key is close.</returns>
        internal static string Suggestion(string key)
        {
            // A key with the right last part under another group, or the right group with a typo, is the usual mistake.
            int dot = key.IndexOf('.');
            string tail = dot >= 0 ? key.Substring(dot + 1) : key;
            for (int i = 0; i < Names.Length; i++)
            {
                string known = Names[i];
                int knownDot = known.IndexOf('.');
                string knownTail = knownDot >= 0 ? known.Substring(knownDot + 1) : known;
                if (knownTail == tail || (known.Length == key.Length && Differences(known, key) <= 2))
                {
                    return " (did you mean '" + known + "'?)";
                }
            }

            return string.Empty;
        }

        /// <summary>Counts the positions where two strings of the same length differ.</summary>
        /// <param name="a">One string.</param>
        /// <param name="b">The other, as long.</param>
        /// <returns>The number of differing characters.</returns>
        internal static int Differences(string a, string b)
        {
            int differences = 0;
            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    differences++;
                }
            }

            return differences;
        }

        /// <summary>Shows a value in an error: quoted, or a secret by its length only.</summary>
        /// <param name="index">The key's index.</param>
        /// <param name="value">The value.</param>
        /// <returns>The text to print.</returns>
        internal static string Shown(int index, string value)
        {
            if (IsSecret(index))
            {
                return "(secret, " + value.Length.ToString() + " characters)";
            }

            return "'" + value + "'";
        }
    }
}
