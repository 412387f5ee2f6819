using System.Globalization;
using TimingMat.Collector.Courses;
using TimingMat.Core.Clock;
using TimingMat.Core.Passings;
using TimingMat.Core.RaceDay;
using TimingMat.Collector.Audit;
using TimingMat.Emulators.Statistics;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Field;
using TimingMat.Simulation.Scenarios;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Simulation.Scoring;

/// <summary>
/// Scores a run against the truth: matches every true chip crossing with a delivered passing, counts what was lost
/// (read on the wire but never delivered), duplicated or phantom, measures time and delivery error, and runs the
/// race-rules audit. Shared by the simulator and the hardware-in-the-loop harness so both report the same figures.
/// </summary>
public static class RaceScorer
{
    /// <summary>A delivered passing further than this from a true crossing of its chip does not account for it.</summary>
    public const long MatchWindowMicros = 10 * Second;

    /// <summary>Scores a run.</summary>
    /// <param name="run">What was run and how; its <see cref="RunFacts.Window"/> limits the truth to the time played.</param>
    /// <param name="field">The truth.</param>
    /// <param name="mats">What each mat did (only these mats are scored).</param>
    /// <param name="delivered">Every passing the collector stored, markers included.</param>
    /// <returns>The report.</returns>
    public static SimulationReport Score(RunFacts run, RaceField field, IReadOnlyList<MatFacts> mats, IReadOnlyList<DeliveredPassing> delivered)
    {
        var crossingErrors = new List<long>();
        var latencies = new List<long>();
        var lostSample = new List<LostCrossing>();
        long expected = 0, lost = 0, neverRead = 0, duplicates = 0, phantoms = 0;
        var matFigures = new List<MatFigures>();
        var neverReadAll = NeverReadFigures.None;
        // What became of each crossing, to explain a wrong verdict: the few not delivered in full, the rest as their error.
        var fates = new Dictionary<(int Unit, int Bib), CrossingFate>();
        var deliveredErrors = new Dictionary<(int Unit, int Bib), (long TrueUtc, long Error, int Reads)>();
        var scoredCrossings = new List<ScoredCrossing>();
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
            var matNeverRead = NeverReadFigures.None;
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

                            deliveredErrors[(unit, chip.Bib)] = (crossing.UtcMicros, best.TimeUtcMicros - crossing.UtcMicros, reads.GetValueOrDefault(chip.Bib));
                            scoredCrossings.Add(new ScoredCrossing(unit, crossing.UtcMicros, ScoredCrossing.Delivered, best.StoredUtcMicros, best.ByLora, best.TimeUtcMicros - crossing.UtcMicros, best.ClockState));
                            continue;
                        }
                    }

                    var chipReads = reads.GetValueOrDefault(chip.Bib);
                    if (chipReads == 0)
                    {
                        // The rule: a crossing the reader never read is not a firmware loss.
                        neverRead++;
                        var cause = CauseOf(mat, crossing, chip.Bib);
                        matNeverRead = matNeverRead.With(cause);
                        fates[(unit, chip.Bib)] = new CrossingFate(crossing.UtcMicros, CauseName(cause), 0, null);
                        scoredCrossings.Add(new ScoredCrossing(unit, crossing.UtcMicros, CauseName(cause), 0, false, 0, ClockState.Unsynced));
                        continue;
                    }

                    lost++;
                    matLost++;
                    fates[(unit, chip.Bib)] = new CrossingFate(crossing.UtcMicros, ScoredCrossing.ReadNotDelivered, chipReads, null);
                    scoredCrossings.Add(new ScoredCrossing(unit, crossing.UtcMicros, ScoredCrossing.ReadNotDelivered, 0, false, 0, ClockState.Unsynced));
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
            var bound = BoundOf(mat, run.Seed);
            neverReadAll = neverReadAll.Plus(matNeverRead);
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
                matErrors.Count == 0 ? 0 : Math.Round(matErrors.Average() / 1000.0, 3),
                bound,
                bound?.P99 is > 0 and { } p99 && matErrors.Count > 0 ? Math.Round(matErrorFigures.P99 / p99, 2) : null,
                matNeverRead,
                ReadBudgetOf(mat, truth, matNeverRead),
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

        var course = ScenarioCourse.From(scenario, scored);
        var audit = RaceRulesAudit.Run(
            course,
            [.. athletes.Select(a => new AuditAthlete(a.Bib, [a.ChipHex]))],
            delivered.Where(d => scored.Contains(d.Unit)).Select(d => new AuditPassing(d.Unit, d.Sequence, d.ChipHex, d.TimeUtcMicros, d.Kind, d.Flags, d.Hits)),
            faults: KnownFaults(scenario, scored));
        var carried = runners.Where(r => r.Carried != null).Select(r => (r.Athlete.Bib, r.Carried!.Bib)).ToHashSet();
        var flagged = audit.TwoChipPairs.Count(p => p.BibA is { } a && p.BibB is { } b && (carried.Contains((a, b)) || carried.Contains((b, a))));
        var points = scenario.TimingPoints.Where(m => m.Role != UnitRole.CheckIn && course.Point(m.Name) != null).ToList();
        CrossingFate? FateOf(int unit, int bib) =>
            fates.TryGetValue((unit, bib), out var fate) ? fate
            : deliveredErrors.TryGetValue((unit, bib), out var d) ? new CrossingFate(d.TrueUtc, "delivered", d.Reads, d.Error)
            : null;
        var judged = AthleteTruth.Judge(runners, points, scenario, field, run.Window, audit, FateOf);

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
            TwoChipPairs = new TwoChipFigures(carried.Count, flagged, TwoChipsLetThrough(audit, carried), audit.TwoChipPairs.Count - flagged),
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
            AthletesTruth = judged.Figures,
            NeverReadByCause = neverReadAll,
            WronglyUnranked = judged.Wrongly,
            TimingPoints = TimingPointScore.Score(scenario, course, field, run.Window, audit.Crossings),
            Referee = judged.Referee,
            RefereeCases = [.. audit.RefereeCases.Take(50).Select(c => new RefereeCaseFigures(c.Bib, [.. c.Gaps.Select(g => new RefereeGapFigures(g.TimingPoint, Iso(g.ExpectedFromUtcMicros), Iso(g.ExpectedToUtcMicros), [.. g.Evidence.Select(e => $"{e.Kind}: {e.Detail}")]))]))],
            TwoChipMissed = MissedPairs(course, audit, carried),
            Faults = FaultEffects.Of(scenario, scored, run.Window, scoredCrossings),
        };
    }

    // Carriers the audit did not flag and whose carried chip it ranked: the cheat went through. (A carrier who left
    // the course before three non-start points cannot be told from two runners side by side, but then the carried
    // chip is not ranked either.)
    private static int TwoChipsLetThrough(AuditResult audit, HashSet<(int Carrier, int Carried)> carried)
    {
        var ranked = audit.Athletes.Where(a => a.Verdict == AthleteVerdict.Ranked).Select(a => a.Bib).ToHashSet();
        var flagged = audit.TwoChipPairs.Where(p => p.BibA != null && p.BibB != null).Select(p => (Math.Min(p.BibA!.Value, p.BibB!.Value), Math.Max(p.BibA.Value, p.BibB.Value))).ToHashSet();
        return carried.Count(p => !flagged.Contains((Math.Min(p.Carrier, p.Carried), Math.Max(p.Carrier, p.Carried))) && ranked.Contains(p.Carried));
    }

    // The carriers the audit did not flag, with what the crossings show of them together.
    private static List<MissedPair> MissedPairs(Course course, AuditResult audit, HashSet<(int Carrier, int Carried)> carried)
    {
        var flagged = audit.TwoChipPairs.Where(p => p.BibA != null && p.BibB != null).Select(p => (Math.Min(p.BibA!.Value, p.BibB!.Value), Math.Max(p.BibA.Value, p.BibB.Value))).ToHashSet();
        var nonStart = course.CoursePoints.Where(p => p.Role != Core.RaceDay.UnitRole.Start).Select(p => p.Name).ToHashSet();
        var at = audit.Crossings.Where(c => nonStart.Contains(c.TimingPoint)).GroupBy(c => (c.ChipHex, c.TimingPoint)).ToDictionary(g => g.Key, g => g.Min(c => c.TimeUtcMicros));
        var missed = new List<MissedPair>();
        foreach (var (carrier, chip) in carried.Where(p => !flagged.Contains((Math.Min(p.Carrier, p.Carried), Math.Max(p.Carrier, p.Carried)))).Order())
        {
            var a = Convert.ToHexString(RaceField.Epc(carrier));
            var b = Convert.ToHexString(RaceField.Epc(chip));
            var gaps = nonStart.Where(p => at.ContainsKey((a, p)) && at.ContainsKey((b, p))).Select(p => Math.Abs(at[(a, p)] - at[(b, p)])).ToList();
            var ranked = audit.Athletes.Any(f => f.Bib == chip && f.Verdict == AthleteVerdict.Ranked);
            missed.Add(new MissedPair(carrier, chip, gaps.Count, gaps.Count(g => g <= 100_000), gaps.Count == 0 ? 0 : Math.Round(gaps.Max() / 1000.0, 1), ranked));
        }

        return missed;
    }

    // The faults a crew would know of from the units' status: a timing point's unit without power or with a silent
    // reader, until it read again (a reboot takes a few seconds more than the outage).
    private static List<KnownFault> KnownFaults(Scenario scenario, IReadOnlySet<int> scored)
    {
        var known = new List<KnownFault>();
        foreach (var fault in scenario.Faults.Where(f => f.Kind is FaultKind.PowerCut or FaultKind.ReaderSilence))
        {
            var unit = scenario.Mats.FirstOrDefault(m => m.Name == fault.Mat);
            if (unit != null && scored.Contains(unit.UnitId))
            {
                var what = fault.Kind == FaultKind.PowerCut ? $"power cut on unit {unit.UnitId} ({unit.Name})" : $"reader silent on unit {unit.UnitId} ({unit.Name})";
                known.Add(new KnownFault(unit.TimingPoint, fault.AtUtcMicros, fault.AtUtcMicros + fault.DurationMicros + (30 * Second), what));
            }
        }

        return known;
    }

    /// <summary>Gives the name a cause has in the report.</summary>
    /// <param name="cause">The cause.</param>
    /// <returns>snake_case name.</returns>
    public static string CauseName(NeverReadCause cause) => cause switch
    {
        NeverReadCause.CoveredTag => "covered_tag",
        NeverReadCause.ReaderSilence => "reader_silence",
        NeverReadCause.PowerCut => "power_cut",
        NeverReadCause.OutOfReach => "out_of_reach",
        _ => "reader_capacity",
    };

    // A crossing no reader read: the mat was blind then (a fault), the tag was covered, the chip passed out of the antennas' reach, or the crowd took the reads.
    private static NeverReadCause CauseOf(MatFacts mat, TrueMatCrossing crossing, int bib)
    {
        // A chip is in the field about ±2 m around the line.
        var margin = (long)(2.0 / crossing.SpeedMetersPerSecond * Second);
        foreach (var span in mat.BlindSpans)
        {
            if (span.Covers(crossing.UtcMicros, margin))
            {
                return span.Cause;
            }
        }

        return mat.CoveredBibs.Contains(bib) ? NeverReadCause.CoveredTag
            : mat.UnreachedBibs.Contains(bib) ? NeverReadCause.OutOfReach
            : NeverReadCause.ReaderCapacity;
    }

    private static MatBoundFigures? BoundOf(MatFacts mat, int seed)
    {
        if (mat.CrossingBoundsMs is not { Count: > 0 } bounds)
        {
            return null;
        }

        var summary = Emulators.Crossings.BoundFigures.Of(bounds, new Random(Field.Seeds.Mix(seed, mat.Spec.UnitId, 41)));
        return new MatBoundFigures(summary.P50Ms, summary.P99Ms, summary.Count, summary.Unbounded);
    }

    // What the crew should change at a mat, from what its crossings suffered (0.1 %: 8 of a half marathon's 8,000).
    private static string Advice(NeverReadFigures neverRead, int crossings, int readsP5)
    {
        var limit = 0.001 * crossings;
        if (neverRead.OutOfReach > limit)
        {
            return "wider_cover";
        }

        return neverRead.ReaderCapacity > limit || readsP5 < 10 ? "more_reads" : "ok";
    }

    private static ReadBudgetFigures? ReadBudgetOf(MatFacts mat, IReadOnlyList<TrueMatCrossing> truth, NeverReadFigures neverRead)
    {
        if (mat.ReadBudget is not { Count: > 0 } budget)
        {
            return null;
        }

        // The minute whose chips offered the readers the most reads.
        var seconds = budget.Keys.Order().ToArray();
        double offered = 0, bestOffered = -1;
        long reported = 0, bestReported = 0, bestStart = seconds[0];
        var from = 0;
        for (var to = 0; to < seconds.Length; to++)
        {
            offered += budget[seconds[to]].Offered;
            reported += budget[seconds[to]].Reported;
            while (seconds[from] <= seconds[to] - 60)
            {
                offered -= budget[seconds[from]].Offered;
                reported -= budget[seconds[from]].Reported;
                from++;
            }

            if (offered > bestOffered)
            {
                (bestOffered, bestReported, bestStart) = (offered, reported, seconds[to] - 59);
            }
        }

        var start = bestStart * Second;
        var crossings = truth.Where(c => c.UtcMicros >= start && c.UtcMicros < start + (60 * Second)).Sum(c => c.Runner.Chips.Count);
        var perCrossing = truth.SelectMany(c => c.Runner.Chips).Select(a => mat.ReadsByBib.GetValueOrDefault(a.Bib)).Where(n => n > 0).Order().ToArray();
        var p50 = perCrossing.Length == 0 ? 0 : Percentile.Of(perCrossing, 0.50);
        var p5 = perCrossing.Length == 0 ? 0 : Percentile.Of(perCrossing, 0.05);
        return new ReadBudgetFigures(
            mat.Spec.Reader.ReadsPerSecond * mat.Spec.Reader.Modules,
            Iso(start),
            Math.Round(crossings / 60.0, 2),
            Math.Round(bestOffered / 60.0),
            Math.Round(bestReported / 60.0),
            p50,
            p5,
            Advice(neverRead, truth.Sum(c => c.Runner.Chips.Count), p5));
    }

    private static long RecordedCrossings(MatFacts mat, IReadOnlyList<DeliveredPassing> delivered)
    {
        // The journal numbers every record, markers included, from 1 across reboots.
        var unit = mat.Spec.UnitId;
        var journaled = mat.JournalLastSequence ?? delivered.Where(d => d.Unit == unit).Select(d => d.Sequence).DefaultIfEmpty(0).Max();
        var markers = delivered.Count(d => d.Unit == unit && d.Kind != PassingKind.Crossing);
        return journaled - markers;
    }

    /// <summary>Formats a UTC time as the report does (ISO 8601, ms).</summary>
    /// <param name="utcMicros">UTC µs.</param>
    /// <returns>The text.</returns>
    internal static string Iso(long utcMicros) =>
        DateTime.UnixEpoch.AddTicks(utcMicros * 10).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
