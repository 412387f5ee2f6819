using System.Globalization;
using TimingMat.Core.Clock;
using TimingMat.Core.Passings;
using TimingMat.Simulation.Audit;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scenarios;

namespace TimingMat.Simulation.Scoring;

/// <summary>
/// Scores a run against the truth: matches every true chip crossing with a delivered passing, counts what was lost
/// (read on the wire but never delivered), duplicated or phantom, measures time and delivery error, and runs the
/// race-rules audit. Shared by the simulator and the hardware-in-the-loop harness so both report the same figures.
/// </summary>
public static class RaceScorer
{
    private const long Second = 1_000_000;

    /// <summary>A delivered passing further than this from a true crossing of its chip does not account for it.</summary>
    public const long MatchWindowMicros = 10 * Second;

    /// <summary>Scores a run.</summary>
    /// <param name="run">What was run and how; its <see cref="RunFacts.Window"/> limits the truth to the time played.</param>
    /// <param name="field">The truth.</param>
    /// <param name="mats">What each mat did (only these mats are scored).</param>
    /// <param name="delivered">Every passing the collector stored, markers included.</param>
    /// <returns>The report.</returns>
    public static SimulationReport Score(RunFacts run, RaceField field, IReadOnlyList<MatOutcome> mats, IReadOnlyList<DeliveredPassing> delivered)
    {
        var crossingErrors = new List<long>();
        var latencies = new List<long>();
        var lostSample = new List<LostCrossing>();
        long expected = 0, lost = 0, neverRead = 0, duplicates = 0, phantoms = 0;
        var matFigures = new List<MatFigures>();
        var crossingsDelivered = delivered.Where(d => d.Kind == PassingKind.Crossing).ToList();
        foreach (var mat in mats)
        {
            var unit = mat.Spec.UnitId;
            var reads = mat.ReadsByBib;
            var byBib = crossingsDelivered.Where(d => d.Unit == unit)
                .GroupBy(d => d.Bib)
                .ToDictionary(g => g.Key, g => g.OrderBy(d => d.TimeUtcMicros).ToList());
            long matLost = 0;
            var matErrors = new List<long>();
            IReadOnlyList<TrueMatCrossing> truth = run.Window == null ? field.CrossingsAt(unit) : [.. field.CrossingsAt(unit).Where(c => run.Window.Contains(c.UtcMicros))];
            foreach (var crossing in truth)
            {
                foreach (var chip in crossing.Runner.Chips)
                {
                    expected++;
                    if (byBib.TryGetValue(chip.Bib, out var candidates) && candidates.Count > 0)
                    {
                        var best = candidates.MinBy(c => Math.Abs(c.TimeUtcMicros - crossing.UtcMicros))!;
                        if (Math.Abs(best.TimeUtcMicros - crossing.UtcMicros) <= MatchWindowMicros)
                        {
                            candidates.Remove(best);
                            latencies.Add(best.StoredUtcMicros - crossing.UtcMicros);
                            if (best.ClockState != ClockState.Unsynced)
                            {
                                crossingErrors.Add(best.TimeUtcMicros - crossing.UtcMicros);
                                matErrors.Add(best.TimeUtcMicros - crossing.UtcMicros);
                            }

                            continue;
                        }
                    }

                    var chipReads = reads.GetValueOrDefault(chip.Bib);
                    if (chipReads == 0)
                    {
                        // The rule: a crossing the reader never read is not a firmware loss.
                        neverRead++;
                        continue;
                    }

                    lost++;
                    matLost++;
                    if (lostSample.Count < 50)
                    {
                        var all = crossingsDelivered.Where(d => d.Unit == unit && d.Bib == chip.Bib).ToList();
                        double? nearest = all.Count == 0 ? null : all.Min(d => (d.TimeUtcMicros - crossing.UtcMicros) / 1000.0);
                        lostSample.Add(new LostCrossing(mat.Spec.Name, chip.Bib, Iso(crossing.UtcMicros), chipReads, nearest));
                    }
                }
            }

            // What remains: passings for a crossing already accounted for, or for none at all.
            var crossedBibs = truth.SelectMany(c => c.Runner.Chips).Select(a => a.Bib).ToHashSet();
            foreach (var (bib, rest) in byBib)
            {
                if (crossedBibs.Contains(bib))
                {
                    duplicates += rest.Count;
                }
                else
                {
                    phantoms += rest.Count;
                }
            }

            var matErrorFigures = ErrorFigures.FromMicros(matErrors);
            matFigures.Add(new MatFigures(
                unit,
                mat.Spec.Name,
                mat.ReadsGenerated,
                mat.ReadsReported,
                mat.ReadsNotReported,
                RecordedCrossings(mat, delivered),
                crossingsDelivered.Count(d => d.Unit == unit),
                matLost,
                matErrorFigures.P50,
                matErrorFigures.P99,
                mat.ClockState,
                mat.ClockErrorsMicros == null ? null : ErrorFigures.FromMicros(mat.ClockErrorsMicros).P99,
                mat.Boots,
                mat.Restamped,
                mat.ReaderRestarts,
                mat.LastStatus == null ? null : new RawJson(mat.LastStatus)));
        }

        var scenario = field.Scenario;
        var scored = mats.Select(m => m.Spec.UnitId).ToHashSet();
        // A run that played part of the race (a HIL window) answers for the runners who crossed a scored mat in it.
        IReadOnlyList<RunnerPlan> runners = field.Runners;
        IReadOnlyList<Athlete> athletes = field.Athletes;
        if (run.Window != null)
        {
            var crossedInWindow = mats.SelectMany(m => field.CrossingsAt(m.Spec.UnitId)).Where(c => run.Window.Contains(c.UtcMicros)).Select(c => c.Runner.Athlete.Bib).ToHashSet();
            runners = [.. field.Runners.Where(r => crossedInWindow.Contains(r.Athlete.Bib))];
            athletes = [.. runners.SelectMany(r => r.Chips)];
        }

        var audit = RaceRulesAudit.Run(
            [.. scenario.Mats.Where(m => scored.Contains(m.UnitId)).Select(m => new AuditMat(m.UnitId, m.Name, m.Role, m.Km, m.CutoffUtcMicros))],
            [.. athletes.Select(a => new AuditAthlete(a.Bib, [a.ChipHex]))],
            delivered.Where(d => scored.Contains(d.Unit)).Select(d => new AuditPassing(d.Unit, d.Sequence, d.ChipHex, d.TimeUtcMicros, d.Kind, d.Flags)));
        var carried = runners.Where(r => r.Carried != null).Select(r => (r.Athlete.Bib, r.Carried!.Bib)).ToHashSet();
        var flagged = audit.TwoChipPairs.Count(p => p.BibA is { } a && p.BibB is { } b && (carried.Contains((a, b)) || carried.Contains((b, a))));

        return new SimulationReport
        {
            Scenario = scenario.Name,
            Seed = run.Seed,
            Runners = runners.Count,
            Mats = mats.Count,
            ReadsGenerated = mats.Sum(m => m.ReadsGenerated),
            PassingsExpected = expected,
            PassingsRecorded = matFigures.Sum(m => m.Passings),
            PassingsDelivered = crossingsDelivered.Count,
            PassingsLost = lost,
            DuplicatesDelivered = duplicates,
            CrossingErrorMs = ErrorFigures.FromMicros(crossingErrors),
            ClockErrorMs = mats.Any(m => m.ClockErrorsMicros == null) ? null : ErrorFigures.FromMicros(mats.SelectMany(m => m.ClockErrorsMicros!)),
            Athletes = new AthleteFigures(audit.Count(AthleteVerdict.Ranked), audit.Count(AthleteVerdict.MissingMat), audit.Count(AthleteVerdict.OutOfSequence), audit.Count(AthleteVerdict.AfterCutoff)),
            TwoChipPairs = new TwoChipFigures(carried.Count, flagged),
            FaultsInjected = run.FaultsInjected,
            WallSeconds = Math.Round(run.WallSeconds, 2),
            Broker = run.Broker,
            DeliveryLatencyMs = ErrorFigures.FromMicros(latencies),
            PassingsNeverRead = neverRead,
            PhantomPassings = phantoms,
            ResendsDeduplicated = run.ResendsDeduplicated,
            UnsyncedDelivered = crossingsDelivered.Count(d => d.ClockState == ClockState.Unsynced),
            MarkersDelivered = delivered.Count(d => d.Kind != PassingKind.Crossing),
            TwoChipFalseFlags = audit.TwoChipPairs.Count - flagged,
            SimulatedSeconds = Math.Round(run.SimulatedSeconds, 1),
            MatDetails = matFigures,
            LostCrossings = lostSample,
        };
    }

    private static long RecordedCrossings(MatOutcome mat, IReadOnlyList<DeliveredPassing> delivered)
    {
        // The journal numbers every record, markers included, from 1 across reboots.
        var unit = mat.Spec.UnitId;
        var journaled = mat.JournalLastSequence ?? delivered.Where(d => d.Unit == unit).Select(d => d.Sequence).DefaultIfEmpty(0).Max();
        var markers = delivered.Count(d => d.Unit == unit && d.Kind != PassingKind.Crossing);
        return journaled - markers;
    }

    private static string Iso(long utcMicros) =>
        DateTime.UnixEpoch.AddTicks(utcMicros * 10).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
