using TimingMat.Core.Hardware;

namespace TimingMat.Emulators.Pps;

/// <summary>
/// PPS edges as the device adapter delivers them: stamps pushed by an emulator (or test) into a small ring the core
/// drains; a full ring drops and counts edges like the device's capture does.
/// </summary>
/// <param name="capacity">Ring size; the device adapter holds 8.</param>
public sealed class QueuedPpsSource(int capacity = 8) : IPpsSource
{
    private readonly Queue<long> _edges = new();

    /// <inheritdoc />
    public int DroppedEdges { get; private set; }

    /// <summary>Gets the edges waiting to be taken.</summary>
    public int Waiting => _edges.Count;

    /// <summary>Captures an edge as the managed handler would.</summary>
    /// <param name="localMicros">Local µs when the handler ran (edge time plus handler latency).</param>
    public void Capture(long localMicros)
    {
        if (_edges.Count >= capacity)
        {
            DroppedEdges++;
            return;
        }

        _edges.Enqueue(localMicros);
    }

    /// <inheritdoc />
    public bool TryTakeEdge(out long localMicros) => _edges.TryDequeue(out localMicros);
}
