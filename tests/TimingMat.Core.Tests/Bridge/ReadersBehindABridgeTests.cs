using TimingMat.Core.Bridge;
using TimingMat.Core.Reader;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Reader.R2000;
using TimingMat.Core.Tests.Reader;
using TimingMat.Emulators.Bridge;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Reader;
using Xunit;

namespace TimingMat.Core.Tests.Bridge;

/// <summary>Two reader modules on one SC16IS752, each driven by its unchanged reader driver.</summary>
public class ReadersBehindABridgeTests : ITagReadSink
{
    private readonly SimulatedClock _clock = new(1_000_000);
    private readonly Sc16is752Emulator _chip;
    private readonly MercuryNanoEmulator _mercury;
    private readonly R2000ModuleEmulator _r2000;
    private readonly ChipsInFieldTagSource _tagsA = new(seed: 4);
    private readonly ChipsInFieldTagSource _tagsB = new(seed: 5);
    private readonly Sc16is752Port _portA;
    private readonly MercuryReaderDriver _driverA;
    private readonly R2000ReaderDriver _driverB;
    private readonly List<(long Micros, int Reader, byte Last)> _reads = [];

    public ReadersBehindABridgeTests()
    {
        _chip = new Sc16is752Emulator(_clock);
        _mercury = new MercuryNanoEmulator(_chip.Line(0), _tagsA, seed: 3);
        _r2000 = new R2000ModuleEmulator(_chip.Line(1), _tagsB, seed: 3);
        var bridge = new Sc16is752Bridge(_chip, Sc16is752.DefaultCrystalHz);
        _portA = bridge.Port(0);
        _driverA = new MercuryReaderDriver(_portA, _clock, this, null) { ReaderIndex = 0 };
        _driverB = new R2000ReaderDriver(bridge.Port(1), _clock, this, null) { ReaderIndex = 1 };
    }

    void ITagReadSink.OnTagRead(TagRead read) => _reads.Add((read.LocalMicros, read.ReaderIndex, read.Epc[11]));

    [Fact]
    public void BothModulesConfigureAndStream_ThroughOneChip()
    {
        _tagsA.Add(ReaderRig.Epc(1), 2_000_000, 2_500_000, 100, RssiCurve.Flat(-5000));
        _tagsB.Add(ReaderRig.Epc(2), 2_000_000, 2_500_000, 100, RssiCurve.Flat(-5500));

        Run(3_000_000);

        Assert.Equal(ReaderState.Reading, _driverA.State);
        Assert.Equal(ReaderState.Reading, _driverB.State);
        var fromA = _reads.Where(r => r.Reader == 0).ToList();
        var fromB = _reads.Where(r => r.Reader == 1).ToList();
        Assert.Equal(_mercury.ReadsSent, fromA.Count);
        Assert.Equal(_r2000.ReadsSent, fromB.Count);
        Assert.InRange(fromA.Count, 40, 60);
        Assert.InRange(fromB.Count, 40, 60);
        Assert.All(fromA, r => Assert.Equal(1, r.Last));
        Assert.All(fromB, r => Assert.Equal(2, r.Last));
        Assert.All(_reads, r => Assert.InRange(r.Micros, 2_000_000, 2_500_000 + 10_000));
        Assert.Equal(0, _driverA.Counters.CrcErrors + _driverB.Counters.CrcErrors);
        Assert.Equal(0, _chip.OverrunBytes(0) + _chip.OverrunBytes(1));
        Assert.Equal(1, _chip.Resets);
    }

    [Fact]
    public void AChipThatDropsOffTheBus_RestartsBothReaders_WhichComeBackWhenItReturns()
    {
        _tagsA.Add(ReaderRig.Epc(1), 2_000_000, 30_000_000, 50, RssiCurve.Flat(-5000));
        _tagsB.Add(ReaderRig.Epc(2), 2_000_000, 30_000_000, 50, RssiCurve.Flat(-5500));
        Run(3_000_000);
        Assert.Equal(ReaderState.Reading, _driverA.State);

        _chip.Unplugged = true;
        Run(5_000_000);
        var errorsA = _driverA.Counters.PortErrors;
        var errorsB = _driverB.Counters.PortErrors;
        _chip.Unplugged = false;
        _reads.Clear();
        Run(15_000_000);

        Assert.True(errorsA > 0, "channel A saw no port error");
        Assert.True(errorsB > 0, "channel B saw no port error");
        Assert.Equal(ReaderState.Reading, _driverA.State);
        Assert.Equal(ReaderState.Reading, _driverB.State);
        Assert.Contains(_reads, r => r.Reader == 0 && r.Micros > 20_000_000);
        Assert.Contains(_reads, r => r.Reader == 1 && r.Micros > 20_000_000);
        // A bus fault, not a power loss: the drivers reopened their ports without resetting the chip under each other.
        Assert.Equal(1, _chip.Resets);
    }

    [Fact]
    public void PolledTooSlowly_AFullFifoIsCounted_AndTheReaderResyncs()
    {
        // A 64-byte FIFO at 115,200 baud fills in 5.6 ms; polled every 20 ms, streaming records overflow it.
        _tagsA.Add(ReaderRig.Epc(1), 2_000_000, 4_000_000, 200, RssiCurve.Flat(-5000));
        _driverA.Start();
        for (var t = 0; t < 1_000; t++)
        {
            _clock.Advance(1_000);
            _mercury.Poll();
            _driverA.Poll();
        }

        Assert.Equal(ReaderState.Reading, _driverA.State);

        for (var t = 0; t < 3_000; t++)
        {
            _clock.Advance(1_000);
            _mercury.Poll();
            if (t % 20 == 0)
            {
                _driverA.Poll();
            }
        }

        Assert.True(_portA.Overruns > 0, "no overrun counted");
        Assert.True(_chip.OverrunBytes(0) > 1_000, $"{_chip.OverrunBytes(0)} bytes lost");
        Assert.True(_reads.Count < _mercury.ReadsSent / 2, $"{_reads.Count} of {_mercury.ReadsSent} reads");
        Assert.True(_driverA.Counters.Resyncs + _driverA.Counters.CrcErrors > 0);
    }

    private void Run(long micros)
    {
        if (_driverA.State == ReaderState.Stopped)
        {
            _driverA.Start();
            _driverB.Start();
        }

        var until = _clock.Now + micros;
        while (_clock.Now < until)
        {
            _clock.Advance(1_000);
            _mercury.Poll();
            _r2000.Poll();
            _driverA.Poll();
            _driverB.Poll();
        }
    }
}
