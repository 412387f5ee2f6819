using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Tests.Reader;
using TimingMat.Core.Unit;
using TimingMat.Emulators.Mqtt;
using TimingMat.Emulators.Reader;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// A unit whose polls come late (a board over budget, shown with a throttled poll) degrades as a timer would: it says
/// so (polls late, polls behind, reads thinned), lets go undecoded only reads of chips it has already read well, keeps
/// every chip's crossing, and keeps journaling.
/// </summary>
public class MatUnitBehindTests
{
    private const double NoFixSeconds = 3600;

    [Theory]
    [InlineData(ReaderProtocol.Mercury)]
    [InlineData(ReaderProtocol.R2000)]
    public void PollsEvery250ms_ThinTheWellReadChips_AndKeepEveryCrossing(ReaderProtocol protocol)
    {
        var rig = new MatUnitRig(new MemoryFileStore(capacityBytes: 8L * 1024 * 1024), new MqttBrokerEmulator(), NoFixSeconds, protocol).StartTiming();

        // 40 chips crossing 100 ms apart, each in the field for a second at 100 reads/s: more than the line carries,
        // so the module reads as fast as it can, and every 250 ms poll finds kilobytes waiting.
        var chips = new List<byte[]>();
        for (var i = 0; i < 40; i++)
        {
            var epc = ReaderRig.Epc(700 + i);
            chips.Add(epc);
            rig.Tags.Add(epc, 2_000_000 + (i * 100_000), 3_000_000 + (i * 100_000), 100, RssiCurve.Peak(-7000, -4500));
        }

        RunThrottled(rig, untilLocal: 12_000_000, pollEveryMicros: 250_000);

        var unit = rig.Unit;
        var counters = unit.Reader.Counters;
        Assert.True(unit.PollsLate >= 30, $"polls late: {unit.PollsLate}");
        Assert.True(counters.PollsBehind >= 8, $"polls behind: {counters.PollsBehind}");
        Assert.True(counters.MaxBacklogBytes >= 1_500, $"largest backlog: {counters.MaxBacklogBytes}");
        Assert.True(counters.ReadsThinned > 100, $"reads thinned: {counters.ReadsThinned}");
        Assert.Equal(counters.ReadsThinned, unit.Detector.ReadsThinned);
        Assert.Equal(0, counters.CrcErrors);

        // Every chip kept its crossing, each with enough reads for a peak fit (a chip is thinned only once well read),
        // and nothing else.
        var passings = rig.JournalPassings();
        Assert.Equal(40, passings.Count);
        foreach (var chip in chips)
        {
            var passing = Assert.Single(passings, p => p.Epc.AsSpan(0, p.EpcLength).SequenceEqual(chip));
            Assert.True(passing.Hits >= unit.Detector.Settings.MinFitReads, $"hits {passing.Hits}");
        }
    }

    [Fact]
    public void PollsOnTime_ThinNothing()
    {
        var rig = new MatUnitRig(new MemoryFileStore(capacityBytes: 8L * 1024 * 1024), new MqttBrokerEmulator(), NoFixSeconds).StartTiming();
        for (var i = 0; i < 40; i++)
        {
            rig.Tags.Add(ReaderRig.Epc(700 + i), 2_000_000 + (i * 100_000), 3_000_000 + (i * 100_000), 100, RssiCurve.Peak(-7000, -4500));
        }

        RunThrottled(rig, untilLocal: 12_000_000, pollEveryMicros: 10_000);

        Assert.Equal(0, rig.Unit.PollsLate);
        Assert.Equal(0, rig.Unit.Reader.Counters.PollsBehind);
        Assert.Equal(0, rig.Unit.Reader.Counters.ReadsThinned);
        Assert.InRange(rig.Unit.Reader.Counters.MaxBacklogBytes, 1, 400);
        Assert.Equal(40, rig.JournalPassings().Count);
    }

    private static void RunThrottled(MatUnitRig rig, long untilLocal, long pollEveryMicros)
    {
        var nextPoll = rig.Local;
        while (rig.Local < untilLocal)
        {
            rig.Rig.Gps.StepBy(MatUnitRig.StepMicros);
            rig.Module.Poll();
            if (rig.Local >= nextPoll)
            {
                rig.Unit.Poll();
                nextPoll = rig.Local + pollEveryMicros;
            }
        }

        // Then on time until everything has closed and reached the journal.
        var end = rig.Local + 8_000_000;
        while (rig.Local < end)
        {
            rig.Rig.Gps.StepBy(MatUnitRig.StepMicros);
            rig.Module.Poll();
            rig.Unit.Poll();
        }

        Assert.True(rig.Unit.PowerFailing());
    }
}
