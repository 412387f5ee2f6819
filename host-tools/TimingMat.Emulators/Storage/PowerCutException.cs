namespace TimingMat.Emulators.Storage;

/// <summary>
/// Thrown by <see cref="MemoryFileStore"/> when an armed power cut strikes: it stands for the CPU stopping, so it deliberately is
/// not an <see cref="IOException"/> the code under test could catch and carry on from.
/// </summary>
public sealed class PowerCutException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="PowerCutException"/> class.</summary>
    public PowerCutException()
        : base("power cut")
    {
    }
}
