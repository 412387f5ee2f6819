using System;
using TimingMat.Core.Clock;
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
    /// One timing-mat unit: the whole firmware pipeline from the reader's bytes to the collector's acks, wired and
    /// polled as the device runs it (and as the race simulator runs one per mat).
    /// </summary>
    /// <remarks>
    /// <para>Data path: reader driver → race-day control (test or timing mode) → crossing detector (stamped by the mat
    /// clock) → clock gate (holds passings until the clock has UTC) → qualifier (test tags, armed window) → RAM ring →
    /// journal → outbox → MQTT, or LoRa while MQTT is down (<see cref="LoRaUplink"/>).</para>
    /// <para>Everything runs in <see cref="Poll"/> on one thread and never blocks. The unit starts in test mode, as
    /// commercial decoders do: <see cref="RaceDay"/> arms it and enters timing mode.</para>
    /// </remarks>
    public sealed class MatUnit
    {
        /// <summary>The most reader modules one unit drives (their ports stay apart in a passing's one-byte best antenna).</summary>
        public const int MaxReaders = ReadMonitor.MaxReaders;

        /// <summary>A poll more than this long after the previous one is late (the clock times NMEA by the poll, 50 ms at most).</summary>
        public const long LatePollMicros = 50000;

        private readonly IMicrosecondClock _clock;
        private long _lastPollMicros = -1;

        /// <summary>Initializes a new instance of the <see cref="MatUnit"/> class; call <see cref="Start"/> next.</summary>
        /// <param name="settings">Configuration.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="reader">Port of the reader module.</param>
        /// <param name="gps">Port of the GPS module's NMEA output.</param>
        /// <param name="pps">The GPS PPS edges.</param>
        /// <param name="store">Storage for the journal.</param>
        /// <param name="link">The MQTT session to the broker.</param>
        public MatUnit(MatUnitSettings settings, IMicrosecondClock clock, IBytePort reader, IBytePort gps, IPpsSource pps, IFileStore store, IMqttLink link)
            : this(settings, clock, reader, gps, pps, store, link, null)
        {
        }

        /// <summary>Initializes a new instance of the <see cref="MatUnit"/> class with a LoRa radio for the fallback uplink.</summary>
        /// <param name="settings">Configuration.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="reader">Port of the reader module.</param>
        /// <param name="gps">Port of the GPS module's NMEA output.</param>
        /// <param name="pps">The GPS PPS edges.</param>
        /// <param name="store">Storage for the journal.</param>
        /// <param name="link">The MQTT session to the broker.</param>
        /// <param name="radio">The SX127x on SPI, or <c>null</c> when the board has none.</param>
        public MatUnit(MatUnitSettings settings, IMicrosecondClock clock, IBytePort reader, IBytePort gps, IPpsSource pps, IFileStore store, IMqttLink link, ISpiDevice radio)
            : this(settings, clock, new IBytePort[] { reader }, gps, pps, store, link, radio)
        {
        }

        /// <summary>
        /// Initializes a new instance of the <see cref="MatUnit"/> class with several reader modules on one mat, each on
        /// its own port. Their reads go to one crossing detector, which merges them by chip: one passing per crossing,
        /// its peak fitted over every module's reads (reader i's reads carry <see cref="TagRead.ReaderIndex"/> i).
        /// </summary>
        /// <remarks>
        /// Several modules are how a mat gets the reads an accurate peak needs: at 20 runners/s one 500 reads/s module
        /// gives ~18 reads per crossing, and the Peak p99 falls as 1/√reads. Fitting all of a chip's reads in one unit
        /// matters: units that each time their own segment and leave the choice to the host do clearly worse.
        /// </remarks>
        /// <param name="settings">Configuration; every module speaks <see cref="MatUnitSettings.ReaderProtocol"/>.</param>
        /// <param name="clock">The unit's microsecond clock.</param>
        /// <param name="readers">Ports of the reader modules, 1–8; the index in the array is the reader index.</param>
        /// <param name="gps">Port of the GPS module's NMEA output.</param>
        /// <param name="pps">The GPS PPS edges.</param>
        /// <param name="store">Storage for the journal.</param>
        /// <param name="link">The MQTT session to the broker.</param>
        /// <param name="radio">The SX127x on SPI, or <c>null</c> when the board has none.</param>
        /// <exception cref="ArgumentException">No reader port, more than 8, or a <c>null</c> port.</exception>
        public MatUnit(MatUnitSettings settings, IMicrosecondClock clock, IBytePort[] readers, IBytePort gps, IPpsSource pps, IFileStore store, IMqttLink link, ISpiDevice radio)
        {
            if (readers == null || readers.Length == 0 || readers.Length > MaxReaders)
            {
                throw new ArgumentException("A mat unit has 1-8 reader modules.");
            }

            Settings = settings;
            _clock = clock;
            Clock = new MatClock(clock, gps, pps, settings.Clock);
            Uplink = new UnitUplink(new PassingRing(settings.RingCapacity), new PassingJournal(store, settings.Journal), link, clock, settings.Uplink);
            Qualifier = new PassingQualifier(Uplink.Ring);
            if (radio != null && settings.Lora.Enabled)
            {
                Lora = new LoRaUplink(Uplink.Journal, radio, clock, settings.Lora);
            }

            Gate = new ClockGate(Clock, Qualifier, settings.ClockGateCapacity);
            Detector = new CrossingDetector(settings.Crossings, Clock, Gate);
            RaceDay = new RaceDayControl(settings.Role, Detector, Qualifier, Clock);
            Readers = new ReaderDriver[readers.Length];
            for (int i = 0; i < readers.Length; i++)
            {
                if (readers[i] == null)
                {
                    throw new ArgumentException("Reader port " + i.ToString() + " is null.");
                }

                if (settings.ReaderProtocol == ReaderProtocol.R2000)
                {
                    Readers[i] = new R2000ReaderDriver(readers[i], clock, RaceDay, settings.R2000);
                }
                else
                {
                    Readers[i] = new MercuryReaderDriver(readers[i], clock, RaceDay, settings.Mercury);
                }

                Readers[i].ReaderIndex = i;

                // Behind its module, a driver lets the reads of chips the detector has already read well go undecoded.
                Readers[i].Thinner = Detector;
            }
        }

        /// <summary>Gets the configuration.</summary>
        public MatUnitSettings Settings { get; private set; }

        /// <summary>Gets the polls that came more than <see cref="LatePollMicros"/> after the previous one (the core could not keep up).</summary>
        public long PollsLate { get; private set; }

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

        /// <summary>Starts the readers, opens the journal (recovering it after a power cut) and sets the LoRa radio up.</summary>
        /// <returns><c>true</c> when the journal is usable; timing continues into the ring either way.</returns>
        public bool Start()
        {
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

            return journal;
        }

        /// <summary>Does one round of work: reader bytes, clock, crossings, gate, journal and uplink. Never blocks.</summary>
        public void Poll()
        {
            long started = _clock.GetMicroseconds();
            if (_lastPollMicros >= 0 && started - _lastPollMicros > LatePollMicros)
            {
                PollsLate++;
            }

            _lastPollMicros = started;
            for (int i = 0; i < Readers.Length; i++)
            {
                Readers[i].Poll();
            }

            Clock.Poll();
            Detector.Poll(_clock.GetMicroseconds());
            Gate.Poll();
            Uplink.Poll();
            if (Lora != null && Uplink.Journal.IsOpen)
            {
                Lora.Poll(Uplink.IsOnline);
            }
        }

        /// <summary>
        /// The power is failing (the board's brown-out or hold-up warning): close every open crossing now, send held
        /// passings on as they are, and commit everything to the journal before the supply goes.
        /// </summary>
        /// <returns><c>true</c> when every passing the unit had is committed.</returns>
        public bool PowerFailing()
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

        /// <summary>Stops cleanly: closes open crossings, stores and commits everything, says offline, disconnects.</summary>
        public void Stop()
        {
            PowerFailing();
            for (int i = 0; i < Readers.Length; i++)
            {
                Readers[i].Stop();
            }

            Uplink.Stop();
        }
    }
}
