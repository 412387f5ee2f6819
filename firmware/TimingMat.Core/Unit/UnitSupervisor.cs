namespace TimingMat.Core.Unit
{
    /// <summary>
    /// Watches the unit's loop: a round marks when it starts and ends and which part (reader, clock, crossings, journal,
    /// uplink, LoRa) it is inside, and <see cref="Check"/> — from the loop itself and from a watchdog thread on the
    /// device — finds a round stuck inside a part for longer than the stall limit, an uplink connect that never ends, or
    /// a loop that stopped being run. <see cref="MatUnit"/> then records why and reboots through <see cref="Hardware.IRebooter"/>.
    /// </summary>
    /// <remarks>
    /// Marks are ints of milliseconds since start, written by the loop thread and read by the watchdog thread: a 32-bit
    /// write is atomic on the ESP32, a 64-bit one is not. Marking costs one field write per part and no clock read (the
    /// round's start time stands for all its parts); the supervisor never waits and never takes a lock, so it cannot
    /// hold timing up.
    /// </remarks>
    internal sealed class UnitSupervisor
    {
        /// <summary>Part index of the reader modules' work.</summary>
        public const int Reader = 0;

        /// <summary>Part index of the clock's work.</summary>
        public const int Clock = 1;

        /// <summary>Part index of the crossing detector and clock gate.</summary>
        public const int Crossings = 2;

        /// <summary>Part index of the journal's work (ring to flash, commits).</summary>
        public const int Journal = 3;

        /// <summary>Part index of the uplink's work (connection, acks, commands, publishing).</summary>
        public const int Uplink = 4;

        /// <summary>Part index of the LoRa fallback's work.</summary>
        public const int Lora = 5;

        /// <summary>Value of <see cref="Check"/> when nothing stalled.</summary>
        public const int None = -1;

        /// <summary>Value of <see cref="Check"/> when the loop itself has not run for the stall limit.</summary>
        public const int Loop = 6;

        private static readonly BootReason[] s_reasons = new BootReason[]
        {
            BootReason.StallReader, BootReason.StallClock, BootReason.StallCrossings, BootReason.StallJournal,
            BootReason.StallUplink, BootReason.StallLora, BootReason.StallLoop,
        };

        // The marks the loop writes, as fields: the unit's poll writes them directly (six calls a poll less on the
        // device, where a call costs more than the write it wraps).

        /// <summary>The part the round is inside now, or <see cref="None"/> between rounds.</summary>
        internal int inside = None;

        /// <summary>When the round began, ms.</summary>
        internal int enteredMillis;

        /// <summary>When the last round ended, ms (0 before the first).</summary>
        internal int loopMillis;

        /// <summary>Whether the uplink has a connect attempt running.</summary>
        internal bool uplinkConnecting;

        private readonly int _limitMillis;
        private int _connectingSinceMillis;

        /// <summary>Initializes a new instance of the <see cref="UnitSupervisor"/> class.</summary>
        /// <param name="stallMicros">How long a part may stay inside its work (or a connect may run) before it counts as stalled.</param>
        public UnitSupervisor(long stallMicros)
        {
            _limitMillis = (int)(stallMicros / 1000);
        }

        /// <summary>Gets the stall limit in ms.</summary>
        public int LimitMillis
        {
            get { return _limitMillis; }
        }

        /// <summary>Gets the reason a stalled part gives the next boot.</summary>
        /// <param name="part">A part index, or <see cref="Loop"/>.</param>
        /// <returns>The boot reason.</returns>
        public static BootReason ReasonOf(int part)
        {
            return s_reasons[part];
        }

        /// <summary>Notes whether the uplink has a connect attempt running (an attempt is not work inside the loop: it runs on its own).</summary>
        /// <param name="connecting">Whether an attempt runs now.</param>
        /// <param name="nowMicros">Local µs now.</param>
        public void Connecting(bool connecting, long nowMicros)
        {
            if (connecting && !uplinkConnecting)
            {
                _connectingSinceMillis = (int)(nowMicros / 1000);
            }

            uplinkConnecting = connecting;
        }

        /// <summary>Looks for a stall; safe to call from another thread than the loop's.</summary>
        /// <param name="nowMicros">Local µs now.</param>
        /// <param name="fromLoop">
        /// <c>true</c> when the loop itself asks (between two rounds): only a connect that never ends can be seen then, and a
        /// pause between rounds (a host that polls an idle unit rarely) is not a stall.
        /// </param>
        /// <returns>The stalled part (a part index or <see cref="Loop"/>), or <see cref="None"/>.</returns>
        public int Check(long nowMicros, bool fromLoop)
        {
            int now = (int)(nowMicros / 1000);
            if (fromLoop)
            {
                return uplinkConnecting && now - _connectingSinceMillis > _limitMillis ? Uplink : None;
            }

            int part = inside;
            if (part != None && now - enteredMillis > _limitMillis)
            {
                return part;
            }

            if (uplinkConnecting && now - _connectingSinceMillis > _limitMillis)
            {
                return Uplink;
            }

            if (part == None && loopMillis != 0 && now - loopMillis > _limitMillis)
            {
                return Loop;
            }

            return None;
        }
    }
}
