using System.Globalization;
using System.Text;
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

    /// <summary>The width of the default report: a terminal's, so nothing wraps on a 100-column window.</summary>
    public const int Columns = 100;

    // The wide view's width: every column of every table, for a wide window or a log (it takes only what it needs).
    private const int WideColumns = 200;

    /// <summary>Writes a paragraph broken between words at the report's width (a scenario's name can make a line long).</summary>
    /// <param name="writer">Where to.</param>
    /// <param name="paragraph">The text.</param>
    public static void WriteLine(TextWriter writer, string paragraph) => new Paragraphs(writer, Columns).Line(paragraph);

    /// <summary>Writes the report.</summary>
    /// <param name="writer">Where to.</param>
    /// <param name="r">The scored run.</param>
    /// <param name="run">Simulated or hardware in the loop.</param>
    /// <param name="wide">Every column of every table (up to 200 columns) instead of the ones a crew reads first (100 columns).</param>
    public static void Write(TextWriter writer, SimulationReport r, Run run, bool wide = false)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

        // Redirected output has no terminal width: fix it, so a log reads as the terminal does.
        var width = wide ? WideColumns : Columns;
        console.Profile.Width = width;
        var text = new Paragraphs(writer, wide ? int.MaxValue : width);
        console.Write(wide ? WideMats(r) : Mats(r));
        text.Line("  offered: reads the model's chips gave the reader modules; reported: the reads the modules sent the firmware; not reported: "
                  + "read by a module but never reached the firmware (between inventories, silent, throttled, transmit buffer full).");
        var alarms = r.MatDetails.Select(m => (m.Name, Alarms: AlarmsOf(m.Status))).Where(m => m.Alarms.Length > 0).ToList();
        if (!wide && alarms.Count > 0)
        {
            text.Line("  alarms in the last status: " + string.Join("; ", alarms.Select(m => $"{m.Name} {m.Alarms}")) + ".");
        }

        WriteAccuracy(console, text, r, wide);
        WriteBudget(console, text, r, wide);
        WriteTimingPoints(console, text, r, wide);
        WriteFaults(text, r);
        var clock = r.ClockErrorMs is { } c
            ? $"Mat clocks vs true UTC: p50 {c.P50:0.###} ms, p99 {c.P99:0.###} ms, max {c.Max:0.###} ms."
            : "Mat clock vs true UTC: not measured (the unit's status reports no clock offset); the clock column is the state the unit stamped on its last passing.";
        var last = run == Run.Simulated
            ? $"{r.ReadsGenerated:N0} reads, {r.SimulatedSeconds / 3600:0.0} h of race simulated in {r.WallSeconds:0.0} s."
            : $"{r.ReadsGenerated:N0} reads, {r.SimulatedSeconds:0} s of race played in real time; {r.WallSeconds:0.0} s in all with the drain.";
        var n = r.NeverReadByCause;
        var t = r.AthletesTruth;
        var w = t.Wrongly;
        var reported = r.MatDetails.Sum(m => m.ReadsReported);
        var lines = new[]
        {
            $"Passings: {r.PassingsExpected:N0} expected, {r.PassingsRecorded:N0} recorded, {r.PassingsDelivered:N0} delivered, {r.PassingsLost:N0} lost, {r.PassingsNeverRead:N0} never read by a reader, {r.DuplicatesDelivered:N0} duplicate, {r.PhantomPassings:N0} phantom.",
            $"  (lost: read by a reader but no passing delivered, the firmware's fault; never read: no reader read the chip, which is physics or a fault, not a loss)",
            $"Reads: {r.ReadsGenerated:N0} offered by the chips, {reported:N0} reported to the firmware ({NotReported(r.ReadsGenerated, reported)} never reached it).",
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
            $"Broker resends de-duplicated: {r.ResendsDeduplicated:N0}; markers delivered: {r.MarkersDelivered}.",
            run == Run.Simulated ? LoRaLine(r.Lora) : string.Empty,
            last,
        };
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            text.Line(line);
        }
    }

    // The columns a crew reads first: what each mat read, kept and lost, how well it timed, and how it is.
    private static Table Mats(SimulationReport r)
    {
        var c = CultureInfo.InvariantCulture;
        var mats = Narrow(new Table().Border(TableBorder.Simple).Title("Mats"), "unit", "mat", "reads\noffered", "reads\nreported", "not\nreported", "passings", "lost", "error\np99 ms", "clock", "status");

        foreach (var m in r.MatDetails)
        {
            mats.AddRow(m.Unit.ToString(c), m.Name, m.Reads.ToString("N0", c), m.ReadsReported.ToString("N0", c), NotReported(m.Reads, m.ReadsReported),
                m.Passings.ToString("N0", c), m.Lost.ToString(c), m.CrossingErrorP99Ms.ToString("0.#", c), m.ClockState, StateOf(m.Status));
        }

        return mats;
    }

    // Every figure a mat has, for a wide window.
    private static Table WideMats(SimulationReport r)
    {
        var c = CultureInfo.InvariantCulture;
        var mats = Narrow(new Table().Border(TableBorder.Simple).Title("Mats"), "unit", "mat", "reads\noffered", "reads\nreported", "not\nreported", "passings", "delivered", "lost", "error\np50 ms", "error\np99 ms", "clock",
            "clock\np99 ms", "boots", "restamped", "reader\nrestarts", "last status");

        foreach (var m in r.MatDetails)
        {
            mats.AddRow(m.Unit.ToString(c), m.Name, m.Reads.ToString("N0", c), m.ReadsReported.ToString("N0", c), NotReported(m.Reads, m.ReadsReported), m.Passings.ToString("N0", c),
                m.Delivered.ToString("N0", c), m.Lost.ToString(c),
                m.CrossingErrorP50Ms.ToString("0.#", c), m.CrossingErrorP99Ms.ToString("0.#", c), m.ClockState,
                m.ClockErrorP99Ms?.ToString("0.###", c) ?? "n/a", m.Boots.ToString(c),
                m.Restamped.ToString(c), m.ReaderRestarts.ToString(c), StatusText(m.Status));
        }

        return mats;
    }

    // The share of the offered reads that never reached the firmware: the module read them but could not report them.
    private static string NotReported(long offered, long reported) =>
        offered <= 0 ? "n/a" : (100.0 * Math.Max(0, offered - reported) / offered).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    // Two spaces between columns instead of Spectre's three, and headers broken where given: ten columns fit 100.
    private static Table Narrow(Table table, params string[] columns)
    {
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(column).PadLeft(0).PadRight(1));
        }

        return table;
    }

    // The unit's own last word: online or offline, and its alarms.
    private static string StatusText(RawJson? status)
    {
        var alarms = AlarmsOf(status);
        return alarms.Length == 0 ? StateOf(status) : $"{StateOf(status)}: {alarms}";
    }

    private static string StateOf(RawJson? status)
    {
        if (status == null)
        {
            return "none";
        }

        using var document = status.Parse();
        return document.RootElement.TryGetProperty("state", out var state) ? state.GetString() ?? "none" : "none";
    }

    private static string AlarmsOf(RawJson? status)
    {
        if (status == null)
        {
            return string.Empty;
        }

        using var document = status.Parse();
        return document.RootElement.TryGetProperty("state", out _) && document.RootElement.TryGetProperty("alarms", out var list)
            ? string.Join(",", list.EnumerateArray().Select(a => a.GetString()))
            : string.Empty;
    }

    private static void WriteAccuracy(IAnsiConsole console, Paragraphs text, SimulationReport r, bool wide)
    {
        if (r.MatDetails.All(m => m.CrossingBoundMs == null))
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        const string Title = "Crossing accuracy against the physics";
        var table = wide
            ? Narrow(new Table().Border(TableBorder.Simple).Title(Title), "unit", "mat", "error\np50 ms", "error\np99 ms", "bias\nms", "bound\np50 ms", "bound\np99 ms", "p99 /\nbound", "reads too few\nfor a bound")
            : Narrow(new Table().Border(TableBorder.Simple).Title(Title), "unit", "mat", "error\np50 ms", "error\np99 ms", "bias\nms", "bound\np50 ms", "bound\np99 ms", "p99 /\nbound", "too few\nreads");
        foreach (var m in r.MatDetails)
        {
            var b = m.CrossingBoundMs;
            table.AddRow(m.Unit.ToString(c), m.Name, m.CrossingErrorP50Ms.ToString("0.#", c), m.CrossingErrorP99Ms.ToString("0.#", c), m.CrossingBiasMs.ToString("+0.#;-0.#;0", c),
                b?.P50.ToString("0.#", c) ?? "n/a", b == null ? "n/a" : b.P99?.ToString("0.#", c) ?? "none", m.P99OverBound?.ToString("0.00", c) ?? "n/a",
                b == null || b.Crossings == 0 ? "n/a" : (100.0 * b.Unbounded / b.Crossings).ToString("0.0", c) + " %");
        }

        console.Write(table);
        text.Line("  bound: the Cramér–Rao bound for the reads each crossing got (runner speed, position and tag loss unknown), what any estimator could reach;"
                  + " too few reads: crossings with fewer reads than a bound needs.");
        text.Line("  p99 / bound near 1: the error is physics (few reads, a slow or dense crowd); well above 1.25: the detector or the curve it assumes (goal <= 1.25).");
    }

    private static void WriteTimingPoints(IAnsiConsole console, Paragraphs text, SimulationReport r, bool wide)
    {
        if (r.TimingPoints.All(p => p.Units.Count < 2))
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        const string Title = "Timing points: lines merged per chip";
        var table = wide
            ? Narrow(new Table().Border(TableBorder.Simple).Title(Title), "point", "units", "crossings", "recorded", "both\nlines", "main\nonly", "backup\nonly", "timed by\nbackup", "error\np50 ms", "error\np99 ms", "bias\nms")
            : Narrow(new Table().Border(TableBorder.Simple).Title(Title), "point", "units", "crossings", "recorded", "backup\nonly", "timed by\nbackup", "error\np99 ms", "bias\nms");
        foreach (var p in r.TimingPoints)
        {
            var cells = wide
                ? new[] { p.Name, string.Join("+", p.Units), p.Crossings.ToString("N0", c), p.Recorded.ToString("N0", c), p.BothLines.ToString("N0", c), p.MainLineOnly.ToString("N0", c),
                    p.BackupOnly.ToString("N0", c), p.TimedByBackup.ToString("N0", c), p.ErrorMs.P50.ToString("0.#", c), p.ErrorMs.P99.ToString("0.#", c), p.BiasMs.ToString("+0.#;-0.#;0", c) }
                : [p.Name, string.Join("+", p.Units), p.Crossings.ToString("N0", c), p.Recorded.ToString("N0", c), p.BackupOnly.ToString("N0", c), p.TimedByBackup.ToString("N0", c),
                    p.ErrorMs.P99.ToString("0.#", c), p.BiasMs.ToString("+0.#;-0.#;0", c)];
            table.AddRow(cells);
        }

        console.Write(table);
        text.Line("  a point with a backup line records a chip either line read; its time is the better-read line's, moved to the main line at the runner's speed.");
    }

    private static void WriteBudget(IAnsiConsole console, Paragraphs text, SimulationReport r, bool wide)
    {
        if (r.MatDetails.All(m => m.ReadBudget == null))
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        const string Title = "Read budget in the busiest minute, and crossings never read";
        var table = wide
            ? Narrow(new Table().Border(TableBorder.Simple).Title(Title), "unit", "mat", "minute\nUTC", "crossings\nper s", "offered\nreads/s", "reported\nreads/s", "capacity", "reads per crossing\np50 (p5)", "never read\ncov/reach/crowd/silence/power", "advice")
            : Narrow(new Table().Border(TableBorder.Simple).Title(Title), "mat", "minute\nUTC", "crossings\nper s", "offered\nreads/s", "reported\nreads/s", "capacity", "reads per\ncrossing,\np5", "never\nread", "advice");
        foreach (var m in r.MatDetails)
        {
            var b = m.ReadBudget;
            var n = m.NeverRead;
            var cells = new List<string>
            {
                m.Unit.ToString(c),
                m.Name,
                b == null ? "n/a" : b.BusiestMinuteUtc.Length >= 16 ? b.BusiestMinuteUtc[11..16] : b.BusiestMinuteUtc,
                b?.CrossingsPerS.ToString("0.#", c) ?? "n/a",
                b?.OfferedReadsPerS.ToString("N0", c) ?? "n/a",
                b?.DeliveredReadsPerS.ToString("N0", c) ?? "n/a",
                b?.CapacityReadsPerS.ToString("N0", c) ?? "n/a",
                b == null ? "n/a" : wide ? $"{b.ReadsPerCrossingP50.ToString("0", c)} ({b.ReadsPerCrossingP5.ToString("0", c)})" : b.ReadsPerCrossingP5.ToString("0", c),
                wide ? string.Create(c, $"{n.CoveredTag}/{n.OutOfReach}/{n.ReaderCapacity}/{n.ReaderSilence}/{n.PowerCut}") : n.Total.ToString("N0", c),
                b?.Advice switch { null => "n/a", "more_reads" => "more reads", "wider_cover" => "wider cover", _ => "ok" },
            };

            // The default view names the mat alone: the unit is in the tables above, and ten columns would not fit.
            table.AddRow([.. wide ? cells : cells.Skip(1)]);
        }

        console.Write(table);
        text.Line("  offered: reads the chips in the fields would give readers with no rate limit; reported: what the modules reported; capacity: their read rate."
                  + (wide ? string.Empty : " Never read by cause: --wide or --json."));
        text.Line("  advice: more reads (a module or a second line) when the crowd left crossings unread or one in 20 got under 10 reads; wider cover (antennas across"
                  + " the mat) when chips passed out of the antennas' reach.");
    }

    // Every fault with its time, where it hit and what it cost: the crew's question after a fault.
    private static void WriteFaults(Paragraphs text, SimulationReport r)
    {
        if (r.Faults.Count == 0)
        {
            text.Line($"Faults: {r.FaultsInjected} injected.");
            return;
        }

        text.Line($"Faults ({r.FaultsInjected} injected; the race's local time, and what each did to the crossings in its span):");
        foreach (var f in r.Faults)
        {
            text.Line($"  {f.AtLocal ?? "all race"} {FaultEffect(f)}", "           ");
        }
    }

    /// <summary>Says what a fault did, e.g. "10k uplink cut 15 min: 1,234 crossings, 1,200 held in the journal ...".</summary>
    /// <param name="f">The fault's figures.</param>
    /// <returns>One sentence.</returns>
    internal static string FaultEffect(FaultFigures f)
    {
        var c = CultureInfo.InvariantCulture;
        var mat = f.Mat ?? "every mat";
        var lasting = f.DurationS is { } s ? " " + Duration(s) : string.Empty;
        var lost = f.Lost == 0 ? "none lost" : string.Create(c, $"{f.Lost:N0} LOST");
        return f.Kind switch
        {
            "uplink_outage" => string.Create(c, $"{mat} uplink cut{lasting}: {f.Crossings:N0} crossings, {f.HeldInJournal:N0} held in the journal and sent when it was back, {f.DeliveredByLora:N0} delivered by LoRa; {lost}."),
            "broker_restart" => string.Create(c, $"broker down{lasting}: {f.Crossings:N0} crossings at {mat}, {f.HeldInJournal:N0} held in the journals and sent when it was back, {f.DeliveredByLora:N0} delivered by LoRa; {lost}."),
            "gps_loss" => string.Create(c, $"{mat} GPS lost{lasting}: {f.Crossings:N0} crossings, {f.TimedInHoldover:N0} timed on the clock in holdover, error p99 {f.ErrorP99Ms:0.#} ms; {lost}."),
            "power_cut" => string.Create(c, $"{mat} power cut{lasting}: the unit rebooted; {f.NeverRead:N0} of {f.Crossings:N0} crossings never read in the cut and the reboot; {lost}."),
            "reader_silence" => string.Create(c, $"{mat} reader silent{lasting}: {f.NeverRead:N0} of {f.Crossings:N0} crossings never read before the driver restarted it; {lost}."),
            "lora_only" => string.Create(c, $"{mat} without an uplink all race: {f.DeliveredByLora:N0} of {f.Crossings:N0} crossings delivered by LoRa; {lost}."),
            _ => string.Create(c, $"{mat} {f.Kind}{lasting}: {f.Crossings:N0} crossings, {f.Delivered:N0} delivered, {f.NeverRead:N0} never read; {lost}."),
        };
    }

    private static string Duration(double seconds) => seconds switch
    {
        < 120 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0.#} s"),
        < 7200 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0.#} min"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0.#} h"),
    };

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

    /// <summary>Writes text in lines no wider than the report, broken between words.</summary>
    private sealed class Paragraphs(TextWriter writer, int width)
    {
        /// <summary>Writes one paragraph; its continuation lines start with <paramref name="indent"/> (the first line's own indent by default).</summary>
        public void Line(string paragraph, string? indent = null)
        {
            paragraph = paragraph.Replace('\u00A0', ' ');
            var lead = paragraph.Length - paragraph.TrimStart(' ').Length;
            indent ??= new string(' ', lead + 2);
            var line = new StringBuilder(paragraph[..lead]);
            var empty = true;
            foreach (var word in paragraph[lead..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!empty && line.Length + 1 + word.Length > width)
                {
                    writer.WriteLine(line.ToString());
                    line.Clear().Append(indent);
                    empty = true;
                }

                if (!empty)
                {
                    line.Append(' ');
                }

                line.Append(word);
                empty = false;
            }

            writer.WriteLine(line.ToString());
        }
    }
}
