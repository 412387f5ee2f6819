using TimingMat.Core.Passings;

namespace TimingMat.Collector;

/// <summary>A passing as the collector stored it.</summary>
/// <param name="Passing">The passing (unit and sequence number included).</param>
/// <param name="JournalId">The unit journal it came from.</param>
/// <param name="ReceivedUtcMicros">When the collector stored it, UTC µs.</param>
public sealed record CollectedPassing(Passing Passing, int JournalId, long ReceivedUtcMicros);
