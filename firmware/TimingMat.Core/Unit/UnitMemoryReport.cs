using TimingMat.Core.Clock.Nmea;
using TimingMat.Core.Common;
using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;
using TimingMat.Core.Reader;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// What the core allocates for a configuration, part by part, before the first passing: printed when the unit
    /// starts and carried in its status, so a technician sees what a configuration costs on a ~100 KB heap before it
    /// runs out at kilometre 30.
    /// </summary>
    /// <remarks>
    /// Counted the way the core's own capacities count (<see cref="Crossings.CrossingSettings.EstimatedBytes"/>): the
    /// buffers and tables each part preallocates: array elements and fields, as
    /// <c>UnitMemoryReportTests</c> checks against what building the unit allocates on the desktop runtime. Not counted: code, the nanoFramework runtime, the network stack, and payloads the MQTT
    /// client holds until the broker acknowledges them (up to <see cref="OutboxOptions.MaxInFlightBatches"/> batches).
    /// </remarks>
    public sealed class UnitMemoryReport
    {
        /// <summary>The goal for the core's allocations on a board without PSRAM (about 100 KB of heap, shared with the runtime and the network stack).</summary>
        public const int GoalBytes = 64 * 1024;

        private static readonly string[] s_parts = new string[]
        {
            "ring", "gate", "crossings", "clock", "readers", "journal", "outbox", "status", "commands", "lora",
        };

        private readonly int[] _bytes = new int[s_parts.Length];

        /// <summary>Initializes a new instance of the <see cref="UnitMemoryReport"/> class.</summary>
        /// <param name="settings">The unit's settings.</param>
        /// <param name="readers">How many reader modules it drives.</param>
        /// <param name="lora">Whether it runs the LoRa fallback.</param>
        /// <param name="statusBytes">The status writer's buffer and tape.</param>
        public UnitMemoryReport(MatUnitSettings settings, int readers, bool lora, int statusBytes)
        {
            int epc = settings.Crossings.MaxEpcBytes;
            _bytes[0] = PassingRing.BytesFor(settings.RingCapacity, epc);
            _bytes[1] = ClockGate.BytesFor(settings.ClockGateCapacity, epc);
            _bytes[2] = settings.Crossings.EstimatedBytes;

            // The fit keeps three longs and an int per PPS edge; the parser a sentence and its field table.
            _bytes[3] = (settings.Clock.WindowEdges * 28) + NmeaParser.MaxSentenceLength + 256;

            // Each driver: receive and transmit buffers, the deframer's buffer, a tag record; the read monitor's counts.
            _bytes[4] = (readers * (256 + 64 + FrameDeframer.BufferSize + 64 + (2 * TagRead.MaxEpcBytes) + 128)) + (MatUnit.MaxReaders * 16 * 8);

            // Segment tables (number, first seq, length; only the newest segment's name is kept) and two or three
            // cursors (outbox live and backlog, LoRa).
            int segments = (int)(settings.Journal.CapacityBytes / settings.Journal.SegmentBytes) + 1;
            int cursor = settings.Journal.CursorBufferBytes + PassingBody.MaxBytes;
            _bytes[5] = JournalFrame.MaxBytes + SegmentHeader.Bytes + (segments * (4 + 8 + 8)) + 32 + ((lora ? 3 : 2) * cursor);
            int window = settings.Uplink.Outbox.MaxInFlightBatches < 2 ? 2 : settings.Uplink.Outbox.MaxInFlightBatches;
            _bytes[6] = settings.Uplink.Outbox.BatchMaxBytes + (window * 29);
            _bytes[7] = statusBytes + UnitCommands.ReplyBytes;
            _bytes[8] = SignedCommand.MaxBytes + 128 + UnitStateStore.RecordBytes;
            _bytes[9] = lora ? 1024 : 0;
        }

        /// <summary>Gets the number of parts.</summary>
        public int Count
        {
            get { return s_parts.Length; }
        }

        /// <summary>Gets the total of every part, bytes.</summary>
        public int TotalBytes
        {
            get
            {
                int total = 0;
                for (int i = 0; i < _bytes.Length; i++)
                {
                    total += _bytes[i];
                }

                return total;
            }
        }

        /// <summary>Gets a part's name, e.g. <c>crossings</c>.</summary>
        /// <param name="part">0 to <see cref="Count"/> − 1.</param>
        /// <returns>The name.</returns>
        public string Name(int part)
        {
            return s_parts[part];
        }

        /// <summary>Gets a part's bytes.</summary>
        /// <param name="part">0 to <see cref="Count"/> − 1.</param>
        /// <returns>Bytes.</returns>
        public int Bytes(int part)
        {
            return _bytes[part];
        }

        /// <summary>Gets a part's bytes by name.</summary>
        /// <param name="name">E.g. <c>ring</c>.</param>
        /// <returns>Bytes, or -1 for an unknown part.</returns>
        public int Bytes(string name)
        {
            for (int i = 0; i < s_parts.Length; i++)
            {
                if (s_parts[i] == name)
                {
                    return _bytes[i];
                }
            }

            return -1;
        }

        /// <summary>Writes the report as one line, e.g. <c>core memory 61,234 B (goal 65,536): ring 10,240, gate …</c>.</summary>
        /// <returns>The line.</returns>
        public override string ToString()
        {
            string text = "core memory " + TotalBytes.ToString() + " B (goal " + GoalBytes.ToString() + "):";
            for (int i = 0; i < s_parts.Length; i++)
            {
                text += (i == 0 ? " " : ", ") + s_parts[i] + " " + _bytes[i].ToString();
            }

            return text;
        }

        /// <summary>Writes the report as a JSON object: each part's bytes and the total.</summary>
        /// <param name="writer">Where to write it (a member name written before).</param>
        public void Write(JsonWriter writer)
        {
            writer.BeginObject();
            for (int i = 0; i < s_parts.Length; i++)
            {
                writer.Member(s_parts[i], _bytes[i]);
            }

            writer.Member("total", TotalBytes);
            writer.EndObject();
        }
    }
}
