using TimingMat.Core.Hardware;
using TimingMat.Contracts;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Serial;

namespace TimingMat.Emulators.Tests.Serial;

/// <summary>The emulated serial line's unit end keeps the byte-port contract, on simulated line time.</summary>
public sealed class SerialLineEndContractTests : BytePortContractTests
{
    private readonly SimulatedClock _clock = new(1_000_000);
    private readonly SerialLine _line;

    public SerialLineEndContractTests()
    {
        _line = new SerialLine(_clock, 115200);
        _line.ModuleEnd.Open();
    }

    protected override IBytePort Port => _line.UnitEnd;

    protected override void PeerSends(byte[] bytes) => _line.ModuleEnd.Write(bytes, 0, bytes.Length);

    protected override int PeerReceives(byte[] buffer, int offset, int count) => _line.ModuleEnd.Read(buffer, offset, count);

    protected override void LetTimePass() => _clock.Advance(1_000);
}
