namespace TimingMat.Core.Reader.R2000
{
    /// <summary>
    /// The end-of-round frame of an R2000 inventory command (Len 0x0A): for 0x89/0x8B <c>AntID(1) ReadRate(2)
    /// TotalRead(4)</c>, for 0x8A <c>TotalRead(3) CommandDuration(4, ms)</c>. One instance is reused.
    /// </summary>
    public sealed class R2000RoundSummary
    {
        /// <summary>Gets or sets the command the summary ends.</summary>
        public int Command { get; set; }

        /// <summary>Gets or sets the antenna of the round, 1-based (0x89/0x8B; 0 for 0x8A).</summary>
        public int Antenna { get; set; }

        /// <summary>Gets or sets the read rate in tags per second (0x89/0x8B; 0 for 0x8A).</summary>
        public int ReadRate { get; set; }

        /// <summary>Gets or sets the number of tag reads of the command.</summary>
        public long TotalRead { get; set; }

        /// <summary>Gets or sets the command's duration in ms (0x8A only; 0 otherwise).</summary>
        public long DurationMs { get; set; }
    }
}
