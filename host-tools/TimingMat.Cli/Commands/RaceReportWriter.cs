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
        var clock = r.ClockErrorMs is { } c
            ? $"Mat clocks vs true UTC: p50 {c.P50:0.###} ms, p99 {c.P99:0.###} ms, max {c.Max:0.###} ms."
            : "Mat clock vs true UTC: not measured (the unit's status reports no clock offset); the clock column is the state the unit stamped on its last passing.";
        var last = run == Run.Simulated
            ? $"{r.ReadsGenerated:N0} reads, {r.SimulatedSeconds / 3600:0.0} h of race simulated in {r.WallSeconds:0.0} s."
            : $"{r.ReadsGenerated:N0} reads, {r.SimulatedSeconds:0} s of race played in real time; {r.WallSeconds:0.0} s in all with the drain.";
        var lines = new[]
        {
            $"Passings: {r.PassingsExpected:N0} expected, {r.PassingsRecorded:N0} recorded, {r.PassingsDelivered:N0} delivered, {r.PassingsLost:N0} lost, {r.PassingsNeverRead:N0} never read by a reader, {r.DuplicatesDelivered:N0} duplicate, {r.PhantomPassings:N0} phantom.",
            $"Crossing time error: p50 {r.CrossingErrorMs.P50:0.###} ms, p99 {r.CrossingErrorMs.P99:0.###} ms, max {r.CrossingErrorMs.Max:0.###} ms.",
            $"Delivery (true crossing to stored by the collector, via {r.Broker}): p50 {r.DeliveryLatencyMs.P50:0} ms, p99 {r.DeliveryLatencyMs.P99:0} ms, max {r.DeliveryLatencyMs.Max:0} ms.",
            clock,
            $"Athletes: {r.Athletes.Ranked:N0} ranked; unranked: {r.Athletes.UnrankedMissingMat:N0} missing a mat, {r.Athletes.OutOfSequence:N0} out of sequence, {r.Athletes.AfterCutoff:N0} after a cut-off.",
            $"Two-chip runners: {r.TwoChipPairs.Injected} carried a second chip, {r.TwoChipPairs.Flagged} flagged by the audit ({r.TwoChipFalseFlags} other pair(s) flagged).",
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
