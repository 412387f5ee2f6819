using TimingMat.Emulators.Clock;

namespace TimingMat.Emulators.Serial;

/// <summary>
/// An emulated UART cable between the unit (<see cref="UnitEnd"/>) and a module (<see cref="ModuleEnd"/>), on
/// simulated time. Bytes take their real wire time to arrive (10 bit times per byte at the sender's baud rate, one
/// after another), a closed end loses what arrives, and ends set to different baud rates see garbage, as a real
/// UART with a baud mismatch does.
/// </summary>
public sealed class SerialLine
{
    /// <summary>Initializes a new instance of the <see cref="SerialLine"/> class.</summary>
    /// <param name="clock">Simulated time both ends share.</param>
    /// <param name="baudRate">Initial line speed of both ends.</param>
    /// <param name="receiveBufferBytes">Receive buffer of each end; bytes beyond it are lost and counted (a UART FIFO overrun).</param>
    public SerialLine(SimulatedClock clock, int baudRate = 115200, int receiveBufferBytes = 64 * 1024)
    {
        Clock = clock;
        UnitEnd = new SerialLineEnd(this, "unit", baudRate, receiveBufferBytes);
        ModuleEnd = new SerialLineEnd(this, "module", baudRate, receiveBufferBytes);
        UnitEnd.Peer = ModuleEnd;
        ModuleEnd.Peer = UnitEnd;
    }

    /// <summary>Gets the clock the line runs on.</summary>
    public SimulatedClock Clock { get; }

    /// <summary>Gets the end the unit's core uses (its reader or GPS port).</summary>
    public SerialLineEnd UnitEnd { get; }

    /// <summary>Gets the end the module emulator uses.</summary>
    public SerialLineEnd ModuleEnd { get; }

    /// <summary>Gets the wire time of one byte (start bit, 8 data bits, stop bit) at a baud rate, in µs (rounded up).</summary>
    /// <param name="baudRate">Line speed in baud.</param>
    /// <returns>Microseconds per byte, e.g. 87 at 115200 baud.</returns>
    public static long ByteMicros(int baudRate) => (10_000_000L + baudRate - 1) / baudRate;
}
