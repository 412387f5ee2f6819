namespace TimingMat.Emulators.Reader;

/// <summary>A read an emulated reader module reports: when the module read which chip, how strongly, on which antenna.</summary>
/// <param name="AtMicros">Unit-local time the module read the chip, in µs (the unit's simulated clock).</param>
/// <param name="Epc">The chip's EPC (no PC word, no CRC).</param>
/// <param name="RssiCentiDbm">Signal strength in centi-dBm; the emulated module rounds it as the real one reports it.</param>
/// <param name="Antenna">Antenna port, 1-based.</param>
/// <param name="FrequencyKhz">Carrier frequency in kHz.</param>
public readonly record struct EmulatedRead(long AtMicros, byte[] Epc, int RssiCentiDbm, int Antenna, int FrequencyKhz);
