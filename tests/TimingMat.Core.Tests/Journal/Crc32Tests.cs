using System.Text;
using TimingMat.Core.Common;
using TimingMat.Core.Journal;
using Xunit;

namespace TimingMat.Core.Tests.Journal;

public class Crc32Tests
{
    [Fact]
    public void CheckValue_OfTheStandardString_Is0xCBF43926()
    {
        var data = Encoding.ASCII.GetBytes("123456789");

        Assert.Equal(0xCBF43926u, Crc32.Compute(data, 0, data.Length));
    }

    [Fact]
    public void IncrementalUpdate_EqualsOneShot()
    {
        var data = Encoding.ASCII.GetBytes("The quick brown fox jumps over the lazy dog");
        var running = Crc32.Update(Crc32.Initial, data, 0, 10);
        running = Crc32.Update(running, data, 10, data.Length - 10);

        Assert.Equal(0x414FA339u, Crc32.Finish(running));
        Assert.Equal(0x414FA339u, Crc32.Compute(data, 0, data.Length));
    }

    [Fact]
    public void EmptyRange_IsZero()
    {
        Assert.Equal(0u, Crc32.Compute([], 0, 0));
    }
}
