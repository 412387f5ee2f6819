using TimingMat.Core.Common;
using TimingMat.Core.Crossings;
using TimingMat.Core.Outbox;
using TimingMat.Core.RaceDay;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// Writes each key's value in effect as the file would spell it (a secret as <c>set</c>/<c>unset</c>): what
    /// <see cref="UnitConfig.ToString"/>, <see cref="UnitConfig.Get"/> and the errors between two keys print.
    /// </summary>
    internal static class UnitConfigText
    {
        /// <summary>Gets the value of the key at an index as the file would write it.</summary>
        /// <param name="config">The configuration.</param>
        /// <param name="index">The key's index in <see cref="UnitConfigKeys.Names"/>.</param>
        /// <returns>The value; <c>none</c>, <c>default</c> or <c>as wired</c> when unset, a secret as <c>set</c>/<c>unset</c>.</returns>
        internal static string ValueOf(UnitConfig config, int index)
        {
            switch (index)
            {
                case UnitConfigKeys.UnitId:
                    return config.Unit.ToString();
                case UnitConfigKeys.RaceIdKey:
                    return config.RaceId == null ? "none" : config.RaceId;
                case UnitConfigKeys.MatNameKey:
                    return config.MatName == null ? "unit-" + config.Unit.ToString() : config.MatName;
                case UnitConfigKeys.MatKmKey:
                    return Fixed(config.MatMetres, 3);
                case UnitConfigKeys.MatRoleKey:
                    return UnitRoleText.Name(config.Role);
                case UnitConfigKeys.ModeKey:
                    return RaceDayText.Name(config.BootMode);
                case UnitConfigKeys.OpensKey:
                    return config.OpensUtcMicros == ArmedWindow.NoOpening ? "none" : Iso(config.OpensUtcMicros);
                case UnitConfigKeys.CutOffKey:
                    return config.CutOffUtcMicros == ArmedWindow.NoCutOff ? "none" : Iso(config.CutOffUtcMicros);
                case UnitConfigKeys.DetectionKey:
                    return DetectionModeText.Name(config.Detection);
                case UnitConfigKeys.ReactionKey:
                    return (config.ReactionMicros / 1000).ToString();
                case UnitConfigKeys.DeadTimeKey:
                    return (config.DeadTimeMicros / 1000).ToString();
                case UnitConfigKeys.ReaderTypeKey:
                    return ReaderTypeText.Name(config.ReaderProtocol);
                case UnitConfigKeys.RegionKey:
                    return config.Region < 0 ? "none" : ReaderRegions.Name(config.Region);
                case UnitConfigKeys.PowerKey:
                    return config.PowerCentiDbm < 0 ? "default" : Fixed(config.PowerCentiDbm, 2);
                case UnitConfigKeys.BaudKey:
                    return config.ReaderBaud.ToString();
                case UnitConfigKeys.LineBaudKey:
                    return config.LineBaud == 0 ? "none" : config.LineBaud.ToString();
                case UnitConfigKeys.AntennasKey:
                    return config.Antennas.ToString();
                case UnitConfigKeys.ModulesKey:
                    return config.ReaderModules == 0 ? "as wired" : config.ReaderModules.ToString();
                case UnitConfigKeys.NetworkKey:
                    return config.UsesWifi ? "wifi" : "ethernet";
                case UnitConfigKeys.SsidKey:
                    return config.WifiSsid == null ? "none" : config.WifiSsid;
                case UnitConfigKeys.WifiPasswordKey:
                    return config.WifiPassword == null ? "unset" : "set";
                case UnitConfigKeys.UrlKey:
                    return config.MqttHost == null ? "none" : (config.MqttTls ? "mqtts://" : "mqtt://") + config.MqttHost + ":" + config.MqttPort.ToString();
                case UnitConfigKeys.UsernameKey:
                    return config.MqttUsername == null ? "none" : config.MqttUsername;
                case UnitConfigKeys.MqttPasswordKey:
                    return config.MqttPassword == null ? "unset" : "set";
                case UnitConfigKeys.CaFileKey:
                    return config.MqttCaFile == null ? "none" : config.MqttCaFile;
                case UnitConfigKeys.PrefixKey:
                    return config.TopicPrefix;
                case UnitConfigKeys.ClientIdKey:
                    return config.ClientId == null ? "timingmat-unit-" + config.Unit.ToString() : config.ClientId;
                case UnitConfigKeys.StatusKey:
                    return config.StatusIntervalSeconds.ToString();
                case UnitConfigKeys.StallKey:
                    return config.StallSeconds.ToString();
                case UnitConfigKeys.LoraKey:
                    return config.LoraEnabled ? "on" : "off";
                case UnitConfigKeys.SfKey:
                    return config.LoraSpreadingFactor.ToString();
                case UnitConfigKeys.DutyKey:
                    return Fixed(config.LoraDutyCyclePermille, 1);
                case UnitConfigKeys.FallbackKey:
                    return config.LoraFallbackSeconds.ToString();
                case UnitConfigKeys.LoraRoleKey:
                    return config.IsLoraGateway ? "gateway" : "unit";
                case UnitConfigKeys.LoraOrderKey:
                    return config.LoraNewestFirst ? "newest" : "oldest";
                case UnitConfigKeys.LoraFrequencyKey:
                    return Fixed(config.LoraFrequencyHz / 1000, 3);
                case UnitConfigKeys.BodyShadowKey:
                    return Fixed(config.BodyShadowCentiDb, 2);
                default:
                    return config.CommandKey == null ? "unset" : "set";
            }
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
