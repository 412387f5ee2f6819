using TimingMat.Core.Crossings;
using Xunit;

namespace TimingMat.Core.Tests.Crossings;

/// <summary>
/// The open crossings keep their reads for the peak fit in one store sized from the reader's rate
/// (<see cref="CrossingSettings.KeptReadEntries"/>), not in a full reservation per crossing: a start wave is timed
/// exactly as with the reservation, and a reader faster than the store was sized for costs fit detail, never a passing.
/// </summary>
public class KeptReadStoreTests
{
    private const long ReadStep = 4_000;

    [Fact]
    public void AStartWave_InASharedStore_IsTimedExactlyAsWithAFullReservationPerCrossing()
    {
        // 30 runners/s for 4 s, read round-robin at 250 reads/s (an M6e on 115,200 baud), 2 s reaction window, on a
        // split mat's 512 chips (128 open crossings: about 72 chips in the field and 60 waiting out the window).
        var reserved = Wave(s => s.ReadsPerSecond = 100_000, runners: 120, spacing: 33_333);
        var shared = Wave(s => s.ReadsPerSecond = 250, runners: 120, spacing: 33_333);

        Assert.Equal(128 * 32, reserved.Settings.KeptReadEntries);
        Assert.Equal(1_636, shared.Settings.KeptReadEntries);  // 250 × (3 s + 2 s) + 128 × 3 = 1,634, in whole chunks of 4
        Assert.Equal(0, shared.Detector.KeptStoreFull);
        Assert.Equal(120, shared.Sink.Taken.Count);
        Assert.Equal(Times(reserved), Times(shared));
        Assert.Equal(0, shared.Detector.CapacityClosed);
    }

    [Fact]
    public void AReaderFasterThanTheStore_AveragesReadsEarly_CountsIt_AndLosesNoPassing()
    {
        // Sized for 50 reads/s, read at 250 reads/s by 60 runners 50 ms apart: the store runs dry at the busiest.
        var starved = Wave(s => s.ReadsPerSecond = 50, runners: 60, spacing: 50_000);

        Assert.Equal(636, starved.Settings.KeptReadEntries);  // 50 × 5 s + 128 × 3 = 634, in whole chunks
        Assert.InRange(starved.Detector.KeptStoreFull, 20, 1_000);
        Assert.Equal(Enumerable.Range(1, 60), starved.Sink.Taken.Select(p => Runner(p)).Order());
        Assert.Equal(0, starved.Detector.RefusedReads);
        Assert.Equal(0, starved.Detector.CapacityClosed);

        // Most crossings keep fit enough reads to be timed as before; a crossing that found the store empty from its
        // first read falls back to its strongest read, counted as every fallback is.
        var errors = starved.Sink.Taken.Select(p => Math.Abs(DetectorRig.Local(p) - Apex(Runner(p), 50_000))).Order().ToArray();
        Assert.InRange(errors[errors.Length / 2], 0, 1_000);
        Assert.InRange(starved.Detector.FitFallbacks, 1, 10);

        // Every chunk came back to the store: the same wave again, 20 s later on the same detector, is timed the same.
        var first = Times(starved);
        starved.Sink.Taken.Clear();
        Run(starved, runners: 60, spacing: 50_000, offset: 20_000_000);
        Assert.Equal(first.Select(t => t + 20_000_000), Times(starved));
        var sized = Wave(s => s.ReadsPerSecond = 250, runners: 60, spacing: 50_000);
        Assert.Equal(0, sized.Detector.KeptStoreFull);
        Assert.Equal(0, sized.Detector.FitFallbacks);
    }

    private static DetectorRig Wave(Action<CrossingSettings> size, int runners, long spacing)
    {
        var rig = new DetectorRig(s =>
        {
            s.SetCapacity(512);
            s.ReactionMicros = 2_000_000;
            size(s);
        });
        Run(rig, runners, spacing, offset: 0);
        return rig;
    }

    private static void Run(DetectorRig rig, int runners, long spacing, long offset)
    {
        // Each chip is in the field 1.2 s either side of its apex; the reader takes the chips in the field in turn.
        var next = 0;
        var end = Apex(runners, spacing) + 1_200_000;
        for (var t = 0L; t <= end; t += ReadStep)
        {
            var inField = Enumerable.Range(1, runners).Where(r => Math.Abs(t - Apex(r, spacing)) <= 1_200_000).ToArray();
            if (inField.Length > 0)
            {
                var runner = inField[next++ % inField.Length];
                rig.Read(DetectorRig.Chip(runner), offset + t, DetectorRig.RssiAt(t, Apex(runner, spacing), tauMicros: 400_000), antenna: 1 + (runner % 2));
            }

            rig.Detector.Poll(offset + t);
        }

        // Polled on as the unit polls, every 10 ms: a poll fits one crossing.
        for (var t = end; t <= end + 5_000_000; t += 10_000)
        {
            rig.Detector.Poll(offset + t);
        }
    }

    private static long Apex(int runner, long spacing) => 1_000_000 + (runner * spacing);

    private static int Runner(Passings.Passing passing) => Enumerable.Range(1, 200).First(r => DetectorRig.Chip(r).AsSpan().SequenceEqual(passing.Epc.AsSpan(0, passing.EpcLength)));

    private static long[] Times(DetectorRig rig) => rig.Sink.Taken.OrderBy(Runner).Select(DetectorRig.Local).ToArray();
}
