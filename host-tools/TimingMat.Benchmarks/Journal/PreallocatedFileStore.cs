using TimingMat.Core.Hardware;

namespace TimingMat.Benchmarks.Journal;

/// <summary>
/// A RAM file store that allocates its buffers up front, so a benchmark's allocation figure is the journal's own
/// (the emulators' List-based store allocates as it grows). Not durable, not for tests.
/// </summary>
public sealed class PreallocatedFileStore(int bytesPerFile) : IFileStore
{
    private readonly Dictionary<string, (byte[] Data, int Length)> _files = new(StringComparer.Ordinal);

    public string[] List() => [.. _files.Keys];

    public bool Exists(string name) => _files.ContainsKey(name);

    public long GetLength(string name) => _files.TryGetValue(name, out var file) ? file.Length : 0;

    public void Append(string name, byte[] data, int offset, int count)
    {
        if (!_files.TryGetValue(name, out var file))
        {
            file = (new byte[bytesPerFile], 0);
        }

        Buffer.BlockCopy(data, offset, file.Data, file.Length, count);
        _files[name] = (file.Data, file.Length + count);
    }

    public int Read(string name, long position, byte[] buffer, int offset, int count)
    {
        if (!_files.TryGetValue(name, out var file) || position >= file.Length)
        {
            return 0;
        }

        var n = (int)Math.Min(count, file.Length - position);
        Buffer.BlockCopy(file.Data, (int)position, buffer, offset, n);
        return n;
    }

    public void Flush(string name)
    {
    }

    public void Truncate(string name, long length) => _files[name] = (_files[name].Data, (int)length);

    public void Delete(string name) => _files.Remove(name);

    public long GetFreeBytes() => long.MaxValue / 2;
}
