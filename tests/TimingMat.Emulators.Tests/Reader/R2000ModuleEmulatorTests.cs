using TimingMat.Core.Reader.R2000;
using TimingMat.Core.Tests.Reader;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Reader;
using TimingMat.Emulators.Serial;
using Xunit;

namespace TimingMat.Emulators.Tests.Reader;

/// <summary>The R2000 emulator answers on the wire as the module does.</summary>
public class R2000ModuleEmulatorTests
{
    private readonly SimulatedClock _clock = new(1_000_000);
    private readonly SerialLine _line;
    private readonly R2000ModuleEmulator _module;
    private readonly R2000Deframer _answers = new(commands: false);
    private readonly FrameCollector _frames;
    private readonly byte[] _buffer = new byte[300];

    public R2000ModuleEmulatorTests()
    {
        _line = new SerialLine(_clock);
        _line.UnitEnd.Open();
        _module = new R2000ModuleEmulator(_line, seed: 6);
        _frames = new FrameCollector(_answers);
    }

    [Fact]
    public void GetFirmware_IsAnsweredByteExactly() =>
        Assert.Equal(["A0 05 01 72 08 01 DF"], Exchange(R2000Codec.EncodeGetFirmwareVersion(_buffer, 0, 0xFF)));

    [Fact]
    public void SetPower_IsAcknowledged_AndRefusedAbove33Dbm()
    {
        Assert.Equal(["A0 04 01 76 10 D5"], Exchange(R2000Codec.EncodeSetOutputPower(_buffer, 0, 0xFF, 26)));
        Assert.Equal(26, _module.OutputPowerDbm);
        Assert.Equal(["A0 04 01 76 48 9D"], Exchange(R2000Codec.EncodeSetOutputPower(_buffer, 0, 0xFF, 34)));
        Assert.Equal(26, _module.OutputPowerDbm);
    }

    [Fact]
    public void BadParameters_GetTheErrorCodes()
    {
        Assert.Equal(R2000Status.AntennaIdOutOfRange, Code(R2000Codec.EncodeSetWorkAntenna(_buffer, 0, 0xFF, 5)));
        Assert.Equal(R2000Status.FrequencyRegionOutOfRange, Code(R2000Codec.EncodeSetFrequencyRegion(_buffer, 0, 0xFF, 9, 0, 6)));
        Assert.Equal(R2000Status.InvalidFrequencyRange, Code(R2000Codec.EncodeSetFrequencyRegion(_buffer, 0, 0xFF, R2000Codec.RegionEtsi, 0, 20)));
        Assert.Equal(R2000Status.InvalidFrequencyRange, Code(R2000Codec.EncodeSetFrequencyRegion(_buffer, 0, 0xFF, R2000Codec.RegionFcc, 40, 20)));
        Assert.Equal(R2000Status.Success, Code(R2000Codec.EncodeSetFrequencyRegion(_buffer, 0, 0xFF, R2000Codec.RegionEtsi, 0, 6)));
        Assert.Equal(R2000Status.BaudRateOutOfRange, Code(R2000Codec.Encode(_buffer, 0, 0xFF, R2000Command.SetBaudRate, [7], 0, 1)));
    }

    [Fact]
    public void OtherAddresses_AreIgnored()
    {
        Assert.Empty(Exchange(R2000Codec.EncodeGetFirmwareVersion(_buffer, 0, 0x02)));
        Assert.Single(Exchange(R2000Codec.EncodeGetFirmwareVersion(_buffer, 0, 0x01)));
    }

    [Fact]
    public void RealTimeInventory_SendsTagFramesThenASummary()
    {
        var tags = new ChipsInFieldTagSource(seed: 3) { Jitter = 0 };
        tags.Add(TestChips.Epc(1), 1_000_000, 2_000_000, 200, RssiCurve.Flat(-4900), frequencyKhz: 866_000);
        _module.Tags = tags;
        _module.RoundMicros = 50_000;

        var frames = Exchange(R2000Codec.EncodeRealTimeInventory(_buffer, 0, 0xFF, 2), 120_000);

        // Two 50 ms rounds from 1.0 s: reads at 1.0025, 1.0075, … up to 1.0975 s.
        Assert.Equal(21, frames.Count);
        Assert.All(frames.Take(20), f => Assert.EndsWith("50 " + f[^2..], f, StringComparison.Ordinal));
        var tag = new R2000TagFrame();
        var first = Hex.Bytes(frames[0]);
        Assert.True(R2000Codec.ParseTagFrame(first, 0, first.Length, 4, tag));
        Assert.Equal(2, tag.FrequencyIndex);
        Assert.Equal(-49, tag.RssiDbm);
        var summary = new R2000RoundSummary();
        var last = Hex.Bytes(frames[^1]);
        Assert.True(R2000Codec.ParseRoundSummary(last, 0, last.Length, summary));
        Assert.Equal(20, summary.TotalRead);
        Assert.Equal(200, summary.ReadRate);
        Assert.False(_module.IsInventorying);
    }

    [Fact]
    public void MissingAntenna_AnswersErrorTwentyTwo() 
    {
        _module.AntennaMissing = true;

        Assert.Equal(["A0 04 01 89 22 B0"], Exchange(R2000Codec.EncodeRealTimeInventory(_buffer, 0, 0xFF, 1)));
    }

    [Fact]
    public void Reset_RebootsWithDefaults()
    {
        Exchange(R2000Codec.EncodeSetOutputPower(_buffer, 0, 0xFF, 20));

        Assert.Empty(Exchange(R2000Codec.Seal(_buffer, 0, 0xFF, R2000Command.Reset, 0)));
        Assert.Equal(30, _module.OutputPowerDbm);
        Assert.Equal(1, _module.PowerCycles);
    }

    private int Code(int length) => Hex.Bytes(Exchange(length).Single())[4];

    private List<string> Exchange(int length, long micros = 20_000)
    {
        _frames.Frames.Clear();
        _line.UnitEnd.Write(_buffer, 0, length);
        var buffer = new byte[256];
        for (var t = 0L; t < micros; t += 1000)
        {
            _clock.Advance(1000);
            _module.Poll();
            int n;
            while ((n = _line.UnitEnd.Read(buffer, 0, buffer.Length)) > 0)
            {
                _answers.Feed(buffer, 0, n);
            }
        }

        _answers.Flush();
        return _frames.Hexes();
    }
}
