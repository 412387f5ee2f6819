using TimingMat.Core.Hardware;
using Xunit;

namespace TimingMat.Contracts;

/// <summary>
/// What the core may assume of any <see cref="IFileStore"/>, run against every implementation on desktop (the device
/// adapter runs the same operations in the on-target reboot test).
/// </summary>
public abstract class FileStoreContractTests
{
    protected abstract IFileStore Store { get; }

    [Fact]
    public void AppendThenRead_ReturnsTheBytes_AcrossSeveralAppends()
    {
        Store.Append("seg-0001.jrn", [1, 2, 3], 0, 3);
        Store.Append("seg-0001.jrn", [9, 4, 5, 9], 1, 2);
        var buffer = new byte[8];

        Assert.Equal(5, Store.GetLength("seg-0001.jrn"));
        Assert.Equal(5, Store.Read("seg-0001.jrn", 0, buffer, 0, 8));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, buffer[..5]);
        Assert.Equal(2, Store.Read("seg-0001.jrn", 3, buffer, 1, 8 - 1));
        Assert.Equal(new byte[] { 4, 5 }, buffer[1..3]);
    }

    [Fact]
    public void ReadingPastTheEnd_OrAMissingFile_ReturnsZero()
    {
        Store.Append("a", [1], 0, 1);

        Assert.Equal(0, Store.Read("a", 1, new byte[4], 0, 4));
        Assert.Equal(0, Store.Read("missing", 0, new byte[4], 0, 4));
        Assert.Equal(0, Store.GetLength("missing"));
        Assert.False(Store.Exists("missing"));
    }

    [Fact]
    public void List_ShowsEveryFile_AndDeleteRemovesOne()
    {
        Store.Append("a", [1], 0, 1);
        Store.Append("b", [1], 0, 1);
        Store.Append("a", [2], 0, 1);
        Store.Delete("b");
        Store.Delete("never-existed");

        Assert.Equal(["a"], Store.List());
        Assert.True(Store.Exists("a"));
        Assert.False(Store.Exists("b"));
    }

    [Fact]
    public void Truncate_CutsATornTail()
    {
        Store.Append("seg", [1, 2, 3, 4, 5, 6], 0, 6);
        Store.Flush("seg");
        Store.Truncate("seg", 4);
        Store.Append("seg", [7], 0, 1);
        var buffer = new byte[8];

        Assert.Equal(5, Store.Read("seg", 0, buffer, 0, 8));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 7 }, buffer[..5]);
    }

    [Fact]
    public void TruncatingBeyondTheEnd_IsRefused()
    {
        Store.Append("seg", [1, 2], 0, 2);

        Assert.ThrowsAny<ArgumentException>(() => Store.Truncate("seg", 3));
    }

    [Fact]
    public void FreeBytes_IsPositive()
    {
        Assert.True(Store.GetFreeBytes() > 0);
    }
}
