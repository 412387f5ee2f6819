using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Serial;
using Xunit;

namespace TimingMat.Emulators.Tests.Serial;

public class SerialLineTests
{
    private readonly SimulatedClock _clock = new();
    private readonly SerialLine _line;

    public SerialLineTests()
    {
        _line = new SerialLine(_clock, 115200);
        _line.UnitEnd.Open();
        _line.ModuleEnd.Open();
    }

    [Fact]
    public void Bytes_ArriveAfterTheirWireTime_OneAfterAnother()
    {
        var frame = new byte[] { 0xFF, 0x00, 0x03, 0x1D, 0x0C };
        _line.ModuleEnd.Write(frame, 0, frame.Length);
        var buffer = new byte[16];

        Assert.Equal(87, SerialLine.ByteMicros(115200));
        Assert.Equal(0, _line.UnitEnd.Read(buffer, 0, buffer.Length));
        _clock.Advance(87);
        Assert.Equal(1, _line.UnitEnd.Read(buffer, 0, buffer.Length));
        Assert.Equal(0xFF, buffer[0]);
        _clock.Advance((87 * 4) - 1);
        Assert.Equal(3, _line.UnitEnd.Read(buffer, 1, buffer.Length - 1));
        _clock.Advance(1);
        Assert.Equal(1, _line.UnitEnd.Read(buffer, 4, buffer.Length - 4));
        Assert.Equal(frame, buffer[..5]);
    }

    [Fact]
    public void BackToBackWrites_QueueBehindEachOther()
    {
        _line.UnitEnd.Write(new byte[10], 0, 10);
        _line.UnitEnd.Write(new byte[10], 0, 10);

        Assert.Equal(20 * 87, _line.UnitEnd.TransmitFreeAt);
        _clock.Advance(10 * 87);
        Assert.Equal(10, _line.ModuleEnd.BytesWaiting);
    }

    [Fact]
    public void AtNineSixHundredBaud_AByteTakesAMillisecond()
    {
        Assert.Equal(1042, SerialLine.ByteMicros(9600));
    }

    [Fact]
    public void BaudMismatch_GarblesEveryByte_ButKeepsTheCount()
    {
        _line.UnitEnd.BaudRate = 9600;
        var sent = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        _line.ModuleEnd.Write(sent, 0, sent.Length);
        _clock.Advance(1_000_000);
        var got = new byte[64];

        Assert.Equal(64, _line.UnitEnd.Read(got, 0, 64));
        Assert.True(sent.Zip(got).Count(p => p.First == p.Second) < 4, "a baud mismatch must not deliver the sent bytes");
    }

    [Fact]
    public void ClosedEnd_LosesWhatArrives_AndCountsIt()
    {
        _line.UnitEnd.Close();
        _line.ModuleEnd.Write(new byte[5], 0, 5);
        _clock.Advance(10_000);
        _line.UnitEnd.Open();
        _line.ModuleEnd.Write(new byte[] { 0x42 }, 0, 1);
        _clock.Advance(10_000);
        var buffer = new byte[8];

        Assert.Equal(1, _line.UnitEnd.Read(buffer, 0, 8));
        Assert.Equal(0x42, buffer[0]);
        Assert.Equal(5, _line.UnitEnd.LostBytes);
    }

    [Fact]
    public void WritingToAClosedEnd_Throws()
    {
        _line.ModuleEnd.Close();

        var error = Assert.Throws<InvalidOperationException>(() => _line.ModuleEnd.Write(new byte[1], 0, 1));
        Assert.Contains("module", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FullReceiveBuffer_DropsTheOverflow()
    {
        var small = new SerialLine(_clock, 115200, receiveBufferBytes: 16);
        small.UnitEnd.Open();
        small.ModuleEnd.Open();

        small.ModuleEnd.Write(new byte[20], 0, 20);

        Assert.Equal(4, small.UnitEnd.LostBytes);
    }

    [Fact]
    public void DiscardInput_DropsOnlyWhatHasArrived()
    {
        _line.ModuleEnd.Write(new byte[10], 0, 10);
        _clock.Advance(5 * 87);
        _line.UnitEnd.DiscardInput();
        _clock.Advance(5 * 87);

        Assert.Equal(5, _line.UnitEnd.Read(new byte[10], 0, 10));
    }
}
