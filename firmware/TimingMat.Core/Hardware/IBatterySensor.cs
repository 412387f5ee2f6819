namespace TimingMat.Core.Hardware
{
    /// <summary>The board's supply and temperature sensing, where it has them (an ADC on a divider, the PMU of a T-Beam).</summary>
    public interface IBatterySensor
    {
        /// <summary>Reads the battery voltage.</summary>
        /// <returns>Millivolts, or -1 when the board cannot measure it now.</returns>
        int ReadBatteryMillivolts();

        /// <summary>Reads the board temperature.</summary>
        /// <param name="deciCelsius">Tenths of a degree Celsius.</param>
        /// <returns><c>true</c> when the board has a temperature sensor and it answered.</returns>
        bool TryReadTemperature(out int deciCelsius);
    }
}
