namespace TimingMat.Emulators.Radio;

/// <summary>What two LoRa radios must share to hear each other: carrier (RegFrf), spreading factor, bandwidth and sync word.</summary>
/// <param name="Frf">The 24-bit RegFrf value.</param>
/// <param name="SpreadingFactor">SF 6–12.</param>
/// <param name="BandwidthCode">RegModemConfig1 bits 7–4.</param>
/// <param name="SyncWord">RegSyncWord.</param>
public readonly record struct LoRaChannel(int Frf, int SpreadingFactor, int BandwidthCode, int SyncWord);
