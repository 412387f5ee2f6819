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
    string? LastError);
