using TimingMat.Core.Clock;
using TimingMat.Core.Common;
using TimingMat.Core.Passings;

namespace TimingMat.Core.Outbox
{
    /// <summary>
    /// The human rendering of passings and batches as JSON (snake_case, like every TimingMat report): what
    /// <c>timingmat collect</c> prints and what a technician reads when debugging a unit.
    /// </summary>
    /// <remarks>
    /// A passing renders as
    /// <c>{"seq":101,"kind":"crossing","epc":"E200…","time":"2026-10-04T08:00:04.012300Z","time_us":…,"first_read_us":…,
    /// "last_read_us":…,"hits":42,"rssi_dbm":-45.50,"antenna":3,"clock":"locked","uncertainty_us":5,"flags":["stray"],"marker":0}</c>.
    /// <c>time</c> is null while the clock is unsynced (the µs are then local time since boot, not UTC).
    /// Names are mapped by hand: enums print as numbers on nanoFramework.
    /// </remarks>
    public static class PassingJson
    {
        /// <summary>Writes one passing as a JSON object.</summary>
        /// <param name="writer">Destination.</param>
        /// <param name="passing">The passing.</param>
        public static void Write(JsonWriter writer, Passing passing)
        {
            writer.BeginObject();
            writer.Member("unit", passing.UnitId);
            writer.Member("seq", passing.Sequence);
            writer.Member("kind", KindName(passing.Kind));
            writer.Name("epc");
            writer.HexString(passing.Epc, 0, passing.EpcLength);
            writer.Name("time");
            if (passing.ClockState == ClockState.Unsynced)
            {
                writer.Null();
            }
            else
            {
                writer.Timestamp(passing.TimeUtcMicros);
            }

            writer.Member("time_us", passing.TimeUtcMicros);
            writer.Member("first_read_us", passing.FirstReadUtcMicros);
            writer.Member("last_read_us", passing.LastReadUtcMicros);
            writer.Member("hits", passing.Hits);
            writer.Name("rssi_dbm");
            writer.Decimal(passing.MaxRssiCentiDbm, 2);
            writer.Member("antenna", passing.BestAntenna);
            writer.Member("clock", ClockName(passing.ClockState));
            writer.Member("uncertainty_us", passing.UncertaintyMicros);
            writer.Name("flags");
            writer.BeginArray();
            WriteFlag(writer, passing.Flags, PassingFlags.TestTag, "test_tag");
            WriteFlag(writer, passing.Flags, PassingFlags.OutsideArmedWindow, "outside_armed_window");
            WriteFlag(writer, passing.Flags, PassingFlags.Stray, "stray");
            WriteFlag(writer, passing.Flags, PassingFlags.CapacityClosed, "capacity_closed");
            writer.EndArray();
            writer.Member("marker", passing.MarkerValue);
            writer.EndObject();
        }

        /// <summary>Writes a loaded batch with all its passings as a JSON object.</summary>
        /// <param name="writer">Destination.</param>
        /// <param name="batch">A batch that <see cref="BatchReader.Load"/> accepted, positioned at its first record.</param>
        /// <param name="scratch">A passing to decode into.</param>
        public static void WriteBatch(JsonWriter writer, BatchReader batch, Passing scratch)
        {
            writer.BeginObject();
            writer.Member("format", BatchFormat.Version);
            writer.Member("unit", batch.UnitId);
            writer.Member("journal_id", batch.JournalId);
            writer.Member("first_seq", batch.FirstSequence);
            writer.Member("last_seq", batch.LastSequence);
            writer.Member("count", batch.Count);
            writer.Member("acked_seq", batch.AckedSequence);
            writer.Member("replay", batch.IsReplay);
            writer.Name("passings");
            writer.BeginArray();
            while (batch.TryRead(scratch))
            {
                Write(writer, scratch);
            }

            writer.EndArray();
            writer.EndObject();
        }

        /// <summary>Gets the JSON name of a passing kind.</summary>
        /// <param name="kind">The kind.</param>
        /// <returns><c>crossing</c>, <c>gun_start</c>, <c>wave_start</c> or <c>corral_open</c>.</returns>
        public static string KindName(PassingKind kind)
        {
            switch (kind)
            {
                case PassingKind.GunStart:
                    return "gun_start";
                case PassingKind.WaveStart:
                    return "wave_start";
                case PassingKind.CorralOpen:
                    return "corral_open";
                default:
                    return "crossing";
            }
        }

        /// <summary>Gets the JSON name of a clock state.</summary>
        /// <param name="state">The state.</param>
        /// <returns><c>unsynced</c>, <c>locked</c> or <c>holdover</c>.</returns>
        public static string ClockName(ClockState state)
        {
            switch (state)
            {
                case ClockState.Locked:
                    return "locked";
                case ClockState.Holdover:
                    return "holdover";
                default:
                    return "unsynced";
            }
        }

        private static void WriteFlag(JsonWriter writer, PassingFlags flags, PassingFlags flag, string name)
        {
            if ((flags & flag) != 0)
            {
                writer.String(name);
            }
        }
    }
}
