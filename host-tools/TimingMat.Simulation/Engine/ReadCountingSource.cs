using TimingMat.Emulators.Reader;

namespace TimingMat.Simulation.Engine;

/// <summary>Passes a tag source through and counts the reads the physics produced (before the module drops any).</summary>
internal sealed class ReadCountingSource(ITagSource inner) : ITagSource
{
    public long Reads { get; private set; }

    public int TakeReads(long untilMicros, List<EmulatedRead> into)
    {
        var n = inner.TakeReads(untilMicros, into);
        Reads += n;
        return n;
    }
}
