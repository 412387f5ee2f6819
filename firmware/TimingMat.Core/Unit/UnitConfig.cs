using TimingMat.Core.Common;
using TimingMat.Core.Crossings;
using TimingMat.Core.Outbox;
using TimingMat.Core.RaceDay;

// A little over 400 lines: the configuration's public surface (one property per key, parse, validate, write back) in
// one place; the key table, value reading, cross-key checks and text are UnitConfigKeys/Values/Validation/Text.
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

        /// <summary>The line each key was read from (0 when a program set it), by key index: errors point back at it.</summary>
        internal readonly int[] Lines = new int[UnitConfigKeys.Names.Length];

        /// <summary>Whether each key was set, by key index: repeated and missing keys are refused.</summary>
        internal readonly bool[] IsSet = new bool[UnitConfigKeys.Names.Length];

        /// <summary>Whether <c>mode</c> was set; unset, it follows from the window.</summary>
        internal bool ModeSet;

        /// <summary>Whether <c>crossings.mode</c> was set; unset, it follows from the role.</summary>
        internal bool DetectionSet;

        /// <summary>Whether <c>crossings.reaction_ms</c> was set; unset, it follows from the role.</summary>
        internal bool ReactionSet;

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
            get { return UnitConfigKeys.Names; }
        }

        /// <summary>Gets the unit (mat) id, 1–65535 (<c>unit.id</c>, required).</summary>
        public int Unit { get; internal set; }

        /// <summary>Gets the race id (<c>race.id</c>), or <c>null</c>.</summary>
        public string RaceId { get; internal set; }

        /// <summary>Gets the mat's name (<c>mat.name</c>; default <c>unit-&lt;id&gt;</c>).</summary>
        public string MatName { get; internal set; }

        /// <summary>Gets where the mat lies on the course in metres (<c>mat.km</c> × 1000, rounded; default 0).</summary>
        public int MatMetres { get; internal set; }

        /// <summary>Gets the unit's role (<c>mat.role</c>, required).</summary>
        public UnitRole Role { get; internal set; }

        /// <summary>Gets the mode the unit starts in (<c>mode</c>; default timing when a window is set, else test).</summary>
        public RaceDayMode BootMode { get; internal set; }

        /// <summary>Gets when the armed window opens, UTC µs, or <see cref="ArmedWindow.NoOpening"/>.</summary>
        public long OpensUtcMicros { get; internal set; }

        /// <summary>Gets the cut-off, UTC µs, or <see cref="ArmedWindow.NoCutOff"/>.</summary>
        public long CutOffUtcMicros { get; internal set; }

        /// <summary>Gets the detection mode (<c>crossings.mode</c>; default first read at a check-in, peak elsewhere).</summary>
        public DetectionMode Detection { get; internal set; }

        /// <summary>Gets the reaction time, µs (<c>crossings.reaction_ms</c>; default by role).</summary>
        public long ReactionMicros { get; internal set; }

        /// <summary>Gets the dead time, µs (<c>crossings.dead_time_ms</c>; default 5 s).</summary>
        public long DeadTimeMicros { get; internal set; }

        /// <summary>
        /// Gets the body shadow the peak fit corrects for, centi-dB (<c>crossings.body_shadow_db</c>; default 0): the extra
        /// loss once a chest tag is past the line.
        /// </summary>
        public int BodyShadowCentiDb { get; internal set; }

        /// <summary>Gets the reader type (<c>reader.type</c>, required).</summary>
        public ReaderProtocol ReaderProtocol { get; internal set; }

        /// <summary>Gets the region's index in <see cref="ReaderRegions"/> (<c>reader.region</c>, required).</summary>
        public int Region { get; internal set; }

        /// <summary>Gets the output power in centi-dBm (<c>reader.power_dbm</c>; default 27 dBm for the M6e, 30 for R2000).</summary>
        public int PowerCentiDbm { get; internal set; }

        /// <summary>Gets the reader UART's speed at power-on (<c>reader.baud</c>; default 115200).</summary>
        public int ReaderBaud { get; internal set; }

        /// <summary>Gets the faster line speed the unit moves an M6e to after it answers, or 0 (<c>reader.line_baud</c>).</summary>
        public int LineBaud { get; internal set; }

        /// <summary>Gets the antenna ports of an R2000 module, 4 or 8 (<c>reader.antennas</c>); 1 for the M6e.</summary>
        public int Antennas { get; internal set; }

        /// <summary>Gets how many reader modules the unit drives, 1–8, or 0 for as many as the board wires (<c>reader.modules</c>).</summary>
        public int ReaderModules { get; internal set; }

        /// <summary>Gets a value indicating whether the unit uses Wi-Fi (<c>network = wifi</c>) rather than Ethernet.</summary>
        public bool UsesWifi { get; internal set; }

        /// <summary>Gets the Wi-Fi network's name, or <c>null</c>.</summary>
        public string WifiSsid { get; internal set; }

        /// <summary>Gets the Wi-Fi password, or <c>null</c> (a secret: never print it).</summary>
        public string WifiPassword { get; internal set; }

        /// <summary>Gets a value indicating whether <c>mqtt.url</c> is set.</summary>
        public bool HasBroker
        {
            get { return MqttHost != null; }
        }

        /// <summary>Gets the broker's host from <c>mqtt.url</c>, or <c>null</c>.</summary>
        public string MqttHost { get; internal set; }

        /// <summary>Gets the broker's port (1883, or 8883 for <c>mqtts://</c>, unless the URL names one).</summary>
        public int MqttPort { get; internal set; }

        /// <summary>Gets a value indicating whether the broker is reached over TLS (<c>mqtts://</c>).</summary>
        public bool MqttTls { get; internal set; }

        /// <summary>Gets the broker user name, or <c>null</c>.</summary>
        public string MqttUsername { get; internal set; }

        /// <summary>Gets the broker password, or <c>null</c> (a secret: never print it).</summary>
        public string MqttPassword { get; internal set; }

        /// <summary>Gets the file on the unit's storage holding the CA certificate that signed the broker's, or <c>null</c>.</summary>
        public string MqttCaFile { get; internal set; }

        /// <summary>Gets the MQTT topic prefix (<c>mqtt.prefix</c>; default <c>timingmat</c>).</summary>
        public string TopicPrefix { get; internal set; }

        /// <summary>Gets the MQTT client id (<c>mqtt.client_id</c>; default <c>timingmat-unit-&lt;id&gt;</c>).</summary>
        public string ClientId { get; internal set; }

        /// <summary>Gets how often the retained status is refreshed, s (<c>status.interval_s</c>; default 10).</summary>
        public int StatusIntervalSeconds { get; internal set; }

        /// <summary>Gets how long a part of the unit may stall before the supervisor reboots it, s (<c>supervisor.stall_s</c>; default 60).</summary>
        public int StallSeconds { get; internal set; }

        /// <summary>Gets a value indicating whether the unit uses its LoRa radio when it has one (<c>lora.enabled</c>; default on).</summary>
        public bool LoraEnabled { get; internal set; }

        /// <summary>Gets the LoRa spreading factor, 7–12 (<c>lora.sf</c>; default 7).</summary>
        public int LoraSpreadingFactor { get; internal set; }

        /// <summary>Gets the LoRa duty cycle in permille (<c>lora.duty_cycle_pct</c> × 10; default 10 %, the radio's 869.525 MHz g3 sub-band).</summary>
        public int LoraDutyCyclePermille { get; internal set; }

        /// <summary>Gets how long MQTT must be down before LoRa carries the passings, s (<c>lora.fallback_s</c>; default 30).</summary>
        public int LoraFallbackSeconds { get; internal set; }

        /// <summary>
        /// Gets a value indicating whether the board runs as the tent's LoRa gateway (<c>lora.role = gateway</c>) rather
        /// than as a mat unit (<c>unit</c>, the default): it then needs no reader, GPS or <c>mat.role</c>, and runs
        /// <see cref="LoRaGatewayUnit"/> instead of <see cref="MatUnit"/>.
        /// </summary>
        public bool IsLoraGateway { get; internal set; }

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
        public long LoraFrequencyHz { get; internal set; }

        /// <summary>Gets the <c>lora.order</c> as set: -1 unset (newest first at a finish), 0 oldest, 1 newest.</summary>
        internal int LoraOrder { get; set; }

        /// <summary>Gets the command key (16–64 bytes), or <c>null</c> when none is set: the unit then refuses every command (a secret: never print it).</summary>
        public byte[] CommandKey { get; internal set; }

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
            int index = UnitConfigKeys.IndexOf(key);
            return index >= 0 && UnitConfigKeys.IsSecret(index);
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
            int index = UnitConfigKeys.IndexOf(key);
            if (index < 0)
            {
                throw new ConfigFileException(line, key, "unknown key '" + key + "'" + UnitConfigKeys.Suggestion(key) + "; docs/unit-config.md lists the keys.");
            }

            if (IsSet[index])
            {
                throw new ConfigFileException(line, key, key + " is set twice" + (Lines[index] > 0 ? " (first on line " + Lines[index].ToString() + ")" : string.Empty) + ".");
            }

            IsSet[index] = true;
            Lines[index] = line;
            UnitConfigValues.Apply(this, index, value, line);
        }

        /// <summary>Checks what one key cannot: required keys, and keys that must agree (reader type and region, window, network).</summary>
        /// <exception cref="ConfigFileException">A required key is missing or two keys disagree.</exception>
        public void Validate()
        {
            UnitConfigValidation.Validate(this);
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
            settings.Crossings.SetCapacity(UnitRoleText.DefaultChipCapacity(Role), UnitRoleText.DefaultOpenCrossings(Role));
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
            for (int i = 0; i < UnitConfigKeys.Names.Length; i++)
            {
                text += UnitConfigKeys.Names[i] + " = " + UnitConfigText.ValueOf(this, i) + "\n";
            }

            return text;
        }

        /// <summary>Gets the value of a key as <see cref="ToString"/> writes it (a secret as <c>set</c>/<c>unset</c>).</summary>
        /// <param name="key">The key.</param>
        /// <returns>The value, or <c>null</c> for an unknown key.</returns>
        public string Get(string key)
        {
            int index = UnitConfigKeys.IndexOf(key);
            return index < 0 ? null : UnitConfigText.ValueOf(this, index);
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

            return Crc32.Compute(bytes, 0, bytes.Length);
        }

        /// <summary>Writes a role as the configuration spells it.</summary>
        /// <param name="role">The role.</param>
        /// <returns>E.g. <c>check-in</c>.</returns>
        public static string RoleName(UnitRole role)
        {
            return UnitRoleText.Name(role);
        }
    }
}
