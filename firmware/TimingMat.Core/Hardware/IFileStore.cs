namespace TimingMat.Core.Hardware
{
    /// <summary>
    /// A flat directory of files: internal flash (<c>I:\</c>, LittleFS) or the SD card (<c>D:\</c>) on the device,
    /// a folder on desktop, or a power-cut test double.
    /// </summary>
    /// <remarks>
    /// Names are plain file names without directories. Data appended but not yet flushed may be lost when power
    /// fails; <see cref="Flush"/> is the durability point the journal relies on.
    /// </remarks>
    public interface IFileStore
    {
        /// <summary>Lists the names of the files in the store.</summary>
        /// <returns>File names, in no particular order; an empty array when the store is empty.</returns>
        string[] List();

        /// <summary>Tells whether a file exists.</summary>
        /// <param name="name">File name.</param>
        /// <returns><c>true</c> when the file exists.</returns>
        bool Exists(string name);

        /// <summary>Gets the length of a file in bytes.</summary>
        /// <param name="name">File name.</param>
        /// <returns>The length, or 0 when the file does not exist.</returns>
        long GetLength(string name);

        /// <summary>Appends bytes at the end of a file, creating it when missing.</summary>
        /// <param name="name">File name.</param>
        /// <param name="data">Source buffer.</param>
        /// <param name="offset">First index written from <paramref name="data"/>.</param>
        /// <param name="count">Number of bytes to append.</param>
        /// <exception cref="System.IO.IOException">The medium is full or failed.</exception>
        void Append(string name, byte[] data, int offset, int count);

        /// <summary>Reads bytes from a file.</summary>
        /// <param name="name">File name.</param>
        /// <param name="position">Byte position in the file to read from.</param>
        /// <param name="buffer">Destination buffer.</param>
        /// <param name="offset">First index written in <paramref name="buffer"/>.</param>
        /// <param name="count">Largest number of bytes to read.</param>
        /// <returns>The number of bytes read; 0 at or beyond the end of the file or when it does not exist.</returns>
        int Read(string name, long position, byte[] buffer, int offset, int count);

        /// <summary>Makes every byte appended to the file so far durable.</summary>
        /// <param name="name">File name.</param>
        void Flush(string name);

        /// <summary>Shortens a file, e.g. to cut a torn record off the end of a journal segment.</summary>
        /// <param name="name">File name.</param>
        /// <param name="length">New length in bytes; must not exceed the current length.</param>
        void Truncate(string name, long length);

        /// <summary>Deletes a file. Deleting a missing file does nothing.</summary>
        /// <param name="name">File name.</param>
        void Delete(string name);

        /// <summary>Gets the free space on the medium.</summary>
        /// <returns>Free bytes.</returns>
        long GetFreeBytes();
    }
}
