// Longer than 400 lines on purpose: the one composition of a mat unit and its Poll, the path the board interprets
// every loop; spreading Poll over more types would add calls to it. Status, commands, console, self-test are their own.
using System;
using TimingMat.Core.Clock;
using TimingMat.Core.Common;
using TimingMat.Core.Crossings;
using TimingMat.Core.Hardware;
using TimingMat.Core.Journal;
using TimingMat.Core.Lora;
using TimingMat.Core.Outbox;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Reader;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Reader.R2000;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// The mat unit application: the whole firmware of one mat from the reader's bytes to the collector's acks, with
    /// its own status, signed commands and supervisor, composed once here and run by every host — the device's
    /// Program, <c>timingmat unit</c>, the race simulator's mats and the tests — each handing it a
    /// <see cref="UnitConfig"/> and a <see cref="UnitHardware"/>.
    /// </summary>
    /// <remarks>
    /// <para>Data path: reader drivers → race-day control (test or timing mode) → crossing detector (stamped by the mat
    /// clock) → clock gate (holds passings until the clock has UTC) → qualifier (test tags, armed window) → RAM ring →
    /// journal → outbox → MQTT, or LoRa while MQTT is down (<see cref="LoRaUplink"/>).</para>
    /// <para>Everything runs in <see cref="Poll"/> on one thread and never blocks: connecting to the broker runs on the
    /// link's own. <see cref="Supervise"/> may be called from a watchdog thread: a part that stays inside its work longer
    /// than <see cref="MatUnitSettings.StallMicros"/> gets the unit rebooted, with the reason kept for the next boot's
    /// status. The unit's state on flash (<see cref="UnitStateStore"/>) keeps the command counter, the boot record, the
    /// clock's frequency and race-day changes across reboots.</para>
    /// </remarks>
    public sealed class MatUnit : IUnitApplication
    {
        /// <summary>The most reader modules one unit drives (their ports stay apart in a passing's one-byte best antenna).</summary>
        public const int MaxReaders = ReadMonitor.MaxReaders;

        /// <summary>A poll more than this long after the previous one is late (the clock times NMEA by the poll, 50 ms at most).</summary>
        public const long LatePollMicros = 50000;

        // A restored frequency is trusted to this much: the crystal moves with temperature between save and boot.
        private const long RestoredToleranceppb = 5000;
        private const long FrequencyResaveMicros = 1800000000;
        private const long FrequencyMovePpb = 200;
        private const long RebootDelayMicros = 1000000;
        private const long LedHoldMicros = 200000;
        private const int TestTagBeepMillis = 80;
        private const long FrequencyCheckMicros = 1000000;

        // A quiet uplink is still polled this often: acks of the journal's marks, commands and replay requests wait
        // at most this long; a passing in the ring is taken in the poll it arrives.
        private const long QuietUplinkMicros = 100000;

        private readonly IMicrosecondClock _clock;
        private readonly UnitSupervisor _supervisor;
        private long _lockedSinceMicros = -1;
        private long _frequencySavedAtMicros = -1;
        private int _rebootReason = -1;
        private long _rebootAtMicros;
        private bool _started;
        private bool _rebooted;
        private long _signalReads;
        private long _signalTestReads;
        private long _ledOffAtMicros;
        private bool _ledOn;
        private long _lastPollMicros = -1;
        private UnitConsole _console;
        private long _pollsLate;
        private long _nextFrequencyCheckMicros;
        private long _uplinkDueMicros;

        // The parts Poll runs, as fields: every property read is a call on the device, and Poll runs every 10 ms.
        private readonly ReaderDriver[] _readers;
        private readonly MatClock _matClock;
        private readonly CrossingDetector _detector;
        private readonly ClockGate _gate;
        private readonly UnitUplink _uplink;
        private readonly UnitStatus _status;
        private bool _heavyPoll;
        private readonly LoRaUplink _lora;
        private readonly IUnitSignal _signal;

        /// <summary>Initializes a new instance of the <see cref="MatUnit"/> class with the settings the configuration maps to.</summary>
        /// <param name="config">The unit's configuration (validated).</param>
        /// <param name="hardware">What it runs on.</param>
        public MatUnit(UnitConfig config, UnitHardware hardware)
            : this(config, config.ToSettings(), hardware)
        {
        }

        /// <summary>
        /// Initializes a new instance of the <see cref="MatUnit"/> class; call <see cref="Start"/> next. Reads of every
        /// reader module go to one crossing detector, which merges them by chip: one passing per crossing, its peak fitted
        /// over every module's reads (reader i's reads carry <see cref="TagRead.ReaderIndex"/> i).
        /// </summary>
        /// <param name="config">The unit's configuration (validated).</param>
        /// <param name="settings">Settings made by <see cref="UnitConfig.ToSettings"/>, adjusted by the host where the configuration is silent (journal id, capacities).</param>
        /// <param name="hardware">What it runs on.</param>
        /// <exception cref="ArgumentException">A required part is missing, or the configuration names more or fewer reader modules than the hardware has.</exception>
        public MatUnit(UnitConfig config, MatUnitSettings settings, UnitHardware hardware)
        {
            hardware.Check();
            if (config.ReaderModules > 0 && config.ReaderModules != hardware.Readers.Length)
            {
                throw new ArgumentException("reader.modules = " + config.ReaderModules.ToString() + " but the unit has " + hardware.Readers.Length.ToString() + " reader port(s).");
            }

            if (config.ReaderModules == 0 && hardware.Readers.Length > 1 && settings.Crossings.ReadsPerSecond == config.LineReadsPerSecond())
            {
                // "As wired": the configuration sized the store of kept reads for one module's line; every module
                // wired feeds the same detector.
                settings.Crossings.ReadsPerSecond = config.LineReadsPerSecond() * hardware.Readers.Length;
            }

            Config = config;
            Settings = settings;
            Hardware = hardware;
            _clock = hardware.Clock;
            State = new UnitStateStore(hardware.Store);
            Clock = new MatClock(_clock, hardware.Gps, hardware.Pps, settings.Clock);
            Probe = new UplinkProbeLink(hardware.Mqtt);
            Uplink = new UnitUplink(new PassingRing(settings.RingCapacity, settings.Crossings.MaxEpcBytes), new PassingJournal(hardware.Store, settings.Journal), Probe, _clock, settings.Uplink);
            Qualifier = new PassingQualifier(Uplink.Ring);
            if (hardware.LoraRadio != null)
            {
                Lora = new LoRaUplink(Uplink.Journal, hardware.LoraRadio, _clock, settings.Lora, hardware.Hmac, config.CommandKey, config.LoraChips);
            }

            Gate = new ClockGate(Clock, Qualifier, settings.ClockGateCapacity, settings.Crossings.MaxEpcBytes);
            Detector = new CrossingDetector(settings.Crossings, Clock, Gate);
            RaceDay = new RaceDayControl(settings.Role, Detector, Qualifier, Clock);
            IBytePort[] ports = hardware.Readers;
            Readers = new ReaderDriver[ports.Length];
            for (int i = 0; i < ports.Length; i++)
            {
                if (settings.ReaderProtocol == ReaderProtocol.R2000)
                {
                    Readers[i] = new R2000ReaderDriver(ports[i], _clock, RaceDay, settings.R2000);
                }
                else
                {
                    Readers[i] = new MercuryReaderDriver(ports[i], _clock, RaceDay, settings.Mercury);
                }

                Readers[i].ReaderIndex = i;

                // Behind its module, a driver lets the reads of chips the detector has already read well go undecoded.
                Readers[i].Thinner = Detector;
            }

            _supervisor = new UnitSupervisor(settings.StallMicros);
            Commands = new UnitCommands(this);
            Uplink.Commands = Commands;
            Status = new UnitStatus(this);
            _readers = Readers;
            _matClock = Clock;
            _detector = Detector;
            _gate = Gate;
            _uplink = Uplink;
            _status = Status;
            _lora = Lora;
            _signal = hardware.Signal;
            Memory = new UnitMemoryReport(settings, ports.Length, Lora != null && settings.Lora.Enabled, UnitStatus.BufferBytes + JsonWriter.TapeBytes(UnitStatus.TapeOperations));
            BootReason = BootReason.FirstBoot;
        }

        /// <summary>Gets the configuration.</summary>
        public UnitConfig Config { get; private set; }

        /// <summary>Gets the settings the parts were built with.</summary>
        public MatUnitSettings Settings { get; private set; }

        /// <summary>Gets the polls that came more than <see cref="LatePollMicros"/> after the previous one (the core could not keep up).</summary>
        public long PollsLate
        {
            get { return _pollsLate; }
        }

        /// <summary>Gets what the unit runs on.</summary>
        public UnitHardware Hardware { get; private set; }

        /// <summary>Gets the unit's state on flash (command counter, boot record, frequency, race-day changes).</summary>
        public UnitStateStore State { get; private set; }

        /// <summary>Gets the GPS-disciplined clock.</summary>
        public MatClock Clock { get; private set; }

        /// <summary>Gets the (first) reader module's driver.</summary>
        public ReaderDriver Reader
        {
            get { return Readers[0]; }
        }

        /// <summary>Gets every reader module's driver, by reader index.</summary>
        public ReaderDriver[] Readers { get; private set; }

        /// <summary>Gets the race-day control (mode, role, armed window, markers).</summary>
        public RaceDayControl RaceDay { get; private set; }

        /// <summary>Gets the crossing detector.</summary>
        public CrossingDetector Detector { get; private set; }

        /// <summary>Gets the gate holding passings until the clock has UTC.</summary>
        public ClockGate Gate { get; private set; }

        /// <summary>Gets the qualifier (test tags, armed window).</summary>
        public PassingQualifier Qualifier { get; private set; }

        /// <summary>Gets the uplink: ring, journal and outbox.</summary>
        public UnitUplink Uplink { get; private set; }

        /// <summary>Gets the LoRa fallback uplink, or <c>null</c> without a radio.</summary>
        public LoRaUplink Lora { get; private set; }

        /// <summary>Gets the MQTT link as the uplink uses it, with the self-test's round-trip probe.</summary>
        public UplinkProbeLink Probe { get; private set; }

        /// <summary>Gets the console served by this unit's loop, or <c>null</c>.</summary>
        public UnitConsole Console
        {
            get { return _console; }
        }

        /// <summary>Gets the command handler (counts for the status).</summary>
        public UnitCommands Commands { get; private set; }

        /// <summary>Gets the status writer.</summary>
        public UnitStatus Status { get; private set; }

        /// <summary>Gets a value indicating whether this poll fitted a crossing's peak or half the clock fit (slices wait).</summary>
        internal bool HeavyPoll
        {
            get { return _heavyPoll; }
        }

        /// <summary>Gets what the core allocated for this configuration.</summary>
        public UnitMemoryReport Memory { get; private set; }

        /// <summary>Gets why this boot happened (known after <see cref="Start"/>).</summary>
        public BootReason BootReason { get; private set; }

        /// <summary>Gets a value indicating whether the clock started from a frequency saved by an earlier boot.</summary>
        public bool FrequencyRestored { get; private set; }

        /// <summary>Gets the local µs the unit started at.</summary>
        public long StartMicros { get; private set; }

        /// <summary>Gets a value indicating whether the unit has asked its rebooter to restart it (a stall or a command).</summary>
        public bool Rebooted
        {
            get { return _rebooted; }
        }

        /// <summary>
        /// Starts the unit: reads its state from flash (boot reason, crash count, the clock's frequency, race-day
        /// changes), starts the readers, opens the journal (recovering it after a power cut), sets the LoRa radio up, and
        /// takes the configured mode and armed window.
        /// </summary>
        /// <returns><c>true</c> when the journal is usable; timing continues into the ring either way.</returns>
        public bool Start()
        {
            StartMicros = _clock.GetMicroseconds();
            Boot();
            for (int i = 0; i < Readers.Length; i++)
            {
                Readers[i].Start();
            }

            bool journal = Uplink.Start();
            if (Lora != null)
            {
                // A radio that fails here is tried again by its own polls; it never holds timing up.
                Lora.Start();
            }

            TakeRaceDay();
            _started = true;
            return journal;
        }

        /// <summary>
        /// Serves the unit console (firmware/docs/console.md) on a port from this unit's loop: every <see cref="Poll"/>
        /// then also handles what arrived on it. The one call a host needs: the device's Program hands it the console's
        /// port and the storage that holds <c>unit.cfg</c>.
        /// </summary>
        /// <param name="port">The console's port (a TCP console, a UART); opened by the console.</param>
        /// <param name="configStore">The storage of <c>unit.cfg</c> (on a board, internal flash).</param>
        /// <returns>The console.</returns>
        public UnitConsole ServeConsole(IBytePort port, IFileStore configStore)
        {
            AttachConsole(new UnitConsole(port, configStore, _clock, Hardware.Rebooter, Hardware.FirmwareVersion));
            return _console;
        }

        /// <summary>Serves a console made before this unit (a board's bring-up loop, a desktop unit restarted in place).</summary>
        /// <param name="console">The console.</param>
        public void AttachConsole(UnitConsole console)
        {
            _console = console;
            console.Unit = this;
        }

        /// <summary>Does one round of work: reader bytes, clock, crossings, gate, journal, uplink, LoRa, status, console. Never blocks.</summary>
        public void Poll()
        {
            // The supervisor's marks are written directly (fields, not calls): this runs every 10 ms on the interpreter.
            UnitSupervisor supervisor = _supervisor;
            IMicrosecondClock clock = _clock;
            long now = clock.GetMicroseconds();
            int millis = (int)(now / 1000);
            supervisor.enteredMillis = millis;
            supervisor.inside = UnitSupervisor.Reader;
            if (now - _lastPollMicros > LatePollMicros && _lastPollMicros >= 0)
            {
                _pollsLate++;
            }

            _lastPollMicros = now;
            ReaderDriver[] readers = _readers;
            for (int i = 0; i < readers.Length; i++)
            {
                readers[i].Poll();
            }

            // One reading after the readers' work serves the clock and the detector.
            supervisor.inside = UnitSupervisor.Clock;
            now = clock.GetMicroseconds();
            MatClock matClock = _matClock;
            matClock.Poll(now);
            supervisor.inside = UnitSupervisor.Crossings;
            CrossingDetector detector = _detector;
            long queued = detector.PassingsQueued;
            detector.Poll(now);
            _gate.Poll();

            // A poll that fitted a crossing's peak or half the clock fit leaves the status's and the outbox's slices
            // to the next: each is ~7-13k IL instructions on the interpreter, and together they made 50k+ IL polls.
            bool heavy = matClock.fittedThisPoll || detector.PassingsQueued != queued;
            _heavyPoll = heavy;
            UnitUplink uplink = _uplink;
            if (!uplink.quiet || now >= _uplinkDueMicros || uplink.ring.Count > 0 || !uplink.link.IsConnected)
            {
                // A quiet uplink (online, nothing to send, commit or hear acked) waits for a passing in the ring, a
                // lost link (noticed as soon as before: the backlog and LoRa take over at once) or its own period:
                // ~130 IL instructions and 15 calls a poll otherwise, for nothing.
                _uplinkDueMicros = now + QuietUplinkMicros;
                supervisor.inside = UnitSupervisor.Journal;
                uplink.PollJournal(now);
                supervisor.inside = UnitSupervisor.Uplink;
                uplink.PollLink(now, heavy);
                supervisor.Connecting(uplink.ConnectingSinceMicros >= 0, now);
            }

            if (_lora != null && uplink.Journal.IsOpen)
            {
                supervisor.inside = UnitSupervisor.Lora;
                _lora.Poll(uplink.IsOnline);
            }

            // The round's end is marked with its start (the stall limit is a minute; a poll lasts milliseconds), and
            // the status's timers (seconds) run on the time read for the detector.
            supervisor.inside = UnitSupervisor.None;
            supervisor.loopMillis = millis;
            _status.Poll(now);
            if (now >= _nextFrequencyCheckMicros)
            {
                // The crystal's frequency moves over minutes: once a second is often enough to keep it on flash.
                _nextFrequencyCheckMicros = now + FrequencyCheckMicros;
                KeepFrequency(now);
            }

            if (_signal != null)
            {
                Signal(now);
            }

            if (_console != null)
            {
                _console.Poll();
            }

            if (supervisor.uplinkConnecting)
            {
                // From the loop only a connect that never ends can be a stall.
                int stalled = supervisor.Check(now, true);
                if (stalled != UnitSupervisor.None)
                {
                    Reboot(UnitSupervisor.ReasonOf(stalled));
                    return;
                }
            }

            if (_rebootReason >= 0 && now >= _rebootAtMicros)
            {
                CommitEverything();
                Reboot((BootReason)_rebootReason);
            }
        }

        /// <summary>
        /// Looks for a stalled part and, when one is found, records why on flash and reboots. Call it from a watchdog
        /// thread about once a second (on the device a <c>Timer</c>): a part blocked inside its work cannot report itself.
        /// </summary>
        /// <returns><c>true</c> when the unit asked to be rebooted.</returns>
        public bool Supervise()
        {
            if (!_started || _rebooted)
            {
                return _rebooted;
            }

            int stalled = _supervisor.Check(_clock.GetMicroseconds(), false);
            if (stalled == UnitSupervisor.None)
            {
                return false;
            }

            Reboot(UnitSupervisor.ReasonOf(stalled));
            return true;
        }

        /// <summary>Asks for a reboot a second from now (so the command's reply can leave first), for a reason the next boot reports.</summary>
        /// <param name="reason">Why.</param>
        public void RequestReboot(BootReason reason)
        {
            _rebootReason = (int)reason;
            _rebootAtMicros = _clock.GetMicroseconds() + RebootDelayMicros;
        }

        /// <summary>
        /// The power is failing (the board's brown-out or hold-up warning): close every open crossing now, send held
        /// passings on as they are, and commit everything to the journal before the supply goes. The next boot reports
        /// <c>power-fail</c>.
        /// </summary>
        /// <returns><c>true</c> when every passing the unit had is committed.</returns>
        public bool PowerFailing()
        {
            bool committed = CommitEverything();
            State.PendingReason = (int)BootReason.PowerFail;
            State.Save();
            return committed;
        }

        /// <summary>
        /// Stops cleanly: closes open crossings, stores and commits everything, leaves the retained status offline,
        /// disconnects. The next boot reports <c>power-on</c>.
        /// </summary>
        public void Stop()
        {
            CommitEverything();
            for (int i = 0; i < Readers.Length; i++)
            {
                Readers[i].Stop();
            }

            Uplink.Stop(Uplink.IsOnline ? Status.Render(_clock.GetMicroseconds(), "offline") : null);
            if (_started && !_rebooted)
            {
                State.Running = false;
                State.PendingReason = -1;
                State.Save();
            }
        }

        /// <summary>Keeps the mode and window a command set, for the next boot (under the same configuration).</summary>
        internal void SaveRaceDay()
        {
            State.HasRaceDay = true;
            State.ConfigChecksum = Config.Checksum();
            State.Mode = RaceDay.Mode;
            State.OpensUtcMicros = RaceDay.Window.OpensUtcMicros;
            State.CutOffUtcMicros = RaceDay.Window.CutOffUtcMicros;
            State.Save();
        }

        private bool CommitEverything()
        {
            bool closed = Detector.CloseAll();
            bool released = Gate.ReleaseAll();
            bool persisted = Uplink.Persist();

            // The ring holds only a few passings and the gate may hold many times more: repeat while something still
            // waits and the last round got passings into the journal (a round that stores none cannot be helped).
            long stored = -1;
            while (!(closed && released && persisted) && Uplink.Journal.LastSequence != stored)
            {
                stored = Uplink.Journal.LastSequence;
                closed = Detector.CloseAll();
                released = Gate.ReleaseAll();
                persisted = Uplink.Persist();
            }

            return closed && released && persisted;
        }

        private void Boot()
        {
            UnitStateStore state = State;
            if (!state.Load())
            {
                BootReason = BootReason.FirstBoot;
            }
            else if (state.PendingReason >= 0)
            {
                BootReason = (BootReason)state.PendingReason;
            }
            else
            {
                BootReason = state.Running ? BootReason.Reset : BootReason.PowerOn;
            }

            state.BootCount++;
            if (BootReasonText.IsCrash(BootReason))
            {
                state.CrashCount++;
            }

            state.PendingReason = -1;
            state.Running = true;
            state.Save();
            if (state.HasFrequency)
            {
                Clock.RestoreFrequency(state.FrequencyPpb, RestoredToleranceppb);
                FrequencyRestored = true;
            }
        }

        private void TakeRaceDay()
        {
            RaceDayMode mode = Config.BootMode;
            long opens = Config.OpensUtcMicros;
            long cutOff = Config.CutOffUtcMicros;
            if (State.HasRaceDay && State.ConfigChecksum == Config.Checksum())
            {
                mode = State.Mode;
                opens = State.OpensUtcMicros;
                cutOff = State.CutOffUtcMicros;
            }

            // The window is UTC and the clock has none yet: it is set now and judged per passing once the clock locks.
            if (opens != ArmedWindow.NoOpening)
            {
                RaceDay.ArmAt(opens);
            }

            if (cutOff != ArmedWindow.NoCutOff)
            {
                RaceDay.CutOffAt(cutOff);
            }

            if (mode == RaceDayMode.Timing)
            {
                RaceDay.EnterTimingMode();
            }
        }

        private void KeepFrequency(long now)
        {
            if (Clock.State != ClockState.Locked)
            {
                _lockedSinceMicros = -1;
                return;
            }

            if (_lockedSinceMicros < 0)
            {
                _lockedSinceMicros = now;
            }

            if (now - _lockedSinceMicros < Settings.FrequencySaveAfterMicros)
            {
                return;
            }

            long ppb = Clock.FrequencyErrorPpb;
            long moved = ppb - State.FrequencyPpb;
            bool due = _frequencySavedAtMicros < 0 || now - _frequencySavedAtMicros >= FrequencyResaveMicros;
            if (!State.HasFrequency || due || moved > FrequencyMovePpb || moved < -FrequencyMovePpb)
            {
                State.HasFrequency = true;
                State.FrequencyPpb = (int)ppb;
                State.Save();
                _frequencySavedAtMicros = now;
            }
        }

        // What a technician at the mat sees and hears: the LED lit while reads come in (the walk test), a short beep for
        // each test tag read.
        private void Signal(long now)
        {
            IUnitSignal signal = _signal;
            ReadMonitor monitor = RaceDay.Monitor;
            long reads = monitor.Reads;
            if (reads != _signalReads)
            {
                _signalReads = reads;
                _ledOffAtMicros = now + LedHoldMicros;
                if (!_ledOn)
                {
                    _ledOn = true;
                    signal.SetLed(true);
                }
            }
            else if (_ledOn && now >= _ledOffAtMicros)
            {
                _ledOn = false;
                signal.SetLed(false);
            }

            long testReads = monitor.TestTagReads;
            if (testReads != _signalTestReads)
            {
                _signalTestReads = testReads;
                signal.Beep(TestTagBeepMillis);
            }
        }

        private void Reboot(BootReason reason)
        {
            if (_rebooted)
            {
                return;
            }

            _rebooted = true;
            State.PendingReason = (int)reason;
            State.Save();
            Hardware.Rebooter.Reboot();
        }
    }
}
