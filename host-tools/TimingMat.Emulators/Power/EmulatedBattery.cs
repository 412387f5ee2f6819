using TimingMat.Core.Hardware;
using TimingMat.Core.Unit;

namespace TimingMat.Emulators.Power;

/// <summary>
/// A mat unit's battery pack as the board's supply sensing reports it (an ADC on a divider, a T-Beam's PMU): the cell's
/// voltage in millivolts and the board's temperature, set by the emulation (a pack charged the evening before, one run
/// down by a long day or a cold night).
/// </summary>
/// <remarks>
/// The unit judges the voltage with the core's own curve (<see cref="UnitStatus.BatteryPercent"/>), so
/// <see cref="RunDownMillivolts"/> is found on that curve rather than copied from it.
/// </remarks>
public sealed class EmulatedBattery : IBatterySensor
{
    /// <summary>A pack charged the evening before and a few hours into the day: 3.95 V, about 75 %.</summary>
    public const int ChargedMillivolts = 3950;

    /// <summary>Initializes a new instance of the <see cref="EmulatedBattery"/> class, charged, at 25.0 °C.</summary>
    public EmulatedBattery()
    {
        Millivolts = ChargedMillivolts;
        DeciCelsius = 250;
    }

    /// <summary>
    /// Gets the voltage of a pack run down to half the charge at which the unit raises <c>battery_low</c>
    /// (<see cref="UnitStatus.LowBatteryPercent"/>): the highest millivolt the core's curve puts there, 3.6 V with the
    /// Li-ion curve and its 20 % level.
    /// </summary>
    public static int RunDownMillivolts { get; } = FindRunDown();

    /// <summary>Gets or sets the cell's voltage, mV (-1: the board cannot measure it now).</summary>
    public int Millivolts { get; set; }

    /// <summary>Gets or sets the board's temperature, tenths of a degree Celsius.</summary>
    public int DeciCelsius { get; set; }

    /// <inheritdoc />
    public int ReadBatteryMillivolts() => Millivolts;

    /// <inheritdoc />
    public bool TryReadTemperature(out int deciCelsius)
    {
        deciCelsius = DeciCelsius;
        return true;
    }

    private static int FindRunDown()
    {
        var target = UnitStatus.LowBatteryPercent / 2;
        var millivolts = 4200;
        while (millivolts > 0 && UnitStatus.BatteryPercent(millivolts) > target)
        {
            millivolts--;
        }

        return millivolts;
    }
}
