namespace TimingMat.Emulators.Reader;

/// <summary>
/// What the chips in front of an emulated reader produce: the reads the module gets, in time order. The reader
/// emulators turn them into their protocol's tag frames on the serial line. Implementations range from a fixed list
/// of chips at a read rate (reader tests) to the physical crossing model of runners over a mat (simulator).
/// </summary>
public interface ITagSource
{
    /// <summary>Moves the source forward and hands over every read that happened up to a time.</summary>
    /// <param name="untilMicros">Unit-local time, µs; reads at or before it are taken.</param>
    /// <param name="into">List the reads are appended to, in time order.</param>
    /// <returns>The number of reads appended.</returns>
    int TakeReads(long untilMicros, List<EmulatedRead> into);
}
