using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;
using TimingMat.Mqtt;

namespace TimingMat.Host.Uplink;

/// <summary>Settings of a <see cref="DesktopUnitUplink"/>: a mat unit's uplink running as a desktop process.</summary>
public sealed class DesktopUnitOptions
{
    /// <summary>Initializes a new instance of the <see cref="DesktopUnitOptions"/> class with the defaults.</summary>
    /// <param name="unitId">Unit (mat) id, 0–65535.</param>
    /// <param name="journalDirectory">Folder of the unit's journal (created when missing).</param>
    /// <param name="broker">The race broker.</param>
    public DesktopUnitOptions(int unitId, string journalDirectory, MqttBrokerAddress broker)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(unitId);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(unitId, 65535);
        JournalDirectory = journalDirectory;
        Broker = broker;
        Uplink = new UplinkOptions(unitId);
        Journal = new JournalOptions(unitId) { NewJournalId = Random.Shared.Next(1, int.MaxValue) };
    }

    /// <summary>Gets the journal folder.</summary>
    public string JournalDirectory { get; }

    /// <summary>Gets the broker.</summary>
    public MqttBrokerAddress Broker { get; }

    /// <summary>Gets the uplink settings (connection, batching, status).</summary>
    public UplinkOptions Uplink { get; }

    /// <summary>Gets the journal settings (segment size, capacity, retention).</summary>
    public JournalOptions Journal { get; }

    /// <summary>Gets or sets the ring's capacity in passings. Default 1024.</summary>
    public int RingCapacity { get; set; } = 1024;

    /// <summary>Gets or sets the longest pause of the poll loop when idle. Default 5 ms.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Gets or sets a hook that adjusts the MQTT client settings (connect timeout, TLS trust).</summary>
    public Action<MqttLinkOptions>? ConfigureClient { get; set; }
}
