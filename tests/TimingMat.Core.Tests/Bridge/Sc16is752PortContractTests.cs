using TimingMat.Core.Bridge;
using TimingMat.Core.Hardware;
using TimingMat.Contracts;
using TimingMat.Emulators.Bridge;
using TimingMat.Emulators.Clock;

namespace TimingMat.Core.Tests.Bridge;

/// <summary>A channel of the SPI-UART bridge keeps the byte-port contract, against the register-level emulator.</summary>
public sealed class Sc16is752PortContractTests : BytePortContractTests
{
    private readonly SimulatedClock _clock = new(1_000_000);
    private readonly Sc16is752Emulator _chip;
    private readonly Sc16is752Port _port;

    public Sc16is752PortContractTests()
    {
        _chip = new Sc16is752Emulator(_clock);
        _port = new Sc16is752Bridge(_chip, Sc16is752.DefaultCrystalHz).Port(0);
        _chip.Line(0).ModuleEnd.Open();
    }

    protected override IBytePort Port => _port;

    // The port queues at most 256 bytes ahead of the 64-byte FIFO (a fixed buffer, allocated once); reader commands
    // are far shorter, so a larger write is refused rather than taken.
    protected override int LargeWriteBytes => 256;

    // InvalidOperationException is outside the nanoFramework API list the core compiles against, so the bridge
    // throws its own BridgeException; the reader driver catches every exception from a port write alike.
    protected override Type ClosedWriteException => typeof(BridgeException);

    protected override void PeerSends(byte[] bytes) => _chip.Line(0).ModuleEnd.Write(bytes, 0, bytes.Length);

    protected override int PeerReceives(byte[] buffer, int offset, int count) =>
        _chip.Line(0).ModuleEnd.Read(buffer, offset, count);

    // 1 ms is 11 bytes at 115,200 baud: the 64-byte receive FIFO never overruns between two reads.
    protected override void LetTimePass() => _clock.Advance(1_000);
}
