using TimingMat.Core.Reader;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Reader;
using TimingMat.Emulators.Serial;

namespace TimingMat.Core.Tests.Reader;

/// <summary>A unit and a reader module on simulated time: the driver and the emulator polled every millisecond.</summary>
internal sealed class ReaderRig : ITagReadSink
{
    public ReaderRig(int baudRate = 115200)
    {
        Line = new SerialLine(Clock, baudRate);
        Line.UnitEnd.Open();
    }

    public SimulatedClock Clock { get; } = new(1_000_000);

    public SerialLine Line { get; }

    public List<TagRead> Reads { get; } = [];

    public ReaderModuleEmulator? Module { get; set; }

    public ReaderDriver? Driver { get; set; }

    public ChipsInFieldTagSource Tags { get; } = new(seed: 9);

    /// <summary>Gets the driver states seen, each time it changed.</summary>
    public List<ReaderState> States { get; } = [];

    public void OnTagRead(TagRead read)
    {
        var copy = new TagRead();
        copy.CopyFrom(read);
        Reads.Add(copy);
    }

    public void Run(long micros, long stepMicros = 1000)
    {
        var until = Clock.Now + micros;
        while (Clock.Now < until)
        {
            Clock.Advance(Math.Min(stepMicros, until - Clock.Now));
            Module?.Poll();
            Driver!.Poll();
            if (States.Count == 0 || States[^1] != Driver.State)
            {
                States.Add(Driver.State);
            }
        }
    }

    /// <summary>Runs until a condition holds, at most a time; returns whether it held.</summary>
    public bool RunUntil(Func<bool> condition, long maxMicros)
    {
        var until = Clock.Now + maxMicros;
        while (Clock.Now < until)
        {
            Run(1000);
            if (condition())
            {
                return true;
            }
        }

        return false;
    }

    public static byte[] Epc(int n) => [0xE2, 0x00, 0x00, 0x17, 0x22, 0x09, 0x01, 0x23, (byte)(n >> 24), (byte)(n >> 16), (byte)(n >> 8), (byte)n];
}
