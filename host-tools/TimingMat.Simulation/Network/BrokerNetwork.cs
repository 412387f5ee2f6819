using System.Diagnostics;
using TimingMat.Collector;
using TimingMat.Collector.Courses;
using TimingMat.Core.Hardware;
using TimingMat.Emulators.Clock;
using TimingMat.Host.Ports;
using TimingMat.Mqtt;
using TimingMat.Simulation.Engine;

namespace TimingMat.Simulation.Network;

/// <summary>
/// A real broker (<c>--broker mqtt://host:port</c>): every unit and the collector use the real MQTT client, each
/// through its own <see cref="LinkProxy"/> so the fault timeline can cut a unit's network or take the whole broker
/// away without touching a broker others may share. Topics and client ids carry a per-run prefix, so a run never
/// mixes with a real race or another run on the same broker.
/// </summary>
/// <remarks>
/// Simulated time runs far faster than the broker's round trips. After every window the network therefore waits (in
/// real time, at most <see cref="MaxWaitPerWindow"/>) until each online unit's batches are acknowledged by the
/// collector, re-polling the units' uplinks at the same simulated instant, so an acknowledgement takes the same
/// simulated time as with the in-process broker and no batch times out because the host is slower than the race.
/// </remarks>
internal sealed class BrokerNetwork : RaceNetwork
{
    private static readonly TimeSpan MaxWaitPerWindow = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan UnitConnectTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CollectorConnectTimeout = TimeSpan.FromSeconds(15);

    private readonly MqttBrokerAddress _broker;
    private readonly Dictionary<int, LinkProxy> _proxies = [];
    private readonly Dictionary<int, MqttLink> _links = [];
    private readonly LinkProxy _collectorProxy;
    private readonly MqttLink _collectorLink;
    private readonly string _runId;
    private bool _brokerUp = true;

    public BrokerNetwork(MqttBrokerAddress broker, SimulatedClock trueClock, PassingStore store, string runId, Course? course = null)
    {
        _broker = broker;
        _runId = runId;
        TopicPrefix = "timingmat-sim/" + runId;
        _collectorProxy = new LinkProxy(broker.Host, broker.Port);
        // The collector's first connect is waited for with the race clock standing still (RaceEngine.RequireBroker); on a
        // loaded host MQTTnet's first connection in the process (JIT, TLS setup) can take seconds. An unreachable proxy
        // closes at once, so the longer bound never slows a connect the fault timeline refuses.
        _collectorLink = Through(_collectorProxy, CollectorConnectTimeout);
        var options = new CollectorOptions { TopicPrefix = TopicPrefix, ClientId = $"timingmat-sim-{runId}-collector", Course = course };
        Collector = new PassingCollector(_collectorLink, store, trueClock, options, () => trueClock.Now);
    }

    public override string Name => _broker.ToString();

    public override string TopicPrefix { get; }

    public override PassingCollector Collector { get; }

    public override string? LastError => Probe() ?? _collectorLink.LastError;

    public override bool AnswersTcp => Probe() == null;

    /// <summary>Gets the client id a unit uses on this run.</summary>
    public string ClientIdOf(int unitId) => $"timingmat-sim-{_runId}-unit-{unitId}";

    public override IMqttLink NewLink(int unitId)
    {
        var proxy = ProxyOf(unitId);

        // A reboot: the old session's socket dies with the unit (the broker sees it drop and sends the will).
        if (_links.Remove(unitId, out var old))
        {
            old.Dispose();
        }

        var link = Through(proxy, UnitConnectTimeout);
        _links[unitId] = link;
        return new StillTimeConnectLink(link);
    }

    public override void SetUnitReachable(int unitId, bool reachable)
    {
        ProxyOf(unitId).Reachable = reachable && _brokerUp;
    }

    public override void SetBrokerUp(bool up)
    {
        _brokerUp = up;
        _collectorProxy.Reachable = up;
        foreach (var proxy in _proxies.Values)
        {
            proxy.Reachable = up;
        }
    }

    public override void Exchange(IReadOnlyList<SimulatedMat> mats)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Collector.Poll();
            var handles = new List<WaitHandle> { _collectorLink.ActivityHandle };
            foreach (var mat in mats)
            {
                var unit = mat.Unit;
                if (unit != null && unit.Uplink.IsOnline && unit.Uplink.Outbox.InFlight > 0)
                {
                    unit.Uplink.Poll();
                    if (unit.Uplink.IsOnline && unit.Uplink.Outbox.InFlight > 0 && _links.TryGetValue(mat.Spec.UnitId, out var link))
                    {
                        handles.Add(link.ActivityHandle);
                    }
                }
            }

            if (handles.Count == 1 || !Collector.IsOnline || waited.Elapsed >= MaxWaitPerWindow)
            {
                return;
            }

            // Wake on the first message to the collector or to a waiting unit; the timeout covers a signal consumed
            // by a link's own wait.
            WaitHandle.WaitAny([.. handles], TimeSpan.FromMilliseconds(5));
        }
    }

    public override void Dispose()
    {
        foreach (var link in _links.Values)
        {
            link.Dispose();
        }

        _collectorLink.Dispose();
        foreach (var proxy in _proxies.Values)
        {
            proxy.Dispose();
        }

        _collectorProxy.Dispose();
    }

    /// <summary>Gets the unit's proxy, made on first use (passing traffic while the broker is up).</summary>
    private LinkProxy ProxyOf(int unitId)
    {
        if (!_proxies.TryGetValue(unitId, out var proxy))
        {
            proxy = new LinkProxy(_broker.Host, _broker.Port) { Reachable = _brokerUp };
            _proxies[unitId] = proxy;
        }

        return proxy;
    }

    /// <summary>Connects to the broker directly (not through a proxy) to tell why the collector could not.</summary>
    /// <returns>The socket's error, or null when a TCP connection can be made.</returns>
    private string? Probe()
    {
        try
        {
            TcpConnection.Open(_broker.Host, _broker.Port, TimeSpan.FromSeconds(2)).Dispose();
            return null;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or TimeoutException)
        {
            return e.Message;
        }
    }

    private MqttLink Through(LinkProxy proxy, TimeSpan connectTimeout) =>
        new(new MqttBrokerAddress("127.0.0.1", proxy.Port, _broker.UseTls), client =>
        {
            client.ConnectTimeout = connectTimeout;
            if (_broker.UseTls)
            {
                // The proxy only relays bytes: the certificate still names the broker.
                client.TlsTargetHost ??= _broker.Host;
            }
        });
}
