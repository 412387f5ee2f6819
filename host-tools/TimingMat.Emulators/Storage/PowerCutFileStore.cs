using TimingMat.Core.Hardware;

namespace TimingMat.Emulators.Storage;

/// <summary>
/// A flash medium whose power fails at a chosen byte of the write stream, for power-cut fuzzing of the journal.
/// </summary>
/// <remarks>
/// <para>
/// Bytes appended sit in a write cache until <see cref="Flush"/> makes them durable. <see cref="ArmCut"/> counts down
/// the bytes appended; when the count runs out in the middle of an <see cref="Append"/>, power fails right there: the
/// interrupted write is torn at that byte, and of every file's unflushed bytes a random prefix survives (none, some,
/// or all: the cache may have been written back in part), its last few bytes garbled with random values, 0x00 or
/// 0xFF in half the cases (a half-programmed page). Flushed bytes always survive. The failing call throws
/// <see cref="PowerCutException"/>, as the CPU stopping would end the code under test, and so does every call until
/// <see cref="Restore"/> (the reboot). Truncate and delete are atomic. Seeded: a run is reproducible.
/// </para>
/// </remarks>
public sealed class PowerCutFileStore : IFileStore
{
    private readonly Dictionary<string, StoredFile> _files = new(StringComparer.Ordinal);
    private readonly Random _random;
    private long _bytesUntilCut = -1;

    /// <summary>Initializes a new instance of the <see cref="PowerCutFileStore"/> class.</summary>
    /// <param name="seed">Seed of the torn-write randomness.</param>
    /// <param name="capacityBytes">Size of the medium.</param>
    public PowerCutFileStore(int seed, long capacityBytes = 64 * 1024 * 1024)
    {
        _random = new Random(seed);
        CapacityBytes = capacityBytes;
    }

    /// <summary>Gets the size of the medium.</summary>
    public long CapacityBytes { get; }

    /// <summary>Gets a value indicating whether the medium has power.</summary>
    public bool IsPowered { get; private set; } = true;

    /// <summary>Gets the number of power cuts so far.</summary>
    public int Cuts { get; private set; }

    /// <summary>Gets the number of bytes appended since the store was created.</summary>
    public long BytesAppended { get; private set; }

    /// <summary>Arms a power cut: it happens while the given byte of the coming appends is being written.</summary>
    /// <param name="bytesUntilCut">Bytes that may still be appended before power fails; 0 fails the next append at its first byte.</param>
    public void ArmCut(long bytesUntilCut)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytesUntilCut);
        _bytesUntilCut = bytesUntilCut;
    }

    /// <summary>Cuts power now (between operations).</summary>
    public void CutPowerNow()
    {
        if (IsPowered)
        {
            Fail();
        }
    }

    /// <summary>Powers the medium up again (the unit reboots); the cut is disarmed.</summary>
    public void Restore()
    {
        IsPowered = true;
        _bytesUntilCut = -1;
    }

    /// <summary>Gets a copy of a file's bytes as the unit would read them now.</summary>
    /// <param name="name">File name.</param>
    /// <returns>The bytes; empty when the file does not exist.</returns>
    public byte[] Snapshot(string name) => _files.TryGetValue(name, out var file) ? [.. file.Data] : [];

    /// <inheritdoc />
    public string[] List()
    {
        ThrowIfOff();
        return [.. _files.Keys.Order(StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public bool Exists(string name)
    {
        ThrowIfOff();
        return _files.ContainsKey(name);
    }

    /// <inheritdoc />
    public long GetLength(string name)
    {
        ThrowIfOff();
        return _files.TryGetValue(name, out var file) ? file.Data.Count : 0;
    }

    /// <inheritdoc />
    public void Append(string name, byte[] data, int offset, int count)
    {
        ThrowIfOff();
        if (UsedBytes() + count > CapacityBytes)
        {
            throw new IOException($"no space left for {count} bytes in '{name}'");
        }

        if (!_files.TryGetValue(name, out var file))
        {
            _files[name] = file = new StoredFile();
        }

        var written = count;
        var cut = _bytesUntilCut >= 0 && _bytesUntilCut < count;
        if (cut)
        {
            written = (int)_bytesUntilCut;
        }

        file.Data.AddRange(new ArraySegment<byte>(data, offset, written));
        BytesAppended += written;
        if (_bytesUntilCut >= 0)
        {
            _bytesUntilCut -= written;
        }

        if (cut)
        {
            Fail();
        }
    }

    /// <inheritdoc />
    public int Read(string name, long position, byte[] buffer, int offset, int count)
    {
        ThrowIfOff();
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
        ThrowIfOff();
        if (_files.TryGetValue(name, out var file))
        {
            file.Durable = file.Data.Count;
        }
    }

    /// <inheritdoc />
    public void Truncate(string name, long length)
    {
        ThrowIfOff();
        if (!_files.TryGetValue(name, out var file))
        {
            throw new FileNotFoundException($"no file '{name}'");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, file.Data.Count);
        file.Data.RemoveRange((int)length, file.Data.Count - (int)length);
        file.Durable = Math.Min(file.Durable, (int)length);
    }

    /// <inheritdoc />
    public void Delete(string name)
    {
        ThrowIfOff();
        _files.Remove(name);
    }

    /// <inheritdoc />
    public long GetFreeBytes()
    {
        ThrowIfOff();
        return CapacityBytes - UsedBytes();
    }

    private void Fail()
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

            var survives = _random.Next(pending + 1);
            file.Data.RemoveRange(file.Durable + survives, pending - survives);
            if (survives > 0 && _random.Next(2) == 0)
            {
                var garbled = Math.Min(survives, 1 + _random.Next(16));
                var fill = _random.Next(3);
                for (var i = file.Data.Count - garbled; i < file.Data.Count; i++)
                {
                    file.Data[i] = fill switch
                    {
                        0 => 0x00,
                        1 => 0xFF,
                        _ => (byte)_random.Next(256),
                    };
                }
            }

            file.Durable = file.Data.Count;
        }

        throw new PowerCutException();
    }

    private long UsedBytes() => _files.Values.Sum(f => (long)f.Data.Count);

    private void ThrowIfOff()
    {
        if (!IsPowered)
        {
            throw new PowerCutException();
        }
    }

    private sealed class StoredFile
    {
        public List<byte> Data { get; } = [];

        public int Durable { get; set; }
    }
}
