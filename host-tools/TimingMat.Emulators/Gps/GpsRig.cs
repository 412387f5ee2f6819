using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Pps;
using TimingMat.Emulators.Serial;

namespace TimingMat.Emulators.Gps;

/// <summary>
/// One unit's GPS side, wired: its local clock, its crystal's timebase, the GPS UART (unit end opened, ready
/// for the core), the PPS capture ring and the receiver emulator. Tests, the clock benchmark and the race
/// simulator build one per unit on a shared true timeline.
/// </summary>
public sealed class GpsRig
{
    /// <summary>Initializes a new instance of the <see cref="GpsRig"/> class.</summary>
    /// <param name="crystal">The unit's crystal.</param>
    /// <param name="trueUtcAtBoot">True UTC µs when the unit booted (its counter read <paramref name="localAtBoot"/>).</param>
    /// <param name="options">The receiver's behaviour.</param>
    /// <param name="baudRate">GPS UART speed (9600 is the receivers' default).</param>
    /// <param name="localAtBoot">Counter value at boot; the emulator starts there.</param>
    public GpsRig(CrystalOscillator crystal, long trueUtcAtBoot, GpsEmulatorOptions options, int baudRate = 9600, long localAtBoot = 0)
    {
        Clock = new SimulatedClock(localAtBoot);
        Timebase = new UnitTimebase(crystal, trueUtcAtBoot, localAtBoot);
        Line = new SerialLine(Clock, baudRate);
        Line.UnitEnd.Open();
        Pps = new QueuedPpsSource();
        Gps = new GpsEmulator(Clock, Timebase, Line.ModuleEnd, Pps, options);
    }

    /// <summary>Gets the unit's local µs clock (give it to the core).</summary>
    public SimulatedClock Clock { get; }

    /// <summary>Gets the mapping between true UTC and the unit's counter.</summary>
    public UnitTimebase Timebase { get; }

    /// <summary>Gets the GPS UART; the core reads <see cref="SerialLine.UnitEnd"/>.</summary>
    public SerialLine Line { get; }

    /// <summary>Gets the GPS end of the UART as the core's byte port.</summary>
    public SerialLineEnd GpsPort => Line.UnitEnd;

    /// <summary>Gets the PPS capture ring (give it to the core).</summary>
    public QueuedPpsSource Pps { get; }

    /// <summary>Gets the receiver emulator; step it on the true timeline.</summary>
    public GpsEmulator Gps { get; }
}
