using TimingMat.Core.Passings;

namespace TimingMat.Emulators.Crossings;

/// <summary>A passing sink that keeps a copy of every record it takes, and refuses on demand to exercise back-pressure.</summary>
public sealed class RecordingPassingSink : IPassingSink
{
    /// <summary>Gets the records taken, in order.</summary>
    public List<Passing> Taken { get; } = [];

    /// <summary>Gets or sets a value indicating whether the sink refuses every offer (a full journal ring).</summary>
    public bool Refusing { get; set; }

    /// <summary>Gets the number of offers refused.</summary>
    public int Refused { get; private set; }

    /// <inheritdoc />
    public bool TryAccept(Passing passing)
    {
        if (Refusing)
        {
            Refused++;
            return false;
        }

        var copy = new Passing();
        copy.CopyFrom(passing);
        Taken.Add(copy);
        return true;
    }
}
