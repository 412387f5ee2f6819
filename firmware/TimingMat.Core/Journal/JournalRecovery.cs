using TimingMat.Core.Hardware;

namespace TimingMat.Core.Journal
{
    /// <summary>
    /// The journal's start-up scan after a power cut: lists the segment files, reads every header newest first into the
    /// <see cref="SegmentIndex"/>, deletes a newest segment whose header was torn (it never held a record), then walks
    /// the newest segment record by record and cuts off a torn tail.
    /// </summary>
    /// <remarks>
    /// Made once per <see cref="PassingJournal.Open"/>. What it learns stays in its fields even when the medium fails
    /// half-way (an <see cref="System.IO.IOException"/> leaves <see cref="Run"/>), so the journal reports the damage
    /// and ids it had found by then. Damage is never deleted: a segment with bad bytes is kept and counted.
    /// </remarks>
    internal sealed class JournalRecovery
    {
        private readonly IFileStore _store;
        private readonly JournalOptions _options;
        private readonly SegmentIndex _segments;
        private readonly byte[] _header;

        /// <summary>The journal's id: from the newest valid header, else the new journal id; unchanged when no segment was found.</summary>
        internal int journalId;

        /// <summary>The unit id from the newest valid header; unchanged when none was found.</summary>
        internal int unitId;

        /// <summary>Segments found damaged (bad header, another journal's, or bad bytes inside the newest).</summary>
        internal int damagedSegments;

        /// <summary>Torn bytes cut off (a torn newest segment deleted, a torn tail truncated).</summary>
        internal long truncatedBytes;

        /// <summary>Records found in the newest segment.</summary>
        internal int recoveredRecords;

        /// <summary>The highest sequence number in the newest segment (its first minus one when it holds none).</summary>
        internal long lastSequence;

        /// <summary>Whether the newest segment holds damaged bytes, so the next record must open a new segment.</summary>
        internal bool newestDamaged;

        /// <summary>Initializes a new instance of the <see cref="JournalRecovery"/> class.</summary>
        /// <param name="store">The journal's medium.</param>
        /// <param name="options">The journal's sizes.</param>
        /// <param name="segments">The table to fill.</param>
        /// <param name="header">A segment header's worth of scratch bytes.</param>
        /// <param name="journalId">The journal's id before the scan.</param>
        /// <param name="unitId">The unit id before the scan.</param>
        internal JournalRecovery(IFileStore store, JournalOptions options, SegmentIndex segments, byte[] header, int journalId, int unitId)
        {
            _store = store;
            _options = options;
            _segments = segments;
            _header = header;
            this.journalId = journalId;
            this.unitId = unitId;
        }

        /// <summary>Scans the medium; afterwards the index holds every usable segment, oldest first (none on an empty medium).</summary>
        /// <exception cref="System.IO.IOException">The medium failed.</exception>
        internal void Run()
        {
            int found;
            int[] numbers = SegmentIndex.NumbersIn(_store.List(), out found);
            int maxSegments = (int)(_options.CapacityBytes / _options.SegmentBytes);
            if (maxSegments < 2)
            {
                maxSegments = 2;
            }

            SegmentIndex segments = _segments;
            segments.Allocate(maxSegments, found, found > 0 ? numbers[found - 1] + 1 : 1, _options.SegmentBytes);
            SegmentReader reader = new SegmentReader(_store, _options.CursorBufferBytes);
            bool haveJournalId = false;
            for (int i = found - 1; i >= 0; i--)
            {
                // Newest first: the newest valid header names the journal; older segments of another journal are foreign.
                string name = SegmentIndex.FileName(numbers[i]);
                int read = _store.Read(name, 0, _header, 0, SegmentHeader.Bytes);
                long length = _store.GetLength(name);
                long first;
                if (SegmentHeader.IsValid(_header, read))
                {
                    if (haveJournalId && SegmentHeader.JournalId(_header) != journalId)
                    {
                        damagedSegments++;
                        continue;
                    }

                    if (!haveJournalId)
                    {
                        haveJournalId = true;
                        journalId = SegmentHeader.JournalId(_header);
                        unitId = SegmentHeader.UnitId(_header);
                    }

                    first = SegmentHeader.FirstSequence(_header);
                }
                else if (!FindFirstRecord(reader, name, out first))
                {
                    if (segments.count == 0)
                    {
                        // The newest segment's header was torn while rotating: it never held a record.
                        _store.Delete(name);
                        truncatedBytes += length;
                    }
                    else
                    {
                        damagedSegments++;
                    }

                    continue;
                }
                else
                {
                    damagedSegments++;
                }

                segments.InsertOldest(numbers[i], name, first, length);
            }

            if (segments.count == 0)
            {
                return;
            }

            if (!haveJournalId)
            {
                journalId = _options.NewJournalId;
            }

            RecoverNewestSegment(reader);
        }

        private bool FindFirstRecord(SegmentReader reader, string name, out long first)
        {
            reader.Reset(name);
            long length = _store.GetLength(name);
            for (long position = 0; position < length; position++)
            {
                int frameLength;
                if (reader.CheckAt(position, out first, out frameLength) == JournalFrame.Valid)
                {
                    return true;
                }
            }

            first = 0;
            return false;
        }

        private void RecoverNewestSegment(SegmentReader reader)
        {
            SegmentIndex segments = _segments;
            int last = segments.count - 1;
            string name = segments.newestName;
            long length = segments.lengths[last];
            long highest = segments.firstSequences[last] - 1;
            long position = SegmentHeader.Bytes;
            long validEnd = -1;
            bool damaged = false;
            reader.Reset(name);
            while (position < length)
            {
                long sequence;
                int frameLength;
                int result = reader.CheckAt(position, out sequence, out frameLength);
                if (result == JournalFrame.Valid && sequence > highest)
                {
                    if (validEnd >= 0)
                    {
                        // A valid record after bad bytes: damage, not a torn tail. Keep every byte.
                        damaged = true;
                    }

                    highest = sequence;
                    recoveredRecords++;
                    position += frameLength;
                    continue;
                }

                // Bad or cut-short bytes: a torn tail when nothing valid follows, damage when something does.
                if (validEnd < 0)
                {
                    validEnd = position;
                }

                position++;
            }

            if (damaged)
            {
                // Never append after damaged bytes: the next record opens a new segment.
                damagedSegments++;
                newestDamaged = true;
            }
            else if (validEnd >= 0 && validEnd < length)
            {
                _store.Truncate(name, validEnd);
                truncatedBytes += length - validEnd;
                segments.lengths[last] = validEnd;
            }

            lastSequence = highest;
        }
    }
}
