using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Tests.Reader;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Reader;
using TimingMat.Emulators.Serial;
using Xunit;

namespace TimingMat.Emulators.Tests.Reader;

/// <summary>The M6e Nano emulator answers on the wire as the module does.</summary>
public class MercuryNanoEmulatorTests
{
    private readonly SimulatedClock _clock = new(1_000_000);
    private readonly SerialLine _line;
    private readonly MercuryNanoEmulator _module;
    private readonly MercuryDeframer _answers = new(commands: false);
    private readonly FrameCollector _frames;
    private readonly byte[] _buffer = new byte[300];

    public MercuryNanoEmulatorTests()
    {
        _line = new SerialLine(_clock);
        _line.UnitEnd.Open();
        _module = new MercuryNanoEmulator(_line, seed: 5);
        _frames = new FrameCollector(_answers);
    }

    [Fact]
    public void Version_IsAnsweredWithTheVersionBlock()
    {
        var answer = Exchange(MercuryCodec.EncodeGetVersion(_buffer, 0)).Single();

        Assert.Equal(MercuryOpcode.Version, answer[2]);
        Assert.Equal(MercuryStatus.Ok, MercuryCodec.Status(answer, 0));
        Assert.Equal(MercuryNanoEmulator.VersionData, answer[5..^2]);
    }

    [Fact]
    public void SetRegion_IsAcknowledgedByteExactly()
    {
        var answer = Exchange(MercuryCodec.EncodeSetRegion(_buffer, 0, MercuryRegion.Europe)).Single();

        // CRC from the protocol reference's Appendix A routine (tm_crc), not from the codec under test.
        Assert.Equal("FF 00 97 00 00 77 9E", Hex.Of(answer));
        Assert.Equal(MercuryRegion.Europe, _module.Region);
    }

    [Theory]
    [InlineData(2701, MercuryStatus.PowerTooHigh)]
    [InlineData(400, MercuryStatus.PowerTooLow)]
    [InlineData(-100, MercuryStatus.PowerTooLow)]
    [InlineData(2700, MercuryStatus.Ok)]
    public void SetReadPower_RefusesOutOfRangeValues(int centiDbm, int status)
    {
        var answer = Exchange(MercuryCodec.EncodeSetReadPower(_buffer, 0, centiDbm)).Single();

        Assert.Equal(status, MercuryCodec.Status(answer, 0));
        Assert.Equal(0, MercuryCodec.DataLength(answer, 0));
        Assert.Equal(status == MercuryStatus.Ok ? centiDbm : 2000, _module.ReadPowerCentiDbm);
    }

    [Fact]
    public void BadParameters_GetTheModulesErrorStatus()
    {
        Assert.Equal(MercuryStatus.InvalidRegion, Status(MercuryCodec.EncodeSetRegion(_buffer, 0, 0x42)));
        Assert.Equal(MercuryStatus.WrongNumberOfData, Status(MercuryCodec.EncodeCommand(_buffer, 0, MercuryOpcode.SetRegion, [1, 2], 0, 2)));
        Assert.Equal(MercuryStatus.InvalidProtocol, Status(MercuryCodec.EncodeCommand(_buffer, 0, MercuryOpcode.SetTagProtocol, [0, 3], 0, 2)));
        Assert.Equal(MercuryStatus.InvalidParameterValue, Status(MercuryCodec.EncodeSetAntennaPort(_buffer, 0, 2, 2)));
        Assert.Equal(MercuryStatus.InvalidBaudRate, Status(MercuryCodec.EncodeSetBaudRate(_buffer, 0, 12345)));
        Assert.Equal(MercuryStatus.InvalidOpcode, Status(MercuryCodec.EncodeCommand(_buffer, 0, 0x55, null!, 0, 0)));
        Assert.Equal(MercuryStatus.InvalidParameterValue, Status(MercuryCodec.EncodeStartContinuousRead(_buffer, 0, 0x4000, 0x1B, 1000)));
    }

    [Fact]
    public void CommandWithABadCrc_GetsNoAnswer()
    {
        var length = MercuryCodec.EncodeGetVersion(_buffer, 0);
        _buffer[length - 1] ^= 1;

        Assert.Empty(Exchange(length));
        Assert.Equal(0, _module.CommandsReceived);
    }

    [Fact]
    public void SetBaudRate_AnswersAtTheOldSpeed_ThenSwitches()
    {
        var answer = Exchange(MercuryCodec.EncodeSetBaudRate(_buffer, 0, 9600)).Single();

        Assert.Equal(MercuryStatus.Ok, MercuryCodec.Status(answer, 0));
        Assert.Equal(9600, _line.ModuleEnd.BaudRate);
    }

    [Fact]
    public void ContinuousRead_StreamsRecordsWithTheRequestedMetadata_AndKeepAlivesWhenEmpty()
    {
        var tags = new ChipsInFieldTagSource(seed: 1) { Jitter = 0 };
        tags.Add(TestChips.Epc(1), 1_200_000, 1_300_000, 100, RssiCurve.Flat(-5549), frequencyKhz: 915_250);
        _module.Tags = tags;
        var flags = MercuryMetadata.Rssi | MercuryMetadata.AntennaId | MercuryMetadata.Frequency | MercuryMetadata.Timestamp;

        var started = Exchange(MercuryCodec.EncodeStartContinuousRead(_buffer, 0, flags, 0x1B, 250)).Single();
        Assert.Equal("FF 00 2F 00 00 51 4D", Hex.Of(started));
        Run(1_000_000);

        var records = _frames.Frames.Where(f => f[1] > 0).ToList();
        Assert.Equal(10, records.Count);
        var record = new MercuryTagRecord();
        foreach (var frame in records)
        {
            Assert.True(MercuryTagParser.ParseStreamed(frame, 0, frame.Length, record));
            Assert.Equal(flags, record.MetadataFlags);
            Assert.Equal(-55, record.RssiDbm);
            Assert.Equal(915_250, record.FrequencyKhz);
            Assert.Equal(1, record.TxPort);
            Assert.Equal(40, frame.Length);
        }

        // 250 ms cycles from 1.0 s to 2.0 s; the one with the reads (1.2-1.3 s, cycle 1.0-1.25-1.5) ends without a keep-alive.
        var keepAlives = _frames.Frames.Count(f => Hex.Of(f) == "FF 00 22 04 00 84 E0");
        Assert.Equal(2, keepAlives);
        Assert.Equal(_module.KeepAlivesSent, keepAlives);
    }

    [Fact]
    public void Stop_EndsTheStream()
    {
        _module.Tags = new ChipsInFieldTagSource().Add(TestChips.Epc(2), 1_000_000, 5_000_000, 50, RssiCurve.Flat(-6000));
        Exchange(MercuryCodec.EncodeStartContinuousRead(_buffer, 0));
        Run(500_000);
        var before = _module.ReadsSent;

        Exchange(MercuryCodec.EncodeStopContinuousRead(_buffer, 0));
        Run(1_000_000);

        Assert.False(_module.IsReading);
        Assert.True(before > 10);
        Assert.InRange(_module.ReadsSent, before, before + 2);
        Assert.True(_module.ReadsMissed > 40);
    }

    [Fact]
    public void SilentModule_IgnoresCommands()
    {
        _module.SilenceFor(1_000_000);

        Assert.Empty(Exchange(MercuryCodec.EncodeGetVersion(_buffer, 0)));
        Run(1_000_000);
        Assert.Single(Exchange(MercuryCodec.EncodeGetVersion(_buffer, 0)));
    }

    private int Status(int length) => MercuryCodec.Status(Exchange(length).Single(), 0);

    private List<byte[]> Exchange(int length)
    {
        _frames.Frames.Clear();
        _line.UnitEnd.Write(_buffer, 0, length);
        Run(20_000);
        return [.. _frames.Frames];
    }

    private void Run(long micros)
    {
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
    }
}
