using TimingMat.Core.Reader;
using TimingMat.Emulators.Crossings;
using TimingMat.Emulators.Reader;
using Xunit;

namespace TimingMat.Emulators.Tests.Crossings;

public class CrossingModelTests
{
    [Fact]
    public void SameSeed_GivesTheSameReads_WhateverStepsTheReaderIsAdvancedIn()
    {
        var coarse = Reads(Model(seed: 4), step: 1_000_000, until: 20_000_000);
        var fine = Reads(Model(seed: 4), step: 7_300, until: 20_000_000);

        Assert.True(coarse.Count > 1000);
        Assert.Equal(coarse.Select(Key), fine.Select(Key));
    }

    [Fact]
    public void AnotherSeed_GivesOtherReads()
    {
        var a = Reads(Model(seed: 4), step: 100_000, until: 10_000_000);
        var b = Reads(Model(seed: 5), step: 100_000, until: 10_000_000);

        Assert.NotEqual(a.Select(Key), b.Select(Key));
    }

    [Fact]
    public void Reads_ComeInTimeOrder_WithinTheReadersLimits()
    {
        var reads = Reads(Model(seed: 1, rate: 30), step: 50_000, until: 30_000_000);

        Assert.True(reads.Zip(reads.Skip(1)).All(p => p.First.AtMicros <= p.Second.AtMicros));
        var busiest = reads.GroupBy(r => r.AtMicros / 1_000_000).Max(g => g.Count());
        Assert.InRange(busiest, 300, 500);
        Assert.All(reads, r => Assert.InRange(r.Antenna, 1, 4));
        Assert.All(reads, r => Assert.True(r.RssiCentiDbm >= -8000, "below the sensitivity"));
        Assert.All(reads, r => Assert.Contains(r.FrequencyKhz, new[] { 865_700, 866_300, 866_900, 867_500 }));
    }

    [Fact]
    public void EachChipsTruth_IsKnownBeforeItsFirstRead_AndItsSignalPeaksThere()
    {
        // Without noise or tag losses, on one antenna and with few chips sharing the reader, the strongest read of every
        // chip lies within a read or two of its true crossing time.
        var model = new CrossingModel(
            new CrossingModelSettings { NoiseDb = 0, OrientationLossMaxDb = 0, BlockedFraction = 0, AntennasPerReader = 1, MatWidthM = 1 },
            new RandomRunnerStream(new RandomRunnerSettings { Seed = 2, ChipCrossings = 100, LaneWidthM = 0.6, RunnersPerSecond = 2 }),
            2);
        var truth = new Dictionary<string, long>();
        var strongest = new Dictionary<string, (int Rssi, long At)>();
        var reads = new List<EmulatedRead>();
        var crossings = new List<TrueCrossing>();
        for (var t = 0L; !model.IsFinished(t); t += 20_000)
        {
            reads.Clear();
            model.Reader(0).TakeReads(t, reads);
            crossings.Clear();
            model.TakeTrueCrossings(crossings);
            foreach (var c in crossings)
            {
                truth[Convert.ToHexString(c.Epc)] = c.TrueMicros;
            }

            foreach (var r in reads)
            {
                var chip = Convert.ToHexString(r.Epc);
                Assert.True(truth.ContainsKey(chip), "read before its truth");
                if (!strongest.TryGetValue(chip, out var best) || r.RssiCentiDbm > best.Rssi)
                {
                    strongest[chip] = (r.RssiCentiDbm, r.AtMicros);
                }
            }
        }

        Assert.Equal(100, truth.Count);
        Assert.Equal(100, strongest.Count);
        Assert.All(strongest, s => Assert.InRange(s.Value.At - truth[s.Key], -10_000, 10_000));
    }

    [Fact]
    public void AllDayStream_KeepsMemoryFlat()
    {
        // An endless field at 25 runners/s for ten minutes: the model holds only the chips near the mat.
        var model = Model(seed: 3, rate: 25, crossings: 0);
        var reads = new List<EmulatedRead>();
        var truth = new List<TrueCrossing>();
        var most = 0;
        for (var t = 0L; t < 600_000_000; t += 100_000)
        {
            reads.Clear();
            model.Reader(0).TakeReads(t, reads);
            model.TakeTrueCrossings(truth);
            most = Math.Max(most, model.ChipsHeld);
        }

        Assert.InRange(truth.Count, 14_000, 16_000);
        Assert.InRange(most, 10, 400);
    }

    [Fact]
    public void TwoChipRunners_GiveTwoChipsCrossingTogether()
    {
        var stream = new RandomRunnerStream(new RandomRunnerSettings { Seed = 1, ChipCrossings = 40, TwoChipFraction = 1 });
        var runners = new List<RunnerCrossing>();
        while (stream.TryNext(out var runner))
        {
            runners.Add(runner);
        }

        Assert.Equal(20, runners.Count);
        Assert.All(runners, r => Assert.Equal(2, r.Chips.Count));
        Assert.All(runners, r => Assert.Equal(r.ChipCrossingMicros(r.Chips[0]), r.ChipCrossingMicros(r.Chips[1])));
        Assert.All(runners, r => Assert.NotEqual(r.Chips[0].Epc, r.Chips[1].Epc));
    }

    [Fact]
    public void CoveredTags_AreReadFarLess()
    {
        var covered = Hits(new CrossingModelSettings { BlockedFraction = 1 });
        var open = Hits(new CrossingModelSettings { BlockedFraction = 0 });

        Assert.True(covered * 3 < open, $"covered {covered}, open {open}");
    }

    [Fact]
    public void EveryChip_IsAnnouncedBeforeItsReads_AndLeavesWithWhatTheReadersMadeOfIt()
    {
        var model = Model(seed: 3, rate: 40, settings: new CrossingModelSettings { BlockedFraction = 0.2, ReaderReadsPerSecond = 150, ChipReadsPerSecond = 150 }, crossings: 400);
        var admitted = new Dictionary<string, TrueCrossing>();
        var left = new Dictionary<string, ChipExposure>();
        model.ChipAdmitted += c => admitted.Add(Convert.ToHexString(c.Epc), c);
        model.ChipLeft += (c, e) => left.Add(Convert.ToHexString(c.Epc), e);
        var reads = new List<EmulatedRead>();
        var readsByChip = new Dictionary<string, int>();
        for (var t = 100_000L; t < 30_000_000; t += 100_000)
        {
            reads.Clear();
            model.Reader(0).TakeReads(t, reads);
            foreach (var read in reads)
            {
                var chip = Convert.ToHexString(read.Epc);
                Assert.True(admitted.ContainsKey(chip), "a chip is announced before its first read");
                readsByChip[chip] = readsByChip.GetValueOrDefault(chip) + 1;
            }
        }

        Assert.Equal(400, admitted.Count);
        Assert.Equal(400, left.Count);
        Assert.All(left, kv => Assert.Equal(readsByChip.GetValueOrDefault(kv.Key), kv.Value.Reads));
        Assert.All(left.Values, e => Assert.True(e.Reads <= e.Slots && e.Slots <= e.RoundsAnswerable, e.ToString()));

        // 40 runners a second on 150 reads/s: some chips could answer but never got a slot; covered ones seldom answer.
        Assert.Contains(left.Values, e => e.RoundsAnswerable > 0 && e.Slots == 0);
        var covered = admitted.Values.Where(c => c.Blocked).Select(c => left[Convert.ToHexString(c.Epc)]).ToList();
        Assert.InRange(covered.Count, 50, 110);
        Assert.True(covered.Average(e => e.Reads) * 3 < left.Values.Average(e => e.Reads), "covered tags are read far less");

        // The crowd offered the reader far more reads than it could make.
        Assert.True(model.OfferedReads(0) > 3 * readsByChip.Values.Sum(), $"offered {model.OfferedReads(0):0}, read {readsByChip.Values.Sum()}");
    }

    [Fact]
    public void ATiltedDipoleTag_ChangesTheCurvesShape_NotJustItsLevel()
    {
        // Runners one by one straight over one antenna, no noise: a tag alike in every direction is strongest right
        // over the antenna; a dipole tilted by up to 60° peaks off the line (its pattern leans the curve).
        static double MeanPeakOffsetMs(double? tilt)
        {
            var settings = new CrossingModelSettings { NoiseDb = 0, OrientationLossMaxDb = 0, BlockedFraction = 0, AntennasPerReader = 1, MatWidthM = 0.5, TagTiltMaxDeg = tilt };
            var runners = new RandomRunnerStream(new RandomRunnerSettings { Seed = 1, ChipCrossings = 40, LaneWidthM = 0, MinSpeedMps = 2, MaxSpeedMps = 2, RunnersPerSecond = 0.2 });
            var model = new CrossingModel(settings, runners, 1);
            var truth = new Dictionary<string, long>();
            model.ChipAdmitted += c => truth[Convert.ToHexString(c.Epc)] = c.TrueMicros;
            var reads = new List<EmulatedRead>();
            for (var t = 100_000L; !model.IsFinished(t); t += 100_000)
            {
                model.Reader(0).TakeReads(t, reads);
            }

            return reads.GroupBy(r => Convert.ToHexString(r.Epc)).Average(g => Math.Abs(g.MaxBy(r => r.RssiCentiDbm).AtMicros - truth[g.Key]) / 1000.0);
        }

        var plain = MeanPeakOffsetMs(null);
        var tilted = MeanPeakOffsetMs(60);

        Assert.InRange(plain, 0, 15);
        Assert.True(tilted > 3 * plain + 20, $"strongest read {tilted:0} ms from the line on average with tilted dipoles, {plain:0} ms without");
        Assert.Throws<ArgumentException>(() => new CrossingModelSettings { TagTiltMaxDeg = 91 }.Validate());
    }

    [Fact]
    public void SlowerThanTheModelExpects_IsRefused()
    {
        var stream = new RandomRunnerStream(new RandomRunnerSettings { MinSpeedMps = 0.5, MaxSpeedMps = 0.5, ChipCrossings = 1 });
        var model = new CrossingModel(new CrossingModelSettings(), stream, 1);

        var error = Assert.Throws<ArgumentException>(() => model.Reader(0).TakeReads(10_000_000, []));
        Assert.Contains("slower than the model's MinSpeedMps", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DirectReadPath_MergesReadersInTimeOrder_AndRoundsRssiAsTheModuleReports()
    {
        var model = Model(seed: 6, settings: new CrossingModelSettings { Readers = 2, AntennasPerReader = 2 });
        var delivered = new List<(long At, int Reader, int Rssi, int Antenna)>();
        var path = new DirectReadPath([model.Reader(0), model.Reader(1)], new Collect(delivered));

        path.PumpUntil(5_000_000);
        path.PumpUntil(10_000_000);

        Assert.Equal(delivered.Count, path.Delivered);
        Assert.Contains(delivered, d => d.Reader == 0);
        Assert.Contains(delivered, d => d.Reader == 1);
        Assert.True(delivered.Zip(delivered.Skip(1)).All(p => p.First.At <= p.Second.At));
        Assert.All(delivered, d => Assert.Equal(0, d.Rssi % 100));
        Assert.All(delivered, d => Assert.InRange(d.Antenna, 1, 2));
    }

    private static CrossingModel Model(int seed, double rate = 20, CrossingModelSettings? settings = null, int crossings = 1000) =>
        new(settings ?? new CrossingModelSettings(), new RandomRunnerStream(new RandomRunnerSettings { Seed = seed, RunnersPerSecond = rate, ChipCrossings = crossings }), seed);

    private static List<EmulatedRead> Reads(CrossingModel model, long step, long until)
    {
        var reads = new List<EmulatedRead>();
        for (var t = step; t < until; t += step)
        {
            model.Reader(0).TakeReads(t, reads);
        }

        model.Reader(0).TakeReads(until, reads);
        return reads;
    }

    private static string Key(EmulatedRead r) => $"{r.AtMicros}/{Convert.ToHexString(r.Epc)}/{r.RssiCentiDbm}/{r.Antenna}/{r.FrequencyKhz}";

    private static int Hits(CrossingModelSettings settings)
    {
        var model = Model(seed: 8, settings: settings, crossings: 50);
        return Reads(model, 100_000, 10_000_000).Count;
    }

    private sealed class Collect(List<(long At, int Reader, int Rssi, int Antenna)> into) : ITagReadSink
    {
        public void OnTagRead(TagRead read) => into.Add((read.LocalMicros, read.ReaderIndex, read.RssiCentiDbm, read.Antenna));
    }
}
