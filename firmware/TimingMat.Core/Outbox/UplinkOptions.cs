namespace TimingMat.Core.Outbox
{
    /// <summary>How a <see cref="UnitUplink"/> connects, commits and reports.</summary>
    public sealed class UplinkOptions
    {
        /// <summary>Initializes a new instance of the <see cref="UplinkOptions"/> class with the defaults.</summary>
        /// <param name="unitId">The unit (mat) id, 0–65535.</param>
        public UplinkOptions(int unitId)
        {
            UnitId = unitId;
            ClientId = "timingmat-unit-" + unitId.ToString();
            KeepAliveSeconds = 15;
            ReconnectMinMicros = 500000;
            ReconnectMaxMicros = 30000000;
            StatusIntervalMicros = 10000000;
            CommitIntervalMicros = 20000;
            AckSaveIntervalMicros = 5000000;
            MaxPassingsPerPoll = 256;
            Outbox = new OutboxOptions();
        }

        /// <summary>Gets the unit id.</summary>
        public int UnitId { get; private set; }

        /// <summary>Gets or sets the MQTT client id; stable across reboots so the broker keeps the unit's session. Default <c>timingmat-unit-&lt;id&gt;</c>.</summary>
        public string ClientId { get; set; }

        /// <summary>Gets or sets the broker user name, or <c>null</c>.</summary>
        public string Username { get; set; }

        /// <summary>Gets or sets the broker password, or <c>null</c>.</summary>
        public string Password { get; set; }

        /// <summary>Gets or sets the MQTT keep-alive in seconds. Default 15: the broker declares a silent unit offline after 22.5 s.</summary>
        public int KeepAliveSeconds { get; set; }

        /// <summary>Gets or sets the first wait before reconnecting, in µs; it doubles per failure. Default 0.5 s.</summary>
        public long ReconnectMinMicros { get; set; }

        /// <summary>Gets or sets the longest wait between connect attempts, in µs. Default 30 s.</summary>
        public long ReconnectMaxMicros { get; set; }

        /// <summary>Gets or sets how often the retained status is refreshed, in µs. Default 10 s.</summary>
        public long StatusIntervalMicros { get; set; }

        /// <summary>
        /// Gets or sets the longest time a passing stays in the journal unflushed, in µs (group commit). Default 20 ms;
        /// a power cut loses at most this much. 0 flushes on every poll that appended.
        /// </summary>
        public long CommitIntervalMicros { get; set; }

        /// <summary>Gets or sets how often the acknowledged mark is saved, in µs. Default 5 s.</summary>
        public long AckSaveIntervalMicros { get; set; }

        /// <summary>Gets or sets the most passings moved from the ring to the journal per poll. Default 256.</summary>
        public int MaxPassingsPerPoll { get; set; }

        /// <summary>Gets the batching and ack settings.</summary>
        public OutboxOptions Outbox { get; private set; }
    }
}
