namespace TimingMat.Core.Clock.Nmea
{
    /// <summary>Words for the NMEA enums in logs and reports (nanoFramework prints enums as numbers).</summary>
    public static class NmeaText
    {
        /// <summary>Gives the sentence type as its three letters.</summary>
        /// <param name="type">The type.</param>
        /// <returns><c>RMC</c>, <c>GGA</c>, <c>ZDA</c>, or an empty string for none.</returns>
        public static string TypeText(NmeaSentenceType type)
        {
            if (type == NmeaSentenceType.Rmc)
            {
                return "RMC";
            }

            if (type == NmeaSentenceType.Gga)
            {
                return "GGA";
            }

            return type == NmeaSentenceType.Zda ? "ZDA" : "";
        }

        /// <summary>Gives the talker as the two letters the receiver sends.</summary>
        /// <param name="talker">The talker.</param>
        /// <returns><c>GP</c>, <c>GN</c>, <c>GL</c>, <c>GA</c>, <c>BD</c>, <c>GB</c>, or an empty string when unknown.</returns>
        public static string TalkerText(NmeaTalker talker)
        {
            switch (talker)
            {
                case NmeaTalker.Gps:
                    return "GP";
                case NmeaTalker.Gnss:
                    return "GN";
                case NmeaTalker.Glonass:
                    return "GL";
                case NmeaTalker.Galileo:
                    return "GA";
                case NmeaTalker.BeiDou:
                    return "BD";
                case NmeaTalker.BeiDouGb:
                    return "GB";
                default:
                    return "";
            }
        }

        /// <summary>Gives the snake_case name of a line outcome, as reports and JSON summaries use it.</summary>
        /// <param name="result">The outcome.</param>
        /// <returns>E.g. <c>bad_checksum</c>; <c>none</c> for <see cref="NmeaLineResult.None"/>.</returns>
        public static string ResultText(NmeaLineResult result)
        {
            switch (result)
            {
                case NmeaLineResult.Accepted:
                    return "accepted";
                case NmeaLineResult.Unsupported:
                    return "unsupported";
                case NmeaLineResult.Garbage:
                    return "garbage";
                case NmeaLineResult.Truncated:
                    return "truncated";
                case NmeaLineResult.OverLong:
                    return "over_long";
                case NmeaLineResult.NoChecksum:
                    return "no_checksum";
                case NmeaLineResult.BadChecksum:
                    return "bad_checksum";
                case NmeaLineResult.UnknownTalker:
                    return "unknown_talker";
                case NmeaLineResult.BadField:
                    return "bad_field";
                default:
                    return "none";
            }
        }
    }
}
