using TimingMat.Core.Hardware;
using TimingMat.Emulators.Serial;

namespace TimingMat.Simulation.Hil;

/// <summary>
/// Joins an emulated UART to a real one: what the emulated module sends reaches the unit end of its
/// <see cref="SerialLine"/> at its wire time and is written to the real port (a USB-serial adapter wired to the
/// board, or a TCP serial bridge); what the board sends is written into the unit end for the module to answer.
/// </summary>
/// <remarks>
/// Pump it about every millisecond from the harness loop: a byte goes out no earlier than it would have arrived on
/// the emulated wire and about a millisecond later at most, so a frame reaches the board in the same order and
/// nearly the same timing as from a real module. A real port that closes (bridge restarted, adapter replugged)
/// is reopened every second; what the module sends meanwhile is lost, as on an unplugged cable.
/// </remarks>
public sealed class LineBridge
{
    private const long ReopenIntervalMicros = 1_000_000;

    private readonly SerialLineEnd _emulated;
    private readonly IBytePort _real;
    private readonly byte[] _buffer = new byte[4096];
    private long _nextReopen;

    /// <summary>Initializes a new instance of the <see cref="LineBridge"/> class.</summary>
    /// <param name="name">What the line is (<c>reader</c>, <c>gps</c>), for messages.</param>
    /// <param name="emulated">The unit end of the emulated line (the module emulator holds the other end).</param>
    /// <param name="real">The real port to the board, opened by the caller.</param>
    public LineBridge(string name, SerialLineEnd emulated, IBytePort real)
    {
        Name = name;
        _emulated = emulated;
        _real = real;
    }

    /// <summary>Gets what the line is.</summary>
    public string Name { get; }

    /// <summary>Gets the bytes written to the board.</summary>
    public long BytesToBoard { get; private set; }

    /// <summary>Gets the bytes the board sent.</summary>
    public long BytesFromBoard { get; private set; }

    /// <summary>Gets the module's bytes lost while the real port was closed.</summary>
    public long BytesLost { get; private set; }

    /// <summary>Gets how often the real port was reopened.</summary>
    public int Reopens { get; private set; }

    /// <summary>Moves what has arrived on either side to the other.</summary>
    /// <param name="nowMicros">A monotonic time in µs (paces the reopen attempts).</param>
    public void Pump(long nowMicros)
    {
        if (!_real.IsOpen && nowMicros >= _nextReopen)
        {
            _nextReopen = nowMicros + ReopenIntervalMicros;
            try
            {
                _real.Open();
                Reopens++;
            }
            catch (InvalidOperationException)
            {
                // Still away; the next try is in a second.
            }
        }

        int n;
        while ((n = _emulated.Read(_buffer, 0, _buffer.Length)) > 0)
        {
            if (!_real.IsOpen)
            {
                BytesLost += n;
                continue;
            }

            try
            {
                _real.Write(_buffer, 0, n);
                BytesToBoard += n;
            }
            catch (InvalidOperationException)
            {
                BytesLost += n;
            }
        }

        while ((n = _real.Read(_buffer, 0, _buffer.Length)) > 0)
        {
            _emulated.Write(_buffer, 0, n);
            BytesFromBoard += n;
        }
    }
}
