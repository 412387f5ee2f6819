using TimingMat.Core.Passings;

namespace TimingMat.Collector;

/// <summary>A chip passing as the collector stored it, with the fields an audit or a results system needs.</summary>
/// <param name="Unit">Mat unit that recorded it.</param>
/// <param name="Sequence">The unit's sequence number.</param>
/// <param name="ChipHex">EPC as upper-case hex.</param>
/// <param name="TimeUtcMicros">Crossing time, UTC µs.</param>
/// <param name="Hits">Reads the passing was timed from.</param>
/// <param name="RssiCentiDbm">Strongest read, centi-dBm.</param>
/// <param name="Antenna">Antenna of the strongest read.</param>
/// <param name="Clock">The unit's clock state then (<c>locked</c>, <c>holdover</c>, <c>unsynced</c> …).</param>
/// <param name="UncertaintyMicros">The unit's stated time uncertainty, µs.</param>
/// <param name="Flags">Qualifiers from the unit.</param>
/// <param name="ReceivedUtcMicros">When the collector stored it, UTC µs.</param>
/// <param name="Source">How it came: <see cref="PassingStore.SourceMqtt"/> or <see cref="PassingStore.SourceLora"/>.</param>
public sealed record StoredPassing(int Unit, long Sequence, string ChipHex, long TimeUtcMicros, int Hits, int RssiCentiDbm, int Antenna, string Clock, long UncertaintyMicros, PassingFlags Flags, long ReceivedUtcMicros, string Source);
