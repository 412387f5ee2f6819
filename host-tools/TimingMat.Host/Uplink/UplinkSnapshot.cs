using TimingMat.Core.Outbox;

namespace TimingMat.Host.Uplink;

/// <summary>The state of a <see cref="DesktopUnitUplink"/> after its last poll, safe to read from any thread.</summary>
/// <param name="Online">Whether the MQTT session is up.</param>
/// <param name="JournalId">The journal's id.</param>
/// <param name="FirstSequence">Oldest sequence number stored.</param>
/// <param name="DurableSequence">Last durable sequence number.</param>
/// <param name="AckedSequence">The collector's acknowledged sequence number.</param>
/// <param name="RingCount">Passings waiting in the ring.</param>
/// <param name="RingRefused">Offers refused by the full ring.</param>
/// <param name="InFlight">Batches awaiting the collector.</param>
/// <param name="BatchesSent">Batches published.</param>
/// <param name="Connections">Successful connects.</param>
/// <param name="LastError">Last connection error, or <c>null</c>.</param>
public sealed record UplinkSnapshot(
    bool Online,
    int JournalId,
    long FirstSequence,
    long DurableSequence,
    long AckedSequence,
    int RingCount,
    int RingRefused,
    int InFlight,
    long BatchesSent,
    int Connections,
    string? LastError)
{
    /// <summary>Takes the state of a unit's uplink; call from the thread that polls it.</summary>
    /// <param name="uplink">The uplink (ring, journal, outbox).</param>
    /// <param name="lastError">The MQTT link's last connection error, or <c>null</c>.</param>
    /// <returns>The snapshot.</returns>
    public static UplinkSnapshot Of(UnitUplink uplink, string? lastError)
    {
        var outbox = uplink.Outbox;
        return new UplinkSnapshot(
            uplink.IsOnline,
            uplink.Journal.JournalId,
            uplink.Journal.FirstSequence,
            uplink.Journal.DurableSequence,
            uplink.Journal.AckedSequence,
            uplink.Ring.Count,
            uplink.Ring.Refused,
            outbox?.InFlight ?? 0,
            outbox?.BatchesSent ?? 0,
            uplink.Connections,
            lastError);
    }
}
