using TimingMat.Core.Clock;
using TimingMat.Core.Passings;
using TimingMat.Simulation.Field;

namespace TimingMat.Simulation.Scoring;

/// <summary>The fields of a passing the collector stored that scoring needs (the collector's instance is not kept).</summary>
/// <param name="Unit">Unit (mat) id.</param>
/// <param name="Sequence">The unit's journal sequence number.</param>
/// <param name="Bib">Bib encoded in a simulated EPC, or -1 for a marker or a foreign chip.</param>
/// <param name="ChipHex">EPC as hex.</param>
/// <param name="TimeUtcMicros">Passing time, UTC µs.</param>
/// <param name="Kind">Crossing or marker.</param>
/// <param name="Flags">Qualifier flags.</param>
/// <param name="ClockState">The unit clock's state when it stamped the passing.</param>
/// <param name="StoredUtcMicros">True UTC µs when the collector stored it (for delivery latency).</param>
public sealed record DeliveredPassing(int Unit, long Sequence, int Bib, string ChipHex, long TimeUtcMicros, PassingKind Kind, PassingFlags Flags, ClockState ClockState, long StoredUtcMicros)
{
    /// <summary>Takes what scoring needs from a stored passing.</summary>
    /// <param name="p">The passing.</param>
    /// <param name="storedUtcMicros">True UTC µs when it was stored.</param>
    /// <returns>The record.</returns>
    public static DeliveredPassing From(Passing p, long storedUtcMicros)
    {
        var epc = p.Epc.AsSpan(0, p.EpcLength).ToArray();
        var bib = RaceField.TryBibOf(epc);
        return new DeliveredPassing(p.UnitId, p.Sequence, bib, Convert.ToHexString(epc), p.TimeUtcMicros, p.Kind, p.Flags, p.ClockState, storedUtcMicros);
    }
}
