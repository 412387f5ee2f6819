using TimingMat.Core.Clock;

namespace TimingMat.Simulation.Scoring;

/// <summary>One true chip crossing of a mat after scoring: enough to tell what a fault did to the crossings in its span.</summary>
/// <param name="Unit">The mat's unit id.</param>
/// <param name="TrueUtcMicros">True crossing time.</param>
/// <param name="What">delivered, read_not_delivered, or the cause it was never read (as <see cref="CrossingFate.What"/>).</param>
/// <param name="StoredUtcMicros">True UTC µs the collector stored its passing (delivered only).</param>
/// <param name="ByLora">Whether that passing came over the LoRa fallback.</param>
/// <param name="ErrorMicros">Delivered time minus true time (delivered only).</param>
/// <param name="ClockState">The clock's state when the unit stamped it (delivered only).</param>
internal readonly record struct ScoredCrossing(int Unit, long TrueUtcMicros, string What, long StoredUtcMicros, bool ByLora, long ErrorMicros, ClockState ClockState)
{
    public const string Delivered = "delivered";

    public const string ReadNotDelivered = "read_not_delivered";

    public bool WasDelivered => What == Delivered;

    public bool WasLost => What == ReadNotDelivered;
}
