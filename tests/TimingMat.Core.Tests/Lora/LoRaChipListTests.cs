using TimingMat.Core.Lora;
using TimingMat.Core.Unit;
using Xunit;

namespace TimingMat.Core.Tests.Lora;

public class LoRaChipListTests
{
    private const string Race = """
        # Two boxes of chips and one late registration.
        E28011606000020500000001 = 30000
        E28011606000020500100001 = 5000   # the second box
        E2801160600002050099ABCD = 1
        """;

    [Fact]
    public void Runs_NumberChipsInFileOrder_AndBack()
    {
        var list = LoRaChipList.Parse(Race);
        var epc = new byte[62];

        Assert.Equal((3, 35_001), (list.Runs, list.Count));
        Assert.Equal(0, list.IndexOf(Convert.FromHexString("E28011606000020500000001"), 12));
        Assert.Equal(29_999, list.IndexOf(Convert.FromHexString("E28011606000020500007530"), 12));
        Assert.Equal(30_000, list.IndexOf(Convert.FromHexString("E28011606000020500100001"), 12));
        Assert.Equal(35_000, list.IndexOf(Convert.FromHexString("E2801160600002050099ABCD"), 12));
        Assert.Equal(-1, list.IndexOf(Convert.FromHexString("E28011606000020500007531"), 12));  // one past the first box
        Assert.Equal(-1, list.IndexOf(Convert.FromHexString("E28011606000020400000001"), 12));  // another prefix
        Assert.Equal(-1, list.IndexOf(Convert.FromHexString("E280116060000205000001"), 11));    // another length

        Assert.Equal(12, list.EpcOf(29_999, epc));
        Assert.Equal(Convert.FromHexString("E28011606000020500007530"), epc[..12]);
        Assert.Equal(12, list.EpcOf(30_004, epc));
        Assert.Equal(Convert.FromHexString("E28011606000020500100005"), epc[..12]);
        Assert.Equal(0, list.EpcOf(35_001, epc));
        Assert.Equal(0, list.EpcOf(-1, epc));
    }

    [Fact]
    public void EveryIndex_RoundTrips()
    {
        var list = LoRaChipList.Parse(Race);
        var epc = new byte[62];
        for (var i = 0; i < list.Count; i += 7)
        {
            var n = list.EpcOf(i, epc);
            Assert.Equal(i, list.IndexOf(epc, n));
        }
    }

    [Fact]
    public void TheChecksum_TellsTwoListsApart()
    {
        Assert.Equal(LoRaChipList.Parse(Race).Checksum, LoRaChipList.Parse(Race.Replace("# the second box", string.Empty, StringComparison.Ordinal)).Checksum);
        Assert.NotEqual(LoRaChipList.Parse(Race).Checksum, LoRaChipList.Parse(Race.Replace("5000 ", "5001 ", StringComparison.Ordinal)).Checksum);
    }

    [Theory]
    [InlineData("E280 = 1", "line 1: 'e280' is not an EPC: expected 8-124 hex digits, then '= count'.")]
    [InlineData("E28011606000020500000001 = 0", "line 1: e28011606000020500000001 = '0': expected how many chips the run holds, 1-65533.")]
    [InlineData("E280116060000205FFFFFFFF = 2", "line 1: e280116060000205ffffffff = 2: the run would carry past the EPC's last 4 bytes; split it in two.")]
    [InlineData("E28011606000020500000001 = 10\nE28011606000020500000005 = 3", "line 2: e28011606000020500000005 = 3 overlaps the run on line 1: a chip must have one index.")]
    [InlineData("E28011606000020500000001 = 65000\nE28011606000020600000001 = 534", "line 2: chips.cfg holds more than 65533 chips: expected at most that many (the packet's chip index).")]
    public void ABadList_SaysWhereAndWhy(string text, string message)
    {
        Assert.Equal(message, Assert.Throws<ConfigFileException>(() => LoRaChipList.Parse(text)).Message);
    }

    [Fact]
    public void MoreRunsThanABoardHolds_AreRefused()
    {
        var text = string.Concat(Enumerable.Range(0, LoRaChipList.MaxRuns + 1).Select(i => $"E2801160600002050000{i * 2:X4} = 1\n"));

        Assert.Contains("has 1025 runs: expected at most 1024", Assert.Throws<ConfigFileException>(() => LoRaChipList.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_ByUnit_WithErrorsThatNeverShowAKey()
    {
        var keys = LoRaKeyList.Parse("# the race's mats\n5 = 000102030405060708090a0b0c0d0e0f\n12 = 0f0e0d0c0b0a09080706050403020100\n");

        Assert.Equal(2, keys.Count);
        Assert.Equal(1, keys.SlotOf(12));
        Assert.Equal(-1, keys.SlotOf(6));
        Assert.Equal(12, keys.UnitAt(1));
        Assert.Equal(Convert.FromHexString("000102030405060708090a0b0c0d0e0f"), keys.KeyAt(0));

        Assert.Equal("line 1: 5 = (secret, 6 characters): expected 32-128 hex digits (the unit's command.key).", Assert.Throws<ConfigFileException>(() => LoRaKeyList.Parse("5 = abcdef")).Message);
        Assert.Equal("line 1: 'km5' is not a unit id: expected 'unit id = the unit's command.key', the id 1-65535.", Assert.Throws<ConfigFileException>(() => LoRaKeyList.Parse("km5 = 000102030405060708090a0b0c0d0e0f")).Message);
        Assert.Equal("line 2: unit 5 is given twice.", Assert.Throws<ConfigFileException>(() => LoRaKeyList.Parse("5 = 000102030405060708090a0b0c0d0e0f\n5 = 000102030405060708090a0b0c0d0e0f")).Message);
    }
}
