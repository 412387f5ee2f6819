namespace TimingMat.Core.Journal
{
    /// <summary>
    /// The journal's table of segment files, oldest first: each one's number, first sequence number and length in
    /// bytes. Sized once when the journal opens; appends, rotations and pruning only move entries. Only the newest
    /// segment's file name is kept (every append writes to it); an older one's is made from its number when a cursor
    /// enters it, once per 64 KB segment, rather than holding a string for each of the 65 segments of a 4 MB journal
    /// (2 KB of heap).
    /// </summary>
    /// <remarks>
    /// The columns are internal fields, not properties: the journal's append and the cursors' reads look at them for
    /// every passing, and a property is a call on the device. Read the column into a local, never cache the array
    /// across an <see cref="Allocate"/>.
    /// </remarks>
    internal sealed class SegmentIndex
    {
        /// <summary>The highest segment number an 8.3 file name holds.</summary>
        internal const int MaxNumber = 999999;

        /// <summary>Each segment's number (its file is <see cref="FileName"/> of it).</summary>
        internal int[] numbers;

        /// <summary>Each segment's first sequence number.</summary>
        internal long[] firstSequences;

        /// <summary>Each segment's length in bytes, header included.</summary>
        internal long[] lengths;

        /// <summary>The number of segments in the table.</summary>
        internal int count;

        /// <summary>The newest segment's file name: every append and commit writes to it.</summary>
        internal string newestName;

        /// <summary>The most segments the journal may use (its capacity over the segment size, at least 2).</summary>
        internal int maxSegments;

        /// <summary>The number the next segment created gets.</summary>
        internal int nextNumber;

        /// <summary>The most bytes one segment file holds (read at every append: a field, not the options' property).</summary>
        internal int segmentBytes;

        /// <summary>Makes a segment file name.</summary>
        /// <param name="number">Segment number, 1–999999.</param>
        /// <returns>The name, e.g. <c>jr000042.seg</c> (8.3 names suit the SD card's FAT).</returns>
        internal static string FileName(int number)
        {
            return "jr" + number.ToString("D6") + ".seg";
        }

        /// <summary>Parses a segment file name.</summary>
        /// <param name="name">File name.</param>
        /// <returns>The segment number, or −1 when the name is not a segment's.</returns>
        internal static int ParseFileName(string name)
        {
            if (name.Length != 12 || !name.StartsWith("jr") || !name.EndsWith(".seg"))
            {
                return -1;
            }

            int number = 0;
            for (int i = 2; i < 8; i++)
            {
                char c = name[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }

                number = (number * 10) + (c - '0');
            }

            return number;
        }

        /// <summary>Finds the segment files among a medium's files.</summary>
        /// <param name="files">The medium's file names.</param>
        /// <param name="found">The number of segment files.</param>
        /// <returns>Their numbers, ascending, in the first <paramref name="found"/> elements.</returns>
        internal static int[] NumbersIn(string[] files, out int found)
        {
            int[] numbers = new int[files.Length];
            found = 0;
            for (int i = 0; i < files.Length; i++)
            {
                int number = ParseFileName(files[i]);
                if (number >= 0)
                {
                    numbers[found++] = number;
                }
            }

            // Insertion sort: a handful of segments, usually listed in order already.
            for (int i = 1; i < found; i++)
            {
                int value = numbers[i];
                int j = i - 1;
                while (j >= 0 && numbers[j] > value)
                {
                    numbers[j + 1] = numbers[j];
                    j--;
                }

                numbers[j + 1] = value;
            }

            return numbers;
        }

        /// <summary>Empties the table and sizes it for the segments found on the medium and the journal's capacity.</summary>
        /// <param name="maxSegments">The most segments the journal may use.</param>
        /// <param name="found">The segment files found on the medium (there may be more than <paramref name="maxSegments"/>).</param>
        /// <param name="nextNumber">The number the next segment created gets.</param>
        /// <param name="segmentBytes">The most bytes one segment file holds.</param>
        internal void Allocate(int maxSegments, int found, int nextNumber, int segmentBytes)
        {
            // One spare entry: rotation adds the new segment before pruning can make room.
            int size = (found > maxSegments ? found : maxSegments) + 1;
            numbers = new int[size];
            firstSequences = new long[size];
            lengths = new long[size];
            count = 0;
            newestName = null;
            this.maxSegments = maxSegments;
            this.nextNumber = nextNumber;
            this.segmentBytes = segmentBytes;
        }

        /// <summary>Adds a segment older than every one in the table (the start-up scan walks newest first).</summary>
        /// <param name="number">Segment number.</param>
        /// <param name="name">File name.</param>
        /// <param name="first">First sequence number.</param>
        /// <param name="length">Length in bytes.</param>
        internal void InsertOldest(int number, string name, long first, long length)
        {
            for (int j = count; j > 0; j--)
            {
                numbers[j] = numbers[j - 1];
                firstSequences[j] = firstSequences[j - 1];
                lengths[j] = lengths[j - 1];
            }

            Set(0, number, first, length);
            count++;
            if (count == 1)
            {
                newestName = name;
            }
        }

        /// <summary>Adds a segment just created by rotation.</summary>
        /// <param name="number">Segment number.</param>
        /// <param name="name">File name.</param>
        /// <param name="first">First sequence number.</param>
        /// <param name="length">Length in bytes (its header).</param>
        internal void AddNewest(int number, string name, long first, long length)
        {
            Set(count, number, first, length);
            count++;
            newestName = name;
            nextNumber = number + 1;
        }

        /// <summary>Drops the oldest segment (its file was deleted).</summary>
        internal void RemoveOldest()
        {
            for (int j = 1; j < count; j++)
            {
                numbers[j - 1] = numbers[j];
                firstSequences[j - 1] = firstSequences[j];
                lengths[j - 1] = lengths[j];
            }

            count--;
            if (count == 0)
            {
                newestName = null;
            }
        }

        /// <summary>Gets the index of the segment that holds a sequence number.</summary>
        /// <param name="sequence">Sequence number.</param>
        /// <returns>The index of the last segment whose first sequence number is at most <paramref name="sequence"/>, the first segment when all start later, −1 when there is none.</returns>
        internal int Find(long sequence)
        {
            if (count == 0)
            {
                return -1;
            }

            for (int i = count - 1; i > 0; i--)
            {
                if (firstSequences[i] <= sequence)
                {
                    return i;
                }
            }

            return 0;
        }

        /// <summary>Gets the table index of a segment number.</summary>
        /// <param name="number">Segment number.</param>
        /// <returns>The index, or −1 when the segment is gone.</returns>
        internal int IndexOf(int number)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                if (numbers[i] == number)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Gets a segment's file name: the newest one's as kept, an older one's made from its number.</summary>
        /// <param name="index">Its table index.</param>
        /// <returns>The file name.</returns>
        internal string NameAt(int index)
        {
            return index == count - 1 ? newestName : FileName(numbers[index]);
        }

        private void Set(int index, int number, long first, long length)
        {
            numbers[index] = number;
            firstSequences[index] = first;
            lengths[index] = length;
        }
    }
}
