using System.IO;
using TimingMat.Core.Hardware;

namespace TimingMat.Core.Unit
{
    /// <summary>
    /// Where a unit keeps its configuration file (<c>unit.cfg</c>, docs/unit-config.md) on its storage, written by the
    /// console's <c>commit</c> so that a power cut in the middle never leaves the unit without a valid one: the new text is
    /// first written whole to <c>unit.new</c> and flushed, then <c>unit.cfg</c> is replaced, then <c>unit.new</c> deleted.
    /// <see cref="Read"/> takes <c>unit.new</c> when <c>unit.cfg</c> is missing or does not parse while <c>unit.new</c> does
    /// (the cut came between the two writes), and puts it in place.
    /// </summary>
    /// <remarks>
    /// The board keeps it on internal flash (<c>I:\</c>) whatever drive holds the journal; the desktop unit in its journal
    /// folder. The store is flat file names, so both live in the store's root.
    /// </remarks>
    public sealed class UnitConfigStore
    {
        /// <summary>The configuration file's name.</summary>
        public const string FileName = "unit.cfg";

        /// <summary>The name the next configuration is written under before it replaces <see cref="FileName"/>.</summary>
        public const string PendingName = "unit.new";

        /// <summary>The largest configuration file read, bytes (the full key set with long values is under 2 KB).</summary>
        public const int MaxBytes = 8192;

        private readonly IFileStore _store;

        /// <summary>Initializes a new instance of the <see cref="UnitConfigStore"/> class.</summary>
        /// <param name="store">The storage holding <c>unit.cfg</c>.</param>
        public UnitConfigStore(IFileStore store)
        {
            _store = store;
        }

        /// <summary>Gets the storage the file is on.</summary>
        public IFileStore Store
        {
            get { return _store; }
        }

        /// <summary>Reads the configuration file's text, recovering one whose replacement a power cut interrupted.</summary>
        /// <returns>The text, or <c>null</c> when the unit has never been provisioned.</returns>
        public string Read()
        {
            string current = ReadFile(FileName);
            string pending = ReadFile(PendingName);
            if (pending == null)
            {
                return current;
            }

            if (current != null && Parses(current))
            {
                // The cut came after unit.cfg was replaced: only the leftover is to go.
                Delete(PendingName);
                return current;
            }

            if (!Parses(pending))
            {
                return current;
            }

            // unit.cfg is missing or torn and the pending text is whole: finish the replacement.
            Write(pending);
            return pending;
        }

        /// <summary>Writes a configuration file's text so that a power cut leaves either the old or the new one.</summary>
        /// <param name="text">The new file's text (validated by the caller).</param>
        /// <exception cref="IOException">The storage refused (full or failed); the old file is still in place.</exception>
        public void Write(string text)
        {
            byte[] bytes = Ascii(text);
            _store.Delete(PendingName);
            _store.Append(PendingName, bytes, 0, bytes.Length);
            _store.Flush(PendingName);
            _store.Delete(FileName);
            _store.Append(FileName, bytes, 0, bytes.Length);
            _store.Flush(FileName);
            _store.Delete(PendingName);
        }

        /// <summary>Encodes text the way the file holds it: one byte per character (the configuration is ASCII; others become '?').</summary>
        /// <param name="text">The text.</param>
        /// <returns>The bytes.</returns>
        public static byte[] Ascii(string text)
        {
            byte[] bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bytes[i] = c < 128 ? (byte)c : (byte)'?';
            }

            return bytes;
        }

        private static bool Parses(string text)
        {
            try
            {
                UnitConfig.Parse(text);
                return true;
            }
            catch (ConfigFileException)
            {
                return false;
            }
        }

        private string ReadFile(string name)
        {
            if (!_store.Exists(name))
            {
                return null;
            }

            long length = _store.GetLength(name);
            if (length > MaxBytes)
            {
                length = MaxBytes;
            }

            byte[] bytes = new byte[(int)length];
            int read = _store.Read(name, 0, bytes, 0, bytes.Length);
            char[] chars = new char[read];
            for (int i = 0; i < read; i++)
            {
                chars[i] = (char)bytes[i];
            }

            return new string(chars, 0, read);
        }

        private void Delete(string name)
        {
            try
            {
                _store.Delete(name);
            }
            catch (IOException)
            {
                // A leftover unit.new is harmless: the next Read sees unit.cfg parse and tries again.
            }
        }
    }
}
