using TimingMat.Core.Clock;
using TimingMat.Core.Passings;
using TimingMat.Simulation.Field;

namespace TimingMat.Simulation.Scoring;

/// <summary>The fields of a passing the collector stored that scoring needs (the collector's instance is not kept).</summary>
/// <param name="Unit">Unit (mat) id.</param>
/// <param name="Sequence">The unit's journal sequence number.</param>
/// <param name="Bib">Bib encoded in a simulated EPC, or -1 for a marker or a foreign chip.</param>
/// <param name="TimeUtcMicros">Passing time, UTC µs.</param>
/// <param name="Kind">Crossing or marker.</param>
/// <param name="Flags">Qualifier flags.</param>
/// <param name="ClockState">The unit clock's state when it stamped the passing.</param>
/// <param name="StoredUtcMicros">True UTC µs when the collector stored it (for delivery latency).</param>
/// <param name="OtherChipHex">The EPC as hex when it is not a simulated race chip (a marker's is empty), else null.</param>
/// <param name="Hits">Reads the passing was timed from.</param>
/// <param name="ByLora">Whether the collector first stored it from the LoRa fallback rather than the uplink.</param>
/// <remarks>A full marathon delivers ~400,000 of these: simulated chips keep only their bib, not their EPC text.</remarks>
public sealed record DeliveredPassing(int Unit, long Sequence, int Bib, long TimeUtcMicros, PassingKind Kind, PassingFlags Flags, ClockState ClockState, long StoredUtcMicros, string? OtherChipHex = null, int Hits = 0, bool ByLora = false)
{
    /// <summary>Gets the EPC as hex.</summary>
    public string ChipHex => OtherChipHex ?? Convert.ToHexString(RaceField.Epc(Bib));

    /// <summary>Takes what scoring needs from a stored passing.</summary>
    /// <param name="p">The passing.</param>
    /// <param name="storedUtcMicros">True UTC µs when it was stored.</param>
    /// <param name="byLora">Whether it came over the LoRa fallback.</param>
    /// <returns>The record.</returns>
    public static DeliveredPassing From(Passing p, long storedUtcMicros, bool byLora = false)
    {
        var epc = p.Epc.AsSpan(0, p.EpcLength);
        var bib = RaceField.TryBibOf(epc);
        return new DeliveredPassing(p.UnitId, p.Sequence, bib, p.TimeUtcMicros, p.Kind, p.Flags, p.ClockState, storedUtcMicros, bib < 0 ? Convert.ToHexString(epc) : null, p.Hits, byLora);
    }
}
