using System.Globalization;
using TimingMat.Core.Crossings;
using TimingMat.Core.Reader;

using TimingMat.Emulators.Crossings;

namespace TimingMat.Bench.Crossings;

/// <summary>
/// The crossing-accuracy bench: random runners cross the modelled mat, its readers' reads go through the read path to
/// three real <see cref="CrossingDetector"/>s (Peak, First and Last mode) on simulated time, and each passing is
/// compared with the chip's true crossing time and with what the reads allow at best (<see cref="CrossingBound"/>).
/// </summary>
public static class CrossingBench
{
    private const long UtcAtBoot = 1_790_000_000_000_000;

    /// <summary>Runs the bench.</summary>
    /// <param name="settings">Runners, model, detector, seed and size.</param>
    /// <param name="readsOut">Where to write every read as CSV (<c>chip,true_crossing_us,read_time_us,rssi_dbm,antenna</c>), or <c>null</c>.</param>
    /// <returns>The figures.</returns>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public static CrossingBenchResult Run(CrossingBenchSettings settings, TextWriter? readsOut = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Crossings, 1);
        CrossingBound? bound = null;
        var stream = new ObservedRunners(
            new RandomRunnerStream(settings.Runners with { Seed = settings.Seed, ChipCrossings = settings.Crossings }),
            runner => bound!.Expect(runner));
        var model = new CrossingModel(settings.Model, stream, settings.Seed);
        bound = new CrossingBound(model, settings.RssiStepCentiDbm);
        var time = new FixedMatTimeSource(UtcAtBoot);
        var modes = new[] { DetectionMode.Peak, DetectionMode.First, DetectionMode.Last };
        var sinks = modes.Select(_ => new RecordingPassingSink()).ToArray();
        var detectors = modes.Select((m, i) => new CrossingDetector(settings.Detector(m), time, sinks[i])).ToArray();
        var readers = Enumerable.Range(0, settings.Model.Readers).Select(model.Reader).ToList();
        var path = new DirectReadPath(readers, new FanOut(detectors, bound), settings.RssiStepCentiDbm);

        var truth = new Dictionary<string, TrueCrossing>(StringComparer.Ordinal);
        var drained = new List<TrueCrossing>();
        void Drain()
        {
            drained.Clear();
            model.TakeTrueCrossings(drained);
            foreach (var crossing in drained)
            {
                truth[Convert.ToHexString(crossing.Epc)] = crossing;
            }
        }

        if (readsOut != null)
        {
            readsOut.WriteLine("chip,true_crossing_us,read_time_us,rssi_dbm,antenna");
            path.Observer = (reader, read) =>
            {
                var chip = Convert.ToHexString(read.Epc, 0, read.EpcLength);
                if (!truth.ContainsKey(chip))
                {
                    Drain();
                }

                var antenna = (reader * settings.Model.AntennasPerReader) + read.Antenna;
                readsOut.Write(string.Create(CultureInfo.InvariantCulture, $"{chip},{truth[chip].TrueMicros},{read.LocalMicros},{read.RssiCentiDbm / 100.0},{antenna}\n"));
            };
        }

        long now = 0;
        long settleAt = 0;
        while (!model.IsFinished(now))
        {
            now += settings.PollMicros;
            Step(path, detectors, now);
            if (now >= settleAt)
            {
                bound.Settle(now);
                settleAt = now + 1_000_000;
            }
        }

        // Let every crossing's window run out, then end the session.
        var end = now + settings.Detector(DetectionMode.Peak).ReactionMicros + settings.PollMicros;
        while (now < end)
        {
            now += settings.PollMicros;
            Step(path, detectors, now);
        }

        foreach (var detector in detectors)
        {
            detector.CloseAll();
        }

        Drain();
        var peak = Errors(truth, sinks[0], time, out var missed, out var duplicates);
        var first = Errors(truth, sinks[1], time, out _, out _);
        var last = Errors(truth, sinks[2], time, out _, out _);
        var (atBound, knownCurve) = bound.Summarise(settings.Seed);
        return new CrossingBenchResult
        {
            Peak = CrossingErrorFigures.Of(peak),
            First = CrossingErrorFigures.Of(first),
            Last = CrossingErrorFigures.Of(last),
            Crossings = truth.Count,
            Missed = missed,
            Blocked = truth.Values.Count(t => t.Blocked),
            Duplicates = duplicates,
            Seed = settings.Seed,
            Reads = path.Delivered,
            ReadsPerCrossing = Math.Round((double)path.Delivered / truth.Count, 1),
            Bound = atBound,
            BoundKnownCurve = knownCurve,
            FitFallbacks = detectors[0].FitFallbacks,
            CapacityClosed = detectors[0].CapacityClosed,
            SimulatedSeconds = now / 1e6,
        };
    }

    private static void Step(DirectReadPath path, CrossingDetector[] detectors, long now)
    {
        path.PumpUntil(now);
        foreach (var detector in detectors)
        {
            detector.Poll(now);
        }
    }

    // For each true crossing, the passing of its chip nearest in time; crossings without one are missed.
    private static List<long> Errors(Dictionary<string, TrueCrossing> truth, RecordingPassingSink sink, FixedMatTimeSource time, out int missed, out int duplicates)
    {
        var byChip = sink.Taken
            .GroupBy(p => Convert.ToHexString(p.Epc, 0, p.EpcLength), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(p => p.TimeUtcMicros - time.UtcAtZeroMicros).ToList(), StringComparer.Ordinal);
        var errors = new List<long>(truth.Count);
        missed = 0;
        duplicates = 0;
        foreach (var (chip, crossing) in truth)
        {
            if (!byChip.TryGetValue(chip, out var times))
            {
                missed++;
                continue;
            }

            duplicates += times.Count - 1;
            errors.Add(times.Select(t => t - crossing.TrueMicros).MinBy(Math.Abs));
        }

        return errors;
    }

    private sealed class FanOut(CrossingDetector[] detectors, CrossingBound bound) : ITagReadSink
    {
        public void OnTagRead(TagRead read)
        {
            foreach (var detector in detectors)
            {
                detector.OnTagRead(read);
            }

            bound.OnTagRead(read);
        }
    }

    // Shows the bound each runner as the model takes them from the stream.
    private sealed class ObservedRunners(IRunnerStream inner, Action<RunnerCrossing> seen) : IRunnerStream
    {
        public bool TryNext(out RunnerCrossing runner)
        {
            if (!inner.TryNext(out runner))
            {
                return false;
            }

            seen(runner);
            return true;
        }
    }
}
