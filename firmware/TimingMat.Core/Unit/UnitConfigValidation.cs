using TimingMat.Core.Crossings;
using TimingMat.Core.RaceDay;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// What one key cannot check alone: the required keys, the keys that must agree (reader type, region and power;
    /// the armed window; network and Wi-Fi; broker credentials and TLS), the defaults that follow from the role, and the
    /// gateway's shorter list. Errors name the key and the value in effect.
    /// </summary>
    internal static class UnitConfigValidation
    {
        /// <summary>Checks a configuration whose keys are all read, and fills the defaults that depend on other keys.</summary>
        /// <param name="config">The configuration.</param>
        /// <exception cref="ConfigFileException">A required key is missing or two keys disagree.</exception>
        internal static void Validate(UnitConfig config)
        {
            Require(config, UnitConfigKeys.UnitId, "the unit id, 1-65535");
            if (config.IsLoraGateway)
            {
                ValidateGateway(config);
                return;
            }

            Require(config, UnitConfigKeys.MatRoleKey, "the mat's role: " + UnitConfigKeys.RoleList());
            Require(config, UnitConfigKeys.ReaderTypeKey, ReaderTypeText.Expected);
            Require(config, UnitConfigKeys.RegionKey, ReaderRegions.Expected + "; never defaulted: a reader must transmit only on the channels allowed where the race is");
            if (config.OpensUtcMicros != ArmedWindow.NoOpening && config.CutOffUtcMicros != ArmedWindow.NoCutOff && config.CutOffUtcMicros <= config.OpensUtcMicros)
            {
                throw Error(config, UnitConfigKeys.CutOffKey, "is not after window.opens: expected a cut-off after the opening");
            }

            if (!config.ModeSet)
            {
                config.BootMode = config.IsSet[UnitConfigKeys.OpensKey] || config.IsSet[UnitConfigKeys.CutOffKey] ? RaceDayMode.Timing : RaceDayMode.Test;
            }

            if (!config.DetectionSet)
            {
                config.Detection = UnitRoleText.DefaultMode(config.Role);
            }

            if (!config.ReactionSet)
            {
                config.ReactionMicros = UnitRoleText.DefaultReactionMicros(config.Role);
            }

            if (config.ReaderProtocol == ReaderProtocol.Mercury)
            {
                if (config.IsSet[UnitConfigKeys.AntennasKey])
                {
                    throw Error(config, UnitConfigKeys.AntennasKey, "is for R2000 modules: expected no reader.antennas with reader.type = m6e (the M6e Nano has one port)");
                }

                if (config.PowerCentiDbm < 0)
                {
                    config.PowerCentiDbm = 2700;
                }
                else if (config.PowerCentiDbm < 500 || config.PowerCentiDbm > 2700)
                {
                    throw Error(config, UnitConfigKeys.PowerKey, "is out of range: expected 5-27 dBm for the M6e Nano (to 0.01 dB)");
                }

                config.Antennas = 1;
            }
            else
            {
                if (ReaderRegions.R2000Code(config.Region) == ReaderRegions.NoR2000Region)
                {
                    throw Error(config, UnitConfigKeys.RegionKey, "is not a region R2000 modules have: expected na, eu or cn with reader.type = r2000");
                }

                if (config.PowerCentiDbm < 0)
                {
                    config.PowerCentiDbm = 3000;
                }
                else if (config.PowerCentiDbm > 3300 || config.PowerCentiDbm % 100 != 0)
                {
                    throw Error(config, UnitConfigKeys.PowerKey, "is not a whole 0-33 dBm: expected what R2000 modules take");
                }

                if (config.Antennas == 0)
                {
                    config.Antennas = 4;
                }
            }

            if (config.LineBaud > 0 && config.ReaderProtocol != ReaderProtocol.Mercury)
            {
                throw Error(config, UnitConfigKeys.LineBaudKey, "is for the M6e Nano: expected no reader.line_baud with reader.type = r2000");
            }

            if (!config.IsSet[UnitConfigKeys.NetworkKey])
            {
                config.UsesWifi = config.IsSet[UnitConfigKeys.SsidKey];
            }

            if (config.UsesWifi && !config.IsSet[UnitConfigKeys.SsidKey])
            {
                throw new ConfigFileException(config.Lines[UnitConfigKeys.NetworkKey], UnitConfigKeys.Names[UnitConfigKeys.SsidKey], "wifi.ssid is missing: expected the Wi-Fi network's name with network = wifi.");
            }

            if (!config.UsesWifi && (config.IsSet[UnitConfigKeys.SsidKey] || config.IsSet[UnitConfigKeys.WifiPasswordKey]))
            {
                int key = config.IsSet[UnitConfigKeys.SsidKey] ? UnitConfigKeys.SsidKey : UnitConfigKeys.WifiPasswordKey;
                throw new ConfigFileException(config.Lines[key], UnitConfigKeys.Names[key], UnitConfigKeys.Names[key] + " is set but network = ethernet: expected no wifi.* keys on an Ethernet unit.");
            }

            if (config.IsSet[UnitConfigKeys.MqttPasswordKey] && !config.IsSet[UnitConfigKeys.UsernameKey])
            {
                throw new ConfigFileException(config.Lines[UnitConfigKeys.MqttPasswordKey], UnitConfigKeys.Names[UnitConfigKeys.MqttPasswordKey], "mqtt.password is set without mqtt.username: expected both or neither.");
            }

            if (config.IsSet[UnitConfigKeys.CaFileKey] && !config.MqttTls)
            {
                throw new ConfigFileException(config.Lines[UnitConfigKeys.CaFileKey], UnitConfigKeys.Names[UnitConfigKeys.CaFileKey], "mqtt.ca_file is set but mqtt.url is not mqtts://: expected a CA file only with TLS.");
            }

            if (config.MatName == null)
            {
                config.MatName = "unit-" + config.Unit.ToString();
            }

            if (config.ClientId == null)
            {
                config.ClientId = "timingmat-unit-" + config.Unit.ToString();
            }
        }

        private static void ValidateGateway(UnitConfig config)
        {
            // A gateway times nothing: keys about reading, detecting and counting would be silently unused.
            for (int i = UnitConfigKeys.MatRoleKey; i <= UnitConfigKeys.ModulesKey; i++)
            {
                if (config.IsSet[i])
                {
                    throw new ConfigFileException(config.Lines[i], UnitConfigKeys.Names[i], UnitConfigKeys.Names[i] + " is set but lora.role = gateway: expected no mat, mode, window, crossings or reader keys on the tent's gateway.");
                }
            }

            if (!config.LoraEnabled)
            {
                throw Error(config, UnitConfigKeys.LoraKey, "but lora.role = gateway: expected lora.enabled on (or unset) on the gateway");
            }

            if (!config.IsSet[UnitConfigKeys.NetworkKey])
            {
                config.UsesWifi = config.IsSet[UnitConfigKeys.SsidKey];
            }

            if (config.MatName == null)
            {
                config.MatName = "gateway-" + config.Unit.ToString();
            }

            if (config.ClientId == null)
            {
                config.ClientId = "timingmat-gateway-" + config.Unit.ToString();
            }
        }

        private static ConfigFileException Error(UnitConfig config, int index, string problem)
        {
            return new ConfigFileException(config.Lines[index], UnitConfigKeys.Names[index], UnitConfigKeys.Names[index] + " = " + UnitConfigKeys.Shown(index, UnitConfigText.ValueOf(config, index)) + " " + problem + ".");
        }

        private static void Require(UnitConfig config, int index, string expected)
        {
            if (!config.IsSet[index])
            {
                throw new ConfigFileException(0, UnitConfigKeys.Names[index], UnitConfigKeys.Names[index] + " is missing: expected " + expected + ".");
            }
        }
    }
}
