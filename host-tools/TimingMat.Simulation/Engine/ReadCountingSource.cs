using TimingMat.Emulators.Reader;
using TimingMat.Simulation.Field;

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

    /// <summary>Reads the bib out of a simulated EPC (<see cref="RaceField.Epc"/>).</summary>
    public static int BibOf(byte[] epc) => (epc[8] << 24) | (epc[9] << 16) | (epc[10] << 8) | epc[11];
}
