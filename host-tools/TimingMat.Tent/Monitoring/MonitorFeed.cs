using TimingMat.Core.Hardware;
using TimingMat.Core.Outbox;
using TimingMat.Mqtt;
using TimingMat.Tent.Commands;
using TimingMat.Tent.Status;

namespace TimingMat.Tent.Monitoring;

/// <summary>
/// Feeds a <see cref="FleetMonitor"/> from the broker: every unit's status (<c>&lt;prefix&gt;/+/status</c>, the
/// retained ones as soon as it connects) and passing batches (<c>&lt;prefix&gt;/+/passings</c>, read beside the
/// collector, never acknowledged: the collector's acks alone let a unit's journal prune).
/// </summary>
/// <remarks>Its own clean MQTT session, so it runs beside the collector and other tent tools.</remarks>
public sealed class MonitorFeed : IDisposable
{
    private readonly FleetMonitor _monitor;
    private readonly string _prefix;
    private readonly Func<DateTime> _utcNow;
    private MqttLink _link = null!;

    private MonitorFeed(FleetMonitor monitor, string prefix, Func<DateTime> utcNow)
    {
        _monitor = monitor;
        _prefix = prefix;
        _utcNow = utcNow;
    }

    /// <summary>Connects and starts feeding the monitor.</summary>
    /// <param name="monitor">The monitor.</param>
    /// <param name="broker">The broker.</param>
    /// <param name="prefix">The units' topic prefix.</param>
    /// <param name="username">The tent's broker user name, or null.</param>
    /// <param name="password">Its password, or null.</param>
    /// <param name="configure">TLS trust and timeouts.</param>
    /// <param name="utcNow">The clock stamped on what comes; null: the system's.</param>
    /// <returns>The feed.</returns>
    /// <exception cref="TentConnectException">The broker cannot be reached, refused the account, or refused a subscription.</exception>
    public static MonitorFeed Connect(FleetMonitor monitor, MqttBrokerAddress broker, string prefix, string? username, string? password, Action<MqttLinkOptions>? configure = null, Func<DateTime>? utcNow = null)
    {
        var feed = new MonitorFeed(monitor, prefix, utcNow ?? (() => DateTime.UtcNow));
        feed._link = TentSession.Open(broker, username, password, configure, UplinkTopics.AllUnits(prefix, UplinkTopics.StatusLevel), feed.OnMessage);
        var passings = UplinkTopics.AllUnits(prefix, UplinkTopics.PassingsLevel);
        if (feed._link.SubscribeAndWait(passings, 1, TimeSpan.FromSeconds(5)) < 0)
        {
            feed._link.Dispose();
            throw new TentConnectException($"the broker at {broker} refused the subscription to {passings} (its ACL does not let this user read the passings)");
        }

        return feed;
    }

    /// <inheritdoc />
    public void Dispose() => _link.Dispose();

    private void OnMessage(MqttMessage message)
    {
        var now = _utcNow();
        var unit = UplinkTopics.ParseUnit(message.Topic, _prefix, UplinkTopics.PassingsLevel);
        if (unit >= 0)
        {
            _monitor.ObservePassings(unit, message.Payload);
            return;
        }

        if (UnitStatusReport.Parse(message.Topic, _prefix, message.Payload) is { } status)
        {
            _monitor.Observe(new SeenStatus(status, now));
        }
    }
}
