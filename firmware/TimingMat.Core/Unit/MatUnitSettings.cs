using TimingMat.Core.Clock;
using TimingMat.Core.Crossings;
using TimingMat.Core.Journal;
using TimingMat.Core.Lora;
using TimingMat.Core.Outbox;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Reader.R2000;

namespace TimingMat.Core.Unit
{
    /// <summary>Everything a <see cref="MatUnit"/> is configured with, defaulted for a typical mat.</summary>
    public sealed class MatUnitSettings
    {
        /// <summary>Initializes a new instance of the <see cref="MatUnitSettings"/> class with defaults.</summary>
        /// <param name="unitId">The unit (mat) id, 1–65535.</param>
        public MatUnitSettings(int unitId)
        {
            UnitId = unitId;
            Role = UnitRole.Split;
            ReaderProtocol = ReaderProtocol.Mercury;
            Mercury = new MercuryReaderOptions();
            R2000 = new R2000ReaderOptions();

            // A 0xA0 module reads only while an inventory command runs: one 20 ms round per command leaves it idle for the
            // command's round trip after every round (about half the time). Ten rounds a command reads ~90 % of the time,
            // and the summary after each (~200 ms) keeps the line alive for the driver's silence watchdog when no tag
            // answers (with 255 rounds an empty field is silent for seconds and looks like a dead module).
            R2000.Repeat = 10;
            Clock = new MatClockSettings();
            Crossings = new CrossingSettings();
            Crossings.UnitId = unitId;
            RingCapacity = 64;
            ClockGateCapacity = 64;
            Journal = new JournalOptions(unitId);
            Uplink = new UplinkOptions(unitId);
            Lora = new LoRaOptions();
            StallMicros = 60000000;
            FrequencySaveAfterMicros = 300000000;
        }

        /// <summary>Gets the unit (mat) id.</summary>
        public int UnitId { get; private set; }

        /// <summary>Gets or sets the unit's role on the course.</summary>
        public UnitRole Role { get; set; }

        /// <summary>Gets or sets which protocol the reader module speaks.</summary>
        public ReaderProtocol ReaderProtocol { get; set; }

        /// <summary>Gets the driver settings used when the module speaks Mercury.</summary>
        public MercuryReaderOptions Mercury { get; private set; }

        /// <summary>Gets the driver settings used when the module speaks the R2000 protocol.</summary>
        public R2000ReaderOptions R2000 { get; private set; }

        /// <summary>Gets the mat clock's settings.</summary>
        public MatClockSettings Clock { get; private set; }

        /// <summary>Gets the crossing detector's settings.</summary>
        public CrossingSettings Crossings { get; private set; }

        /// <summary>Gets or sets the RAM ring's capacity in passings.</summary>
        public int RingCapacity { get; set; }

        /// <summary>
        /// Gets or sets how many passings made before the clock has UTC are held for re-stamping (a preallocated slot
        /// each). Default 64: a rebooted unit restores its clock frequency and relocks within about ten seconds of a
        /// fix, and a passing that finds the gate full goes on flagged unsynced, never lost; a PSRAM board may hold 256.
        /// </summary>
        public int ClockGateCapacity { get; set; }

        /// <summary>Gets the journal's settings.</summary>
        public JournalOptions Journal { get; private set; }

        /// <summary>Gets the uplink's settings.</summary>
        public UplinkOptions Uplink { get; private set; }

        /// <summary>Gets the LoRa fallback settings (used when the unit has a radio).</summary>
        public LoRaOptions Lora { get; private set; }

        /// <summary>
        /// Gets or sets how long a part may stay inside its work (or an MQTT connect may run) before the supervisor
        /// records a stall and reboots the unit, µs. Default 60 s.
        /// </summary>
        public long StallMicros { get; set; }

        /// <summary>
        /// Gets or sets how long the clock must have been locked before its frequency estimate is saved for the next
        /// boot, µs (then again every half hour, or when it moved). Default 5 min.
        /// </summary>
        public long FrequencySaveAfterMicros { get; set; }
    }
}
