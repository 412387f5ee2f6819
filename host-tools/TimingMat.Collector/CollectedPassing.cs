using TimingMat.Core.Passings;

namespace TimingMat.Collector;

/// <summary>A passing as the collector stored it.</summary>
/// <param name="Passing">The passing (unit and sequence number included).</param>
/// <param name="JournalId">The unit journal it came from.</param>
/// <param name="ReceivedUtcMicros">When the collector stored it, UTC µs.</param>
/// <param name="Source">How it came: <see cref="PassingStore.SourceMqtt"/> or <see cref="PassingStore.SourceLora"/>.</param>
public sealed record CollectedPassing(Passing Passing, int JournalId, long ReceivedUtcMicros, string Source = PassingStore.SourceMqtt);
