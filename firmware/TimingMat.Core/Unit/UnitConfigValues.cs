using TimingMat.Core.Crossings;
using TimingMat.Core.RaceDay;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// Reads one key's value into a <see cref="UnitConfig"/>: the value's syntax and range, with the error that names
    /// the key, the value (a secret by its length only) and what was expected. What one key cannot check alone is
    /// <see cref="UnitConfigValidation"/>'s.
    /// </summary>
    internal static class UnitConfigValues
    {
        /// <summary>Sets the property of the key at an index from its text.</summary>
        /// <param name="config">The configuration being read.</param>
        /// <param name="index">The key's index in <see cref="UnitConfigKeys.Names"/>.</param>
        /// <param name="value">The value, trimmed.</param>
        /// <param name="line">The 1-based line, or 0.</param>
        /// <exception cref="ConfigFileException">The value is not what the key takes.</exception>
        internal static void Apply(UnitConfig config, int index, string value, int line)
        {
            long number;
            bool on;
            switch (index)
            {
                case UnitConfigKeys.UnitId:
                    config.Unit = (int)Whole(index, value, line, 1, 65535, "the unit id, a whole number 1-65535");
                    break;
                case UnitConfigKeys.RaceIdKey:
                    Name(index, value, line, 32, "1-32 letters, digits, '.', '-' or '_'");
                    config.RaceId = value;
                    break;
                case UnitConfigKeys.MatNameKey:
                    Name(index, value, line, 32, "1-32 letters, digits, '.', '-' or '_'");
                    config.MatName = value;
                    break;
                case UnitConfigKeys.MatKmKey:
                    // Four decimals so a half marathon's 21.0975 km is taken as written; kept to the metre.
                    if (!ValueText.TryParseFixed(value, 4, out number) || number < 0 || number > 10000000)
                    {
                        throw Bad(index, value, line, "the mat's distance on the course, 0-1000 km with at most 4 decimals");
                    }

                    config.MatMetres = (int)((number + 5) / 10);
                    break;
                case UnitConfigKeys.MatRoleKey:
                    UnitRole role;
                    if (!UnitRoleText.TryParse(value, out role))
                    {
                        throw Bad(index, value, line, UnitConfigKeys.RoleList());
                    }

                    config.Role = role;
                    break;
                case UnitConfigKeys.ModeKey:
                    value = value.ToLower();
                    if (value == "timing")
                    {
                        config.BootMode = RaceDayMode.Timing;
                    }
                    else if (value == "test")
                    {
                        config.BootMode = RaceDayMode.Test;
                    }
                    else
                    {
                        throw Bad(index, value, line, "timing (record passings from boot) or test (count reads, record nothing)");
                    }

                    config.ModeSet = true;
                    break;
                case UnitConfigKeys.OpensKey:
                    config.OpensUtcMicros = Utc(index, value, line);
                    break;
                case UnitConfigKeys.CutOffKey:
                    config.CutOffUtcMicros = Utc(index, value, line);
                    break;
                case UnitConfigKeys.DetectionKey:
                    DetectionMode mode;
                    if (!DetectionModeText.TryParse(value, out mode))
                    {
                        throw Bad(index, value, line, "peak, first, last, first+last or continuous");
                    }

                    config.Detection = mode;
                    config.DetectionSet = true;
                    break;
                case UnitConfigKeys.ReactionKey:
                    config.ReactionMicros = Milli(Whole(index, value, line, 100, 10000, "100-10000 ms"));
                    config.ReactionSet = true;
                    break;
                case UnitConfigKeys.DeadTimeKey:
                    config.DeadTimeMicros = Milli(Whole(index, value, line, 0, 600000, "0-600000 ms"));
                    break;
                case UnitConfigKeys.ReaderTypeKey:
                    ReaderProtocol protocol;
                    if (!ReaderTypeText.TryParse(value, out protocol))
                    {
                        throw Bad(index, value, line, ReaderTypeText.Expected);
                    }

                    config.ReaderProtocol = protocol;
                    break;
                case UnitConfigKeys.RegionKey:
                    config.Region = ReaderRegions.IndexOf(value);
                    if (config.Region < 0)
                    {
                        throw Bad(index, value, line, ReaderRegions.Expected);
                    }

                    break;
                case UnitConfigKeys.PowerKey:
                    if (!ValueText.TryParseFixed(value, 2, out number) || number < 0 || number > 3300)
                    {
                        throw Bad(index, value, line, "0-33 dBm (M6e Nano 5-27 to 0.01 dB, R2000 a whole number)");
                    }

                    config.PowerCentiDbm = (int)number;
                    break;
                case UnitConfigKeys.BaudKey:
                    config.ReaderBaud = (int)Whole(index, value, line, 9600, 921600, "a UART speed, 9600-921600");
                    break;
                case UnitConfigKeys.LineBaudKey:
                    config.LineBaud = (int)Whole(index, value, line, 9600, 921600, "a UART speed, 9600-921600");
                    break;
                case UnitConfigKeys.AntennasKey:
                    config.Antennas = (int)Whole(index, value, line, 4, 8, "4 or 8 (R2000 antenna ports)");
                    if (config.Antennas != 4 && config.Antennas != 8)
                    {
                        throw Bad(index, value, line, "4 or 8 (R2000 antenna ports)");
                    }

                    break;
                case UnitConfigKeys.ModulesKey:
                    config.ReaderModules = (int)Whole(index, value, line, 1, MatUnit.MaxReaders, "1-8 reader modules, one UART each");
                    break;
                case UnitConfigKeys.NetworkKey:
                    value = value.ToLower();
                    if (value != "wifi" && value != "ethernet")
                    {
                        throw Bad(index, value, line, "wifi or ethernet");
                    }

                    config.UsesWifi = value == "wifi";
                    break;
                case UnitConfigKeys.SsidKey:
                    if (value.Length > 32)
                    {
                        throw Bad(index, value, line, "a Wi-Fi network name of 1-32 characters");
                    }

                    config.WifiSsid = value;
                    break;
                case UnitConfigKeys.WifiPasswordKey:
                    if (value.Length < 8 || value.Length > 63)
                    {
                        throw Bad(index, value, line, "a WPA2 passphrase of 8-63 characters");
                    }

                    config.WifiPassword = value;
                    break;
                case UnitConfigKeys.UrlKey:
                    Url(config, value, line);
                    break;
                case UnitConfigKeys.UsernameKey:
                    config.MqttUsername = value;
                    break;
                case UnitConfigKeys.MqttPasswordKey:
                    config.MqttPassword = value;
                    break;
                case UnitConfigKeys.CaFileKey:
                    Name(index, value, line, 64, "a file name on the unit's storage (letters, digits, '.', '-', '_')");
                    config.MqttCaFile = value;
                    break;
                case UnitConfigKeys.PrefixKey:
                    if (value.IndexOf('+') >= 0 || value.IndexOf('#') >= 0 || value.IndexOf(' ') >= 0 || value.StartsWith("/") || value.EndsWith("/") || value.Length > 64)
                    {
                        throw Bad(index, value, line, "an MQTT topic prefix of up to 64 characters without + # spaces or a leading or trailing /");
                    }

                    config.TopicPrefix = value;
                    break;
                case UnitConfigKeys.ClientIdKey:
                    Name(index, value, line, 64, "1-64 letters, digits, '.', '-' or '_'");
                    config.ClientId = value;
                    break;
                case UnitConfigKeys.StatusKey:
                    config.StatusIntervalSeconds = (int)Whole(index, value, line, 1, 600, "1-600 s");
                    break;
                case UnitConfigKeys.StallKey:
                    config.StallSeconds = (int)Whole(index, value, line, 10, 3600, "10-3600 s");
                    break;
                case UnitConfigKeys.LoraKey:
                    if (!ValueText.TryParseSwitch(value, out on))
                    {
                        throw Bad(index, value, line, "on or off");
                    }

                    config.LoraEnabled = on;
                    break;
                case UnitConfigKeys.SfKey:
                    config.LoraSpreadingFactor = (int)Whole(index, value, line, 7, 12, "a spreading factor, 7-12");
                    break;
                case UnitConfigKeys.DutyKey:
                    if (!ValueText.TryParseFixed(value, 1, out number) || number < 1 || number > 1000)
                    {
                        throw Bad(index, value, line, "the sub-band's duty cycle, 0.1-100 % (1 for EU868 g/g1, 10 for g3)");
                    }

                    config.LoraDutyCyclePermille = (int)number;
                    break;
                case UnitConfigKeys.FallbackKey:
                    config.LoraFallbackSeconds = (int)Whole(index, value, line, 0, 3600, "0-3600 s");
                    break;
                case UnitConfigKeys.LoraRoleKey:
                    value = value.ToLower();
                    if (value != "unit" && value != "gateway")
                    {
                        throw Bad(index, value, line, "unit (a mat that falls back to LoRa) or gateway (the tent's LoRa gateway)");
                    }

                    config.IsLoraGateway = value == "gateway";
                    break;
                case UnitConfigKeys.LoraOrderKey:
                    value = value.ToLower();
                    if (value != "oldest" && value != "newest")
                    {
                        throw Bad(index, value, line, "oldest (the backlog in order) or newest (who just passed first)");
                    }

                    config.LoraOrder = value == "newest" ? 1 : 0;
                    break;
                case UnitConfigKeys.LoraFrequencyKey:
                    if (!ValueText.TryParseFixed(value, 3, out number) || number < 137000 || number > 1020000)
                    {
                        throw Bad(index, value, line, "the carrier in MHz, 137-1020 with at most 3 decimals (869.525 for EU868 g3; 902-928 is US915, 400 ms dwell)");
                    }

                    config.LoraFrequencyHz = number * 1000;
                    break;
                case UnitConfigKeys.BodyShadowKey:
                    if (!ValueText.TryParseFixed(value, 2, out number) || number < 0 || number > 3000)
                    {
                        throw Bad(index, value, line, "0-30 dB with at most 2 decimals, the extra loss once a chest tag is past the line (0: shoe or ankle tags)");
                    }

                    config.BodyShadowCentiDb = (int)number;
                    break;
                default:
                    byte[] key = ValueText.ParseHex(value);
                    if (key == null || key.Length < UnitConfig.MinKeyBytes || key.Length > UnitConfig.MaxKeyBytes)
                    {
                        throw Bad(index, value, line, "32-128 hex digits (a 16-64 byte key)");
                    }

                    config.CommandKey = key;
                    break;
            }
        }

        private static void Url(UnitConfig config, string value, int line)
        {
            string rest;
            if (value.StartsWith("mqtt://"))
            {
                config.MqttTls = false;
                rest = value.Substring(7);
            }
            else if (value.StartsWith("mqtts://"))
            {
                config.MqttTls = true;
                rest = value.Substring(8);
            }
            else
            {
                throw Bad(UnitConfigKeys.UrlKey, value, line, "mqtt://host[:port] or mqtts://host[:port] (TLS)");
            }

            if (rest.EndsWith("/"))
            {
                rest = rest.Substring(0, rest.Length - 1);
            }

            int port = config.MqttTls ? 8883 : 1883;
            int colon = rest.IndexOf(':');
            string host = colon < 0 ? rest : rest.Substring(0, colon);
            if (colon >= 0)
            {
                long number;
                if (!ValueText.TryParseLong(rest.Substring(colon + 1), out number) || number < 1 || number > 65535)
                {
                    throw Bad(UnitConfigKeys.UrlKey, value, line, "a port 1-65535 after the host");
                }

                port = (int)number;
            }

            if (!ValueText.IsName(host, 253))
            {
                throw Bad(UnitConfigKeys.UrlKey, value, line, "mqtt://host[:port] or mqtts://host[:port] with a host name or IPv4 address");
            }

            config.MqttHost = host;
            config.MqttPort = port;
        }

        private static void Name(int index, string value, int line, int max, string expected)
        {
            if (!ValueText.IsName(value, max))
            {
                throw Bad(index, value, line, expected);
            }
        }

        private static long Whole(int index, string value, int line, long min, long max, string expected)
        {
            long number;
            if (!ValueText.TryParseLong(value, out number) || number < min || number > max)
            {
                throw Bad(index, value, line, expected);
            }

            return number;
        }

        private static long Utc(int index, string value, int line)
        {
            long utc;
            if (!ValueText.TryParseUtc(value, out utc))
            {
                throw Bad(index, value, line, "an ISO 8601 time with a zone, e.g. 2026-10-04T06:30:00Z");
            }

            return utc;
        }

        private static ConfigFileException Bad(int index, string value, int line, string expected)
        {
            return new ConfigFileException(line, UnitConfigKeys.Names[index], UnitConfigKeys.Names[index] + " = " + UnitConfigKeys.Shown(index, value) + ": expected " + expected + ".");
        }

        private static long Milli(long millis)
        {
            return millis * 1000;
        }
    }
}
