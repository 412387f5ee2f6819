namespace TimingMat.Core.Unit
{
    /// <summary>Why the unit started this time, as its status reports it (<see cref="BootReasonText"/> names each).</summary>
    public enum BootReason
    {
        /// <summary>No state on the storage: a new or wiped unit.</summary>
        FirstBoot = 0,

        /// <summary>The last run stopped cleanly (shut down by its host) before the power came on again.</summary>
        PowerOn = 1,

        /// <summary>The power failed and the unit saw it coming (hold-up warning): everything was committed.</summary>
        PowerFail = 2,

        /// <summary>The last run ended without a word: a crash, a hardware watchdog, or a power cut nobody warned of.</summary>
        Reset = 3,

        /// <summary>A signed <c>reboot</c> command.</summary>
        Command = 4,

        /// <summary>The supervisor rebooted the unit: the reader work stalled.</summary>
        StallReader = 5,

        /// <summary>The supervisor rebooted the unit: the clock work stalled.</summary>
        StallClock = 6,

        /// <summary>The supervisor rebooted the unit: the crossing detector stalled.</summary>
        StallCrossings = 7,

        /// <summary>The supervisor rebooted the unit: the journal work stalled.</summary>
        StallJournal = 8,

        /// <summary>The supervisor rebooted the unit: the uplink stalled (a connect that never ended, a publish that never returned).</summary>
        StallUplink = 9,

        /// <summary>The supervisor rebooted the unit: the LoRa work stalled.</summary>
        StallLora = 10,

        /// <summary>The supervisor rebooted the unit: its loop stopped being run at all.</summary>
        StallLoop = 11,
    }
}
