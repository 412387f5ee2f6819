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

        private readonly int _limitMillis;
        private int _inside = None;
        private int _enteredMillis;
        private int _loopMillis;
        private int _connectingSinceMillis;
        private bool _connecting;

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

        /// <summary>Marks the start of a round of the loop: the time every part's work in it is measured from.</summary>
        /// <param name="nowMicros">Local µs now.</param>
        public void BeginRound(long nowMicros)
        {
            _enteredMillis = (int)(nowMicros / 1000);
        }

        /// <summary>Marks that the loop is now inside a part's work (one field write: a round reads the clock once).</summary>
        /// <param name="part">The part.</param>
        public void Inside(int part)
        {
            _inside = part;
        }

        /// <summary>Marks the end of a round: no part is working, the loop is alive.</summary>
        /// <param name="nowMicros">Local µs now.</param>
        public void EndRound(long nowMicros)
        {
            _inside = None;
            _loopMillis = (int)(nowMicros / 1000);
        }

        /// <summary>Notes whether the uplink has a connect attempt running (an attempt is not work inside the loop: it runs on its own).</summary>
        /// <param name="connecting">Whether an attempt runs now.</param>
        /// <param name="nowMicros">Local µs now.</param>
        public void Connecting(bool connecting, long nowMicros)
        {
            if (connecting && !_connecting)
            {
                _connectingSinceMillis = (int)(nowMicros / 1000);
            }

            _connecting = connecting;
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
                return _connecting && now - _connectingSinceMillis > _limitMillis ? Uplink : None;
            }

            int inside = _inside;
            if (inside != None && now - _enteredMillis > _limitMillis)
            {
                return inside;
            }

            if (_connecting && now - _connectingSinceMillis > _limitMillis)
            {
                return Uplink;
            }

            if (inside == None && _loopMillis != 0 && now - _loopMillis > _limitMillis)
            {
                return Loop;
            }

            return None;
        }
    }
}
