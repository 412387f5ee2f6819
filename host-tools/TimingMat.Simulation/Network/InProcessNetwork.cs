using TimingMat.Collector;
using TimingMat.Collector.Courses;
using TimingMat.Core.Hardware;
using TimingMat.Core.Outbox;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Mqtt;

namespace TimingMat.Simulation.Network;

/// <summary>
/// The default network: the emulated broker on simulated time (2 ms latency) and the collector on an in-memory
/// SQLite store. Mats step in parallel, so every link call takes the broker's lock.
/// </summary>
internal sealed class InProcessNetwork : RaceNetwork
{
    private readonly MqttBrokerEmulator _broker;
    private readonly object _brokerLock = new();
    private readonly Dictionary<int, EmulatedMqttLink> _links = [];
    private readonly HashSet<int> _cut = [];

    public InProcessNetwork(SimulatedClock trueClock, PassingStore store, Course? course = null)
    {
        _broker = new MqttBrokerEmulator(trueClock, latencyMicros: 2_000);
        Collector = new PassingCollector(_broker.CreateLink(), store, trueClock, new CollectorOptions { Course = course }, () => trueClock.Now);
    }

    public override string Name => "in-process";

    public override string TopicPrefix => UplinkTopics.DefaultPrefix;

    public override PassingCollector Collector { get; }

    public override IMqttLink NewLink(int unitId)
    {
        // The engine pumps the broker between windows; a unit's call must not (it would race the other mats).
        var link = _broker.CreateLink();
        link.PumpsBroker = false;
        lock (_brokerLock)
        {
            _links[unitId] = link;
            if (_cut.Contains(unitId))
            {
                link.CutNetwork();
            }
        }

        return new LockedMqttLink(link, _brokerLock);
    }

    public override void SetUnitReachable(int unitId, bool reachable)
    {
        lock (_brokerLock)
        {
            if (reachable)
            {
                _cut.Remove(unitId);
            }
            else
            {
                _cut.Add(unitId);
            }

            if (_links.TryGetValue(unitId, out var link))
            {
                if (reachable)
                {
                    link.RestoreNetwork();
                }
                else
                {
                    link.CutNetwork();
                }
            }
        }
    }

    public override void SetBrokerUp(bool up)
    {
        lock (_brokerLock)
        {
            if (up)
            {
                _broker.Start();
            }
            else
            {
                // A restarted Mosquitto without persistence: sessions and queued messages are gone.
                _broker.Stop(keepState: false);
            }
        }
    }

    public override void Exchange(IReadOnlyList<Engine.SimulatedMat> mats)
    {
        lock (_brokerLock)
        {
            _broker.Pump();
            Collector.Poll();
            _broker.Pump();
        }
    }
}
