using System.Globalization;
using TimingMat.Core.Clock;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Scenarios;
using static TimingMat.Host.Clock.Micros;

namespace TimingMat.Simulation.Scoring;

/// <summary>
/// What each fault of the scenario did to the crossings in its span: how many were held in the journal until the link
/// came back, went over LoRa, were timed in clock holdover, never read, or lost. The crew's question after a fault is
/// "what did it cost us", not "how many faults were there".
/// </summary>
internal static class FaultEffects
{
    // A unit after a power cut boots and finds its reader again; a silent reader is restarted by the driver. Both take
    // seconds after the fault itself (the audit's known-fault span uses the same 30 s).
    private const long RecoveryMicros = 30 * Second;

    /// <summary>Scores every fault that hit a scored mat (inside the window, when the run played one).</summary>
    /// <param name="scenario">The race and its fault timeline.</param>
    /// <param name="units">The scored mats' unit ids.</param>
    /// <param name="window">The span of true time played, or null for the whole race.</param>
    /// <param name="crossings">Every scored crossing.</param>
    /// <returns>One entry per fault, in time order.</returns>
    public static List<FaultFigures> Of(Scenario scenario, IReadOnlySet<int> units, TruthWindow? window, IReadOnlyList<ScoredCrossing> crossings)
    {
        var figures = new List<FaultFigures>();
        foreach (var fault in scenario.Faults.OrderBy(f => f.Kind == FaultKind.LoraOnly ? long.MinValue : f.AtUtcMicros))
        {
            var hit = fault.Mat == null ? units : scenario.Mats.Where(m => m.Name == fault.Mat && units.Contains(m.UnitId)).Select(m => m.UnitId).ToHashSet();
            if (hit.Count == 0 || (window != null && fault.Kind != FaultKind.LoraOnly && !window.Contains(fault.AtUtcMicros)))
            {
                continue;
            }

            var whole = fault.Kind == FaultKind.LoraOnly;
            var end = fault.AtUtcMicros + fault.DurationMicros;
            var spanEnd = fault.Kind is FaultKind.PowerCut or FaultKind.ReaderSilence ? end + RecoveryMicros : end;
            var inSpan = crossings.Where(c => hit.Contains(c.Unit) && (whole || (c.TrueUtcMicros >= fault.AtUtcMicros && c.TrueUtcMicros < spanEnd))).ToList();
            var delivered = inSpan.Where(c => c.WasDelivered).ToList();
            figures.Add(new FaultFigures(
                ScenarioLoader.FaultName(fault.Kind),
                fault.Mat,
                whole ? null : RaceScorer.Iso(fault.AtUtcMicros),
                whole ? null : DateTime.UnixEpoch.AddTicks(fault.AtUtcMicros * 10).Add(scenario.UtcOffset).ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                whole ? null : fault.DurationMicros / (double)Second,
                inSpan.Count,
                delivered.Count,
                delivered.Count(c => !c.ByLora && c.StoredUtcMicros >= end),
                delivered.Count(c => c.ByLora),
                delivered.Count(c => c.ClockState == ClockState.Holdover),
                inSpan.Count(c => !c.WasDelivered && !c.WasLost),
                inSpan.Count(c => c.WasLost),
                ErrorFigures.FromMicros(delivered.Where(c => c.ClockState != ClockState.Unsynced).Select(c => c.ErrorMicros)).P99));
        }

        return figures;
    }
}
