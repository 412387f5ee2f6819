using TimingMat.Collector;
using TimingMat.Core.Hardware;

namespace TimingMat.Simulation.Network;

/// <summary>
/// Where the mats' passings go in a simulated race: a broker, the race collector behind it, and the switches the fault
/// timeline throws (a mat's uplink down, the broker down). The engine steps the mats, then lets the network
/// <see cref="Exchange"/> messages between windows.
/// </summary>
internal abstract class RaceNetwork : IDisposable
{
    /// <summary>Gets where passings go, for the report: "in-process" or the broker's address.</summary>
    public abstract string Name { get; }

    /// <summary>Gets the topic prefix the units and the collector share.</summary>
    public abstract string TopicPrefix { get; }

    /// <summary>Gets why the collector's last connect failed, or null.</summary>
    public virtual string? LastError => null;

    /// <summary>Gets a value indicating whether the broker answers on TCP (so a failed MQTT handshake is worth another try).</summary>
    public virtual bool AnswersTcp => false;

    /// <summary>Gets the collector (runs inside <see cref="Exchange"/>).</summary>
    public abstract PassingCollector Collector { get; }

    /// <summary>Gives a booting unit a fresh MQTT session (cut off when the unit's network is down).</summary>
    /// <param name="unitId">The unit.</param>
    /// <returns>The link the unit's firmware polls.</returns>
    public abstract IMqttLink NewLink(int unitId);

    /// <summary>Cuts or restores one unit's network (its Wi-Fi or cable).</summary>
    /// <param name="unitId">The unit.</param>
    /// <param name="reachable">Whether it can reach the broker.</param>
    public abstract void SetUnitReachable(int unitId, bool reachable);

    /// <summary>Takes the broker down (every session dropped) or brings it back.</summary>
    /// <param name="up">Whether the broker runs.</param>
    public abstract void SetBrokerUp(bool up);

    /// <summary>
    /// Runs between windows, with no mat stepping: moves messages, runs the collector, and waits (real time) for
    /// what the window sent to come back, so a real broker's round trip fits into simulated time.
    /// </summary>
    /// <param name="mats">The mats, to re-poll their uplinks while waiting.</param>
    public abstract void Exchange(IReadOnlyList<Engine.SimulatedMat> mats);

    /// <inheritdoc />
    public virtual void Dispose()
    {
    }
}
