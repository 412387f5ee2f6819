// Longer than 400 lines on purpose: one short method per check (readers, GPS, fix, PPS, storage, uplink, LoRa,
// battery) over one result table, read top to bottom against the self-test list in firmware/docs/console.md.
using System.IO;
using TimingMat.Core.Clock;
using TimingMat.Core.Hardware;
using TimingMat.Core.Lora;
using TimingMat.Core.Reader;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The unit's self-test, run on command from the console: does each part answer, and does it do what a race needs?
    /// One line per check, each pass, fail or skip with a reason: every reader module (answered its version query and
    /// took the configured region and power, now reading), GPS sentences, fix and satellites, PPS edges and the clock's
    /// state, storage (a file written, read back and deleted; free space), the uplink (MQTT connected, and a message
    /// published to the unit's own reply topic comes back), the LoRa radio (RegVersion reads 0x12) and the battery.
    /// </summary>
    /// <remarks>
    /// It never holds the unit's loop: <see cref="Poll"/> looks at counters the running parts keep and decides each
    /// check as soon as it can, or at its deadline (a GPS fix may take 20 s). The parts keep timing meanwhile; the only
    /// extra work is one small file on storage, one MQTT message and one SPI register read.
    /// </remarks>
    public sealed class UnitSelfTest
    {
        /// <summary>A check not decided yet.</summary>
        public const int Pending = 0;

        /// <summary>A check that passed.</summary>
        public const int Passed = 1;

        /// <summary>A check that failed.</summary>
        public const int Failed = 2;

        /// <summary>A check that does not apply (no such part on this unit).</summary>
        public const int Skipped = 3;

        /// <summary>The file the storage check writes, reads back and deletes.</summary>
        public const string ProbeFile = "selftest.tmp";

        private const long Second = 1000000;
        private const long ReaderDeadline = 15 * Second;
        private const long NmeaDeadline = 5 * Second;
        private const long FixDeadline = 20 * Second;
        private const long PpsDeadline = 5 * Second; // from the fix on
        private const long UplinkDeadline = 10 * Second;
        private const long ProbeDeadline = 5 * Second;
        private const int MinSatellites = 4;
        private const long MinFreeBytes = 64 * 1024;
        private const int ProbeBytes = 64;
        private const int BatteryLowAlarm = 256;

        private static readonly string[] s_resultNames = new string[] { "pending", "pass", "fail", "skip" };

        private readonly MatUnit _unit;
        private readonly int _readers;
        private readonly int _gps;
        private readonly int _fix;
        private readonly int _pps;
        private readonly int _storage;
        private readonly int _uplink;
        private readonly int _lora;
        private readonly int _battery;
        private readonly string[] _names;
        private readonly int[] _results;
        private readonly string[] _reasons;
        private long _startMicros;
        private int _nmeaAtStart;
        private int _edgesAtStart;
        private long _probeSentMicros;
        private long _fixSeenMicros;
        private int _probesAtSend;
        private string _probeText;
        private int _run;

        /// <summary>Initializes a new instance of the <see cref="UnitSelfTest"/> class.</summary>
        /// <param name="unit">The unit it tests.</param>
        public UnitSelfTest(MatUnit unit)
        {
            _unit = unit;
            int readers = unit.Readers.Length;
            Count = readers + 7;
            _names = new string[Count];
            _results = new int[Count];
            _reasons = new string[Count];
            for (int i = 0; i < readers; i++)
            {
                _names[i] = readers == 1 ? "reader" : "reader" + i.ToString();
            }

            _readers = 0;
            _gps = readers;
            _fix = readers + 1;
            _pps = readers + 2;
            _storage = readers + 3;
            _uplink = readers + 4;
            _lora = readers + 5;
            _battery = readers + 6;
            _names[_gps] = "gps";
            _names[_fix] = "fix";
            _names[_pps] = "pps";
            _names[_storage] = "storage";
            _names[_uplink] = "uplink";
            _names[_lora] = "lora";
            _names[_battery] = "battery";
        }

        /// <summary>Gets the number of checks (7 and one per reader module).</summary>
        public int Count { get; private set; }

        /// <summary>Gets a value indicating whether a run has started and not yet decided every check.</summary>
        public bool IsRunning { get; private set; }

        /// <summary>Gets the number of checks that passed in the last run.</summary>
        public int PassedCount { get; private set; }

        /// <summary>Gets the number of checks that failed in the last run.</summary>
        public int FailedCount { get; private set; }

        /// <summary>Gets the number of checks skipped in the last run.</summary>
        public int SkippedCount { get; private set; }

        /// <summary>Gets the name of a result: <c>pass</c>, <c>fail</c>, <c>skip</c> or <c>pending</c>.</summary>
        /// <param name="result">The result.</param>
        /// <returns>Its name.</returns>
        public static string ResultName(int result)
        {
            return s_resultNames[result];
        }

        /// <summary>Gets a check's name (<c>reader</c> or <c>reader0</c>…, <c>gps</c>, <c>fix</c>, <c>pps</c>, <c>storage</c>, <c>uplink</c>, <c>lora</c>, <c>battery</c>).</summary>
        /// <param name="check">The check's index.</param>
        /// <returns>Its name.</returns>
        public string Name(int check)
        {
            return _names[check];
        }

        /// <summary>Gets a check's result in the current or last run.</summary>
        /// <param name="check">The check's index.</param>
        /// <returns><see cref="Pending"/>, <see cref="Passed"/>, <see cref="Failed"/> or <see cref="Skipped"/>.</returns>
        public int Result(int check)
        {
            return _results[check];
        }

        /// <summary>Gets why a check passed, failed or was skipped.</summary>
        /// <param name="check">The check's index.</param>
        /// <returns>The reason, or <c>null</c> while pending.</returns>
        public string Reason(int check)
        {
            return _reasons[check];
        }

        /// <summary>Starts a run: every check pending, the counters it compares against taken now.</summary>
        /// <param name="nowMicros">Local µs now.</param>
        public void Start(long nowMicros)
        {
            for (int i = 0; i < Count; i++)
            {
                _results[i] = Pending;
                _reasons[i] = null;
            }

            PassedCount = 0;
            FailedCount = 0;
            SkippedCount = 0;
            _startMicros = nowMicros;
            _nmeaAtStart = _unit.Clock.Nmea.Accepted;
            _edgesAtStart = _unit.Clock.EdgesSeen;
            _probeSentMicros = -1;
            _fixSeenMicros = -1;
            _run++;
            IsRunning = true;
            string unheard = _unit.Hardware.GpsUnheardReason;
            if (unheard != null)
            {
                Decide(_gps, Skipped, unheard);
                Decide(_fix, Skipped, unheard);
            }

            CheckStorage();
            CheckLora();
            CheckBattery();
        }

        /// <summary>Decides what can be decided now; call from the unit's loop while <see cref="IsRunning"/>. Never waits.</summary>
        /// <param name="nowMicros">Local µs now.</param>
        /// <returns><c>true</c> when every check is decided (the run is over).</returns>
        public bool Poll(long nowMicros)
        {
            if (!IsRunning)
            {
                return true;
            }

            long elapsed = nowMicros - _startMicros;
            for (int i = 0; i < _unit.Readers.Length; i++)
            {
                if (_results[_readers + i] == Pending)
                {
                    CheckReader(i, elapsed);
                }
            }

            if (_results[_gps] == Pending)
            {
                CheckGps(elapsed);
            }

            if (_results[_fix] == Pending)
            {
                CheckFix(elapsed);
            }

            if (_results[_pps] == Pending)
            {
                CheckPps(elapsed);
            }

            if (_results[_uplink] == Pending)
            {
                CheckUplink(nowMicros, elapsed);
            }

            for (int i = 0; i < Count; i++)
            {
                if (_results[i] == Pending)
                {
                    return false;
                }
            }

            IsRunning = false;
            return true;
        }

        private void Decide(int check, int result, string reason)
        {
            _results[check] = result;
            _reasons[check] = reason;
            if (result == Passed)
            {
                PassedCount++;
            }
            else if (result == Failed)
            {
                FailedCount++;
            }
            else
            {
                SkippedCount++;
            }
        }

        private void CheckReader(int index, long elapsed)
        {
            ReaderDriver driver = _unit.Readers[index];
            UnitConfig config = _unit.Config;
            string what = ReaderTypeText.Name(config.ReaderProtocol) + ", region " + ReaderRegions.Name(config.Region) + ", " + Dbm(config.PowerCentiDbm);
            if (driver.State == ReaderState.Reading)
            {
                Decide(_readers + index, Passed, what + ": answered its version query, took region and power, reading (" + driver.Counters.TagReads.ToString() + " reads, " + driver.Counters.Frames.ToString() + " frames)");
                return;
            }

            if (elapsed < ReaderDeadline)
            {
                return;
            }

            string problem = driver.Counters.Frames == 0
                ? "no answer on the reader UART (" + driver.Counters.BytesReceived.ToString() + " bytes): check power, TX/RX wiring and reader.baud"
                : "answers but does not read (" + ReaderText.State(driver.State) + ", last restart " + ReaderText.Reason(driver.LastRestartReason)
                    + (driver.LastErrorStatus != 0 ? ", module error 0x" + driver.LastErrorStatus.ToString("X2") : string.Empty) + "): check reader.type, reader.region and reader.power_dbm";
            Decide(_readers + index, Failed, what + ": " + problem);
        }

        private void CheckGps(long elapsed)
        {
            int sentences = _unit.Clock.Nmea.Accepted - _nmeaAtStart;
            if (sentences >= 2)
            {
                Decide(_gps, Passed, sentences.ToString() + " NMEA sentences in " + Seconds(elapsed) + " (" + _unit.Clock.Nmea.Rejected.ToString() + " rejected since boot)");
                return;
            }

            if (elapsed >= NmeaDeadline)
            {
                Decide(_gps, Failed, sentences.ToString() + " NMEA sentences in " + Seconds(elapsed) + " (" + _unit.Clock.Nmea.Rejected.ToString() + " rejected since boot): check the GPS's power, its TX to gps.rx and gps.baud");
            }
        }

        private void CheckFix(long elapsed)
        {
            MatClock clock = _unit.Clock;
            int satellites = clock.Satellites < 0 ? 0 : clock.Satellites;
            if (clock.GpsFix && satellites >= MinSatellites)
            {
                Decide(_fix, Passed, "fix with " + satellites.ToString() + " satellites");
                return;
            }

            if (elapsed >= FixDeadline)
            {
                Decide(_fix, Failed, (clock.GpsFix ? "fix" : "no fix") + " with " + satellites.ToString() + " satellites after " + Seconds(elapsed) + ": give the antenna open sky (a cold start takes up to a minute), then run the self-test again");
            }
        }

        private void CheckPps(long elapsed)
        {
            MatClock clock = _unit.Clock;
            int edges = clock.EdgesSeen - _edgesAtStart;
            if (edges >= 2)
            {
                Decide(_pps, Passed, edges.ToString() + " edges in " + Seconds(elapsed) + ", clock " + ClockText(clock));
                return;
            }

            // A GPS pulses only with a fix: give the pulses their time from the fix on (a board just powered is still acquiring).
            if (clock.GpsFix && _fixSeenMicros < 0)
            {
                _fixSeenMicros = elapsed;
            }

            bool due = _fixSeenMicros >= 0 ? elapsed - _fixSeenMicros >= PpsDeadline && elapsed >= PpsDeadline : elapsed >= FixDeadline;
            if (due)
            {
                Decide(_pps, Failed, edges.ToString() + " edges in " + Seconds(elapsed) + ", clock " + ClockText(clock) + ": check TIMEPULSE to gps.pps (a GPS pulses only with a fix)");
            }
        }

        private void CheckStorage()
        {
            IFileStore store = _unit.Hardware.Store;
            byte[] written = new byte[ProbeBytes];
            byte[] read = new byte[ProbeBytes];
            for (int i = 0; i < ProbeBytes; i++)
            {
                written[i] = (byte)((i * 37) + _run);
            }

            long free;
            try
            {
                store.Delete(ProbeFile);
                store.Append(ProbeFile, written, 0, ProbeBytes);
                store.Flush(ProbeFile);
                int n = store.Read(ProbeFile, 0, read, 0, ProbeBytes);
                store.Delete(ProbeFile);
                for (int i = 0; i < ProbeBytes; i++)
                {
                    if (n != ProbeBytes || read[i] != written[i])
                    {
                        Decide(_storage, Failed, "a file written did not read back the same: the medium is failing (replace the card or the board)");
                        return;
                    }
                }

                free = store.GetFreeBytes();
            }
            catch (IOException)
            {
                Decide(_storage, Failed, "cannot write a file: the storage refused (full, missing or failing; a card must be FAT32)");
                return;
            }

            string journal = _unit.Uplink.Journal.IsOpen ? "journal open" : "journal NOT open";
            if (free < MinFreeBytes || !_unit.Uplink.Journal.IsOpen)
            {
                Decide(_storage, Failed, "writable, " + (free / 1024).ToString() + " KB free, " + journal + ": free space or format the storage");
                return;
            }

            Decide(_storage, Passed, "writable, " + (free / 1024).ToString() + " KB free, " + journal);
        }

        private void CheckUplink(long nowMicros, long elapsed)
        {
            UnitConfig config = _unit.Config;
            string broker = config.HasBroker ? (config.MqttTls ? "mqtts://" : "mqtt://") + config.MqttHost + ":" + config.MqttPort.ToString() : "the broker";
            UplinkProbeLink probe = _unit.Probe;
            if (_probeSentMicros < 0)
            {
                if (!_unit.Uplink.IsOnline)
                {
                    if (elapsed >= UplinkDeadline)
                    {
                        Decide(_uplink, Failed, "not connected to " + broker + " after " + Seconds(elapsed) + ": check the network (" + (config.UsesWifi ? "wifi.ssid, wifi.password" : "Ethernet cable") + "), mqtt.url and the broker's credentials");
                    }

                    return;
                }

                string topic = _unit.Uplink.Topics.Replies;
                _probeText = "{\"unit\":" + config.Unit.ToString() + ",\"selftest\":" + _run.ToString() + ",\"at_us\":" + nowMicros.ToString() + "}";
                _probesAtSend = probe.ProbesReceived;
                if (!probe.Listen(topic) || !_unit.Uplink.Publish(topic, UnitConfigStore.Ascii(_probeText), false))
                {
                    Decide(_uplink, Failed, "connected to " + broker + " but could not publish to " + topic);
                    return;
                }

                _probeSentMicros = nowMicros;
                return;
            }

            if (probe.ProbesReceived != _probesAtSend && Same(probe.LastProbe, _probeText))
            {
                Decide(_uplink, Passed, "connected to " + broker + ", round trip " + ((nowMicros - _probeSentMicros) / 1000).ToString() + " ms through " + _unit.Uplink.Topics.Replies);
                return;
            }

            if (nowMicros - _probeSentMicros >= ProbeDeadline)
            {
                Decide(_uplink, Failed, "connected to " + broker + " but a message to " + _unit.Uplink.Topics.Replies + " did not come back in " + Seconds(ProbeDeadline) + ": the broker's ACL must let the unit read its own reply topic");
            }
        }

        private void CheckLora()
        {
            ISpiDevice radio = _unit.Hardware.LoraRadio;
            if (radio == null)
            {
                Decide(_lora, Skipped, "no LoRa radio on this unit");
                return;
            }

            // One register read between the radio's own operations: the loop is single-threaded, so none is under way.
            byte[] write = new byte[] { Sx127x.RegVersion, 0 };
            byte[] read = new byte[2];
            radio.TransferFullDuplex(write, read);
            string enabled = _unit.Config.LoraEnabled ? "fallback on" : "fallback off (lora.enabled = off)";
            if (read[1] == Sx127x.Version)
            {
                Decide(_lora, Passed, "SX127x answers (RegVersion 0x12), " + enabled);
                return;
            }

            Decide(_lora, Failed, "RegVersion reads 0x" + ((int)read[1]).ToString("X2") + ", an SX127x reads 0x12: check the radio's SPI wiring (lora.* in board.cfg) and its power");
        }

        private void CheckBattery()
        {
            IBatterySensor battery = _unit.Hardware.Battery;
            if (battery == null)
            {
                Decide(_battery, Skipped, "no battery sensing on this unit");
                return;
            }

            int millivolts = battery.ReadBatteryMillivolts();
            if (millivolts < 0)
            {
                Decide(_battery, Failed, "no reading: check the divider on battery.adc");
                return;
            }

            string volts = (millivolts / 1000).ToString() + "." + Pad3(millivolts % 1000) + " V";
            if ((_unit.Status.LastAlarms & BatteryLowAlarm) != 0)
            {
                Decide(_battery, Failed, volts + ", battery_low: charge or swap the pack before the race");
                return;
            }

            Decide(_battery, Passed, volts);
        }

        private static bool Same(byte[] payload, string text)
        {
            if (payload == null || text == null || payload.Length != text.Length)
            {
                return false;
            }

            for (int i = 0; i < payload.Length; i++)
            {
                if (payload[i] != text[i])
                {
                    return false;
                }
            }

            return true;
        }

        private static string ClockText(MatClock clock)
        {
            ClockState state = clock.State;
            return state == ClockState.Locked ? "locked" : (state == ClockState.Holdover ? "holdover" : "unsynced (locks about 20 s after PPS starts)");
        }

        private static string Seconds(long micros)
        {
            return (micros / Second).ToString() + "." + ((micros % Second) / 100000).ToString() + " s";
        }

        private static string Dbm(int centiDbm)
        {
            return (centiDbm / 100).ToString() + (centiDbm % 100 == 0 ? string.Empty : "." + (centiDbm % 100 < 10 ? "0" : string.Empty) + (centiDbm % 100).ToString()) + " dBm";
        }

        private static string Pad3(int value)
        {
            string text = value.ToString();
            while (text.Length < 3)
            {
                text = "0" + text;
            }

            return text;
        }
    }
}
