using TimingMat.Core.Crossings;
using Xunit;

namespace TimingMat.Core.Tests.Crossings;

public class ChipTableTests
{
    [Fact]
    public void AddedChips_AreFound_AndRemovedOnesAreNot()
    {
        var table = new ChipTable(8, 12);
        var a = Epc(1);
        var b = Epc(2);

        var ea = table.Add(a, a.Length);
        var eb = table.Add(b, b.Length);

        Assert.Equal(ea, table.Find(a, a.Length));
        Assert.Equal(eb, table.Find(b, b.Length));
        Assert.Equal(2, table.Count);
        table.Remove(ea);
        Assert.Equal(-1, table.Find(a, a.Length));
        Assert.Equal(eb, table.Find(b, b.Length));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void EpcsDifferingInLengthOnly_AreDifferentChips()
    {
        var table = new ChipTable(8, 16);
        var longer = Epc(5);
        var shorter = longer[..8];

        var e1 = table.Add(longer, longer.Length);

        Assert.Equal(-1, table.Find(shorter, shorter.Length));
        var e2 = table.Add(shorter, shorter.Length);
        Assert.NotEqual(e1, e2);
        var copy = new byte[16];
        Assert.Equal(8, table.CopyEpc(e2, copy));
        Assert.Equal(shorter, copy[..8]);
    }

    [Fact]
    public void FullTable_AndBadLengths_AreRefused()
    {
        var table = new ChipTable(3, 12);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(table.Add(Epc(i), 12) >= 0);
        }

        Assert.Equal(-1, table.Add(Epc(9), 12));
        Assert.Equal(-1, table.Find(Epc(9), 0));
        Assert.Equal(-1, new ChipTable(3, 12).Add(new byte[13], 13));
        Assert.Equal(-1, new ChipTable(3, 12).Add(Epc(1), 0));
    }

    [Fact]
    public void ManyAddsAndRemoves_MatchADictionary()
    {
        // Long probe runs and backward-shift deletions: the table must agree with a reference at every step.
        var table = new ChipTable(64, 12);
        var reference = new Dictionary<int, int>();
        var random = new Random(5);
        for (var step = 0; step < 20_000; step++)
        {
            var chip = random.Next(200);
            var epc = Epc(chip);
            var found = table.Find(epc, epc.Length);
            Assert.Equal(reference.TryGetValue(chip, out var entry) ? entry : -1, found);
            if (found >= 0 && random.Next(2) == 0)
            {
                table.Remove(found);
                reference.Remove(chip);
            }
            else if (found < 0 && table.Count < table.Capacity)
            {
                reference[chip] = table.Add(epc, epc.Length);
            }
        }

        Assert.Equal(reference.Count, table.Count);
    }

    [Theory]
    [InlineData(12)]
    [InlineData(8)]
    [InlineData(14)]
    public void EpcsDifferingInAnyOneByte_AreEachTheirOwnChip_AndKeepTheirEpc(int length)
    {
        // Every byte position, every value: 12-byte EPCs take the unrolled path, the others the loop.
        var table = new ChipTable(length * 256, 16);
        var entries = new Dictionary<int, (byte[] Epc, int Entry)>();
        for (var position = 0; position < length; position++)
        {
            for (var value = 1; value < 256; value++)
            {
                var epc = new byte[length];
                epc[position] = (byte)value;
                var entry = table.Add(epc, length);
                Assert.True(entry >= 0);
                entries[(position * 256) + value] = (epc, entry);
            }
        }

        var copy = new byte[16];
        foreach (var (epc, entry) in entries.Values)
        {
            var padded = new byte[20];
            epc.CopyTo(padded, 3);
            Assert.Equal(entry, table.Find(epc, length));
            Assert.Equal(entry, table.Find(padded, 3, length));
            Assert.Equal(length, table.CopyEpc(entry, copy));
            Assert.Equal(epc, copy[..length]);
        }

        Assert.Equal(-1, table.Find(new byte[length], length));
    }

    private static byte[] Epc(int n) => [0xE2, 0x00, 0x68, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, (byte)(n >> 8), (byte)n];
}
