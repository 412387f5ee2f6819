namespace TimingMat.Collector.Lora;

/// <summary>
/// The race's chip list, looked up by the last three bytes of the EPC: LoRa passings carry only that tail
/// (race chips are programmed in sequence, so the tail is unique in a field), the collector restores the full EPC.
/// </summary>
public sealed class ChipDirectory
{
    private readonly Dictionary<int, byte[]?> _byTail = [];

    /// <summary>Initializes a new instance of the <see cref="ChipDirectory"/> class.</summary>
    /// <param name="epcs">Every chip of the race.</param>
    public ChipDirectory(IEnumerable<byte[]> epcs)
    {
        foreach (var epc in epcs)
        {
            if (epc.Length < 3)
            {
                continue;
            }

            var tail = TailOf(epc);
            if (_byTail.TryGetValue(tail, out var known))
            {
                if (known != null && !known.AsSpan().SequenceEqual(epc))
                {
                    // Two chips share a tail: a LoRa passing of either cannot be told apart, so neither is guessed.
                    _byTail[tail] = null;
                    Ambiguous++;
                }
            }
            else
            {
                _byTail[tail] = [.. epc];
                Count++;
            }
        }
    }

    /// <summary>Gets the number of distinct tails.</summary>
    public int Count { get; }

    /// <summary>Gets the number of tails shared by different chips (passings with them stay unresolved).</summary>
    public int Ambiguous { get; }

    /// <summary>The tail key of an EPC: its last three bytes, big-endian.</summary>
    /// <param name="epc">The EPC (3 bytes or more).</param>
    /// <returns>The key.</returns>
    public static int TailOf(ReadOnlySpan<byte> epc) => (epc[^3] << 16) | (epc[^2] << 8) | epc[^1];

    /// <summary>Finds the chip with an EPC tail.</summary>
    /// <param name="tail">The last three bytes of the EPC.</param>
    /// <param name="epc">The full EPC when found.</param>
    /// <returns><c>true</c> when exactly one chip of the race has that tail.</returns>
    public bool TryResolve(ReadOnlySpan<byte> tail, out byte[] epc)
    {
        if (_byTail.TryGetValue(TailOf(tail), out var found) && found != null)
        {
            epc = found;
            return true;
        }

        epc = [];
        return false;
    }
}
