namespace TimingMat.Core.Journal
{
    /// <summary>How a <see cref="PassingJournal"/> uses its medium.</summary>
    /// <remarks>
    /// Size the journal for the medium: internal flash (<c>I:\</c>) holds a few MB, so keep the default 64 KB
    /// segments and a capacity below the LittleFS partition; on an SD card (<c>D:\</c>) use larger segments (1 MB)
    /// so the segment table stays small (it is preallocated: one entry per segment the capacity allows).
    /// </remarks>
    public sealed class JournalOptions
    {
        /// <summary>Initializes a new instance of the <see cref="JournalOptions"/> class with the defaults.</summary>
        /// <param name="unitId">The unit (mat) id written into every segment header.</param>
        public JournalOptions(int unitId)
        {
            UnitId = unitId;
            SegmentBytes = 64 * 1024;
            CapacityBytes = 4 * 1024 * 1024;
            KeepAcknowledged = true;
            CursorBufferBytes = 1024;
            NewJournalId = 1;
        }

        /// <summary>Gets the unit id.</summary>
        public int UnitId { get; private set; }

        /// <summary>Gets or sets the largest segment file, in bytes (header included). Default 64 KB.</summary>
        public int SegmentBytes { get; set; }

        /// <summary>Gets or sets the most bytes the journal may occupy. Default 4 MB.</summary>
        public long CapacityBytes { get; set; }

        /// <summary>Gets or sets the free space to leave on the medium for other files, in bytes. Default 0.</summary>
        public long ReserveFreeBytes { get; set; }

        /// <summary>
        /// Gets or sets a value indicating whether acknowledged records stay on the unit as its own backup until
        /// the space is needed (default), rather than being deleted as soon as a whole segment is acknowledged.
        /// </summary>
        public bool KeepAcknowledged { get; set; }

        /// <summary>Gets or sets the read-ahead buffer of each cursor, in bytes (at least one record). Default 1 KB.</summary>
        public int CursorBufferBytes { get; set; }

        /// <summary>
        /// Gets or sets the id given to a journal created on an empty medium. Pass a random non-zero value (the
        /// device's hardware RNG, the desktop's Random): the collector tells a wiped-and-restarted journal from the old
        /// one by it. Default 1.
        /// </summary>
        public int NewJournalId { get; set; }
    }
}
