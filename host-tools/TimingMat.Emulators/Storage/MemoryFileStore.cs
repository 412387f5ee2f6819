using TimingMat.Core.Hardware;

namespace TimingMat.Emulators.Storage;

/// <summary>
/// A flash drive in RAM with the durability rule the journal depends on: bytes appended become durable only at
/// <see cref="Flush"/>; <see cref="CutPower"/> throws away everything not yet flushed, as a power cut does.
/// </summary>
/// <remarks>
/// For power-cut fuzzing, <see cref="ArmCut"/> makes power fail at a chosen byte of the coming appends: the
/// interrupted write is torn at that byte, and of every file's unflushed bytes a random prefix survives (none, some
/// or all: the cache may have been written back in part), its last few bytes garbled with random values, 0x00 or
/// 0xFF in half the cases (a half-programmed page). Flushed bytes always survive. The failing call throws
/// <see cref="PowerCutException"/>, as the CPU stopping would end the code under test, and so does every call until
/// <see cref="Restore"/> (the reboot). Truncate and delete are atomic. The tearing is seeded: a run is reproducible.
/// </remarks>
public sealed class MemoryFileStore : IFileStore
{
    private readonly Dictionary<string, StoredFile> _files = new(StringComparer.Ordinal);
    private readonly Random _tearing;
    private long _bytesUntilCut = -1;

    /// <summary>Initializes a new instance of the <see cref="MemoryFileStore"/> class.</summary>
    /// <param name="capacityBytes">Size of the medium; appends beyond it fail with <see cref="IOException"/>.</param>
    /// <param name="tearSeed">Seed of the torn-write randomness of <see cref="ArmCut"/> and <see cref="CutPowerNow"/>.</param>
    public MemoryFileStore(long capacityBytes = 4 * 1024 * 1024, int tearSeed = 0)
    {
        CapacityBytes = capacityBytes;
        _tearing = new Random(tearSeed);
    }

    /// <summary>Gets the size of the medium in bytes.</summary>
    public long CapacityBytes { get; }

    /// <summary>Gets or sets a value indicating whether every operation fails, as a dead or missing card does.</summary>
    public bool Failing { get; set; }

    /// <summary>Gets a value indicating whether the medium has power (false after a torn cut until <see cref="Restore"/>).</summary>
    public bool IsPowered { get; private set; } = true;

    /// <summary>Gets the number of torn power cuts so far.</summary>
    public int Cuts { get; private set; }

    /// <inheritdoc />
    public string[] List()
    {
        ThrowIfUnavailable();
        return [.. _files.Keys.Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public bool Exists(string name)
    {
        ThrowIfUnavailable();
        return _files.ContainsKey(name);
    }

    /// <inheritdoc />
    public long GetLength(string name)
    {
        ThrowIfUnavailable();
        return _files.TryGetValue(name, out var file) ? file.Data.Count : 0;
    }

    /// <inheritdoc />
    public void Append(string name, byte[] data, int offset, int count)
    {
        ThrowIfUnavailable();
        if (UsedBytes() + count > CapacityBytes)
        {
            throw new IOException($"no space left for {count} bytes in '{name}'");
        }

        if (!_files.TryGetValue(name, out var file))
        {
            _files[name] = file = new StoredFile();
        }

        var cut = _bytesUntilCut >= 0 && _bytesUntilCut < count;
        var written = cut ? (int)_bytesUntilCut : count;
        file.Data.AddRange(new ArraySegment<byte>(data, offset, written));
        if (_bytesUntilCut >= 0)
        {
            _bytesUntilCut -= written;
        }

        if (cut)
        {
            Tear();
        }
    }

    /// <inheritdoc />
    public int Read(string name, long position, byte[] buffer, int offset, int count)
    {
        ThrowIfUnavailable();
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
        ThrowIfUnavailable();
        if (_files.TryGetValue(name, out var file))
        {
            file.Durable = file.Data.Count;
        }
    }

    /// <inheritdoc />
    public void Truncate(string name, long length)
    {
        ThrowIfUnavailable();
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
        ThrowIfUnavailable();
        _files.Remove(name);
    }

    /// <inheritdoc />
    public long GetFreeBytes()
    {
        ThrowIfUnavailable();
        return CapacityBytes - UsedBytes();
    }

    /// <summary>Loses every byte appended since the last flush of its file, as a power cut would, and reboots at once.</summary>
    public void CutPower()
    {
        foreach (var file in _files.Values)
        {
            file.Data.RemoveRange(file.Durable, file.Data.Count - file.Durable);
        }
    }

    /// <summary>Arms a torn power cut: it happens while the given byte of the coming appends is being written.</summary>
    /// <param name="bytesUntilCut">Bytes that may still be appended before power fails; 0 fails the next append at its first byte.</param>
    public void ArmCut(long bytesUntilCut)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesUntilCut);
        _bytesUntilCut = bytesUntilCut;
    }

    /// <summary>Cuts power now, between two operations, with torn unflushed data.</summary>
    /// <exception cref="PowerCutException">Always: the code that cut the power stops here.</exception>
    public void CutPowerNow()
    {
        ThrowIfUnavailable();
        Tear();
    }

    /// <summary>Powers the medium up again after a torn cut (the unit reboots); the cut is disarmed.</summary>
    public void Restore()
    {
        IsPowered = true;
        _bytesUntilCut = -1;
    }

    /// <summary>Gets a copy of a file's bytes as they are now, whatever the power.</summary>
    /// <param name="name">File name.</param>
    /// <returns>The bytes; empty when the file does not exist.</returns>
    public byte[] Snapshot(string name) => _files.TryGetValue(name, out var file) ? [.. file.Data] : [];

    private void Tear()
    {
        IsPowered = false;
        Cuts++;
        foreach (var file in _files.Values)
        {
            var pending = file.Data.Count - file.Durable;
            if (pending == 0)
            {
                continue;
            }

            var survives = _tearing.Next(pending + 1);
            file.Data.RemoveRange(file.Durable + survives, pending - survives);
            if (survives > 0 && _tearing.Next(2) == 0)
            {
                var garbled = Math.Min(survives, 1 + _tearing.Next(16));
                var fill = _tearing.Next(3);
                for (var i = file.Data.Count - garbled; i < file.Data.Count; i++)
                {
                    file.Data[i] = fill switch
                    {
                        0 => 0x00,
                        1 => 0xFF,
                        _ => (byte)_tearing.Next(256),
                    };
                }
            }

            file.Durable = file.Data.Count;
        }

        throw new PowerCutException();
    }

    private long UsedBytes() => _files.Values.Sum(f => (long)f.Data.Count);

    private void ThrowIfUnavailable()
    {
        if (!IsPowered)
        {
            throw new PowerCutException();
        }

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
