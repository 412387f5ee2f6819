using TimingMat.Collector.Courses;
using TimingMat.Core.Outbox;

namespace TimingMat.Collector;

/// <summary>How a <see cref="PassingCollector"/> connects and answers.</summary>
public sealed class CollectorOptions
{
    /// <summary>Gets or sets the topic prefix of the units. Default <c>timingmat</c>.</summary>
    public string TopicPrefix { get; set; } = UplinkTopics.DefaultPrefix;

    /// <summary>
    /// Gets or sets the MQTT client id. It must stay the same across restarts: the broker keeps the collector's
    /// persistent session and queues batches for it while it is down. Default <c>timingmat-collector</c>.
    /// </summary>
    public string ClientId { get; set; } = "timingmat-collector";

    /// <summary>Gets or sets the broker user name, or <c>null</c>.</summary>
    public string? Username { get; set; }

    /// <summary>Gets or sets the broker password, or <c>null</c>.</summary>
    public string? Password { get; set; }

    /// <summary>Gets or sets the MQTT keep-alive in seconds. Default 15.</summary>
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>Gets or sets the most messages stored in one database transaction. Default 500.</summary>
    public int MaxMessagesPerTransaction { get; set; } = 500;

    /// <summary>Gets or sets the least time between two replay requests to the same unit, in µs. Default 10 s.</summary>
    public long ReplayRequestIntervalMicros { get; set; } = 10_000_000;

    /// <summary>Gets or sets the first wait before reconnecting, in µs (doubles per failure). Default 0.5 s.</summary>
    public long ReconnectMinMicros { get; set; } = 500_000;

    /// <summary>Gets or sets the longest wait between connect attempts, in µs. Default 10 s.</summary>
    public long ReconnectMaxMicros { get; set; } = 10_000_000;

    /// <summary>
    /// Gets or sets the race's course, or <c>null</c>. With it the collector keeps the passings merged per timing point
    /// and chip (the database's <c>crossings</c>, see <see cref="CrossingMerger"/>): a point's main and backup lines give
    /// one crossing.
    /// </summary>
    public Course? Course { get; set; }
}
