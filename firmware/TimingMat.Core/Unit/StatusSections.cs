using TimingMat.Core.Clock;
using TimingMat.Core.Clock.Nmea;
using TimingMat.Core.Common;
using TimingMat.Core.Journal;
using TimingMat.Core.Lora;
using TimingMat.Core.Outbox;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The sections of the status JSON that read the unit's parts as they are (firmware/docs/wire-formats.md §7): the
    /// clock, storage (ring, journal, outbox), LoRa and commands. <see cref="UnitStatus"/> writes the rest and keeps what
    /// the status remembers between writes (reader rates, alarms reported, the publish schedule). Each section is one
    /// call, as it was when these were the status's own methods: the writer runs on the unit's loop.
    /// </summary>
    internal static class StatusSections
    {
        private const long Second = 1000000;

        /// <summary>Writes the <c>clock</c> object: state, UTC, offset of the last PPS edge, uncertainty, GPS, frequency, position.</summary>
        /// <param name="w">Where to write it.</param>
        /// <param name="unit">The unit.</param>
        internal static void WriteClock(JsonWriter w, MatUnit unit)
        {
            MatClock clock = unit.Clock;
            MatTime now = clock.Now();
            w.BeginObject();
            w.Member("state", StateName(now.State));
            w.Name("utc");
            if (now.State == ClockState.Unsynced)
            {
                w.Null();
            }
            else
            {
                w.Timestamp(now.UtcMicros);
            }

            // How far the clock puts the last PPS edge it used from that edge's GPS second: the handler's latency above
            // the quickest runs the fit follows, so 0 or a little below on a healthy unit.
            w.Name("offset_us");
            if (now.State == ClockState.Unsynced || clock.EdgesCommitted == 0)
            {
                w.Null();
            }
            else
            {
                w.Number(clock.ToMatTime(clock.LastEdgeLocalMicros).UtcMicros - (clock.LastEdgeSecond * Second));
            }

            w.Name("uncertainty_us");
            if (now.State == ClockState.Unsynced)
            {
                w.Null();
            }
            else
            {
                w.Number(now.UncertaintyMicros);
            }

            w.Member("pps", clock.EdgesSeen);
            w.Member("satellites", clock.Satellites);
            w.Member("fix", clock.GpsFix);
            w.Member("frequency_ppb", clock.FrequencyErrorPpb);
            w.Member("frequency_restored", unit.FrequencyRestored);
            w.Member("locks", clock.LockCount);
            w.Member("holdovers", clock.HoldoverCount);

            NmeaParser position = clock.Nmea;
            w.Name("position");
            if (position.HasPosition)
            {
                w.BeginObject();
                w.Name("lat");
                w.Decimal(position.LatitudeMicrodegrees, 6);
                w.Name("lon");
                w.Decimal(position.LongitudeMicrodegrees, 6);
                w.Name("alt_m");
                w.Decimal(position.AltitudeDecimetres, 1);
                w.EndObject();
            }
            else
            {
                w.Null();
            }

            w.EndObject();
        }

        /// <summary>Writes the <c>ring</c>, <c>journal</c> (with the hours of outage left) and <c>outbox</c> members.</summary>
        /// <param name="w">Where to write it.</param>
        /// <param name="unit">The unit.</param>
        /// <param name="status">The status, for the journal's capacity and passing rate.</param>
        internal static void WriteStorage(JsonWriter w, MatUnit unit, UnitStatus status)
        {
            UnitUplink uplink = unit.Uplink;
            PassingRing ring = uplink.Ring;
            PassingJournal journal = uplink.Journal;
            w.Name("ring");
            w.BeginObject();
            w.Member("capacity", ring.Capacity);
            w.Member("count", ring.Count);
            w.Member("high_water", ring.HighWater);
            w.Member("refused", ring.Refused);
            w.Member("full_events", ring.FullEvents);
            w.EndObject();
            w.Name("journal");
            w.BeginObject();
            w.Member("id", journal.JournalId);
            w.Member("first_seq", journal.FirstSequence);
            w.Member("last_seq", journal.DurableSequence);
            w.Member("acked_seq", journal.AckedSequence);
            w.Member("unacked", journal.UnacknowledgedCount);
            w.Member("capacity_bytes", journal.CapacityBytes);
            w.Member("used_bytes", journal.UsedBytes);
            w.Name("fill_pct");
            w.Decimal(journal.FillPermille, 1);
            w.Member("segments", journal.SegmentCount);
            w.Member("refused", journal.RefusedAppends);
            w.Member("capacity_passings", status.CapacityPassings());
            w.Member("passings_per_h", status.PassingsPerHour);
            w.Name("remaining_h");
            long remaining = status.RemainingDeciHours();
            if (remaining < 0)
            {
                w.Null();
            }
            else
            {
                w.Decimal(remaining, 1);
            }

            w.EndObject();
            PassingOutbox outbox = uplink.Outbox;
            w.Name("outbox");
            w.BeginObject();
            w.Member("online", uplink.IsOnline);
            w.Member("in_flight", outbox == null ? 0 : outbox.InFlight);
            w.Member("backlog", outbox == null ? 0 : outbox.BacklogPending);
            w.Member("batches_sent", outbox == null ? 0 : outbox.BatchesSent);
            w.Member("batches_requeued", outbox == null ? 0 : outbox.BatchesRequeued);
            w.Member("replay_requests", outbox == null ? 0 : outbox.ReplayRequests);
            w.Member("connections", uplink.Connections);
            w.Member("connect_attempts", uplink.ConnectAttempts);
            w.EndObject();
        }

        /// <summary>Writes the <c>lora</c> member: null without a radio.</summary>
        /// <param name="w">Where to write it.</param>
        /// <param name="unit">The unit.</param>
        internal static void WriteLora(JsonWriter w, MatUnit unit)
        {
            LoRaUplink lora = unit.Lora;
            w.Name("lora");
            if (lora == null)
            {
                w.Null();
                return;
            }

            w.BeginObject();
            string state = !unit.Settings.Lora.Enabled ? "off" : (lora.Fault != null ? "fault" : (lora.IsActive ? "active" : "standby"));
            w.Member("state", state);
            w.Member("packets", lora.PacketsSent);
            w.Member("passings", lora.PassingsSent);
            w.Member("acks", lora.AcksReceived);
            w.Member("acks_rejected", lora.AcksRejected);
            w.Member("timeouts", lora.AckTimeouts);
            w.Name("airtime_s");
            w.Decimal(lora.DutyCycle.AirtimeMicros / 1000, 3);
            w.Name("duty_cycle_pct");
            w.Decimal(lora.DutyCycle.Permille, 1);
            w.Name("fault");
            NullableString(w, lora.Fault);
            w.EndObject();
        }

        /// <summary>Writes the <c>commands</c> member: accepted, refused, rejected by check, last counter.</summary>
        /// <param name="w">Where to write it.</param>
        /// <param name="unit">The unit.</param>
        internal static void WriteCommands(JsonWriter w, MatUnit unit)
        {
            UnitCommands commands = unit.Commands;
            w.Name("commands");
            w.BeginObject();
            w.Member("accepted", commands.AcceptedCount);
            w.Member("refused", commands.RefusedCount);
            w.Name("rejected");
            w.BeginObject();
            for (int i = 1; i < CommandCheckText.Count; i++)
            {
                w.Member(CommandCheckText.StatusName((CommandCheck)i), commands.Rejected((CommandCheck)i));
            }

            w.EndObject();
            w.Member("last_counter", unit.State.CommandCounter);
            w.EndObject();
        }

        /// <summary>Writes a string, or null.</summary>
        /// <param name="w">Where to write it.</param>
        /// <param name="value">The string, or <c>null</c>.</param>
        internal static void NullableString(JsonWriter w, string value)
        {
            if (value == null)
            {
                w.Null();
            }
            else
            {
                w.String(value);
            }
        }

        /// <summary>Writes a UTC time, or null when it is the value that means none.</summary>
        /// <param name="w">Where to write it.</param>
        /// <param name="utcMicros">The time, UTC µs.</param>
        /// <param name="none">The value that means no time.</param>
        internal static void Time(JsonWriter w, long utcMicros, long none)
        {
            if (utcMicros == none)
            {
                w.Null();
            }
            else
            {
                w.Timestamp(utcMicros);
            }
        }

        private static string StateName(ClockState state)
        {
            return state == ClockState.Locked ? "locked" : (state == ClockState.Holdover ? "holdover" : "unsynced");
        }
    }
}
