using TimingMat.Core.Common;
using TimingMat.Core.Hardware;

namespace TimingMat.Core.Journal
{
    /// <summary>
    /// Keeps the journal's acknowledged sequence number (the collector's highest contiguous seq) across reboots, in
    /// two small files used in turn, so a unit that restarts does not re-send the whole race.
    /// </summary>
    /// <remarks>
    /// Each save appends a 20-byte entry (magic "TMAK", journal id, acked seq, CRC-32) and flushes. When the current
    /// file holds <see cref="EntriesPerFile"/> entries the next save goes to the other file, which is emptied first,
    /// and the full one is deleted afterwards: at every instant one of the two holds a valid recent entry. A torn
    /// entry fails its CRC and the previous one counts. Losing a save only costs re-sending records the collector
    /// already has (it stores them idempotently); it can never lose one.
    /// </remarks>
    internal sealed class AckMark
    {
        /// <summary>Entries written to one file before switching to the other.</summary>
        public const int EntriesPerFile = 128;

        private const int EntryBytes = 20;
        private static readonly string[] s_names = new string[] { "jrack0.dat", "jrack1.dat" };

        private readonly IFileStore _store;
        private readonly byte[] _entry = new byte[EntryBytes];
        private int _current;
        private int _entries;

        /// <summary>Initializes a new instance of the <see cref="AckMark"/> class.</summary>
        /// <param name="store">The journal's file store.</param>
        public AckMark(IFileStore store)
        {
            _store = store;
        }

        /// <summary>Reads both files and returns the highest valid mark of a journal.</summary>
        /// <param name="journalId">The journal whose mark is wanted; marks of other journals are ignored.</param>
        /// <returns>The acked sequence number, or −1 when none was saved.</returns>
        public long Load(int journalId)
        {
            long best = -1;
            int bestFile = 0;
            for (int file = 0; file < 2; file++)
            {
                long length = _store.GetLength(s_names[file]);
                for (long position = 0; position + EntryBytes <= length; position += EntryBytes)
                {
                    if (_store.Read(s_names[file], position, _entry, 0, EntryBytes) == EntryBytes && IsValid(_entry)
                        && LittleEndian.ReadInt32(_entry, 4) == journalId && LittleEndian.ReadInt64(_entry, 8) > best)
                    {
                        best = LittleEndian.ReadInt64(_entry, 8);
                        bestFile = file;
                    }
                }
            }

            _current = bestFile;
            _entries = (int)(_store.GetLength(s_names[_current]) / EntryBytes);
            return best;
        }

        /// <summary>Deletes both files (a new journal starts).</summary>
        public void Clear()
        {
            _store.Delete(s_names[0]);
            _store.Delete(s_names[1]);
            _current = 0;
            _entries = 0;
        }

        /// <summary>Appends and flushes a mark.</summary>
        /// <param name="journalId">The journal's id.</param>
        /// <param name="acked">The acked sequence number.</param>
        /// <exception cref="System.IO.IOException">The medium failed.</exception>
        public void Save(int journalId, long acked)
        {
            _entry[0] = (byte)'T';
            _entry[1] = (byte)'M';
            _entry[2] = (byte)'A';
            _entry[3] = (byte)'K';
            LittleEndian.WriteInt32(_entry, 4, journalId);
            LittleEndian.WriteInt64(_entry, 8, acked);
            LittleEndian.WriteUInt32(_entry, 16, Crc32.Compute(_entry, 0, 16));
            if (_entries >= EntriesPerFile)
            {
                int next = 1 - _current;
                _store.Delete(s_names[next]);
                _store.Append(s_names[next], _entry, 0, EntryBytes);
                _store.Flush(s_names[next]);
                _store.Delete(s_names[_current]);
                _current = next;
                _entries = 1;
                return;
            }

            // A torn entry left by a power cut would shift every later entry off the 20-byte grid: start clean instead.
            if (_store.GetLength(s_names[_current]) % EntryBytes != 0)
            {
                _entries = EntriesPerFile;
                Save(journalId, acked);
                return;
            }

            _store.Append(s_names[_current], _entry, 0, EntryBytes);
            _store.Flush(s_names[_current]);
            _entries++;
        }

        private static bool IsValid(byte[] entry)
        {
            return entry[0] == 'T' && entry[1] == 'M' && entry[2] == 'A' && entry[3] == 'K'
                && Crc32.Compute(entry, 0, 16) == LittleEndian.ReadUInt32(entry, 16);
        }
    }
}
