using System;
using System.IO;
using TimingMat.Core.Hardware;

namespace TimingMat.Device.Adapters
{
    /// <summary>
    /// The core's file store on a nanoFramework drive: internal flash <c>I:\</c> (LittleFS) or the SD card <c>D:\</c>.
    /// Files live in a <c>timingmat</c> folder on the drive.
    /// </summary>
    /// <remarks>
    /// Opening a LittleFS file costs milliseconds, so the file being appended to (the journal's open segment) keeps
    /// one stream open; any other operation on that file flushes or closes it first. <c>FileStream</c> does not
    /// implement <c>IDisposable</c> in the API listing the device build is checked against, so streams are closed in
    /// <c>finally</c> blocks.
    /// </remarks>
    public sealed class FlashFileStore : IFileStore
    {
        private readonly string _drive;
        private readonly string _directory;
        private string _appendName;
        private FileStream _appendStream;

        /// <summary>Initializes a new instance of the <see cref="FlashFileStore"/> class.</summary>
        /// <param name="drive">Drive root, <c>I:\</c> or <c>D:\</c>.</param>
        public FlashFileStore(string drive)
        {
            _drive = drive;
            _directory = Path.Combine(drive, "timingmat");
            if (!Directory.Exists(_directory))
            {
                Directory.CreateDirectory(_directory);
            }
        }

        /// <inheritdoc />
        public string[] List()
        {
            string[] paths = Directory.GetFiles(_directory);
            string[] names = new string[paths.Length];
            for (int i = 0; i < paths.Length; i++)
            {
                names[i] = Path.GetFileName(paths[i]);
            }

            return names;
        }

        /// <inheritdoc />
        public bool Exists(string name)
        {
            return name == _appendName || File.Exists(PathOf(name));
        }

        /// <inheritdoc />
        public long GetLength(string name)
        {
            if (name == _appendName)
            {
                return _appendStream.Length;
            }

            string path = PathOf(name);
            return File.Exists(path) ? new FileInfo(path).Length : 0;
        }

        /// <inheritdoc />
        public void Append(string name, byte[] data, int offset, int count)
        {
            if (name != _appendName)
            {
                CloseAppendStream();
                _appendStream = new FileStream(PathOf(name), FileMode.Append, FileAccess.Write);
                _appendName = name;
            }

            _appendStream.Write(data, offset, count);
        }

        /// <inheritdoc />
        public int Read(string name, long position, byte[] buffer, int offset, int count)
        {
            if (name == _appendName)
            {
                // A second stream only sees what the writer has flushed.
                _appendStream.Flush();
            }

            string path = PathOf(name);
            if (!File.Exists(path))
            {
                return 0;
            }

            FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            try
            {
                if (position >= stream.Length)
                {
                    return 0;
                }

                stream.Seek(position, SeekOrigin.Begin);
                return stream.Read(buffer, offset, count);
            }
            finally
            {
                stream.Close();
            }
        }

        /// <inheritdoc />
        public void Flush(string name)
        {
            if (name == _appendName)
            {
                _appendStream.Flush();
            }
        }

        /// <inheritdoc />
        public void Truncate(string name, long length)
        {
            if (name == _appendName)
            {
                CloseAppendStream();
            }

            FileStream stream = new FileStream(PathOf(name), FileMode.Open, FileAccess.ReadWrite);
            try
            {
                if (length > stream.Length)
                {
                    throw new ArgumentOutOfRangeException("length");
                }

                stream.SetLength(length);
                stream.Flush();
            }
            finally
            {
                stream.Close();
            }
        }

        /// <inheritdoc />
        public void Delete(string name)
        {
            if (name == _appendName)
            {
                CloseAppendStream();
            }

            string path = PathOf(name);
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }

        /// <inheritdoc />
        public long GetFreeBytes()
        {
            // DriveInfo on nanoFramework reports the drive size but not its free space: subtract what our files use.
            long used = 0;
            string[] paths = Directory.GetFiles(_directory);
            for (int i = 0; i < paths.Length; i++)
            {
                used += new FileInfo(paths[i]).Length;
            }

            long free = new DriveInfo(_drive).TotalSize - used;
            return free > 0 ? free : 0;
        }

        private string PathOf(string name)
        {
            return Path.Combine(_directory, name);
        }

        private void CloseAppendStream()
        {
            if (_appendStream != null)
            {
                _appendStream.Flush();
                _appendStream.Close();
                _appendStream = null;
                _appendName = null;
            }
        }
    }
}
