using System.Globalization;
using Spectre.Console;
using TimingMat.Simulation.Engine;

namespace TimingMat.Cli.Commands;

/// <summary>
/// The human summary of a scored run — a table per mat, then passings, errors, delivery, clocks, athletes, faults —
/// shared by <c>timingmat simulate</c> and <c>timingmat hil</c> so both read the same way.
/// </summary>
internal static class RaceReportWriter
{
    /// <summary>What kind of run the report comes from (only the wording of the clock and the last line differ).</summary>
    public enum Run
    {
        /// <summary>The whole race on simulated time.</summary>
        Simulated,

        /// <summary>One mat played in real time into a board (or a <c>timingmat unit</c>).</summary>
        HardwareInTheLoop,
    }

    public static void Write(TextWriter writer, SimulationReport r, Run run)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

        // Redirected output has no terminal width; the table is wide, so give it room rather than wrap every cell.
        console.Profile.Width = Math.Max(console.Profile.Width, 160);
        var mats = new Table().Border(TableBorder.Simple).Title("Mats");
        foreach (var column in new[] { "unit", "mat", "reads", "passings", "delivered", "lost", "error p50 ms", "error p99 ms", "clock", "clock p99 ms", "boots", "restamped", "reader restarts", "last status" })
        {
            mats.AddColumn(column);
        }

        foreach (var m in r.MatDetails)
        {
            mats.AddRow(m.Unit.ToString(CultureInfo.InvariantCulture), m.Name, m.Reads.ToString("N0", CultureInfo.InvariantCulture), m.Passings.ToString("N0", CultureInfo.InvariantCulture),
                m.Delivered.ToString("N0", CultureInfo.InvariantCulture), m.Lost.ToString(CultureInfo.InvariantCulture),
                m.CrossingErrorP50Ms.ToString("0.#", CultureInfo.InvariantCulture), m.CrossingErrorP99Ms.ToString("0.#", CultureInfo.InvariantCulture), m.ClockState,
                m.ClockErrorP99Ms?.ToString("0.###", CultureInfo.InvariantCulture) ?? "n/a", m.Boots.ToString(CultureInfo.InvariantCulture),
                m.Restamped.ToString(CultureInfo.InvariantCulture), m.ReaderRestarts.ToString(CultureInfo.InvariantCulture), StatusText(m.Status));
        }

        console.Write(mats);
        WriteAccuracy(console, r);
        WriteBudget(console, r);
        WriteTimingPoints(console, r);
        var clock = r.ClockErrorMs is { } c
            ? $"Mat clocks vs true UTC: p50 {c.P50:0.###} ms, p99 {c.P99:0.###} ms, max {c.Max:0.###} ms."
            : "Mat clock vs true UTC: not measured (the unit's status reports no clock offset); the clock column is the state the unit stamped on its last passing.";
        var last = run == Run.Simulated
            ? $"{r.ReadsGenerated:N0} reads, {r.SimulatedSeconds / 3600:0.0} h of race simulated in {r.WallSeconds:0.0} s."
            : $"{r.ReadsGenerated:N0} reads, {r.SimulatedSeconds:0} s of race played in real time; {r.WallSeconds:0.0} s in all with the drain.";
        var n = r.NeverReadByCause;
        var t = r.AthletesTruth;
        var w = t.Wrongly;
        var lines = new[]
        {
            $"Passings: {r.PassingsExpected:N0} expected, {r.PassingsRecorded:N0} recorded, {r.PassingsDelivered:N0} delivered, {r.PassingsLost:N0} lost, {r.PassingsNeverRead:N0} never read by a reader, {r.DuplicatesDelivered:N0} duplicate, {r.PhantomPassings:N0} phantom.",
            $"  (lost: read by a reader but no passing delivered, the firmware's fault; never read: no reader read the chip, which is physics or a fault, not a loss)",
            $"Never read: {n.Total:N0} = {n.CoveredTag:N0} covered tags + {n.OutOfReach:N0} out of the antennas' reach + {n.ReaderCapacity:N0} crowd / reader capacity + {n.ReaderSilence:N0} reader silence + {n.PowerCut:N0} power cut.",
            $"Crossing time error: p50 {r.CrossingErrorMs.P50:0.###} ms, p99 {r.CrossingErrorMs.P99:0.###} ms, max {r.CrossingErrorMs.Max:0.###} ms.",
            $"Delivery (true crossing to stored by the collector, via {r.Broker}): p50 {r.DeliveryLatencyMs.P50:0} ms, p99 {r.DeliveryLatencyMs.P99:0} ms, max {r.DeliveryLatencyMs.Max:0} ms.",
            clock,
            $"Athletes (the audit's verdicts): {r.Athletes.Ranked:N0} ranked; unranked: {r.Athletes.UnrankedMissingMat:N0} missing a mat, {r.Athletes.OutOfSequence:N0} out of sequence, {r.Athletes.AfterCutoff:N0} after a cut-off.",
            $"Against the truth: {t.FinishedRanked:N0} of {t.Finished:N0} finishers ranked, {w.Total:N0} wrongly unranked (system failures, goal 0: {w.MissingMat:N0} missing a mat they crossed, {w.OutOfSequence:N0} out of sequence, {w.AfterCutoff:N0} after a cut-off they beat, {w.NotSeen:N0} never seen; {w.OnRefereeList:N0} of them on the referee's list); "
            + $"{t.DroppedOut:N0} dropped out (did not finish, not unranked); rightly unranked: {t.SkippedMat:N0} walked round a mat, {t.LateAtCutoff:N0} late at a cut-off"
            + (t.SkippedMatRanked + t.LateAtCutoffRanked > 0 ? $"; ranked although they should not be: {t.SkippedMatRanked + t.LateAtCutoffRanked:N0}." : "."),
            $"Referee's list (timing points missing, the rest in order, evidence at each): {r.Referee.Cases:N0} athletes = {r.Referee.Innocent:N0} the system missed + {r.Referee.WalkedRound:N0} who walked round the point + {r.Referee.DroppedOut:N0} who dropped out + {r.Referee.Other:N0} other; "
            + $"evidence: {r.Referee.MatFault:N0} a known mat fault, {r.Referee.MatGap:N0} the mat missed others around them too, {r.Referee.MatRate:N0} the mat missed many all race, {r.Referee.BackupLine:N0} a backup line's read, {r.Referee.Pace:N0} their pace across the gap.",
            $"Two-chip pairs: {r.TwoChipPairs.Injected} runner(s) carried a second athlete's chip, {r.TwoChipPairs.Flagged} flagged, {r.TwoChipPairs.Missed} missed (carried chip ranked), {r.TwoChipPairs.FalseFlags} false flag(s) (goal: 0 missed, 0 false)"
            + (r.TwoChipMissed.Count > r.TwoChipPairs.Missed ? $"; {r.TwoChipMissed.Count - r.TwoChipPairs.Missed} not flagged left the course before 3 points together, their carried chip unranked." : "."),
            $"Faults injected: {r.FaultsInjected}; broker resends de-duplicated: {r.ResendsDeduplicated:N0}; markers delivered: {r.MarkersDelivered}.",
            run == Run.Simulated ? LoRaLine(r.Lora) : string.Empty,
            last,
        };
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            writer.WriteLine(line.Replace('\u00A0', ' '));
        }
    }

    // The unit's own last word: online or offline, and its alarms.
    private static string StatusText(RawJson? status)
    {
        if (status == null)
        {
            return "none";
        }

        using var document = status.Parse();
        var s = document.RootElement;
        if (!s.TryGetProperty("state", out var state))
        {
            return "none";
        }

        var alarms = s.TryGetProperty("alarms", out var list) ? string.Join(",", list.EnumerateArray().Select(a => a.GetString())) : string.Empty;
        return alarms.Length == 0 ? state.GetString()! : $"{state.GetString()}: {alarms}";
    }

    private static void WriteAccuracy(IAnsiConsole console, SimulationReport r)
    {
        if (r.MatDetails.All(m => m.CrossingBoundMs == null))
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var table = new Table().Border(TableBorder.Simple).Title("Crossing accuracy against the physics");
        foreach (var column in new[] { "unit", "mat", "error p50 ms", "error p99 ms", "bias ms", "bound p50 ms", "bound p99 ms", "p99 / bound", "reads too few for a bound" })
        {
            table.AddColumn(column);
        }

        foreach (var m in r.MatDetails)
        {
            var b = m.CrossingBoundMs;
            table.AddRow(m.Unit.ToString(c), m.Name, m.CrossingErrorP50Ms.ToString("0.#", c), m.CrossingErrorP99Ms.ToString("0.#", c), m.CrossingBiasMs.ToString("+0.#;-0.#;0", c),
                b?.P50.ToString("0.#", c) ?? "n/a", b == null ? "n/a" : b.P99?.ToString("0.#", c) ?? "none", m.P99OverBound?.ToString("0.00", c) ?? "n/a",
                b == null || b.Crossings == 0 ? "n/a" : (100.0 * b.Unbounded / b.Crossings).ToString("0.0", c) + " %");
        }

        console.Write(table);
        console.WriteLine("  bound: the Cramér–Rao bound for the reads each crossing got (runner speed, position and tag loss unknown), what any estimator could reach;");
        console.WriteLine("  p99 / bound near 1: the error is physics (few reads, a slow or dense crowd); well above 1.25: the detector or the curve it assumes (goal <= 1.25).");
    }

    private static void WriteTimingPoints(IAnsiConsole console, SimulationReport r)
    {
        if (r.TimingPoints.All(p => p.Units.Count < 2))
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var table = new Table().Border(TableBorder.Simple).Title("Timing points: lines merged per chip");
        foreach (var column in new[] { "point", "units", "crossings", "recorded", "both lines", "main only", "backup only", "timed by backup", "error p50 ms", "error p99 ms", "bias ms" })
        {
            table.AddColumn(column);
        }

        foreach (var p in r.TimingPoints)
        {
            table.AddRow(p.Name, string.Join("+", p.Units), p.Crossings.ToString("N0", c), p.Recorded.ToString("N0", c), p.BothLines.ToString("N0", c), p.MainLineOnly.ToString("N0", c),
                p.BackupOnly.ToString("N0", c), p.TimedByBackup.ToString("N0", c), p.ErrorMs.P50.ToString("0.#", c), p.ErrorMs.P99.ToString("0.#", c), p.BiasMs.ToString("+0.#;-0.#;0", c));
        }

        console.Write(table);
        console.WriteLine("  a point with a backup line records a chip either line read; its time is the better-read line's, moved to the main line at the runner's speed.");
    }

    private static void WriteBudget(IAnsiConsole console, SimulationReport r)
    {
        if (r.MatDetails.All(m => m.ReadBudget == null))
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var table = new Table().Border(TableBorder.Simple).Title("Read budget in the busiest minute, and crossings never read");
        foreach (var column in new[] { "unit", "mat", "minute UTC", "crossings/s", "offered reads/s", "delivered reads/s", "capacity", "reads/crossing p50 (p5)", "never read cov/reach/crowd/silence/power", "advice" })
        {
            table.AddColumn(column);
        }

        foreach (var m in r.MatDetails)
        {
            var b = m.ReadBudget;
            var n = m.NeverRead;
            table.AddRow(
                m.Unit.ToString(c),
                m.Name,
                b == null ? "n/a" : b.BusiestMinuteUtc.Length >= 16 ? b.BusiestMinuteUtc[11..16] : b.BusiestMinuteUtc,
                b?.CrossingsPerS.ToString("0.#", c) ?? "n/a",
                b?.OfferedReadsPerS.ToString("N0", c) ?? "n/a",
                b?.DeliveredReadsPerS.ToString("N0", c) ?? "n/a",
                b?.CapacityReadsPerS.ToString("N0", c) ?? "n/a",
                b == null ? "n/a" : $"{b.ReadsPerCrossingP50.ToString("0", c)} ({b.ReadsPerCrossingP5.ToString("0", c)})",
                string.Create(c, $"{n.CoveredTag}/{n.OutOfReach}/{n.ReaderCapacity}/{n.ReaderSilence}/{n.PowerCut}"),
                b?.Advice switch { null => "n/a", "more_reads" => "more reads", "wider_cover" => "wider cover", _ => "ok" });
        }

        console.Write(table);
        console.WriteLine("  offered: reads the chips in the fields would give readers with no rate limit; delivered: what the modules reported; capacity: their read rate.");
        console.WriteLine("  advice: more reads (a module or a second line) when the crowd left crossings unread or one in 20 got under 10 reads; wider cover (antennas across");
        console.WriteLine("  the mat) when chips passed out of the antennas' reach.");
    }

    private static string LoRaLine(LoRaFigures? lora) => lora switch
    {
        null => "LoRa fallback: no radios fitted.",
        { PacketsSent: 0 } => "LoRa fallback: not needed (no mat lost its uplink long enough).",
        _ => $"LoRa fallback: {lora.MatsTransmitting} mat(s) sent {lora.PacketsSent:N0} packets ({lora.AirtimeSeconds:0.0} s on air), {lora.PassingsDelivered:N0} passings delivered over LoRa "
             + $"(crossing to stored p50 {lora.DeliveryLatencyMs.P50 / 1000:0.0} s, p99 {lora.DeliveryLatencyMs.P99 / 1000:0.0} s); {lora.Unanswered:N0} unanswered and sent again, "
             + $"{lora.Collisions:N0} collisions, {lora.Losses:N0} lost on the channel"
             + (lora.UnresolvedChips > 0 ? $", {lora.UnresolvedChips:N0} chips not in the race's chip list" : string.Empty)
             + $"; the receiver answered within its duty cycle ({lora.ReceiverAirtimeSeconds:0.0} s on air), {lora.PacketsRefused:N0} packets refused, {lora.AcksLate:N0} answers too late.",
    };
}
