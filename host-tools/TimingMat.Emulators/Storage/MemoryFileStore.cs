using TimingMat.Core.Hardware;

namespace TimingMat.Emulators.Storage;

/// <summary>
/// A flash drive in RAM with the durability rule the journal depends on: bytes appended become durable only at
/// <see cref="Flush"/>; <see cref="CutPower"/> throws away everything not yet flushed, as a power cut does.
/// </summary>
public sealed class MemoryFileStore : IFileStore
{
    private readonly Dictionary<string, StoredFile> _files = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="MemoryFileStore"/> class.</summary>
    /// <param name="capacityBytes">Size of the medium; appends beyond it fail with <see cref="IOException"/>.</param>
    public MemoryFileStore(long capacityBytes = 4 * 1024 * 1024) => CapacityBytes = capacityBytes;

    /// <summary>Gets the size of the medium in bytes.</summary>
    public long CapacityBytes { get; }

    /// <summary>Gets or sets a value indicating whether every operation fails, as a dead or missing card does.</summary>
    public bool Failing { get; set; }

    /// <inheritdoc />
    public string[] List()
    {
        ThrowIfFailing();
        return [.. _files.Keys.Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public bool Exists(string name)
    {
        ThrowIfFailing();
        return _files.ContainsKey(name);
    }

    /// <inheritdoc />
    public long GetLength(string name)
    {
        ThrowIfFailing();
        return _files.TryGetValue(name, out var file) ? file.Data.Count : 0;
    }

    /// <inheritdoc />
    public void Append(string name, byte[] data, int offset, int count)
    {
        ThrowIfFailing();
        if (UsedBytes() + count > CapacityBytes)
        {
            throw new IOException($"no space left for {count} bytes in '{name}'");
        }

        if (!_files.TryGetValue(name, out var file))
        {
            _files[name] = file = new StoredFile();
        }

        file.Data.AddRange(new ArraySegment<byte>(data, offset, count));
    }

    /// <inheritdoc />
    public int Read(string name, long position, byte[] buffer, int offset, int count)
    {
        ThrowIfFailing();
        if (!_files.TryGetValue(name, out var file) || position >= file.Data.Count)
        {
            return 0;
        }

        var n = (int)Math.Min(count, file.Data.Count - position);
        file.Data.CopyTo((int)position, buffer, offset, n);
        return n;
    }

    /// <inheritdoc />
    public void Flush(string name)
    {
        ThrowIfFailing();
        if (_files.TryGetValue(name, out var file))
        {
            file.Durable = file.Data.Count;
        }
    }

    /// <inheritdoc />
    public void Truncate(string name, long length)
    {
        ThrowIfFailing();
        if (!_files.TryGetValue(name, out var file))
        {
            throw new FileNotFoundException($"no file '{name}'");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, file.Data.Count);
        file.Data.RemoveRange((int)length, file.Data.Count - (int)length);
        file.Durable = (int)length;
    }

    /// <inheritdoc />
    public void Delete(string name)
    {
        ThrowIfFailing();
        _files.Remove(name);
    }

    /// <inheritdoc />
    public long GetFreeBytes()
    {
        ThrowIfFailing();
        return CapacityBytes - UsedBytes();
    }

    /// <summary>Loses every byte appended since the last flush of its file, as a power cut would.</summary>
    public void CutPower()
    {
        foreach (var file in _files.Values)
        {
            file.Data.RemoveRange(file.Durable, file.Data.Count - file.Durable);
        }
    }

    private long UsedBytes() => _files.Values.Sum(f => (long)f.Data.Count);

    private void ThrowIfFailing()
    {
        if (Failing)
        {
            throw new IOException("storage is not responding");
        }
    }

    private sealed class StoredFile
    {
        public List<byte> Data { get; } = [];

        public int Durable { get; set; }
    }
}
