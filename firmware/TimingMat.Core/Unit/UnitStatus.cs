// Longer than 400 lines on purpose: the publish schedule, the change signature, the alarms and the readers' rates all
// read the state this class keeps between writes. The sections that only read the unit's parts are StatusSections.
using TimingMat.Core.Clock;
using TimingMat.Core.Common;
using TimingMat.Core.Journal;
using TimingMat.Core.Outbox;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Reader;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The unit's status, written by the one part that sees every other (firmware/docs/wire-formats.md §7): who and what
    /// the unit is, why it booted, its clock against GPS, each reader module, mode and armed window, ring, journal (with
    /// the hours of outage it can still absorb) and outbox, LoRa, battery, memory, commands and alarms. Published
    /// retained on the status topic every <see cref="UplinkOptions.StatusIntervalMicros"/>, within a second of a change
    /// (an alarm, the mode, the clock state, a reader's state, the window, a command) and on request.
    /// </summary>
    public sealed class UnitStatus
    {
        /// <summary>The status writer's buffer, bytes (a unit with eight reader modules writes about 2.4 KB).</summary>
        public const int BufferBytes = 3072;

        /// <summary>
        /// Operations the status writer records (a unit with eight reader modules records 254, LoRa adds 14: a member,
        /// value, bracket or name each).
        /// </summary>
        public const int TapeOperations = 288;

        /// <summary>Bytes of the status formatted per poll once its values are taken (~7k IL instructions on the interpreter).</summary>
        public const int SliceBytes = 256;

        /// <summary>Hours of outage left below which the journal raises <c>journal_filling</c>.</summary>
        public const int FillingAlarmHours = 1;

        /// <summary>
        /// Battery charge, percent (<see cref="BatteryPercent"/> of the measured voltage), below which the unit raises
        /// <c>battery_low</c>: about an hour of a 7 h race day left.
        /// </summary>
        public const int LowBatteryPercent = 20;

        private const long Second = 1000000;
        private const long MinChangeGapMicros = Second;
        private const long SignatureEveryMicros = 250000;
        private const long RateWindowMicros = 300 * Second;
        private const long ReaderDownMicros = 30 * Second;
        private const long UnsyncedAlarmMicros = 300 * Second;
        private const long LowMemoryBytes = 16 * 1024;

        private const int AlarmRingFull = 1;
        private const int AlarmJournalFull = 2;
        private const int AlarmJournalFilling = 4;
        private const int AlarmStorageFault = 8;
        private const int AlarmJournalDamaged = 16;
        private const int AlarmClockUnsynced = 32;
        private const int AlarmClockHoldover = 64;
        private const int AlarmReaderDown = 128;
        private const int AlarmBatteryLow = 256;
        private const int AlarmMemoryLow = 512;
        private const int AlarmLoraFault = 1024;

        private static readonly string[] s_alarmNames = new string[]
        {
            "ring_full", "journal_full", "journal_filling", "storage_fault", "journal_damaged", "clock_unsynced",
            "clock_holdover", "reader_down", "battery_low", "memory_low", "lora_fault",
        };

        // Li-ion open-circuit voltage to charge, mV and percent.
        private static readonly int[] s_cellMillivolts = new int[] { 3300, 3500, 3600, 3700, 3750, 3800, 3850, 3900, 4000, 4100, 4200 };
        private static readonly int[] s_cellPercent = new int[] { 0, 5, 10, 25, 40, 50, 60, 70, 80, 90, 100 };

        private readonly MatUnit _unit;
        private readonly JsonWriter _json = new JsonWriter(BufferBytes, TapeOperations);
        private readonly long[] _readsAtLastWrite;
        private bool _playing;
        private long _lastWriteMicros;
        private long _lastPublishMicros;
        private long _nextSignatureMicros;
        private int _signature;
        private int _publishedSignature;
        private int _changes;
        private int _publishedChanges;
        private long _publishedWindow;
        private int _publishedConnections;
        private int _ringFullEventsReported;
        private bool _due;
        private long _rateAnchorMicros;
        private long _rateAnchorSequence;
        private long _ratePreviousMicros;
        private long _ratePreviousSequence;
        private int _batteryMillivolts;
        private int _temperatureDeciC;
        private bool _hasTemperature;
        private long _freeBytes;

        /// <summary>Initializes a new instance of the <see cref="UnitStatus"/> class.</summary>
        /// <param name="unit">The unit it reports.</param>
        public UnitStatus(MatUnit unit)
        {
            _unit = unit;
            _readsAtLastWrite = new long[unit.Readers.Length];
            _lastPublishMicros = long.MinValue / 2;
            _batteryMillivolts = -1;
            _freeBytes = -1;
        }

        /// <summary>Gets the number of status messages published.</summary>
        public int Published { get; private set; }

        /// <summary>Gets the alarms of the last status, as bits in the order of the documented names.</summary>
        public int LastAlarms { get; private set; }

        /// <summary>Gets the passings per hour the journal took over the last 5–10 minutes.</summary>
        public long PassingsPerHour { get; private set; }

        /// <summary>Asks for a status at the next poll (a command, a connect).</summary>
        public void PublishNow()
        {
            _due = true;
        }

        /// <summary>Notes a change the signature cannot see (a command was handled): publish within a second.</summary>
        public void MarkChanged()
        {
            _changes++;
        }

        /// <summary>Publishes when due, on change or on request; call from the unit's loop. Never waits.</summary>
        /// <param name="nowMicros">Local µs now.</param>
        public void Poll(long nowMicros)
        {
            if (_playing)
            {
                // A status taken in an earlier poll is being formatted a slice a poll (not in a poll that already fitted
                // a peak or the clock); published when whole.
                if (!_unit.HeavyPoll)
                {
                    PlaySlice(SliceBytes);
                }

                return;
            }

            if (nowMicros < _nextSignatureMicros)
            {
                // Between checks a poll costs one comparison: the loop runs every few ms, a status at most every second.
                if (!_due)
                {
                    return;
                }
            }
            else
            {
                _nextSignatureMicros = nowMicros + SignatureEveryMicros;
                UpdateRate(nowMicros);
                _signature = Signature(nowMicros);
            }

            UnitUplink uplink = _unit.Uplink;
            if (!uplink.IsOnline)
            {
                return;
            }

            bool changed = _signature != _publishedSignature || _changes != _publishedChanges || uplink.Connections != _publishedConnections
                || (_unit.RaceDay.Window.OpensUtcMicros ^ _unit.RaceDay.Window.CutOffUtcMicros) != _publishedWindow;
            long since = nowMicros - _lastPublishMicros;
            if (_due || since >= _unit.Settings.Uplink.StatusIntervalMicros || uplink.Connections != _publishedConnections
                || (changed && since >= MinChangeGapMicros))
            {
                Publish(nowMicros, "online");
            }
        }

        /// <summary>Writes the status as JSON.</summary>
        /// <param name="writer">Destination; cleared first.</param>
        /// <param name="state"><c>online</c> or <c>offline</c>.</param>
        /// <param name="nowMicros">Local µs now.</param>
        public void Write(JsonWriter writer, string state, long nowMicros)
        {
            MatUnit unit = _unit;
            UnitConfig config = unit.Config;
            ReadSensors();
            int alarms = Alarms(nowMicros);
            JsonWriter w = writer;
            w.Clear();
            w.BeginObject();
            w.Member("unit", config.Unit);
            w.Member("state", state);
            w.Member("firmware", unit.Hardware.FirmwareVersion);
            w.Name("race");
            StatusSections.NullableString(w, config.RaceId);
            w.Member("mat", config.MatName);
            w.Name("km");
            w.Decimal(config.MatMetres, 3);
            w.Member("role", UnitRoleText.Name(unit.RaceDay.Role));
            w.Name("uptime_s");
            w.Decimal((nowMicros - unit.StartMicros) / 1000, 3);
            w.Name("boot");
            w.BeginObject();
            w.Member("reason", BootReasonText.Name(unit.BootReason));
            w.Member("boots", unit.State.BootCount);
            w.Member("crashes", unit.State.CrashCount);
            w.EndObject();
            w.Name("clock");
            StatusSections.WriteClock(w, unit);
            WriteReaders(w, nowMicros);
            w.Member("mode", RaceDayText.Name(unit.RaceDay.Mode));
            w.Name("window");
            w.BeginObject();
            w.Name("opens");
            StatusSections.Time(w, unit.RaceDay.Window.OpensUtcMicros, ArmedWindow.NoOpening);
            w.Name("cut_off");
            StatusSections.Time(w, unit.RaceDay.Window.CutOffUtcMicros, ArmedWindow.NoCutOff);
            w.EndObject();
            w.Name("passings");
            w.BeginObject();
            w.Member("made", unit.Detector.PassingsDelivered);
            w.Member("held_for_utc", unit.Gate.Held);
            w.Member("restamped", unit.Gate.Restamped);
            w.EndObject();
            w.Name("crossings");
            w.BeginObject();
            w.Member("open", unit.Detector.OpenCrossings);
            w.Member("open_most", unit.Detector.MostOpenCrossings);
            w.Member("chips", unit.Detector.ChipsTracked);
            w.Member("chips_most", unit.Detector.MostChipsTracked);
            w.EndObject();
            StatusSections.WriteStorage(w, unit, this);
            StatusSections.WriteLora(w, unit);
            w.Name("battery");
            if (_batteryMillivolts < 0)
            {
                w.Null();
            }
            else
            {
                w.BeginObject();
                w.Member("mv", _batteryMillivolts);
                w.Member("pct", BatteryPercent(_batteryMillivolts));
                w.EndObject();
            }

            w.Name("temperature_c");
            if (_hasTemperature)
            {
                w.Decimal(_temperatureDeciC, 1);
            }
            else
            {
                w.Null();
            }

            w.Name("memory");
            w.BeginObject();
            w.Name("free_bytes");
            if (_freeBytes < 0)
            {
                w.Null();
            }
            else
            {
                w.Number(_freeBytes);
            }

            w.Name("core");
            unit.Memory.Write(w);
            w.EndObject();
            StatusSections.WriteCommands(w, unit);
            w.Name("alarms");
            w.BeginArray();
            for (int i = 0; i < s_alarmNames.Length; i++)
            {
                if ((alarms & (1 << i)) != 0)
                {
                    w.String(s_alarmNames[i]);
                }
            }

            w.EndArray();
            w.EndObject();
            LastAlarms = alarms;
        }

        /// <summary>Writes the clock object (status and the <c>clock</c> command's reply share it).</summary>
        /// <param name="w">Where to write it (after a member name).</param>
        public void WriteClock(JsonWriter w)
        {
            StatusSections.WriteClock(w, _unit);
        }

        /// <summary>Writes and publishes the status now (the loop, a clean stop).</summary>
        /// <param name="nowMicros">Local µs now.</param>
        /// <param name="state"><c>online</c>, or <c>offline</c> before a clean stop.</param>
        /// <returns>The payload, or <c>null</c> when it did not fit the buffer.</returns>
        public byte[] Render(long nowMicros, string state)
        {
            if (_playing)
            {
                // The status being formatted shares the writer: finish and publish it first. Restarting it instead
                // starved the published status when Render came more often than a status takes to format (a desktop
                // unit's snapshot every second on a loaded host; the console's status command).
                PlaySlice(BufferBytes);
            }

            _json.Record();
            Write(_json, state, nowMicros);
            _json.Play(BufferBytes);
            return _json.Overflow ? null : _json.ToArray();
        }

        /// <summary>Gets the remaining hours of outage the journal can absorb at the current passing rate.</summary>
        /// <returns>Tenths of an hour, or -1 while no passings come in.</returns>
        public long RemainingDeciHours()
        {
            if (PassingsPerHour <= 0)
            {
                return -1;
            }

            long left = CapacityPassings() - _unit.Uplink.Journal.UnacknowledgedCount;
            return left <= 0 ? 0 : left * 10 / PassingsPerHour;
        }

        /// <summary>Gets how many passings the journal holds when full (96-bit EPCs: 67 bytes a record).</summary>
        /// <returns>Passings.</returns>
        public long CapacityPassings()
        {
            return PassingsHeld(_unit.Settings.Journal);
        }

        /// <summary>Gets how many passings a journal of these options holds when full (96-bit EPCs: 67 bytes a record).</summary>
        /// <param name="journal">The journal's options (segment size and capacity).</param>
        /// <returns>Passings.</returns>
        public static long PassingsHeld(JournalOptions journal)
        {
            long perSegment = (journal.SegmentBytes - SegmentHeader.Bytes) / (JournalFrame.OverheadBytes + PassingBody.FixedBytes + 12);
            return perSegment * (journal.CapacityBytes / journal.SegmentBytes);
        }

        /// <summary>
        /// Gets the charge of a Li-ion cell from its voltage (the open-circuit curve, interpolated): what the status
        /// reports as <c>battery.pct</c> and what <c>battery_low</c> is judged on.
        /// </summary>
        /// <param name="millivolts">The cell's voltage, mV.</param>
        /// <returns>Percent, 0–100.</returns>
        public static int BatteryPercent(int millivolts)
        {
            if (millivolts <= s_cellMillivolts[0])
            {
                return 0;
            }

            for (int i = 1; i < s_cellMillivolts.Length; i++)
            {
                if (millivolts <= s_cellMillivolts[i])
                {
                    int span = s_cellMillivolts[i] - s_cellMillivolts[i - 1];
                    return s_cellPercent[i - 1] + ((s_cellPercent[i] - s_cellPercent[i - 1]) * (millivolts - s_cellMillivolts[i - 1]) / span);
                }
            }

            return 100;
        }

        private void Publish(long nowMicros, string state)
        {
            // The values are taken now, in one poll (one consistent snapshot); the text is made over the next polls.
            _json.Record();
            Write(_json, state, nowMicros);
            _playing = true;
            _due = false;
            _lastPublishMicros = nowMicros;
            _publishedSignature = _signature;
            _publishedChanges = _changes;
            _publishedConnections = _unit.Uplink.Connections;
            _publishedWindow = _unit.RaceDay.Window.OpensUtcMicros ^ _unit.RaceDay.Window.CutOffUtcMicros;
            _ringFullEventsReported = _unit.Uplink.Ring.FullEvents;
        }

        private void PlaySlice(int bytes)
        {
            JsonWriter json = _json;
            if (!json.Play(bytes))
            {
                return;
            }

            _playing = false;
            if (!json.Overflow && _unit.Uplink.Publish(_unit.Uplink.Topics.Status, json.ToArray(), true))
            {
                Published++;
            }
        }

        private void ReadSensors()
        {
            UnitHardware hardware = _unit.Hardware;
            if (hardware.Battery != null)
            {
                _batteryMillivolts = hardware.Battery.ReadBatteryMillivolts();
                int deci;
                _hasTemperature = hardware.Battery.TryReadTemperature(out deci);
                _temperatureDeciC = deci;
            }

            _freeBytes = hardware.Memory == null ? -1 : hardware.Memory.ReadFreeBytes();
        }

        private void UpdateRate(long nowMicros)
        {
            long sequence = _unit.Uplink.Journal.IsOpen ? _unit.Uplink.Journal.LastSequence : 0;
            if (_rateAnchorMicros == 0)
            {
                _rateAnchorMicros = nowMicros;
                _rateAnchorSequence = sequence;
                _ratePreviousMicros = nowMicros;
                _ratePreviousSequence = sequence;
            }

            if (nowMicros - _rateAnchorMicros >= RateWindowMicros)
            {
                _ratePreviousMicros = _rateAnchorMicros;
                _ratePreviousSequence = _rateAnchorSequence;
                _rateAnchorMicros = nowMicros;
                _rateAnchorSequence = sequence;
            }

            long span = nowMicros - _ratePreviousMicros;
            PassingsPerHour = span < 10 * Second ? 0 : (sequence - _ratePreviousSequence) * 3600 * Second / span;
        }

        private int Signature(long nowMicros)
        {
            int signature = Alarms(nowMicros);
            signature = (signature * 31) + (int)_unit.RaceDay.Mode;
            signature = (signature * 31) + (int)_unit.Clock.State;
            ReaderDriver[] readers = _unit.Readers;
            for (int i = 0; i < readers.Length; i++)
            {
                signature = (signature * 31) + (int)readers[i].State;
            }

            return signature;
        }

        private int Alarms(long nowMicros)
        {
            MatUnit unit = _unit;
            PassingRing ring = unit.Uplink.Ring;
            PassingJournal journal = unit.Uplink.Journal;
            int alarms = 0;
            if (ring.FullAlarm || ring.FullEvents != _ringFullEventsReported)
            {
                alarms |= AlarmRingFull;
            }

            if (journal.FullAlarm)
            {
                alarms |= AlarmJournalFull;
            }

            long remaining = RemainingDeciHours();
            if ((remaining >= 0 && remaining < FillingAlarmHours * 10) || journal.UnacknowledgedCount * 2 >= CapacityPassings())
            {
                alarms |= AlarmJournalFilling;
            }

            if (journal.StorageFault)
            {
                alarms |= AlarmStorageFault;
            }

            if (journal.DamagedSegments > 0)
            {
                alarms |= AlarmJournalDamaged;
            }

            ClockState clock = unit.Clock.State;
            if (clock == ClockState.Unsynced && nowMicros - unit.StartMicros > UnsyncedAlarmMicros)
            {
                alarms |= AlarmClockUnsynced;
            }
            else if (clock == ClockState.Holdover)
            {
                alarms |= AlarmClockHoldover;
            }

            ReaderDriver[] readers = unit.Readers;
            for (int i = 0; i < readers.Length; i++)
            {
                if (readers[i].State != ReaderState.Reading && nowMicros - readers[i].StateSinceMicros > ReaderDownMicros)
                {
                    alarms |= AlarmReaderDown;
                }
            }

            if (_batteryMillivolts >= 0 && BatteryPercent(_batteryMillivolts) < LowBatteryPercent)
            {
                alarms |= AlarmBatteryLow;
            }

            if (_freeBytes >= 0 && _freeBytes < LowMemoryBytes)
            {
                alarms |= AlarmMemoryLow;
            }

            if (unit.Lora != null && unit.Lora.Fault != null)
            {
                alarms |= AlarmLoraFault;
            }

            return alarms;
        }

        private void WriteReaders(JsonWriter w, long nowMicros)
        {
            ReaderDriver[] readers = _unit.Readers;
            long span = nowMicros - (_lastWriteMicros == 0 ? _unit.StartMicros : _lastWriteMicros);
            w.Name("readers");
            w.BeginArray();
            for (int i = 0; i < readers.Length; i++)
            {
                ReaderDriver reader = readers[i];
                long reads = reader.Counters.TagReads;
                w.BeginObject();
                w.Member("reader", i);
                w.Member("type", ReaderTypeText.Name(_unit.Settings.ReaderProtocol));
                w.Member("state", ReaderText.State(reader.State));
                w.Member("reads", reads);
                w.Name("reads_per_s");
                w.Decimal(span <= 0 ? 0 : (reads - _readsAtLastWrite[i]) * 10 * Second / span, 1);
                w.Member("restarts", reader.Counters.Restarts);
                w.Member("last_restart", ReaderText.Reason(reader.LastRestartReason));
                w.EndObject();
                _readsAtLastWrite[i] = reads;
            }

            w.EndArray();
            _lastWriteMicros = nowMicros;
        }

    }
}
