namespace TimingMat.Emulators.Crossings;

/// <summary>
/// The runners that will cross a mat, in order of their crossing time: random runners at a rate for the bench, or
/// the race simulator's field arriving at this mat. The crossing model pulls them only shortly before they reach the
/// field, so a stream of a whole race keeps memory flat.
/// </summary>
public interface IRunnerStream
{
    /// <summary>Gets the next runner, in order of <see cref="RunnerCrossing.CrossingMicros"/>.</summary>
    /// <param name="runner">The runner.</param>
    /// <returns><c>false</c> when no runner is left.</returns>
    bool TryNext(out RunnerCrossing runner);
}
