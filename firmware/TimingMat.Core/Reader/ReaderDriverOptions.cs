namespace TimingMat.Core.Reader
{
    /// <summary>
    /// Timing and recovery settings every <see cref="ReaderDriver"/> shares; the protocol drivers' options derive from
    /// it. The defaults suit a module on a 115200-baud UART polled every few milliseconds.
    /// </summary>
    public class ReaderDriverOptions
    {
        /// <summary>Initializes a new instance of the <see cref="ReaderDriverOptions"/> class with the defaults.</summary>
        public ReaderDriverOptions()
        {
            SilenceTimeoutMicros = 3000000;
            ResponseTimeoutMicros = 1000000;
            InterByteTimeoutMicros = 50000;
            SettleMicros = 250000;
            BackoffInitialMicros = 500000;
            BackoffMaxMicros = 16000000;
            HealthyMicros = 30000000;
            GarbageStormBytes = 512;
            GarbageWindowMicros = 1000000;
            BaudRates = new int[] { 115200 };
            BehindBytes = 1024;
        }

        /// <summary>
        /// Gets or sets the bytes waiting at a poll beyond which the driver counts itself behind its module (default 1024:
        /// a quarter of the device's 4 KB UART buffer, ~90 ms of a 115200-baud line). While behind it lets the reads of
        /// well-read chips go undecoded (<see cref="ReaderDriver.Thinner"/>), so the UART does not overflow.
        /// </summary>
        public int BehindBytes { get; set; }

        /// <summary>Gets or sets how long a streaming module may send nothing before it is restarted (default 3 s).</summary>
        public long SilenceTimeoutMicros { get; set; }

        /// <summary>Gets or sets how long a configuration or start command waits for its answer (default 1 s).</summary>
        public long ResponseTimeoutMicros { get; set; }

        /// <summary>
        /// Gets or sets the quiet time after which bytes of an unfinished frame are given up (default 50 ms; a module
        /// sends a frame's bytes back to back), so a frame hidden behind a false start is found without more traffic.
        /// </summary>
        public long InterByteTimeoutMicros { get; set; }

        /// <summary>Gets or sets how long the driver lets a module that may be streaming go quiet after the first stop (default 250 ms).</summary>
        public long SettleMicros { get; set; }

        /// <summary>Gets or sets the wait before the first reconfiguration after a failure (default 500 ms); it doubles per failure.</summary>
        public long BackoffInitialMicros { get; set; }

        /// <summary>Gets or sets the longest wait between reconfigurations (default 16 s).</summary>
        public long BackoffMaxMicros { get; set; }

        /// <summary>Gets or sets how long streaming must last before the backoff returns to its initial value (default 30 s).</summary>
        public long HealthyMicros { get; set; }

        /// <summary>
        /// Gets or sets the garbage-storm threshold: this many bytes outside valid frames within one
        /// <see cref="GarbageWindowMicros"/> restart the module (default 512, about 4 % of a 115200-baud line for one
        /// second: a baud-rate mismatch or a broken cable, not the odd noise burst, which only causes a resync).
        /// </summary>
        public int GarbageStormBytes { get; set; }

        /// <summary>Gets or sets the garbage-storm window (default 1 s).</summary>
        public long GarbageWindowMicros { get; set; }

        /// <summary>
        /// Gets or sets the line speeds to try, in order: after a configuration attempt fails for lack of an answer or
        /// for garbage, the next is tried (default 115200 only).
        /// </summary>
        public int[] BaudRates { get; set; }

        /// <summary>
        /// Gets or sets the line speed to move the module to once it answers at one of <see cref="BaudRates"/> (0, the
        /// default: stay there). The UART caps the read rate: a Mercury record with the standard metadata is 47 bytes,
        /// so 115,200 baud carries about 245 reads/s and 460,800 about 980. After a restart without a power cycle the
        /// module is still at this speed, so the search tries it after <see cref="BaudRates"/>.
        /// </summary>
        public int LineBaudRate { get; set; }

        /// <summary>Gets or sets which reader of the mat this is, copied into every <see cref="TagRead.ReaderIndex"/>.</summary>
        public int ReaderIndex { get; set; }
    }
}
