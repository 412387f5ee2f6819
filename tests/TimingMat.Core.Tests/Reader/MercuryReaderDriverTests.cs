using TimingMat.Core.Reader;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Emulators.Reader;
using Xunit;

namespace TimingMat.Core.Tests.Reader;

/// <summary>
/// What only the Mercury driver does (its configuration sequence, stamps from the module's clock, keep-alives, line-speed
/// changes, throttling); what every driver does is in <see cref="MercuryReaderDriverContractTests"/>.
/// </summary>
public class MercuryReaderDriverTests
{
    private readonly ReaderRig _rig = new();
    private readonly MercuryNanoEmulator _module;
    private readonly MercuryReaderOptions _options = new();

    public MercuryReaderDriverTests()
    {
        _module = new MercuryNanoEmulator(_rig.Line, _rig.Tags, seed: 3);
        _rig.Module = _module;
    }

    private MercuryReaderDriver Driver => (MercuryReaderDriver)_rig.Driver!;

    [Fact]
    public void Start_ConfiguresInOrder_ThenStreamsEveryRead()
    {
        _options.Region = MercuryRegion.Europe;
        _options.ReadPowerCentiDbm = 2500;
        _rig.Tags.Add(ReaderRig.Epc(1), 2_000_000, 2_500_000, 100, RssiCurve.Peak(-7000, -4500), frequencyKhz: 865_700);
        _rig.Tags.Add(ReaderRig.Epc(2), 2_100_000, 2_400_000, 50, RssiCurve.Flat(-6349));
        Start();

        _rig.Run(3_000_000);

        Assert.Equal(
            [MercuryOpcode.MultiProtocolTagOp, MercuryOpcode.Version, MercuryOpcode.SetRegion, MercuryOpcode.SetReadTxPower, MercuryOpcode.SetTagProtocol, MercuryOpcode.SetAntennaPort, MercuryOpcode.SetReaderOptionalParams, MercuryOpcode.MultiProtocolTagOp],
            _module.Opcodes);
        Assert.Equal([ReaderState.Settling, ReaderState.Configuring, ReaderState.Starting, ReaderState.Reading], _rig.States);
        Assert.Equal(MercuryRegion.Europe, _module.Region);
        Assert.Equal(2500, _module.ReadPowerCentiDbm);
        Assert.False(_module.ReadFilter);
        Assert.True(_module.IsReading);
        Assert.Equal(MercuryMetadata.Standard, _module.MetadataFlags);

        Assert.Equal(65, _module.ReadsSent);
        Assert.Equal(65, _rig.Reads.Count);
        Assert.Equal(65, Driver.Counters.TagReads);
        Assert.Equal(50, _rig.Reads.Count(r => r.EpcEquals(ReaderRig.Epc(1), 0, 12)));
        var flat = _rig.Reads.Where(r => r.EpcEquals(ReaderRig.Epc(2), 0, 12)).ToList();
        Assert.Equal(15, flat.Count);
        Assert.All(flat, r => Assert.Equal(-6300, r.RssiCentiDbm));
        Assert.All(_rig.Reads, r => Assert.Equal(1, r.Antenna));
        Assert.All(_rig.Reads.Where(r => r.EpcEquals(ReaderRig.Epc(1), 0, 12)), r => Assert.Equal(865_700, r.FrequencyKhz));
        Assert.All(_rig.Reads, r => Assert.InRange(r.ReaderTimestamp, 0, 999));
        Assert.All(_rig.Reads, r => Assert.InRange(r.LocalMicros, 2_000_000, 2_500_000 + 10_000));
        Assert.Equal(0, Driver.Counters.Restarts);
        Assert.Equal(0, Driver.Counters.CrcErrors);
    }

    [Fact]
    public void Reads_AreStampedWhenTheirFrameStarted_NotWhenThePollFoundIt()
    {
        var tags = new ChipsInFieldTagSource(seed: 2) { Jitter = 0 };
        tags.Add(ReaderRig.Epc(7), 2_000_000, 2_100_000, 100, RssiCurve.Flat(-5000));
        _module.Tags = tags;
        Start();

        _rig.Run(2_500_000);

        // Reads at 2.005 s, 2.015 s, …; a 47-byte record takes 47 × 87 µs = 4.1 ms on the wire and the poll is every
        // 1 ms. The frame's end arrived in the poll window; the driver takes the middle of what is possible for it
        // and steps back over the frame's bytes, so the stamp is the read's time within half a poll.
        Assert.Equal(10, _rig.Reads.Count);
        for (var i = 0; i < 10; i++)
        {
            var readAt = 2_005_000 + (i * 10_000);
            Assert.InRange(_rig.Reads[i].LocalMicros, readAt - 100, readAt + 600);
        }
    }

    [Fact]
    public void SlowPolls_LeaveTheStampsUnbiased()
    {
        // One chip read at random moments (60 reads/s, so no record waits behind another) and a unit that polls only
        // every 10 ms. Stamped at the poll, reads would be 4.1 ms (wire) plus 5 ms (half a poll) late on average;
        // stamped at their frame's start they are unbiased, each within half a poll.
        var tags = new RecordingTagSource(new ChipsInFieldTagSource(seed: 5) { Jitter = 0.5 });
        tags.Inner.Add(ReaderRig.Epc(1), 2_000_000, 6_000_000, 60, RssiCurve.Flat(-5000));
        _module.Tags = tags;
        Start();
        _rig.Run(1_000_000);

        // The module sends each record at its next 1 ms step (0.5 ms late on average); the driver polls every 10 ms.
        for (var ms = 0; ms < 6_000; ms++)
        {
            _rig.Clock.Advance(1_000);
            _module.Poll();
            if (ms % 10 == 9)
            {
                Driver.Poll();
            }
        }

        Assert.Equal(240, _rig.Reads.Count);
        Assert.Equal(tags.Reads.Count, _rig.Reads.Count);
        var late = _rig.Reads.Select((r, i) => (r.LocalMicros - tags.Reads[i].AtMicros) / 1000.0).ToList();
        Assert.InRange(late.Average(), 0.5 - 0.7, 0.5 + 0.7);
        Assert.InRange(late.Min(), -5.0, -2.0);
        Assert.InRange(late.Max(), 2.0, 6.0);
    }

    [Fact]
    public void EmptyField_KeepAlivesKeepItReading()
    {
        Start();

        _rig.Run(10_000_000);

        Assert.Equal(ReaderState.Reading, Driver.State);
        Assert.InRange(Driver.Counters.KeepAlives, 9, 10);
        Assert.Equal(_module.KeepAlivesSent, Driver.Counters.KeepAlives);
        Assert.Equal(0, Driver.Counters.Restarts);
    }

    [Fact]
    public void Silence_RestartsAfterThreeSeconds_AndReadingResumes()
    {
        _rig.Tags.Add(ReaderRig.Epc(3), 1_000_000, 20_000_000, 20, RssiCurve.Flat(-6000));
        Start();
        _rig.Run(3_000_000);
        var before = _rig.Reads.Count;

        _module.SilenceFor(5_000_000);
        var silentFrom = _rig.Clock.Now;
        Assert.True(_rig.RunUntil(() => Driver.Counters.SilenceRestarts == 1, 4_000_000));
        var restartAfter = _rig.Clock.Now - silentFrom;
        Assert.True(_rig.RunUntil(() => Driver.State == ReaderState.Reading && _module.IsReading, 10_000_000));
        _rig.Run(2_000_000);

        // The last frame came ≤ 50 ms before the module hung, so the silence timeout fires 2.95-3.0 s later.
        Assert.InRange(restartAfter, 2_900_000, 3_010_000);
        Assert.Equal(1, Driver.Counters.SilenceRestarts);

        // While the module is still hung, reconfiguration attempts time out and back off.
        Assert.True(Driver.Counters.TimeoutRestarts >= 1);
        Assert.True(_rig.Reads.Count > before + 30);
        Assert.Equal(ReaderState.Reading, Driver.State);
    }

    [Fact]
    public void PowerCycledModule_IsReconfigured()
    {
        _rig.Tags.Add(ReaderRig.Epc(4), 1_000_000, 30_000_000, 10, RssiCurve.Flat(-6000));
        Start();
        _rig.Run(2_000_000);

        _module.PowerCycle();
        Assert.False(_module.IsReading);
        Assert.True(_rig.RunUntil(() => _module.IsReading, 6_000_000));

        Assert.Equal(1, Driver.Counters.SilenceRestarts);
        Assert.Equal(2, _module.Opcodes.Count(o => o == MercuryOpcode.SetRegion));
        Assert.False(_module.ReadFilter);
    }

    [Fact]
    public void BadChecksums_AreCountedAsCrcErrors_AndTheOtherReadsArrive()
    {
        _rig.Tags.Add(ReaderRig.Epc(6), 1_000_000, 11_000_000, 50, RssiCurve.Flat(-6000));
        Start();
        _rig.Run(1_500_000);

        _module.BadChecksumProbability = 0.1;
        _rig.Run(10_000_000);

        Assert.True(_module.FramesCorrupted > 20);
        Assert.Equal(_module.FramesCorrupted, Driver.Counters.CrcErrors);
        Assert.Equal(_module.ReadsSent - _module.FramesCorrupted, _rig.Reads.Count);
        Assert.Equal(0, Driver.Counters.Restarts);
    }

    [Fact]
    public void DroppedBytes_TruncateFrames_AndTheStreamRecovers()
    {
        _rig.Tags.Add(ReaderRig.Epc(8), 1_000_000, 11_000_000, 50, RssiCurve.Flat(-6000));
        Start();
        _rig.Run(1_500_000);

        _module.DropByteProbability = 0.002;
        _rig.Run(10_000_000);

        Assert.True(_module.BytesDropped > 10);
        Assert.True(Driver.Counters.TruncatedFrames > 5);
        Assert.True(Driver.Counters.TruncatedFrames + Driver.Counters.CrcErrors <= _module.BytesDropped);
        Assert.True(_rig.Reads.Count >= _module.ReadsSent - _module.BytesDropped);
        Assert.Equal(ReaderState.Reading, Driver.State);
    }

    [Fact]
    public void TemperatureThrottle_IsSurfaced_NotRestarted()
    {
        _rig.Tags.Add(ReaderRig.Epc(9), 1_000_000, 20_000_000, 40, RssiCurve.Flat(-6000));
        Start();
        _rig.Run(2_000_000);

        _module.ThrottleFor(3_000_000);
        _rig.Run(1_500_000);
        Assert.True(Driver.IsThrottled);
        _rig.Run(4_000_000);

        Assert.InRange(Driver.Counters.TemperatureThrottles, 3, 4);
        Assert.Equal(_module.ThrottleFramesSent, Driver.Counters.TemperatureThrottles);
        Assert.Equal(MercuryStatus.TemperatureExceedsLimits, Driver.LastErrorStatus);
        Assert.True(_module.ReadsThrottled > 20);
        Assert.Equal(0, Driver.Counters.Restarts);

        // Throttling ends with the next keep-alive; with tags in the field there is none until they leave.
        Assert.True(Driver.IsThrottled);
        _rig.Run(15_000_000);
        Assert.False(Driver.IsThrottled);
    }

    [Fact]
    public void ErrorStatusWhileStreaming_RestartsTheModule()
    {
        Start();
        _rig.Run(2_000_000);

        _module.InjectStatusFrame(MercuryStatus.HighReturnLoss);
        _rig.Run(100_000);

        Assert.Equal(ReaderState.Backoff, Driver.State);
        Assert.Equal(1, Driver.Counters.ErrorRestarts);
        Assert.Equal(MercuryStatus.HighReturnLoss, Driver.LastErrorStatus);
        Assert.True(_rig.RunUntil(() => Driver.State == ReaderState.Reading, 3_000_000));
    }

    [Fact]
    public void RefusedPower_IsAnErrorStatus_WithGrowingBackoff()
    {
        _options.ReadPowerCentiDbm = 3000;
        Start();

        _rig.Run(10_000_000);

        Assert.False(_module.IsReading);
        Assert.Equal(MercuryStatus.PowerTooHigh, Driver.LastErrorStatus);
        Assert.Equal(ReaderRestartReason.ErrorStatus, Driver.LastRestartReason);
        Assert.DoesNotContain(ReaderState.Reading, _rig.States);

        // Refused at 0.25 s, then after waits of 0.5, 1, 2 and 4 s; the fifth wait is 8 s, the next one 16 s (the cap).
        Assert.Equal(5, Driver.Counters.ErrorRestarts);
        Assert.Equal(16_000_000, Driver.BackoffMicros);
        Assert.Equal(ReaderState.Backoff, Driver.State);
    }

    [Fact]
    public void LineSpeed_MovesTheModuleUpAfterItAnswers_AndCarriesTheReadsA115200LineCannot()
    {
        var slow = StreamDenseField(lineBaud: 0);
        var fast = StreamDenseField(lineBaud: 460_800);

        // 47-byte records: 115,200 baud carries about 245 a second over the 2 s field, whatever the module reads.
        Assert.InRange(slow.Reads, 400, 530);
        Assert.True(fast.Reads > 2 * slow.Reads, $"{fast.Reads} reads at 460,800 against {slow.Reads} at 115,200");
        Assert.Equal([MercuryOpcode.MultiProtocolTagOp, MercuryOpcode.Version, MercuryOpcode.SetBaudRate, MercuryOpcode.SetRegion], fast.Opcodes.Take(4));
        Assert.DoesNotContain(MercuryOpcode.SetBaudRate, slow.Opcodes);
        Assert.Equal(460_800, fast.DriverBaud);
        Assert.Equal(460_800, fast.UnitBaud);
        Assert.Equal(0, fast.Restarts);
    }

    [Fact]
    public void LineSpeed_AfterARestartWithoutPowerCycle_TheModuleIsFoundAtIt()
    {
        _options.LineBaudRate = 460_800;
        _rig.Tags.Add(ReaderRig.Epc(3), 1_000_000, 40_000_000, 20, RssiCurve.Flat(-6000));
        Start();
        _rig.Run(3_000_000);

        _module.SilenceFor(5_000_000);
        Assert.True(_rig.RunUntil(() => Driver.Counters.SilenceRestarts == 1, 4_000_000));
        _rig.Reads.Clear();
        Assert.True(_rig.RunUntil(() => Driver.State == ReaderState.Reading && _module.IsReading, 20_000_000));
        _rig.Run(2_000_000);

        Assert.Equal(460_800, Driver.BaudRate);
        Assert.Equal(1, _module.Opcodes.Count(o => o == MercuryOpcode.SetBaudRate));
        Assert.True(_rig.Reads.Count >= 30, $"{_rig.Reads.Count} reads");
    }

    [Fact]
    public void LineSpeed_AfterAPowerCycle_IsSetAgain()
    {
        _options.LineBaudRate = 921_600;
        _rig.Tags.Add(ReaderRig.Epc(4), 1_000_000, 30_000_000, 10, RssiCurve.Flat(-6000));
        Start();
        _rig.Run(2_000_000);

        _module.PowerCycle();
        Assert.Equal(115_200, _rig.Line.ModuleEnd.BaudRate);
        Assert.True(_rig.RunUntil(() => _module.IsReading, 20_000_000));

        Assert.Equal(2, _module.Opcodes.Count(o => o == MercuryOpcode.SetBaudRate));
        Assert.Equal(921_600, _rig.Line.ModuleEnd.BaudRate);
        Assert.Equal(921_600, Driver.BaudRate);
    }

    [Fact]
    public void LineSpeed_TheModuleRefuses_ReadsOnAtTheSpeedItAnsweredAt()
    {
        _options.LineBaudRate = 250_000;
        _rig.Tags.Add(ReaderRig.Epc(5), 1_000_000, 5_000_000, 20, RssiCurve.Flat(-6000));
        Start();

        _rig.Run(4_000_000);

        Assert.Equal(ReaderState.Reading, Driver.State);
        Assert.Equal(1, Driver.Counters.LineSpeedRefusals);
        Assert.Equal(115_200, Driver.BaudRate);
        Assert.Equal(0, Driver.Counters.Restarts);
        Assert.True(_rig.Reads.Count >= 40, $"{_rig.Reads.Count} reads");
    }

    [Fact]
    public void LineSpeed_Negative_IsRefused()
    {
        _options.LineBaudRate = -1;

        Assert.Throws<ArgumentOutOfRangeException>(() => new MercuryReaderDriver(_rig.Line.UnitEnd, _rig.Clock, _rig, _options));
    }

    private static (long Reads, List<int> Opcodes, int DriverBaud, int UnitBaud, long Restarts) StreamDenseField(int lineBaud)
    {
        var rig = new ReaderRig();
        for (var i = 0; i < 50; i++)
        {
            rig.Tags.Add(ReaderRig.Epc(i), 1_500_000, 3_500_000, 20, RssiCurve.Flat(-6000 - (10 * i)));
        }

        var module = new MercuryNanoEmulator(rig.Line, rig.Tags, seed: 3);
        rig.Module = module;
        rig.Driver = new MercuryReaderDriver(rig.Line.UnitEnd, rig.Clock, rig, new MercuryReaderOptions { LineBaudRate = lineBaud });
        rig.Driver.Start();
        rig.Run(3_000_000);
        return (rig.Reads.Count, module.Opcodes, rig.Driver.BaudRate, rig.Line.UnitEnd.BaudRate, rig.Driver.Counters.Restarts);
    }

    private void Start()
    {
        _rig.Driver = new MercuryReaderDriver(_rig.Line.UnitEnd, _rig.Clock, _rig, _options);
        _rig.Driver.Start();
    }

    private sealed class RecordingTagSource(ChipsInFieldTagSource inner) : ITagSource
    {
        public ChipsInFieldTagSource Inner { get; } = inner;

        public List<EmulatedRead> Reads { get; } = [];

        public int TakeReads(long untilMicros, List<EmulatedRead> into)
        {
            var from = into.Count;
            var n = Inner.TakeReads(untilMicros, into);
            Reads.AddRange(into.Skip(from));
            return n;
        }
    }
}
