using TimingMat.Core.Hardware;
using TimingMat.Core.Outbox;
using TimingMat.Mqtt;
using TimingMat.Tent.Commands;

namespace TimingMat.Tent.Status;

/// <summary>
/// The latest status of every unit, live from the broker: reads <c>&lt;prefix&gt;/+/status</c> (the retained statuses
/// as soon as it connects, then every new one, and the broker's last will when a unit drops) into one
/// <see cref="UnitStatusReport"/> per unit with the host's UTC when it came. What a monitor shows and what a tool waits
/// on ("every unit online and locked").
/// </summary>
/// <remarks>Its own MQTT session (a clean session, a client id of its own). Thread-safe: messages arrive on MQTTnet's receive task.</remarks>
public sealed class UnitStatusWatch : IDisposable
{
    private readonly string _prefix;
    private readonly object _sync = new();
    private readonly Dictionary<int, SeenStatus> _latest = [];
    private MqttLink _link = null!;

    private UnitStatusWatch(string prefix) => _prefix = prefix;

    /// <summary>Raised on MQTTnet's receive task for every status read (handlers must be quick).</summary>
    public event Action<SeenStatus>? Received;

    /// <summary>Gets the latest status of each unit heard from, by unit id (a copy).</summary>
    public IReadOnlyDictionary<int, SeenStatus> Latest
    {
        get
        {
            lock (_sync)
            {
                return new Dictionary<int, SeenStatus>(_latest);
            }
        }
    }

    /// <summary>Connects to the broker and starts reading every unit's status.</summary>
    /// <param name="broker">The broker.</param>
    /// <param name="prefix">The units' topic prefix.</param>
    /// <param name="username">Broker user name (the tent's), or null.</param>
    /// <param name="password">Broker password, or null.</param>
    /// <param name="configure">TLS trust and timeouts.</param>
    /// <returns>The watch.</returns>
    /// <exception cref="TentConnectException">The broker cannot be reached, refused the account, or refused the subscription.</exception>
    public static UnitStatusWatch Connect(MqttBrokerAddress broker, string prefix, string? username, string? password, Action<MqttLinkOptions>? configure = null)
    {
        var watch = new UnitStatusWatch(prefix);
        watch._link = TentSession.Open(broker, username, password, configure, UplinkTopics.AllUnits(prefix, UplinkTopics.StatusLevel), watch.OnMessage);
        return watch;
    }

    /// <summary>Gets a unit's latest status.</summary>
    /// <param name="unit">Unit id.</param>
    /// <returns>Its status and when it came, or <c>null</c> when none came.</returns>
    public SeenStatus? Of(int unit)
    {
        lock (_sync)
        {
            return _latest.TryGetValue(unit, out var seen) ? seen : null;
        }
    }

    /// <summary>Waits until the statuses meet a condition (checked now and on every status that comes).</summary>
    /// <param name="condition">The condition over the latest status of each unit.</param>
    /// <param name="timeout">How long to wait.</param>
    /// <returns><c>true</c> when met in time.</returns>
    public bool WaitUntil(Func<IReadOnlyDictionary<int, SeenStatus>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_sync)
        {
            while (!condition(_latest))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                Monitor.Wait(_sync, left);
            }

            return true;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _link.Dispose();

    private void OnMessage(MqttMessage message)
    {
        var status = UnitStatusReport.Parse(message.Topic, _prefix, message.Payload);
        if (status == null)
        {
            return;
        }

        var seen = new SeenStatus(status, DateTime.UtcNow);
        lock (_sync)
        {
            _latest[status.Unit] = seen;
            Monitor.PulseAll(_sync);
        }

        Received?.Invoke(seen);
    }
}
