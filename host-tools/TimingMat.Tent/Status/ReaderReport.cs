namespace TimingMat.Tent.Status;

/// <summary>One reader module in a unit's status.</summary>
/// <param name="Index">Reader index on the unit, from 0.</param>
/// <param name="State">Driver state: <c>stopped</c>, <c>settling</c>, <c>configuring</c>, <c>starting</c>, <c>reading</c> or <c>backoff</c>.</param>
/// <param name="Reads">Tag reads since boot.</param>
/// <param name="ReadsPerSecond">Reads per second since the previous status.</param>
/// <param name="Restarts">Module restarts since boot.</param>
public sealed record ReaderReport(int Index, string State, long Reads, double ReadsPerSecond, long Restarts)
{
    /// <summary>Gets a value indicating whether the module is reading.</summary>
    public bool IsReading => State == "reading";
}
