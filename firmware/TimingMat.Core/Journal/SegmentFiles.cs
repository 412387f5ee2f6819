using System.IO;
using TimingMat.Core.Hardware;

namespace TimingMat.Core.Journal
{
    /// <summary>
    /// The segment files' life on the medium, kept in step with the <see cref="SegmentIndex"/>: a new segment opened at
    /// rotation, a torn append cut back, and the oldest segments deleted once the collector acknowledged every record in
    /// them, never the newest, and never before the acked mark (<see cref="AckMark"/>) that explains the delete is saved.
    /// </summary>
    /// <remarks>
    /// Its methods let the medium's <see cref="IOException"/> through; the journal catches it and raises its
    /// storage fault. The index changes only after the file did.
    /// </remarks>
    internal sealed class SegmentFiles
    {
        // A full journal asks the medium again only every this many refused rotations while nothing new was acknowledged.
        private const int FullRetryEvery = 64;

        /// <summary>A segment header's bytes: written at rotation, read by the start-up scan.</summary>
        internal readonly byte[] header = new byte[SegmentHeader.Bytes];

        private readonly IFileStore _store;
        private readonly SegmentIndex _segments;
        private readonly JournalOptions _options;
        private readonly AckMark _ackMark;

        /// <summary>The acked mark last saved (or loaded) on the medium.</summary>
        internal long savedAcked;
        private long _ackedAtFullCheck;
        private int _fullRetries;

        /// <summary>Initializes a new instance of the <see cref="SegmentFiles"/> class.</summary>
        /// <param name="store">The journal's medium.</param>
        /// <param name="segments">The journal's segment table.</param>
        /// <param name="options">Segment size and free space to keep.</param>
        internal SegmentFiles(IFileStore store, SegmentIndex segments, JournalOptions options)
        {
            _store = store;
            _segments = segments;
            _options = options;
            _ackMark = new AckMark(store);
        }

        /// <summary>Reads the saved acked mark of a journal (start-up).</summary>
        /// <param name="journalId">The journal's id.</param>
        /// <returns>The highest mark saved, 0 when none is.</returns>
        internal long LoadMark(int journalId)
        {
            savedAcked = _ackMark.Load(journalId);
            return savedAcked;
        }

        /// <summary>Deletes the saved marks (a new journal starts).</summary>
        internal void ClearMark()
        {
            _ackMark.Clear();
            savedAcked = 0;
        }

        /// <summary>Saves the acked mark when it moved since it was last saved.</summary>
        /// <param name="journalId">The journal's id.</param>
        /// <param name="acked">The acknowledged sequence number.</param>
        internal void SaveMark(int journalId, long acked)
        {
            if (acked == savedAcked)
            {
                return;
            }

            _ackMark.Save(journalId, acked);
            savedAcked = acked;
        }

        /// <summary>Deletes every segment but the newest whose records are all acknowledged, oldest first.</summary>
        /// <param name="acked">The acknowledged sequence number (already saved).</param>
        internal void DeleteAcknowledged(long acked)
        {
            while (OldestIsAcknowledged(acked))
            {
                DeleteOldest();
            }
        }

        /// <summary>Makes room for one more segment, deleting acknowledged ones as needed.</summary>
        /// <param name="journalId">The journal's id (the mark is saved before a delete).</param>
        /// <param name="acked">The acknowledged sequence number.</param>
        /// <param name="full">Whether the journal is already full (then the medium is asked again only now and then).</param>
        /// <returns><c>true</c> when a new segment fits; <c>false</c> when nothing more can be freed.</returns>
        internal bool MakeRoom(int journalId, long acked, bool full)
        {
            if (full && acked == _ackedAtFullCheck && (++_fullRetries % FullRetryEvery) != 0)
            {
                // Nothing was acknowledged since the journal filled up: do not ask the medium again on every poll.
                return false;
            }

            _ackedAtFullCheck = acked;
            SegmentIndex segments = _segments;
            while (true)
            {
                bool segmentsLeft = segments.count + 1 <= segments.maxSegments;
                long free = _store.GetFreeBytes();
                if (segmentsLeft && free >= _options.SegmentBytes + _options.ReserveFreeBytes)
                {
                    return true;
                }

                if (!OldestIsAcknowledged(acked))
                {
                    return false;
                }

                SaveMark(journalId, acked);
                DeleteOldest();
            }
        }

        /// <summary>Opens the next segment: writes and flushes its header, then adds it to the index as the newest.</summary>
        /// <param name="unitId">The unit id for the header.</param>
        /// <param name="journalId">The journal id for the header.</param>
        /// <param name="firstSequence">The sequence number its first record gets.</param>
        /// <remarks>On a failure the half-written file is deleted if the medium allows; start-up deletes it otherwise.</remarks>
        internal void Create(int unitId, int journalId, long firstSequence)
        {
            int number = _segments.nextNumber;
            string name = SegmentIndex.FileName(number);
            SegmentHeader.Write(header, unitId, number, journalId, firstSequence);
            try
            {
                _store.Delete(name);
                _store.Append(name, header, 0, SegmentHeader.Bytes);
                _store.Flush(name);
            }
            catch (IOException)
            {
                try
                {
                    _store.Delete(name);
                }
                catch (IOException)
                {
                    // Start-up deletes a newest segment with a torn header.
                }

                throw;
            }

            _segments.AddNewest(number, name, firstSequence, SegmentHeader.Bytes);
        }

        /// <summary>Cuts the newest segment back to the length the index holds (a failed append may have left part of a record).</summary>
        internal void CutTornAppend()
        {
            int last = _segments.count - 1;
            string name = _segments.newestName;
            long length = _segments.lengths[last];
            if (_store.GetLength(name) > length)
            {
                _store.Truncate(name, length);
            }
        }

        private bool OldestIsAcknowledged(long acked)
        {
            // The newest segment is never deleted; an older one is done when the next one starts after the acked mark.
            return _segments.count >= 2 && _segments.firstSequences[1] - 1 <= acked;
        }

        private void DeleteOldest()
        {
            _store.Delete(_segments.NameAt(0));
            _segments.RemoveOldest();
        }
    }
}
