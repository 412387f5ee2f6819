namespace TimingMat.Collector;

/// <summary>A passing the collector has just committed.</summary>
/// <param name="passing">The passing.</param>
public sealed class CollectedPassingEventArgs(CollectedPassing passing) : EventArgs
{
    /// <summary>Gets the passing.</summary>
    public CollectedPassing Passing { get; } = passing;
}
