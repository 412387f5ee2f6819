using System.Globalization;
using System.Text;
using TimingMat.Core.BringUp;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Pps;
using TimingMat.Emulators.Radio;
using TimingMat.Emulators.Serial;
using TimingMat.Emulators.Storage;

namespace TimingMat.Cli.Commands;

/// <summary>
/// One emulated mat unit on a bench for the bring-up demo: the reader module sends its once-a-second keep-alive
/// frame, the GPS pulses PPS (seen by the unit 0.2–3 ms late) and then sends RMC and GGA at 9600 baud, the SX1276
/// and the storage answer their probes. The core's <see cref="WiringCheck"/> runs on it at 10 ms polls.
/// </summary>
internal sealed class DemoBench
{
    // The M6e Nano keep-alive frame (opcode 0x22, status 0x0400, no data) from the protocol reference.
    private static readonly byte[] s_keepAlive = [0xFF, 0x00, 0x22, 0x04, 0x00, 0x84, 0xE0];

    private readonly SimulatedClock _clock = new(2_000_000);
    private readonly SerialLine _reader;
    private readonly SerialLine _gps;
    private readonly QueuedPpsSource _pps = new();
    private readonly Random _latency;
    private readonly DateTime _utcAtStart = new(2026, 10, 4, 7, 59, 50, DateTimeKind.Utc);

    public DemoBench(int seed)
    {
        _latency = new Random(seed);
        _reader = new SerialLine(_clock, 115200);
        _gps = new SerialLine(_clock, 9600);
        foreach (var end in new[] { _reader.UnitEnd, _reader.ModuleEnd, _gps.UnitEnd, _gps.ModuleEnd })
        {
            end.Open();
        }
    }

    public IEnumerable<WiringReport> Run(int seconds)
    {
        var check = new WiringCheck(_clock, _reader.UnitEnd, _gps.UnitEnd, _pps, new MemoryFileStore(), new Sx127xRegisterEmulator(), 1_000_000);
        var start = _clock.Now;
        for (var second = 0; second < seconds; second++)
        {
            var edge = start + (second * 1_000_000L) + 250_000;
            var utc = _utcAtStart.AddSeconds(second);
            for (var t = start + (second * 1_000_000L); t < start + ((second + 1) * 1_000_000L); t += 10_000)
            {
                _clock.AdvanceTo(t + 10_000);
                if (t < edge && t + 10_000 >= edge)
                {
                    _pps.Capture(edge + 200 + _latency.Next(2_800));
                    Send(_gps, Nmea("GPRMC", utc.ToString("HHmmss.ff", CultureInfo.InvariantCulture) + ",A,4717.11437,N,00833.91522,E,0.004,77.52," + utc.ToString("ddMMyy", CultureInfo.InvariantCulture) + ",,,A"));
                    Send(_gps, Nmea("GPGGA", utc.ToString("HHmmss.ff", CultureInfo.InvariantCulture) + ",4717.11437,N,00833.91522,E,1,08,1.01,499.6,M,48.0,M,,"));
                    Send(_reader, s_keepAlive);
                }

                if (check.Poll())
                {
                    yield return check.LastReport;
                }
            }
        }
    }

    private static byte[] Nmea(string type, string fields)
    {
        var body = type + "," + fields;
        var checksum = 0;
        foreach (var c in body)
        {
            checksum ^= c;
        }

        return Encoding.ASCII.GetBytes($"${body}*{checksum:X2}\r\n");
    }

    private static void Send(SerialLine line, byte[] bytes) => line.ModuleEnd.Write(bytes, 0, bytes.Length);
}
