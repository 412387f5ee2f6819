using TimingMat.Core.Hardware;

namespace TimingMat.Host.Storage;

/// <summary>
/// The core's file store on a desktop folder, for a unit running as a desktop process. <see cref="Flush"/> flushes to
/// the disk (fsync), so a killed process keeps what the journal reported durable.
/// </summary>
public sealed class DirectoryFileStore : IFileStore, IDisposable
{
    private readonly string _directory;
    private string? _appendName;
    private FileStream? _appendStream;

    /// <summary>Initializes a new instance of the <see cref="DirectoryFileStore"/> class, creating the folder if needed.</summary>
    /// <param name="directory">Folder holding the unit's files.</param>
    public DirectoryFileStore(string directory)
    {
        _directory = Path.GetFullPath(directory);
        Directory.CreateDirectory(_directory);
    }

    /// <inheritdoc />
    public string[] List() =>
        [.. Directory.EnumerateFiles(_directory).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal)];

    /// <inheritdoc />
    public bool Exists(string name) => File.Exists(PathOf(name));

    /// <inheritdoc />
    public long GetLength(string name)
    {
        if (name == _appendName)
        {
            return _appendStream!.Length;
        }

        var info = new FileInfo(PathOf(name));
        return info.Exists ? info.Length : 0;
    }

    /// <inheritdoc />
    public void Append(string name, byte[] data, int offset, int count)
    {
        if (name != _appendName)
        {
            CloseAppendStream();
            _appendStream = new FileStream(PathOf(name), FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            _appendName = name;
        }

        _appendStream!.Write(data, offset, count);
    }

    /// <inheritdoc />
    public int Read(string name, long position, byte[] buffer, int offset, int count)
    {
        if (name == _appendName)
        {
            _appendStream!.Flush();
        }

        var path = PathOf(name);
        if (!File.Exists(path))
        {
            return 0;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (position >= stream.Length)
        {
            return 0;
        }

        stream.Position = position;
        var total = 0;
        int n;
        while (total < count && (n = stream.Read(buffer, offset + total, count - total)) > 0)
        {
            total += n;
        }

        return total;
    }

    /// <inheritdoc />
    public void Flush(string name)
    {
        if (name == _appendName)
        {
            _appendStream!.Flush(flushToDisk: true);
        }
    }

    /// <inheritdoc />
    public void Truncate(string name, long length)
    {
        if (name == _appendName)
        {
            CloseAppendStream();
        }

        using var stream = new FileStream(PathOf(name), FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, stream.Length);
        stream.SetLength(length);
        stream.Flush(flushToDisk: true);
    }

    /// <inheritdoc />
    public void Delete(string name)
    {
        if (name == _appendName)
        {
            CloseAppendStream();
        }

        File.Delete(PathOf(name));
    }

    /// <inheritdoc />
    public long GetFreeBytes() => new DriveInfo(_directory).AvailableFreeSpace;

    /// <summary>Flushes and closes the open file.</summary>
    public void Dispose() => CloseAppendStream();

    private string PathOf(string name)
    {
        // File names only: a name with a directory part could escape the unit's folder.
        if (name.Length == 0 || name != Path.GetFileName(name))
        {
            throw new ArgumentException($"'{name}' is not a plain file name", nameof(name));
        }

        return Path.Combine(_directory, name);
    }

    private void CloseAppendStream()
    {
        if (_appendStream != null)
        {
            _appendStream.Flush(flushToDisk: true);
            _appendStream.Dispose();
            _appendStream = null;
            _appendName = null;
        }
    }
}
