using System.Globalization;
using TimingMat.Tent.Commands;

namespace TimingMat.Tent.Clock;

/// <summary>
/// Proves before the gun that every mat agrees on the time (<c>timingmat clock verify</c>). Each unit is asked for
/// several signed clock reports; each report is an NTP-style exchange through the broker (the command carries the
/// tent's send time, the reply the unit's receive and send times on its mat clock), and the quickest exchange gives
/// the unit's offset from the host. The units are then compared with the fleet's median offset, so the host clock's
/// own error cancels: a unit whose PPS arrives late (a wrong receiver, a long cable) keeps a clock it believes is
/// right, and only this comparison finds it.
/// </summary>
/// <remarks>
/// <para>The unit's receive time is the moment its link took the command off the wire (the link's stamp, not the poll
/// that handled it, which comes up to a loop later), and its send time is taken just before the reply is published;
/// the tent stamps its send time before publishing and its receive time as the reply arrives. Every delay then lies
/// inside the round trip, so the offset of an exchange is good to half its round trip, and the quickest exchange is the
/// best one.</para>
/// <para>A unit fails when it does not answer, rejects the command, is not locked to GPS, states an uncertainty above
/// the most allowed, differs from the fleet's median by more than the tolerance, or differs from the host clock by more
/// than a second while the fleet does not. With fewer than three units measured, the median cannot outvote one bad
/// unit: each is then compared with the host clock, which must itself be synchronised (NTP or GPS) to that
/// tolerance.</para>
/// </remarks>
public static class ClockVerifier
{
    /// <summary>Fewest measured units for the fleet's median to be the reference.</summary>
    public const int FleetMinimum = 3;

    private const double GrossMicros = 1_000_000;

    /// <summary>Verifies a fleet's clocks.</summary>
    /// <param name="tent">The connected commander.</param>
    /// <param name="units">The units with their command keys (null: the tent has none).</param>
    /// <param name="toleranceMicros">Largest disagreement allowed, µs.</param>
    /// <param name="maxUncertaintyMicros">Largest stated uncertainty allowed, µs.</param>
    /// <param name="exchanges">
    /// Exchanges per unit (the quickest counts); up to four times as many while the quickest round trip is longer than
    /// the tolerance (half of it, what the offset is good to, would be more than half the tolerance).
    /// </param>
    /// <param name="replyTimeout">How long to wait for each answer.</param>
    /// <returns>The verification.</returns>
    public static ClockVerification Verify(TentCommander tent, IReadOnlyList<(int Unit, byte[]? Key)> units, long toleranceMicros, long maxUncertaintyMicros, int exchanges, TimeSpan replyTimeout)
    {
        var measured = new List<Measurement>();
        foreach (var (unit, key) in units)
        {
            measured.Add(Measure(tent, unit, key, exchanges, toleranceMicros, replyTimeout));
        }

        var offsets = measured.Where(m => m.Best?.OffsetMicros != null && m.Verdict == null).Select(m => m.Best!.OffsetMicros!.Value).ToList();
        var fleet = offsets.Count >= FleetMinimum;
        double? median = offsets.Count == 0 ? null : Median(offsets);
        var reference = fleet ? median!.Value : 0;
        var tolerance = toleranceMicros;
        var checks = new List<ClockCheck>();
        foreach (var m in measured)
        {
            var hostOffset = m.Best?.OffsetMicros;
            double? offset = hostOffset - reference;
            var verdict = m.Verdict;
            var detail = m.Detail;
            if (verdict == null && m.Clock!.UncertaintyMicros > maxUncertaintyMicros)
            {
                (verdict, detail) = ("uncertain", $"states ±{Ms(m.Clock.UncertaintyMicros.Value)} ms, above the {Ms(maxUncertaintyMicros)} ms allowed");
            }

            if (verdict == null && Math.Abs(hostOffset!.Value) > GrossMicros && (!fleet || Math.Abs(offset!.Value) > GrossMicros))
            {
                (verdict, detail) = ("gross", $"{Ms(hostOffset.Value)} ms from the host clock: a wrong second or date (check the GPS antenna and the unit's NMEA)");
            }

            if (verdict == null && Math.Abs(offset!.Value) > tolerance)
            {
                (verdict, detail) = ("offset", $"{Ms(offset.Value)} ms from the {(fleet ? "fleet's median" : "host clock")} (±{Ms(m.Best!.RoundTripMicros / 2.0)} ms), above the {Ms(tolerance)} ms tolerance; its own clock sees no error: check its PPS wiring, receiver and antenna cable");
            }

            if (verdict == null)
            {
                (verdict, detail) = ("ok", $"{Ms(offset!.Value)} ms from the {(fleet ? "fleet's median" : "host clock")}, good to ±{Ms(m.Best!.RoundTripMicros / 2.0)} ms");
            }

            checks.Add(new ClockCheck(
                m.Unit,
                verdict,
                m.Clock?.State,
                m.Best?.OffsetMicros == null ? null : Round(offset!.Value),
                hostOffset == null ? null : Round(hostOffset.Value),
                m.Clock?.UncertaintyMicros / 1000.0,
                m.Clock?.OffsetMicros,
                m.Clock?.Satellites,
                m.Best?.LastPpsMilliseconds,
                m.Best == null ? null : Round(m.Best.RoundTripMicros),
                m.Answered,
                detail ?? string.Empty));
        }

        return new ClockVerification(checks, tolerance / 1000.0, fleet ? "fleet-median" : "host-clock", median == null ? null : Round(median.Value));
    }

    private static Measurement Measure(TentCommander tent, int unit, byte[]? key, int exchanges, long toleranceMicros, TimeSpan replyTimeout)
    {
        if (key == null)
        {
            return new Measurement(unit, "no-key", $"no command key for unit {unit}: give it in the race file (command.key behind the unit's name) or with --key-file", null, null, 0);
        }

        CommandReply? last = null;
        ClockExchange? best = null;
        var answered = 0;
        for (var i = 0; i < exchanges * 4; i++)
        {
            if (i >= exchanges && best != null && best.RoundTripMicros <= toleranceMicros)
            {
                break;
            }

            var reply = tent.Send(unit, key, "clock", replyTimeout);
            if (reply == null)
            {
                if (answered == 0)
                {
                    return new Measurement(unit, "silent", $"no answer within {replyTimeout.TotalSeconds:0.#} s: is the unit on and online?", null, null, 0);
                }

                continue;
            }

            answered++;
            last = reply;
            if (!reply.IsAccepted)
            {
                return new Measurement(unit, "refused", $"the unit {reply.Result} the command: {reply.Reason} (a wrong command key?)", null, null, answered);
            }

            if (reply.Exchange is { OffsetMicros: not null } exchange && (best == null || exchange.RoundTripMicros < best.RoundTripMicros))
            {
                best = exchange;
            }
        }

        var clock = last!.Clock;
        if (clock == null || !clock.IsLocked)
        {
            return new Measurement(unit, "unlocked", $"its clock is {clock?.State ?? "not reported"}{(clock is { Fix: false } ? ", no GPS fix" : string.Empty)}: wait for the lock, check the GPS antenna's view of the sky", clock, best, answered);
        }

        if (best == null)
        {
            return new Measurement(unit, "unlocked", "its answers carry no clock exchange (firmware older than the exchange)", clock, null, answered);
        }

        return new Measurement(unit, null, null, clock, best, answered);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double Round(double micros) => Math.Round(micros / 1000.0, 3);

    private static string Ms(double micros) => (micros / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private sealed record Measurement(int Unit, string? Verdict, string? Detail, Status.ClockReport? Clock, ClockExchange? Best, int Answered);
}
