using System.Text.Json;
using TimingMat.Tent.Status;

namespace TimingMat.Tent.Commands;

/// <summary>
/// The times of one clock exchange (wire-formats §6, the <c>clock</c> reply's <c>exchange</c>), all UTC µs since 1970:
/// t1 the tent sent the command, t2 the unit took it, t3 it answered (both on its mat clock), t4 the tent received the
/// answer.
/// </summary>
/// <param name="HostSent">t1, by the tent's clock.</param>
/// <param name="UnitReceived">t2, by the unit's mat clock, or null while it is unsynced.</param>
/// <param name="UnitSent">t3, by the unit's mat clock, or null while it is unsynced.</param>
/// <param name="HostReceived">t4, by the tent's clock.</param>
/// <param name="LastPpsMilliseconds">How long before the answer the unit took its last PPS edge, or null before the first.</param>
public sealed record ClockExchange(long HostSent, long? UnitReceived, long? UnitSent, long HostReceived, long? LastPpsMilliseconds)
{
    /// <summary>Gets the unit's clock minus the tent's, µs ((t2 − t1) + (t3 − t4)) / 2; null while the unit is unsynced.</summary>
    public double? OffsetMicros => UnitReceived is { } t2 && UnitSent is { } t3 ? ((t2 - HostSent) + (t3 - HostReceived)) / 2.0 : null;

    /// <summary>Gets the round trip less the unit's own time, µs: the offset is good to half of it.</summary>
    public long RoundTripMicros => (HostReceived - HostSent) - (UnitReceived is { } t2 && UnitSent is { } t3 ? t3 - t2 : 0);

    /// <summary>Reads the exchange of a reply.</summary>
    /// <param name="reply">The reply object.</param>
    /// <param name="hostSent">t1 as the tent sent it (used when the reply does not echo it).</param>
    /// <param name="hostReceived">t4.</param>
    /// <returns>The exchange, or <c>null</c> when the reply carries none (a unit older than the exchange).</returns>
    internal static ClockExchange? From(JsonElement reply, long hostSent, long hostReceived) =>
        JsonRead.Object(reply, "exchange") is { } e
            ? new ClockExchange(JsonRead.Long(e, "host_us") ?? hostSent, JsonRead.Long(e, "rx_us"), JsonRead.Long(e, "tx_us"), hostReceived, JsonRead.Long(e, "last_pps_ms"))
            : null;
}
