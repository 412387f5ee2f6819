namespace TimingMat.Emulators.Radio;

/// <summary>One packet on the air.</summary>
/// <param name="Sender">Node id of the sending radio.</param>
/// <param name="StartMicros">True time the preamble began, µs.</param>
/// <param name="EndMicros">True time the last symbol ended, µs.</param>
/// <param name="Channel">Where it was sent.</param>
/// <param name="Payload">The bytes.</param>
/// <param name="Crc">Whether the sender appended a payload CRC (the header says so).</param>
public sealed record LoRaTransmission(int Sender, long StartMicros, long EndMicros, LoRaChannel Channel, byte[] Payload, bool Crc = true);
