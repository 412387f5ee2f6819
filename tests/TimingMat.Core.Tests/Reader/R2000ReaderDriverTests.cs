using TimingMat.Core.Reader;
using TimingMat.Core.Reader.R2000;
using TimingMat.Emulators.Reader;
using Xunit;

namespace TimingMat.Core.Tests.Reader;

public class R2000ReaderDriverTests
{
    private readonly ReaderRig _bench = new();
    private readonly R2000ModuleEmulator _module;
    private readonly R2000ReaderOptions _options = new();

    public R2000ReaderDriverTests()
    {
        _module = new R2000ModuleEmulator(_bench.Line, _bench.Tags, seed: 4);
        _bench.Module = _module;
    }

    private R2000ReaderDriver Driver => (R2000ReaderDriver)_bench.Driver!;

    [Fact]
    public void Start_ConfiguresInOrder_ThenIssuesInventoriesBackToBack()
    {
        _options.OutputPowerDbm = 26;
        _options.Region = R2000Codec.RegionEtsi;
        _options.FrequencyStartIndex = 0;
        _options.FrequencyEndIndex = 6;
        _bench.Tags.Add(ReaderRig.Epc(1), 2_000_000, 2_500_000, 100, RssiCurve.Flat(-5500), frequencyKhz: 866_500);
        Start();

        _bench.Run(3_000_000);

        Assert.Equal([R2000Command.GetFirmwareVersion, R2000Command.SetWorkAntenna, R2000Command.SetOutputPower, R2000Command.SetFrequencyRegion], _module.Commands.Take(4));
        Assert.All(_module.Commands.Skip(4), c => Assert.Equal(R2000Command.RealTimeInventory, c));
        Assert.Equal(26, _module.OutputPowerDbm);
        Assert.Equal(R2000Codec.RegionEtsi, _module.Region);
        Assert.Equal(ReaderState.Reading, Driver.State);

        // A 20 ms round per inventory: the driver keeps the module inventorying all the time.
        Assert.InRange(Driver.Counters.RoundSummaries, 100, 135);
        Assert.Equal(_module.ReadsSent, _bench.Reads.Count);
        // 50 reads in the field; those between a round's end and the next command are missed, as on the module.
        Assert.Equal(50, _module.ReadsSent + _module.ReadsMissed);
        Assert.InRange(_bench.Reads.Count, 35, 50);
        Assert.All(_bench.Reads, r =>
        {
            Assert.True(r.EpcEquals(ReaderRig.Epc(1), 0, 12));
            Assert.Equal(-5500, r.RssiCentiDbm);
            Assert.Equal(1, r.Antenna);
            Assert.Equal(866_500, r.FrequencyKhz);
            Assert.Equal(TagRead.NoReaderTimestamp, r.ReaderTimestamp);
        });
        Assert.Equal(0, Driver.Counters.Restarts);
    }

    [Fact]
    public void SessionInventory_UsesCommand8B()
    {
        _options.SessionInventory = true;
        _options.Session = 2;
        _bench.Tags.Add(ReaderRig.Epc(2), 1_500_000, 2_000_000, 50, RssiCurve.Flat(-6000));
        Start();

        _bench.Run(2_500_000);

        Assert.All(_module.Commands.Skip(4), c => Assert.Equal(R2000Command.SessionInventory, c));
        Assert.Equal(_module.ReadsSent, _bench.Reads.Count);
        // Reads between the end of a round and the next command are missed, as on the module.
        Assert.InRange(_bench.Reads.Count, 15, 25);
    }

    [Fact]
    public void EightPortReader_ReportsAntennasFiveToEight()
    {
        _module.AntennaPorts = 8;
        _options.AntennaPorts = 8;
        for (var antenna = 1; antenna <= 8; antenna++)
        {
            _bench.Tags.Add(ReaderRig.Epc(antenna), 1_500_000, 2_500_000, 20, RssiCurve.Flat(-6000 - (100 * antenna)), antenna);
        }

        Start();
        _bench.Run(3_000_000);

        for (var antenna = 1; antenna <= 8; antenna++)
        {
            var reads = _bench.Reads.Where(r => r.EpcEquals(ReaderRig.Epc(antenna), 0, 12)).ToList();
            Assert.NotEmpty(reads);
            Assert.All(reads, r => Assert.Equal(antenna, r.Antenna));
            Assert.All(reads, r => Assert.Equal(-6000 - (100 * antenna), r.RssiCentiDbm));
        }
    }

    [Fact]
    public void Silence_RestartsAndReconfigures()
    {
        _bench.Tags.Add(ReaderRig.Epc(3), 1_000_000, 20_000_000, 20, RssiCurve.Flat(-6000));
        Start();
        _bench.Run(2_000_000);
        var before = _bench.Reads.Count;

        _module.SilenceFor(4_000_000);
        Assert.True(_bench.RunUntil(() => Driver.Counters.SilenceRestarts == 1, 4_000_000));
        Assert.True(_bench.RunUntil(() => Driver.State == ReaderState.Reading, 10_000_000));
        _bench.Run(2_000_000);

        Assert.Equal(2, _module.Commands.Count(c => c == R2000Command.SetFrequencyRegion));
        Assert.True(_bench.Reads.Count > before + 30);
    }

    [Fact]
    public void LostSummary_IsCoveredByReissuingTheInventory()
    {
        Start();
        _bench.Run(2_000_000);
        Assert.True(_module.IsInventorying || Driver.Counters.RoundSummaries > 50);

        // Drop a whole summary (12 bytes): nothing ends the inventory, so the driver issues the next one itself.
        _bench.RunUntil(() => _module.IsInventorying, 100_000);
        _module.DropNextBytes(12);
        _bench.Run(2_000_000);

        Assert.Equal(1, Driver.Reissues);
        Assert.Equal(0, Driver.Counters.Restarts);
        Assert.Equal(ReaderState.Reading, Driver.State);
    }

    [Fact]
    public void MissingAntenna_IsAnErrorStatus_AndRecoveryFollowsTheFix()
    {
        Start();
        _bench.Run(2_000_000);

        _module.AntennaMissing = true;
        _bench.Run(3_000_000);
        Assert.True(Driver.Counters.ErrorRestarts >= 2);
        Assert.Equal(R2000Status.AntennaMissing, Driver.LastErrorStatus);

        _module.AntennaMissing = false;
        Assert.True(_bench.RunUntil(() => Driver.State == ReaderState.Reading, 10_000_000));
    }

    [Fact]
    public void RefusedPower_IsAnErrorStatus()
    {
        _options.OutputPowerDbm = 40;
        Start();

        _bench.Run(3_000_000);

        Assert.Equal(R2000Status.OutputPowerOutOfRange, Driver.LastErrorStatus);
        Assert.DoesNotContain(ReaderState.Reading, _bench.States);
        Assert.Equal(30, _module.OutputPowerDbm);
    }

    [Fact]
    public void Noise_IsResynced_WithoutLosingReads()
    {
        _bench.Tags.Add(ReaderRig.Epc(4), 1_000_000, 11_000_000, 60, RssiCurve.Flat(-6000));
        Start();
        _bench.Run(1_000_000);

        _module.GarbageBytesPerSecond = 100;
        _bench.Run(10_000_000);

        Assert.True(Driver.Counters.Resyncs > 300);
        Assert.InRange(Driver.Counters.SkippedBytes, _module.GarbageBytesSent - 10, _module.GarbageBytesSent);
        Assert.Equal(0, Driver.Counters.Restarts);
        Assert.Equal(_module.ReadsSent, _bench.Reads.Count);
        Assert.All(_bench.Reads, r => Assert.True(r.EpcEquals(ReaderRig.Epc(4), 0, 12)));
    }

    [Fact]
    public void BadChecksums_AreCounted_AndALostSummaryOnlyCostsAReissue()
    {
        _bench.Tags.Add(ReaderRig.Epc(4), 1_000_000, 11_000_000, 60, RssiCurve.Flat(-6000));
        Start();
        _bench.Run(1_000_000);

        _module.BadChecksumProbability = 0.03;
        _bench.Run(10_000_000);

        // A frame broken at the very end is only counted once the next frame (or the line's silence) settles it.
        _module.BadChecksumProbability = 0;
        _bench.Run(500_000);

        Assert.True(_module.FramesCorrupted > 20);
        Assert.Equal(_module.FramesCorrupted, Driver.Counters.CrcErrors);
        Assert.True(Driver.Reissues > 5);
        Assert.Equal(0, Driver.Counters.Restarts);
        Assert.True(_bench.Reads.Count > _module.ReadsSent - _module.FramesCorrupted - 1);
    }

    [Fact]
    public void ModuleAtAnotherAddress_StillAnswersBroadcast()
    {
        _module.Address = 0x07;
        _bench.Tags.Add(ReaderRig.Epc(5), 1_500_000, 2_000_000, 50, RssiCurve.Flat(-6000));
        Start();

        _bench.Run(2_500_000);

        Assert.Equal(ReaderState.Reading, Driver.State);
        Assert.True(_module.ReadsSent > 10);
        Assert.Equal(_module.ReadsSent, _bench.Reads.Count);
    }

    private void Start()
    {
        _bench.Driver = new R2000ReaderDriver(_bench.Line.UnitEnd, _bench.Clock, _bench, _options);
        _bench.Driver.Start();
    }
}
