namespace TimingMat.Core.Passings
{
    /// <summary>Receives passings from the crossing detector: the RAM ring in front of the journal, or a test.</summary>
    public interface IPassingSink
    {
        /// <summary>Offers a passing. The instance is reused by the producer: copy it before returning.</summary>
        /// <param name="passing">The passing.</param>
        /// <returns><c>true</c> when taken; <c>false</c> when the sink is full (back-pressure: keep it and offer it again later).</returns>
        bool TryAccept(Passing passing);
    }
}
