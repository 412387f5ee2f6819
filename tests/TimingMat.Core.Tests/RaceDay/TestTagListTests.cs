using TimingMat.Core.RaceDay;
using Xunit;

namespace TimingMat.Core.Tests.RaceDay;

public class TestTagListTests
{
    [Theory]
    [InlineData("E28011")]
    [InlineData("e2 80 11")]
    [InlineData("E2:80:11")]
    [InlineData("e2-80-11")]
    public void HexPrefixes_InTheUsualSpellings_MatchTheirTags(string hex)
    {
        var list = new TestTagList();

        Assert.True(list.TryAddHex(hex));
        Assert.True(list.Matches([0xE2, 0x80, 0x11, 0x05], 4));
        Assert.False(list.Matches([0xE2, 0x80, 0x12, 0x05], 4));
        Assert.False(list.Matches([0xE2, 0x80], 2));
    }

    [Theory]
    [InlineData("E2801")]
    [InlineData("E2 8G")]
    [InlineData("")]
    [InlineData("00112233445566778899AABBCCDDEEFF00")]
    public void BadHex_IsRefused(string hex)
    {
        var list = new TestTagList();

        Assert.False(list.TryAddHex(hex));
        Assert.Equal(0, list.Count);
    }

    [Fact]
    public void List_HoldsEightPrefixes_AndClears()
    {
        var list = new TestTagList();
        for (var i = 0; i < TestTagList.MaxPrefixes; i++)
        {
            Assert.True(list.Add([(byte)i], 0, 1));
        }

        Assert.False(list.Add([0xFF], 0, 1));
        Assert.True(list.Matches([7, 1, 2], 3));
        list.Clear();
        Assert.False(list.Matches([7, 1, 2], 3));
    }
}
