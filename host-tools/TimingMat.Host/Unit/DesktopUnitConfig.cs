using TimingMat.Core.Unit;

namespace TimingMat.Host.Unit;

/// <summary>What <c>timingmat unit</c> runs with: the unit's configuration (the board's key set) and what only a desktop unit has.</summary>
/// <param name="Unit">The unit's configuration.</param>
/// <param name="JournalDirectory">The journal folder, absolute.</param>
/// <param name="GpsBaud">The GPS UART's speed on a device port.</param>
public sealed record DesktopUnitConfig(UnitConfig Unit, string JournalDirectory, int GpsBaud);
