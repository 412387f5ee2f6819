using TimingMat.Core.Journal;

namespace TimingMat.Core.Board
{
    /// <summary>
    /// How many passings a board's storage holds and how long it rides out a total uplink outage, from the journal's
    /// real record size (wire-formats.md §3: 14 bytes of frame + the 41-byte passing body + the EPC) and its segments.
    /// </summary>
    /// <remarks>
    /// The journal fills whole segment files and frees them only when every record in them is acknowledged, so the
    /// capacity counts whole segments: 64 KB on internal flash, 1 MB on an SD card (each with a 32-byte header).
    /// </remarks>
    internal static class JournalCapacity
    {
        /// <summary>Bytes of one journal record with a 96-bit (12-byte) EPC, what race chips carry.</summary>
        public const int RecordBytes = JournalFrame.OverheadBytes + PassingBody.FixedBytes + 12;

        /// <summary>Segment size the journal uses on internal flash.</summary>
        public const int FlashSegmentBytes = 64 * 1024;

        /// <summary>Segment size the journal uses on an SD card.</summary>
        public const int SdSegmentBytes = 1024 * 1024;

        /// <summary>Gives the segment size for a storage root.</summary>
        /// <param name="storageRoot"><c>I:\</c> or <c>D:\</c>.</param>
        /// <returns>Bytes per segment file.</returns>
        public static int SegmentBytes(string storageRoot)
        {
            return storageRoot == "D:\\" ? SdSegmentBytes : FlashSegmentBytes;
        }

        /// <summary>Counts the passings a journal of the given size holds before it is full.</summary>
        /// <param name="capacityKb">KB the journal may fill (<see cref="BoardProfile.StorageCapacityKb"/>).</param>
        /// <param name="segmentBytes">Bytes per segment file.</param>
        /// <returns>Passings with 12-byte EPCs.</returns>
        public static long Passings(long capacityKb, int segmentBytes)
        {
            long segments = capacityKb * 1024 / segmentBytes;
            return segments * ((segmentBytes - SegmentHeader.Bytes) / RecordBytes);
        }

        /// <summary>Counts the passings a board's journal holds.</summary>
        /// <param name="board">The board profile.</param>
        /// <returns>Passings with 12-byte EPCs.</returns>
        public static long Passings(BoardProfile board)
        {
            return Passings(board.StorageCapacityKb, SegmentBytes(board.StorageRoot));
        }

        /// <summary>Gives how long the journal holds every passing while nothing is acknowledged.</summary>
        /// <param name="passings">The journal's capacity in passings (or what is still free).</param>
        /// <param name="passingsPerHour">The mat's rate, e.g. 35,000 runners over three hours: 11,667.</param>
        /// <returns>Minutes of total uplink outage until the journal is full.</returns>
        public static long OutageMinutes(long passings, int passingsPerHour)
        {
            return passingsPerHour <= 0 ? long.MaxValue : passings * 60 / passingsPerHour;
        }
    }
}
