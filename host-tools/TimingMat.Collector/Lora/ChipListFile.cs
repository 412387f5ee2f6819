using System.Text;
using TimingMat.Core.Lora;

namespace TimingMat.Collector.Lora;

/// <summary>Writes a race's chips as the LoRa chip list file (<c>chips.cfg</c>, <see cref="LoRaChipList"/>): consecutive EPCs as one run.</summary>
public static class ChipListFile
{
    /// <summary>Makes the file's text.</summary>
    /// <param name="epcs">Every chip of the race (4–62 bytes each; shorter ones are left out, as LoRa carries them whole).</param>
    /// <returns>The text: a comment line, then <c>first EPC = count</c> a run, in EPC order.</returns>
    public static string Write(IEnumerable<byte[]> epcs)
    {
        var sorted = epcs.Where(e => e.Length is >= 4 and <= 62).Select(Convert.ToHexString).Distinct().Order(StringComparer.Ordinal).Select(Convert.FromHexString).ToList();
        var text = new StringBuilder("# The race's chips for LoRa: first EPC of a run = chips in it; an index counts on from run to run.\n");
        var i = 0;
        while (i < sorted.Count)
        {
            var first = sorted[i];
            var count = 1;
            while (i + count < sorted.Count && Follows(first, sorted[i + count], count) && count < LoRaChipList.MaxChips)
            {
                count++;
            }

            text.Append(Convert.ToHexString(first)).Append(" = ").Append(count).Append('\n');
            i += count;
        }

        return text.ToString();
    }

    private static bool Follows(byte[] first, byte[] epc, int offset)
    {
        if (epc.Length != first.Length || !epc.AsSpan(0, epc.Length - 4).SequenceEqual(first.AsSpan(0, first.Length - 4)))
        {
            return false;
        }

        return (long)Low(epc) - Low(first) == offset;
    }

    private static uint Low(byte[] epc) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(epc.AsSpan(epc.Length - 4));
}
