namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// The MQTT topics of one unit under a prefix (default <c>timingmat</c>):
    /// <c>&lt;prefix&gt;/&lt;unit&gt;/passings</c> (batches, unit → collector, QoS 1),
    /// <c>&lt;prefix&gt;/&lt;unit&gt;/status</c> (retained JSON and the retained last will),
    /// <c>&lt;prefix&gt;/&lt;unit&gt;/cmd</c> (signed commands to the unit, QoS 1),
    /// <c>&lt;prefix&gt;/&lt;unit&gt;/reply</c> (the unit's answer to every command, QoS 1) and
    /// <c>&lt;prefix&gt;/&lt;unit&gt;/ack</c> (collector acks and replay requests, QoS 1). The unit id is written in base 10.
    /// </summary>
    public sealed class UplinkTopics
    {
        /// <summary>The default topic prefix.</summary>
        public const string DefaultPrefix = "timingmat";

        /// <summary>Last topic level of passing batches.</summary>
        public const string PassingsLevel = "passings";

        /// <summary>Last topic level of the status.</summary>
        public const string StatusLevel = "status";

        /// <summary>Last topic level of commands.</summary>
        public const string CommandsLevel = "cmd";

        /// <summary>Last topic level of collector acks.</summary>
        public const string AcksLevel = "ack";

        /// <summary>Last topic level of command replies.</summary>
        public const string RepliesLevel = "reply";

        /// <summary>Initializes a new instance of the <see cref="UplinkTopics"/> class.</summary>
        /// <param name="prefix">Topic prefix without a trailing slash.</param>
        /// <param name="unitId">Unit id.</param>
        public UplinkTopics(string prefix, int unitId)
        {
            string unit = prefix + "/" + unitId.ToString() + "/";
            Passings = unit + PassingsLevel;
            Status = unit + StatusLevel;
            Commands = unit + CommandsLevel;
            Acks = unit + AcksLevel;
            Replies = unit + RepliesLevel;
        }

        /// <summary>Gets the topic of passing batches.</summary>
        public string Passings { get; private set; }

        /// <summary>Gets the status topic (retained).</summary>
        public string Status { get; private set; }

        /// <summary>Gets the command topic.</summary>
        public string Commands { get; private set; }

        /// <summary>Gets the ack topic.</summary>
        public string Acks { get; private set; }

        /// <summary>Gets the topic of command replies.</summary>
        public string Replies { get; private set; }

        /// <summary>Makes the filter that matches one topic level of every unit, e.g. <c>timingmat/+/passings</c>.</summary>
        /// <param name="prefix">Topic prefix.</param>
        /// <param name="level">Last topic level, e.g. <see cref="PassingsLevel"/>.</param>
        /// <returns>The filter.</returns>
        public static string AllUnits(string prefix, string level)
        {
            return prefix + "/+/" + level;
        }

        /// <summary>Gets the unit id from a topic of the form <c>&lt;prefix&gt;/&lt;unit&gt;/&lt;level&gt;</c>.</summary>
        /// <param name="topic">The topic a message came on.</param>
        /// <param name="prefix">Topic prefix.</param>
        /// <param name="level">Expected last level.</param>
        /// <returns>The unit id, or −1 when the topic does not have that form or the id is not 0–65535.</returns>
        public static int ParseUnit(string topic, string prefix, string level)
        {
            int start = prefix.Length + 1;
            int end = topic.Length - level.Length - 1;
            if (end <= start || end - start > 5 || !topic.StartsWith(prefix) || topic[prefix.Length] != '/'
                || topic[end] != '/' || !topic.EndsWith(level))
            {
                return -1;
            }

            int unit = 0;
            for (int i = start; i < end; i++)
            {
                char c = topic[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                unit = (unit * 10) + (c - '0');
            }

            return unit > 65535 ? -1 : unit;
        }
    }
}
