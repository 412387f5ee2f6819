using TimingMat.Contracts;
using TimingMat.Core.Hardware;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Emulators.Tests.Storage;

/// <summary>The file-store contract on the emulated flash, and what only the emulator does: power cuts, a full medium, a failing one.</summary>
public sealed class MemoryFileStoreContractTests : FileStoreContractTests
{
    private readonly MemoryFileStore _store = new();

    protected override IFileStore Store => _store;

    [Fact]
    public void PowerCut_LosesOnlyUnflushedBytes()
    {
        _store.Append("seg", [1, 2, 3], 0, 3);
        _store.Flush("seg");
        _store.Append("seg", [4, 5], 0, 2);

        _store.CutPower();

        Assert.Equal(3, _store.GetLength("seg"));
    }

    [Fact]
    public void FullMedium_RefusesTheAppend_AndKeepsWhatIsStored()
    {
        var small = new MemoryFileStore(capacityBytes: 10);
        small.Append("seg", new byte[8], 0, 8);

        Assert.Throws<IOException>(() => small.Append("seg", new byte[3], 0, 3));
        Assert.Equal(8, small.GetLength("seg"));
        Assert.Equal(2, small.GetFreeBytes());
    }

    [Fact]
    public void FailingMedium_ThrowsIOException()
    {
        _store.Failing = true;

        Assert.Throws<IOException>(() => _store.Append("seg", [1], 0, 1));
    }
}
