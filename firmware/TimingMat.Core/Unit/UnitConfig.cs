using TimingMat.Core.Crossings;
using TimingMat.Core.Outbox;
using TimingMat.Core.RaceDay;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The one configuration of a mat unit, in the <c>key = value</c> dialect of <c>board.cfg</c> (docs/unit-config.md
    /// lists every key): who the unit is (unit, race, mat, km, role), when it counts (mode, armed window), how it
    /// detects, which reader it drives, how it reaches the broker (Wi-Fi or Ethernet, MQTT URL, credentials, TLS),
    /// LoRa, and the command key. The board reads it from flash, <c>timingmat provision</c> writes it, the desktop unit
    /// and the simulator build it from their own files; <see cref="ToSettings"/> is the one mapping to
    /// <see cref="MatUnitSettings"/>.
    /// </summary>
    /// <remarks>
    /// Unknown, repeated and missing keys are refused, and every error names the key, the value and what was expected
    /// (<see cref="ConfigFileException"/>). Secrets (<c>wifi.password</c>, <c>mqtt.password</c>, <c>command.key</c>) are
    /// never printed back: errors give their length, <see cref="ToString"/> says <c>set</c> or <c>unset</c>.
    /// </remarks>
    public sealed class UnitConfig
    {
        /// <summary>The shortest command key in bytes (128 bits).</summary>
        public const int MinKeyBytes = 16;

        /// <summary>The longest command key in bytes (one SHA-256 block).</summary>
        public const int MaxKeyBytes = 64;

        private const int UnitId = 0;
        private const int RaceIdKey = 1;
        private const int MatNameKey = 2;
        private const int MatKmKey = 3;
        private const int MatRoleKey = 4;
        private const int ModeKey = 5;
        private const int OpensKey = 6;
        private const int CutOffKey = 7;
        private const int DetectionKey = 8;
        private const int ReactionKey = 9;
        private const int DeadTimeKey = 10;
        private const int ReaderTypeKey = 11;
        private const int RegionKey = 12;
        private const int PowerKey = 13;
        private const int BaudKey = 14;
        private const int LineBaudKey = 15;
        private const int AntennasKey = 16;
        private const int ModulesKey = 17;
        private const int NetworkKey = 18;
        private const int SsidKey = 19;
        private const int WifiPasswordKey = 20;
        private const int UrlKey = 21;
        private const int UsernameKey = 22;
        private const int MqttPasswordKey = 23;
        private const int CaFileKey = 24;
        private const int PrefixKey = 25;
        private const int ClientIdKey = 26;
        private const int StatusKey = 27;
        private const int StallKey = 28;
        private const int LoraKey = 29;
        private const int SfKey = 30;
        private const int DutyKey = 31;
        private const int FallbackKey = 32;
        private const int LoraRoleKey = 33;
        private const int LoraOrderKey = 34;
        private const int LoraFrequencyKey = 35;
        private const int CommandKeyKey = 36;
        private const int BodyShadowKey = 37;

        private static readonly string[] s_keys = new string[]
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

        private readonly int[] _lines = new int[s_keys.Length];
        private readonly bool[] _set = new bool[s_keys.Length];
        private int _modeSet;
        private int _detectionSet;
        private int _reactionSet;

        /// <summary>Initializes a new instance of the <see cref="UnitConfig"/> class with no key set; <see cref="Set(string, string)"/> then <see cref="Validate"/>.</summary>
        public UnitConfig()
        {
            Unit = 0;
            Role = UnitRole.Split;
            BootMode = RaceDayMode.Test;
            OpensUtcMicros = ArmedWindow.NoOpening;
            CutOffUtcMicros = ArmedWindow.NoCutOff;
            DeadTimeMicros = CrossingSettings.DefaultDeadTimeMicros;
            ReaderBaud = 115200;
            Region = -1;
            PowerCentiDbm = -1;
            Antennas = 0;
            MqttPort = 1883;
            TopicPrefix = UplinkTopics.DefaultPrefix;
            StatusIntervalSeconds = 10;
            StallSeconds = 60;
            LoraEnabled = true;
            LoraSpreadingFactor = 7;
            LoraDutyCyclePermille = 100;
            LoraFallbackSeconds = 30;
            LoraOrder = -1;
            LoraFrequencyHz = 869525000;
        }

        /// <summary>Gets every key, in the order the documentation lists them.</summary>
        public static string[] Keys
        {
            get { return s_keys; }
        }

        /// <summary>Gets the unit (mat) id, 1–65535 (<c>unit.id</c>, required).</summary>
        public int Unit { get; private set; }

        /// <summary>Gets the race id (<c>race.id</c>), or <c>null</c>.</summary>
        public string RaceId { get; private set; }

        /// <summary>Gets the mat's name (<c>mat.name</c>; default <c>unit-&lt;id&gt;</c>).</summary>
        public string MatName { get; private set; }

        /// <summary>Gets where the mat lies on the course in metres (<c>mat.km</c> × 1000, rounded; default 0).</summary>
        public int MatMetres { get; private set; }

        /// <summary>Gets the unit's role (<c>mat.role</c>, required).</summary>
        public UnitRole Role { get; private set; }

        /// <summary>Gets the mode the unit starts in (<c>mode</c>; default timing when a window is set, else test).</summary>
        public RaceDayMode BootMode { get; private set; }

        /// <summary>Gets when the armed window opens, UTC µs, or <see cref="ArmedWindow.NoOpening"/>.</summary>
        public long OpensUtcMicros { get; private set; }

        /// <summary>Gets the cut-off, UTC µs, or <see cref="ArmedWindow.NoCutOff"/>.</summary>
        public long CutOffUtcMicros { get; private set; }

        /// <summary>Gets the detection mode (<c>crossings.mode</c>; default first read at a check-in, peak elsewhere).</summary>
        public DetectionMode Detection { get; private set; }

        /// <summary>Gets the reaction time, µs (<c>crossings.reaction_ms</c>; default by role).</summary>
        public long ReactionMicros { get; private set; }

        /// <summary>Gets the dead time, µs (<c>crossings.dead_time_ms</c>; default 5 s).</summary>
        public long DeadTimeMicros { get; private set; }

        /// <summary>
        /// Gets the body shadow the peak fit corrects for, centi-dB (<c>crossings.body_shadow_db</c>; default 0): the extra
        /// loss once a chest tag is past the line.
        /// </summary>
        public int BodyShadowCentiDb { get; private set; }

        /// <summary>Gets the reader type (<c>reader.type</c>, required).</summary>
        public ReaderProtocol ReaderProtocol { get; private set; }

        /// <summary>Gets the region's index in <see cref="ReaderRegions"/> (<c>reader.region</c>, required).</summary>
        public int Region { get; private set; }

        /// <summary>Gets the output power in centi-dBm (<c>reader.power_dbm</c>; default 27 dBm for the M6e, 30 for R2000).</summary>
        public int PowerCentiDbm { get; private set; }

        /// <summary>Gets the reader UART's speed at power-on (<c>reader.baud</c>; default 115200).</summary>
        public int ReaderBaud { get; private set; }

        /// <summary>Gets the faster line speed the unit moves an M6e to after it answers, or 0 (<c>reader.line_baud</c>).</summary>
        public int LineBaud { get; private set; }

        /// <summary>Gets the antenna ports of an R2000 module, 4 or 8 (<c>reader.antennas</c>); 1 for the M6e.</summary>
        public int Antennas { get; private set; }

        /// <summary>Gets how many reader modules the unit drives, 1–8, or 0 for as many as the board wires (<c>reader.modules</c>).</summary>
        public int ReaderModules { get; private set; }

        /// <summary>Gets a value indicating whether the unit uses Wi-Fi (<c>network = wifi</c>) rather than Ethernet.</summary>
        public bool UsesWifi { get; private set; }

        /// <summary>Gets the Wi-Fi network's name, or <c>null</c>.</summary>
        public string WifiSsid { get; private set; }

        /// <summary>Gets the Wi-Fi password, or <c>null</c> (a secret: never print it).</summary>
        public string WifiPassword { get; private set; }

        /// <summary>Gets a value indicating whether <c>mqtt.url</c> is set.</summary>
        public bool HasBroker
        {
            get { return MqttHost != null; }
        }

        /// <summary>Gets the broker's host from <c>mqtt.url</c>, or <c>null</c>.</summary>
        public string MqttHost { get; private set; }

        /// <summary>Gets the broker's port (1883, or 8883 for <c>mqtts://</c>, unless the URL names one).</summary>
        public int MqttPort { get; private set; }

        /// <summary>Gets a value indicating whether the broker is reached over TLS (<c>mqtts://</c>).</summary>
        public bool MqttTls { get; private set; }

        /// <summary>Gets the broker user name, or <c>null</c>.</summary>
        public string MqttUsername { get; private set; }

        /// <summary>Gets the broker password, or <c>null</c> (a secret: never print it).</summary>
        public string MqttPassword { get; private set; }

        /// <summary>Gets the file on the unit's storage holding the CA certificate that signed the broker's, or <c>null</c>.</summary>
        public string MqttCaFile { get; private set; }

        /// <summary>Gets the MQTT topic prefix (<c>mqtt.prefix</c>; default <c>timingmat</c>).</summary>
        public string TopicPrefix { get; private set; }

        /// <summary>Gets the MQTT client id (<c>mqtt.client_id</c>; default <c>timingmat-unit-&lt;id&gt;</c>).</summary>
        public string ClientId { get; private set; }

        /// <summary>Gets how often the retained status is refreshed, s (<c>status.interval_s</c>; default 10).</summary>
        public int StatusIntervalSeconds { get; private set; }

        /// <summary>Gets how long a part of the unit may stall before the supervisor reboots it, s (<c>supervisor.stall_s</c>; default 60).</summary>
        public int StallSeconds { get; private set; }

        /// <summary>Gets a value indicating whether the unit uses its LoRa radio when it has one (<c>lora.enabled</c>; default on).</summary>
        public bool LoraEnabled { get; private set; }

        /// <summary>Gets the LoRa spreading factor, 7–12 (<c>lora.sf</c>; default 7).</summary>
        public int LoraSpreadingFactor { get; private set; }

        /// <summary>Gets the LoRa duty cycle in permille (<c>lora.duty_cycle_pct</c> × 10; default 10 %, the radio's 869.525 MHz g3 sub-band).</summary>
        public int LoraDutyCyclePermille { get; private set; }

        /// <summary>Gets how long MQTT must be down before LoRa carries the passings, s (<c>lora.fallback_s</c>; default 30).</summary>
        public int LoraFallbackSeconds { get; private set; }

        /// <summary>
        /// Gets a value indicating whether the board runs as the tent's LoRa gateway (<c>lora.role = gateway</c>) rather
        /// than as a mat unit (<c>unit</c>, the default): it then needs no reader, GPS or <c>mat.role</c>, and runs
        /// <see cref="LoRaGatewayUnit"/> instead of <see cref="MatUnit"/>.
        /// </summary>
        public bool IsLoraGateway { get; private set; }

        /// <summary>Gets a value indicating whether the unit sends its newest passings first over LoRa (<c>lora.order = newest</c>; default at a finish) rather than the oldest (<c>oldest</c>; default elsewhere).</summary>
        public bool LoraNewestFirst
        {
            get { return LoraOrder < 0 ? Role == UnitRole.Finish : LoraOrder == 1; }
        }

        /// <summary>Gets or sets the race's chip list (<c>chips.cfg</c> beside this file, read by the host), or <c>null</c>: chips then go over LoRa with their whole EPC.</summary>
        public Lora.LoRaChipList LoraChips { get; set; }

        /// <summary>Gets or sets the gateway's keys of every unit (<c>keys.cfg</c> beside this file, read by the host); a gateway needs them.</summary>
        public Lora.LoRaKeyList LoraKeys { get; set; }

        /// <summary>Gets the LoRa carrier, Hz (<c>lora.frequency_mhz</c>; default 869.525 MHz, EU868 g3). Between 902 and 928 MHz the US915 400 ms dwell limit applies.</summary>
        public long LoraFrequencyHz { get; private set; }

        private int LoraOrder { get; set; }

        /// <summary>Gets the command key (16–64 bytes), or <c>null</c> when none is set: the unit then refuses every command (a secret: never print it).</summary>
        public byte[] CommandKey { get; private set; }

        /// <summary>Parses and validates a unit configuration file.</summary>
        /// <param name="text">The file's text.</param>
        /// <returns>The configuration.</returns>
        /// <exception cref="ConfigFileException">A line, key or value is wrong, or a required key is missing.</exception>
        public static UnitConfig Parse(string text)
        {
            UnitConfig config = new UnitConfig();
            KeyValueReader reader = new KeyValueReader(text);
            while (reader.Next())
            {
                config.Set(reader.Key, reader.Value, reader.Line);
            }

            config.Validate();
            return config;
        }

        /// <summary>Tells whether a key holds a secret.</summary>
        /// <param name="key">The key.</param>
        /// <returns><c>true</c> for <c>wifi.password</c>, <c>mqtt.password</c> and <c>command.key</c>.</returns>
        public static bool IsSecret(string key)
        {
            return key == s_keys[WifiPasswordKey] || key == s_keys[MqttPasswordKey] || key == s_keys[CommandKeyKey];
        }

        /// <summary>Sets one key, as a program does (the desktop unit's JSON, the simulator's scenario).</summary>
        /// <param name="key">The key, e.g. <c>mat.role</c>.</param>
        /// <param name="value">Its value as the file would write it.</param>
        /// <exception cref="ConfigFileException">Unknown or repeated key, or a bad value.</exception>
        public void Set(string key, string value)
        {
            Set(key, value, 0);
        }

        /// <summary>Sets one key read from a line of a file.</summary>
        /// <param name="key">The key, lower case.</param>
        /// <param name="value">The value, trimmed.</param>
        /// <param name="line">The 1-based line, or 0.</param>
        /// <exception cref="ConfigFileException">Unknown or repeated key, or a bad value.</exception>
        public void Set(string key, string value, int line)
        {
            int index = IndexOf(key);
            if (index < 0)
            {
                throw new ConfigFileException(line, key, "unknown key '" + key + "'" + Suggestion(key) + "; docs/unit-config.md lists the keys.");
            }

            if (_set[index])
            {
                throw new ConfigFileException(line, key, key + " is set twice" + (_lines[index] > 0 ? " (first on line " + _lines[index].ToString() + ")" : string.Empty) + ".");
            }

            _set[index] = true;
            _lines[index] = line;
            Apply(index, value, line);
        }

        /// <summary>Checks what one key cannot: required keys, and keys that must agree (reader type and region, window, network).</summary>
        /// <exception cref="ConfigFileException">A required key is missing or two keys disagree.</exception>
        public void Validate()
        {
            Require(UnitId, "the unit id, 1-65535");
            if (IsLoraGateway)
            {
                ValidateGateway();
                return;
            }

            Require(MatRoleKey, "the mat's role: " + RoleList());
            Require(ReaderTypeKey, ReaderTypeText.Expected);
            Require(RegionKey, ReaderRegions.Expected + "; never defaulted: a reader must transmit only on the channels allowed where the race is");
            if (OpensUtcMicros != ArmedWindow.NoOpening && CutOffUtcMicros != ArmedWindow.NoCutOff && CutOffUtcMicros <= OpensUtcMicros)
            {
                throw Error(CutOffKey, "is not after window.opens: expected a cut-off after the opening");
            }

            if (_modeSet == 0)
            {
                BootMode = _set[OpensKey] || _set[CutOffKey] ? RaceDayMode.Timing : RaceDayMode.Test;
            }

            if (_detectionSet == 0)
            {
                Detection = UnitRoleText.DefaultMode(Role);
            }

            if (_reactionSet == 0)
            {
                ReactionMicros = UnitRoleText.DefaultReactionMicros(Role);
            }

            if (ReaderProtocol == ReaderProtocol.Mercury)
            {
                if (_set[AntennasKey])
                {
                    throw Error(AntennasKey, "is for R2000 modules: expected no reader.antennas with reader.type = m6e (the M6e Nano has one port)");
                }

                if (PowerCentiDbm < 0)
                {
                    PowerCentiDbm = 2700;
                }
                else if (PowerCentiDbm < 500 || PowerCentiDbm > 2700)
                {
                    throw Error(PowerKey, "is out of range: expected 5-27 dBm for the M6e Nano (to 0.01 dB)");
                }

                Antennas = 1;
            }
            else
            {
                if (ReaderRegions.R2000Code(Region) == ReaderRegions.NoR2000Region)
                {
                    throw Error(RegionKey, "is not a region R2000 modules have: expected na, eu or cn with reader.type = r2000");
                }

                if (PowerCentiDbm < 0)
                {
                    PowerCentiDbm = 3000;
                }
                else if (PowerCentiDbm > 3300 || PowerCentiDbm % 100 != 0)
                {
                    throw Error(PowerKey, "is not a whole 0-33 dBm: expected what R2000 modules take");
                }

                if (Antennas == 0)
                {
                    Antennas = 4;
                }
            }

            if (LineBaud > 0 && ReaderProtocol != ReaderProtocol.Mercury)
            {
                throw Error(LineBaudKey, "is for the M6e Nano: expected no reader.line_baud with reader.type = r2000");
            }

            if (!_set[NetworkKey])
            {
                UsesWifi = _set[SsidKey];
            }

            if (UsesWifi && !_set[SsidKey])
            {
                throw new ConfigFileException(_lines[NetworkKey], s_keys[SsidKey], "wifi.ssid is missing: expected the Wi-Fi network's name with network = wifi.");
            }

            if (!UsesWifi && (_set[SsidKey] || _set[WifiPasswordKey]))
            {
                int key = _set[SsidKey] ? SsidKey : WifiPasswordKey;
                throw new ConfigFileException(_lines[key], s_keys[key], s_keys[key] + " is set but network = ethernet: expected no wifi.* keys on an Ethernet unit.");
            }

            if (_set[MqttPasswordKey] && !_set[UsernameKey])
            {
                throw new ConfigFileException(_lines[MqttPasswordKey], s_keys[MqttPasswordKey], "mqtt.password is set without mqtt.username: expected both or neither.");
            }

            if (_set[CaFileKey] && !MqttTls)
            {
                throw new ConfigFileException(_lines[CaFileKey], s_keys[CaFileKey], "mqtt.ca_file is set but mqtt.url is not mqtts://: expected a CA file only with TLS.");
            }

            if (MatName == null)
            {
                MatName = "unit-" + Unit.ToString();
            }

            if (ClientId == null)
            {
                ClientId = "timingmat-unit-" + Unit.ToString();
            }
        }

        private void ValidateGateway()
        {
            // A gateway times nothing: keys about reading, detecting and counting would be silently unused.
            for (int i = MatRoleKey; i <= ModulesKey; i++)
            {
                if (_set[i])
                {
                    throw new ConfigFileException(_lines[i], s_keys[i], s_keys[i] + " is set but lora.role = gateway: expected no mat, mode, window, crossings or reader keys on the tent's gateway.");
                }
            }

            if (!LoraEnabled)
            {
                throw Error(LoraKey, "but lora.role = gateway: expected lora.enabled on (or unset) on the gateway");
            }

            if (!_set[NetworkKey])
            {
                UsesWifi = _set[SsidKey];
            }

            if (MatName == null)
            {
                MatName = "gateway-" + Unit.ToString();
            }

            if (ClientId == null)
            {
                ClientId = "timingmat-gateway-" + Unit.ToString();
            }
        }

        /// <summary>
        /// Gets the most reads per second the reader lines carry (10 bits a byte on the UART; a read is a 47-byte
        /// Mercury record with its metadata, or a 21-byte R2000 inventory frame for a 96-bit EPC): 245 for an M6e on
        /// 115,200 baud, 548 for an R2000. It sizes the store of reads the open crossings keep for the peak fit.
        /// </summary>
        /// <returns>Reads per second, all modules together (one module when <c>reader.modules</c> is left as wired).</returns>
        public int LineReadsPerSecond()
        {
            int baud = LineBaud > 0 ? LineBaud : ReaderBaud;
            int recordBytes = ReaderProtocol == ReaderProtocol.Mercury ? 47 : 21;
            int perModule = baud / (10 * recordBytes);
            return (ReaderModules < 1 ? 1 : ReaderModules) * (perModule < 1 ? 1 : perModule);
        }

        /// <summary>Makes the core's settings for this configuration: the one mapping from configuration to <see cref="MatUnitSettings"/>.</summary>
        /// <returns>New settings; a host may still adjust what the configuration does not say (journal id, capacities).</returns>
        public MatUnitSettings ToSettings()
        {
            MatUnitSettings settings = new MatUnitSettings(Unit);
            settings.Role = Role;
            settings.ReaderProtocol = ReaderProtocol;
            settings.Mercury.BaudRates = new int[] { ReaderBaud };
            settings.R2000.BaudRates = new int[] { ReaderBaud };
            if (IsLoraGateway)
            {
                // A gateway has no reader: the rest of a mat's settings stay at their defaults, unused.
            }
            else if (ReaderProtocol == ReaderProtocol.Mercury)
            {
                settings.Mercury.Region = ReaderRegions.MercuryCode(Region);
                settings.Mercury.ReadPowerCentiDbm = PowerCentiDbm;
                settings.Mercury.LineBaudRate = LineBaud;
            }
            else
            {
                settings.R2000.Region = ReaderRegions.R2000Code(Region);
                settings.R2000.FrequencyStartIndex = ReaderRegions.R2000FirstChannel(Region);
                settings.R2000.FrequencyEndIndex = ReaderRegions.R2000LastChannel(Region);
                settings.R2000.OutputPowerDbm = PowerCentiDbm / 100;
                settings.R2000.AntennaPorts = Antennas;
            }

            settings.Crossings.Mode = Detection;
            settings.Crossings.SetCapacity(UnitRoleText.DefaultChipCapacity(Role));
            settings.Crossings.ReactionMicros = ReactionMicros;
            settings.Crossings.DeadTimeMicros = DeadTimeMicros;
            settings.Crossings.BodyShadowCentiDb = BodyShadowCentiDb;
            settings.Crossings.ReadsPerSecond = LineReadsPerSecond();
            if (settings.Crossings.StrayMicros < ReactionMicros)
            {
                settings.Crossings.StrayMicros = ReactionMicros;
            }

            settings.Uplink.ClientId = ClientId;
            settings.Uplink.Username = MqttUsername;
            settings.Uplink.Password = MqttPassword;
            settings.Uplink.StatusIntervalMicros = StatusIntervalSeconds * 1000000L;
            settings.Uplink.Outbox.TopicPrefix = TopicPrefix;
            settings.StallMicros = StallSeconds * 1000000L;
            ApplyLora(settings.Lora);
            return settings;
        }

        /// <summary>Sets the LoRa options this configuration says (the one mapping of the <c>lora.*</c> keys, units and gateway alike).</summary>
        /// <param name="options">The options to set.</param>
        public void ApplyLora(Lora.LoRaOptions options)
        {
            options.Enabled = LoraEnabled;
            options.Radio.SpreadingFactor = LoraSpreadingFactor;
            options.Radio.FrequencyHz = LoraFrequencyHz;
            options.DutyCyclePermille = LoraDutyCyclePermille;
            options.FallbackAfterMicros = LoraFallbackSeconds * 1000000L;
            options.NewestFirst = LoraNewestFirst;
        }

        /// <summary>
        /// Writes the configuration back as a <c>key = value</c> file, every key with its value in effect; secrets as
        /// <c>set</c> or <c>unset</c>, never their value. What the console and the logs print.
        /// </summary>
        /// <returns>The text, one key a line.</returns>
        public override string ToString()
        {
            string text = string.Empty;
            for (int i = 0; i < s_keys.Length; i++)
            {
                text += s_keys[i] + " = " + ValueOf(i) + "\n";
            }

            return text;
        }

        /// <summary>Gets the value of a key as <see cref="ToString"/> writes it (a secret as <c>set</c>/<c>unset</c>).</summary>
        /// <param name="key">The key.</param>
        /// <returns>The value, or <c>null</c> for an unknown key.</returns>
        public string Get(string key)
        {
            int index = IndexOf(key);
            return index < 0 ? null : ValueOf(index);
        }

        /// <summary>Gets a 32-bit checksum of the configuration's content (secrets included), to tell two configurations apart.</summary>
        /// <returns>CRC-32 of the text with every value, secrets in hex.</returns>
        public uint Checksum()
        {
            string text = ToString() + (WifiPassword == null ? string.Empty : WifiPassword) + "\n" + (MqttPassword == null ? string.Empty : MqttPassword) + "\n";
            byte[] bytes = new byte[(text.Length * 2) + (CommandKey == null ? 0 : CommandKey.Length)];
            for (int i = 0; i < text.Length; i++)
            {
                bytes[2 * i] = (byte)text[i];
                bytes[(2 * i) + 1] = (byte)(text[i] >> 8);
            }

            if (CommandKey != null)
            {
                for (int i = 0; i < CommandKey.Length; i++)
                {
                    bytes[(text.Length * 2) + i] = CommandKey[i];
                }
            }

            return Journal.Crc32.Compute(bytes, 0, bytes.Length);
        }

        /// <summary>Writes a role as the configuration spells it.</summary>
        /// <param name="role">The role.</param>
        /// <returns>E.g. <c>check-in</c>.</returns>
        public static string RoleName(UnitRole role)
        {
            return UnitRoleText.Name(role);
        }

        private static int IndexOf(string key)
        {
            for (int i = 0; i < s_keys.Length; i++)
            {
                if (s_keys[i] == key)
                {
                    return i;
                }
            }

            return -1;
        }

        private static string RoleList()
        {
            return "check-in, start, split, turnaround or finish";
        }

        private static string Suggestion(string key)
        {
            // A key with the right last part under another group, or the right group with a typo, is the usual mistake.
            int dot = key.IndexOf('.');
            string tail = dot >= 0 ? key.Substring(dot + 1) : key;
            for (int i = 0; i < s_keys.Length; i++)
            {
                string known = s_keys[i];
                int knownDot = known.IndexOf('.');
                string knownTail = knownDot >= 0 ? known.Substring(knownDot + 1) : known;
                if (knownTail == tail || (known.Length == key.Length && Differences(known, key) <= 2))
                {
                    return " (did you mean '" + known + "'?)";
                }
            }

            return string.Empty;
        }

        private static int Differences(string a, string b)
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

        private static string Shown(int index, string value)
        {
            if (index == WifiPasswordKey || index == MqttPasswordKey || index == CommandKeyKey)
            {
                return "(secret, " + value.Length.ToString() + " characters)";
            }

            return "'" + value + "'";
        }

        private static long Milli(long millis)
        {
            return millis * 1000;
        }

        private static string Fixed(long scaled, int decimals)
        {
            string sign = scaled < 0 ? "-" : string.Empty;
            long magnitude = scaled < 0 ? -scaled : scaled;
            long scale = 1;
            for (int i = 0; i < decimals; i++)
            {
                scale *= 10;
            }

            string fraction = (magnitude % scale).ToString();
            while (fraction.Length < decimals)
            {
                fraction = "0" + fraction;
            }

            return sign + (magnitude / scale).ToString() + (decimals > 0 ? "." + fraction : string.Empty);
        }

        private void Apply(int index, string value, int line)
        {
            long number;
            bool on;
            switch (index)
            {
                case UnitId:
                    Unit = (int)Whole(index, value, line, 1, 65535, "the unit id, a whole number 1-65535");
                    break;
                case RaceIdKey:
                    Name(index, value, line, 32, "1-32 letters, digits, '.', '-' or '_'");
                    RaceId = value;
                    break;
                case MatNameKey:
                    Name(index, value, line, 32, "1-32 letters, digits, '.', '-' or '_'");
                    MatName = value;
                    break;
                case MatKmKey:
                    // Four decimals so a half marathon's 21.0975 km is taken as written; kept to the metre.
                    if (!ValueText.TryParseFixed(value, 4, out number) || number < 0 || number > 10000000)
                    {
                        throw Bad(index, value, line, "the mat's distance on the course, 0-1000 km with at most 4 decimals");
                    }

                    MatMetres = (int)((number + 5) / 10);
                    break;
                case MatRoleKey:
                    UnitRole role;
                    if (!UnitRoleText.TryParse(value, out role))
                    {
                        throw Bad(index, value, line, RoleList());
                    }

                    Role = role;
                    break;
                case ModeKey:
                    value = value.ToLower();
                    if (value == "timing")
                    {
                        BootMode = RaceDayMode.Timing;
                    }
                    else if (value == "test")
                    {
                        BootMode = RaceDayMode.Test;
                    }
                    else
                    {
                        throw Bad(index, value, line, "timing (record passings from boot) or test (count reads, record nothing)");
                    }

                    _modeSet = 1;
                    break;
                case OpensKey:
                    OpensUtcMicros = Utc(index, value, line);
                    break;
                case CutOffKey:
                    CutOffUtcMicros = Utc(index, value, line);
                    break;
                case DetectionKey:
                    DetectionMode mode;
                    if (!DetectionModeText.TryParse(value, out mode))
                    {
                        throw Bad(index, value, line, "peak, first, last, first+last or continuous");
                    }

                    Detection = mode;
                    _detectionSet = 1;
                    break;
                case ReactionKey:
                    ReactionMicros = Milli(Whole(index, value, line, 100, 10000, "100-10000 ms"));
                    _reactionSet = 1;
                    break;
                case DeadTimeKey:
                    DeadTimeMicros = Milli(Whole(index, value, line, 0, 600000, "0-600000 ms"));
                    break;
                case ReaderTypeKey:
                    ReaderProtocol protocol;
                    if (!ReaderTypeText.TryParse(value, out protocol))
                    {
                        throw Bad(index, value, line, ReaderTypeText.Expected);
                    }

                    ReaderProtocol = protocol;
                    break;
                case RegionKey:
                    Region = ReaderRegions.IndexOf(value);
                    if (Region < 0)
                    {
                        throw Bad(index, value, line, ReaderRegions.Expected);
                    }

                    break;
                case PowerKey:
                    if (!ValueText.TryParseFixed(value, 2, out number) || number < 0 || number > 3300)
                    {
                        throw Bad(index, value, line, "0-33 dBm (M6e Nano 5-27 to 0.01 dB, R2000 a whole number)");
                    }

                    PowerCentiDbm = (int)number;
                    break;
                case BaudKey:
                    ReaderBaud = (int)Whole(index, value, line, 9600, 921600, "a UART speed, 9600-921600");
                    break;
                case LineBaudKey:
                    LineBaud = (int)Whole(index, value, line, 9600, 921600, "a UART speed, 9600-921600");
                    break;
                case AntennasKey:
                    Antennas = (int)Whole(index, value, line, 4, 8, "4 or 8 (R2000 antenna ports)");
                    if (Antennas != 4 && Antennas != 8)
                    {
                        throw Bad(index, value, line, "4 or 8 (R2000 antenna ports)");
                    }

                    break;
                case ModulesKey:
                    ReaderModules = (int)Whole(index, value, line, 1, MatUnit.MaxReaders, "1-8 reader modules, one UART each");
                    break;
                case NetworkKey:
                    value = value.ToLower();
                    if (value != "wifi" && value != "ethernet")
                    {
                        throw Bad(index, value, line, "wifi or ethernet");
                    }

                    UsesWifi = value == "wifi";
                    break;
                case SsidKey:
                    if (value.Length > 32)
                    {
                        throw Bad(index, value, line, "a Wi-Fi network name of 1-32 characters");
                    }

                    WifiSsid = value;
                    break;
                case WifiPasswordKey:
                    if (value.Length < 8 || value.Length > 63)
                    {
                        throw Bad(index, value, line, "a WPA2 passphrase of 8-63 characters");
                    }

                    WifiPassword = value;
                    break;
                case UrlKey:
                    Url(value, line);
                    break;
                case UsernameKey:
                    MqttUsername = value;
                    break;
                case MqttPasswordKey:
                    MqttPassword = value;
                    break;
                case CaFileKey:
                    Name(index, value, line, 64, "a file name on the unit's storage (letters, digits, '.', '-', '_')");
                    MqttCaFile = value;
                    break;
                case PrefixKey:
                    if (value.IndexOf('+') >= 0 || value.IndexOf('#') >= 0 || value.IndexOf(' ') >= 0 || value.StartsWith("/") || value.EndsWith("/") || value.Length > 64)
                    {
                        throw Bad(index, value, line, "an MQTT topic prefix of up to 64 characters without + # spaces or a leading or trailing /");
                    }

                    TopicPrefix = value;
                    break;
                case ClientIdKey:
                    Name(index, value, line, 64, "1-64 letters, digits, '.', '-' or '_'");
                    ClientId = value;
                    break;
                case StatusKey:
                    StatusIntervalSeconds = (int)Whole(index, value, line, 1, 600, "1-600 s");
                    break;
                case StallKey:
                    StallSeconds = (int)Whole(index, value, line, 10, 3600, "10-3600 s");
                    break;
                case LoraKey:
                    if (!ValueText.TryParseSwitch(value, out on))
                    {
                        throw Bad(index, value, line, "on or off");
                    }

                    LoraEnabled = on;
                    break;
                case SfKey:
                    LoraSpreadingFactor = (int)Whole(index, value, line, 7, 12, "a spreading factor, 7-12");
                    break;
                case DutyKey:
                    if (!ValueText.TryParseFixed(value, 1, out number) || number < 1 || number > 1000)
                    {
                        throw Bad(index, value, line, "the sub-band's duty cycle, 0.1-100 % (1 for EU868 g/g1, 10 for g3)");
                    }

                    LoraDutyCyclePermille = (int)number;
                    break;
                case FallbackKey:
                    LoraFallbackSeconds = (int)Whole(index, value, line, 0, 3600, "0-3600 s");
                    break;
                case LoraRoleKey:
                    value = value.ToLower();
                    if (value != "unit" && value != "gateway")
                    {
                        throw Bad(index, value, line, "unit (a mat that falls back to LoRa) or gateway (the tent's LoRa gateway)");
                    }

                    IsLoraGateway = value == "gateway";
                    break;
                case LoraOrderKey:
                    value = value.ToLower();
                    if (value != "oldest" && value != "newest")
                    {
                        throw Bad(index, value, line, "oldest (the backlog in order) or newest (who just passed first)");
                    }

                    LoraOrder = value == "newest" ? 1 : 0;
                    break;
                case LoraFrequencyKey:
                    if (!ValueText.TryParseFixed(value, 3, out number) || number < 137000 || number > 1020000)
                    {
                        throw Bad(index, value, line, "the carrier in MHz, 137-1020 with at most 3 decimals (869.525 for EU868 g3; 902-928 is US915, 400 ms dwell)");
                    }

                    LoraFrequencyHz = number * 1000;
                    break;
                case BodyShadowKey:
                    if (!ValueText.TryParseFixed(value, 2, out number) || number < 0 || number > 3000)
                    {
                        throw Bad(index, value, line, "0-30 dB with at most 2 decimals, the extra loss once a chest tag is past the line (0: shoe or ankle tags)");
                    }

                    BodyShadowCentiDb = (int)number;
                    break;
                default:
                    byte[] key = ValueText.ParseHex(value);
                    if (key == null || key.Length < MinKeyBytes || key.Length > MaxKeyBytes)
                    {
                        throw Bad(index, value, line, "32-128 hex digits (a 16-64 byte key)");
                    }

                    CommandKey = key;
                    break;
            }
        }

        private void Url(string value, int line)
        {
            string rest;
            if (value.StartsWith("mqtt://"))
            {
                MqttTls = false;
                rest = value.Substring(7);
            }
            else if (value.StartsWith("mqtts://"))
            {
                MqttTls = true;
                rest = value.Substring(8);
            }
            else
            {
                throw Bad(UrlKey, value, line, "mqtt://host[:port] or mqtts://host[:port] (TLS)");
            }

            if (rest.EndsWith("/"))
            {
                rest = rest.Substring(0, rest.Length - 1);
            }

            int port = MqttTls ? 8883 : 1883;
            int colon = rest.IndexOf(':');
            string host = colon < 0 ? rest : rest.Substring(0, colon);
            if (colon >= 0)
            {
                long number;
                if (!ValueText.TryParseLong(rest.Substring(colon + 1), out number) || number < 1 || number > 65535)
                {
                    throw Bad(UrlKey, value, line, "a port 1-65535 after the host");
                }

                port = (int)number;
            }

            if (!ValueText.IsName(host, 253))
            {
                throw Bad(UrlKey, value, line, "mqtt://host[:port] or mqtts://host[:port] with a host name or IPv4 address");
            }

            MqttHost = host;
            MqttPort = port;
        }

        private void Name(int index, string value, int line, int max, string expected)
        {
            if (!ValueText.IsName(value, max))
            {
                throw Bad(index, value, line, expected);
            }
        }

        private long Whole(int index, string value, int line, long min, long max, string expected)
        {
            long number;
            if (!ValueText.TryParseLong(value, out number) || number < min || number > max)
            {
                throw Bad(index, value, line, expected);
            }

            return number;
        }

        private long Utc(int index, string value, int line)
        {
            long utc;
            if (!ValueText.TryParseUtc(value, out utc))
            {
                throw Bad(index, value, line, "an ISO 8601 time with a zone, e.g. 2026-10-04T06:30:00Z");
            }

            return utc;
        }

        private ConfigFileException Bad(int index, string value, int line, string expected)
        {
            return new ConfigFileException(line, s_keys[index], s_keys[index] + " = " + Shown(index, value) + ": expected " + expected + ".");
        }

        private ConfigFileException Error(int index, string problem)
        {
            return new ConfigFileException(_lines[index], s_keys[index], s_keys[index] + " = " + Shown(index, ValueOf(index)) + " " + problem + ".");
        }

        private void Require(int index, string expected)
        {
            if (!_set[index])
            {
                throw new ConfigFileException(0, s_keys[index], s_keys[index] + " is missing: expected " + expected + ".");
            }
        }

        private string ValueOf(int index)
        {
            switch (index)
            {
                case UnitId:
                    return Unit.ToString();
                case RaceIdKey:
                    return RaceId == null ? "none" : RaceId;
                case MatNameKey:
                    return MatName == null ? "unit-" + Unit.ToString() : MatName;
                case MatKmKey:
                    return Fixed(MatMetres, 3);
                case MatRoleKey:
                    return UnitRoleText.Name(Role);
                case ModeKey:
                    return RaceDayText.Name(BootMode);
                case OpensKey:
                    return OpensUtcMicros == ArmedWindow.NoOpening ? "none" : Iso(OpensUtcMicros);
                case CutOffKey:
                    return CutOffUtcMicros == ArmedWindow.NoCutOff ? "none" : Iso(CutOffUtcMicros);
                case DetectionKey:
                    return DetectionModeText.Name(Detection);
                case ReactionKey:
                    return (ReactionMicros / 1000).ToString();
                case DeadTimeKey:
                    return (DeadTimeMicros / 1000).ToString();
                case ReaderTypeKey:
                    return ReaderTypeText.Name(ReaderProtocol);
                case RegionKey:
                    return Region < 0 ? "none" : ReaderRegions.Name(Region);
                case PowerKey:
                    return PowerCentiDbm < 0 ? "default" : Fixed(PowerCentiDbm, 2);
                case BaudKey:
                    return ReaderBaud.ToString();
                case LineBaudKey:
                    return LineBaud == 0 ? "none" : LineBaud.ToString();
                case AntennasKey:
                    return Antennas.ToString();
                case ModulesKey:
                    return ReaderModules == 0 ? "as wired" : ReaderModules.ToString();
                case NetworkKey:
                    return UsesWifi ? "wifi" : "ethernet";
                case SsidKey:
                    return WifiSsid == null ? "none" : WifiSsid;
                case WifiPasswordKey:
                    return WifiPassword == null ? "unset" : "set";
                case UrlKey:
                    return MqttHost == null ? "none" : (MqttTls ? "mqtts://" : "mqtt://") + MqttHost + ":" + MqttPort.ToString();
                case UsernameKey:
                    return MqttUsername == null ? "none" : MqttUsername;
                case MqttPasswordKey:
                    return MqttPassword == null ? "unset" : "set";
                case CaFileKey:
                    return MqttCaFile == null ? "none" : MqttCaFile;
                case PrefixKey:
                    return TopicPrefix;
                case ClientIdKey:
                    return ClientId == null ? "timingmat-unit-" + Unit.ToString() : ClientId;
                case StatusKey:
                    return StatusIntervalSeconds.ToString();
                case StallKey:
                    return StallSeconds.ToString();
                case LoraKey:
                    return LoraEnabled ? "on" : "off";
                case SfKey:
                    return LoraSpreadingFactor.ToString();
                case DutyKey:
                    return Fixed(LoraDutyCyclePermille, 1);
                case FallbackKey:
                    return LoraFallbackSeconds.ToString();
                case LoraRoleKey:
                    return IsLoraGateway ? "gateway" : "unit";
                case LoraOrderKey:
                    return LoraNewestFirst ? "newest" : "oldest";
                case LoraFrequencyKey:
                    return Fixed(LoraFrequencyHz / 1000, 3);
                case BodyShadowKey:
                    return Fixed(BodyShadowCentiDb, 2);
                default:
                    return CommandKey == null ? "unset" : "set";
            }
        }

        private static string Iso(long utcMicros)
        {
            JsonWriter writer = new JsonWriter(40);
            writer.Timestamp(utcMicros);
            string text = string.Empty;
            for (int i = 1; i < writer.Length - 1; i++)
            {
                text += (char)writer.Buffer[i];
            }

            return text;
        }
    }
}
