namespace TimingMat.Core.Outbox
{
    /// <summary>How a <see cref="PassingOutbox"/> batches passings and waits for the collector.</summary>
    public sealed class OutboxOptions
    {
        /// <summary>Initializes a new instance of the <see cref="OutboxOptions"/> class with the defaults.</summary>
        public OutboxOptions()
        {
            TopicPrefix = UplinkTopics.DefaultPrefix;
            BatchMaxCount = 50;
            BatchMaxAgeMicros = 500000;
            BatchMaxBytes = BatchFormat.MaxBytes;
            MaxInFlightBatches = 16;
            AckTimeoutMicros = 5000000;
            AckTimeoutMaxMicros = 60000000;
        }

        /// <summary>Gets or sets the topic prefix. Default <c>timingmat</c>.</summary>
        public string TopicPrefix { get; set; }

        /// <summary>Gets or sets the most passings in a batch (1–65535). Default 50.</summary>
        public int BatchMaxCount { get; set; }

        /// <summary>Gets or sets how long a new passing may wait for its batch to fill, in µs. Default 500 ms.</summary>
        public long BatchMaxAgeMicros { get; set; }

        /// <summary>Gets or sets the largest batch message in bytes (header included). Default 4096.</summary>
        public int BatchMaxBytes { get; set; }

        /// <summary>Gets or sets how many batches may wait for the collector's answer at once. Default 16.</summary>
        public int MaxInFlightBatches { get; set; }

        /// <summary>Gets or sets how long a batch may go unanswered before it is sent again, in µs. Default 5 s.</summary>
        public long AckTimeoutMicros { get; set; }

        /// <summary>Gets or sets the longest unanswered-batch timeout after repeated timeouts (backoff), in µs. Default 60 s.</summary>
        public long AckTimeoutMaxMicros { get; set; }
    }
}
