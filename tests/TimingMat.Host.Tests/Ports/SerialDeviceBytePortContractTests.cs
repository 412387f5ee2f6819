using TimingMat.Core.Hardware;
using TimingMat.Contracts;
using TimingMat.Host.Ports;

namespace TimingMat.Host.Tests.Ports;

/// <summary>The serial device port (System.IO.Ports) keeps the byte-port contract on a real pseudo-terminal.</summary>
public sealed class SerialDeviceBytePortContractTests : BytePortContractTests, IDisposable
{
    private readonly PseudoTerminal _pty = new();
    private readonly SerialDeviceBytePort _port;

    public SerialDeviceBytePortContractTests()
    {
        _port = new SerialDeviceBytePort(_pty.SlavePath, 115200);
        _pty.StartDraining();
    }

    protected override IBytePort Port => _port;

    // A pty buffers about 4 KB each way; a larger write would wait on the drain thread, which is not what this checks.
    protected override int LargeWriteBytes => 4 * 1024;

    protected override int SettleSteps => 200;

    public void Dispose()
    {
        _port.Dispose();
        _pty.Dispose();
    }

    protected override void PeerSends(byte[] bytes) => _pty.Send(bytes);

    protected override int PeerReceives(byte[] buffer, int offset, int count) => _pty.TakeReceived(buffer, offset, count);

    protected override void AwaitReceived(int count) => AwaitWaiting(count, () => _port.BytesToRead);

    protected override void LetTimePass() => Thread.Sleep(1);
}
