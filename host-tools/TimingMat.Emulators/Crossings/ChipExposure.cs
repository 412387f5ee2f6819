namespace TimingMat.Emulators.Crossings;

/// <summary>What the mat's readers made of one chip crossing, as the crossing model saw it.</summary>
/// <param name="RoundsAnswerable">Inventory rounds in which the chip was strong enough to answer (counted per reader and antenna).</param>
/// <param name="Slots">Slots the readers gave it (a read attempt each).</param>
/// <param name="Reads">Attempts that reached the sensitivity: reads the modules made (before any was dropped on the way to the unit).</param>
public readonly record struct ChipExposure(int RoundsAnswerable, int Slots, int Reads);
