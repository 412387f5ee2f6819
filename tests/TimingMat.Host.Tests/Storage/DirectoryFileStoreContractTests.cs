using TimingMat.Contracts;
using TimingMat.Core.Hardware;
using TimingMat.Host.Storage;
using Xunit;

namespace TimingMat.Host.Tests.Storage;

/// <summary>The file-store contract on a desktop folder, and that flushed bytes survive a new store on it.</summary>
public sealed class DirectoryFileStoreContractTests : FileStoreContractTests, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tm-store-").FullName;
    private readonly DirectoryFileStore _store;

    public DirectoryFileStoreContractTests() => _store = new DirectoryFileStore(_folder);

    protected override IFileStore Store => _store;

    [Fact]
    public void FlushedBytes_AreOnDisk_ForANewStoreOnTheSameFolder()
    {
        _store.Append("seg", [1, 2, 3], 0, 3);
        _store.Flush("seg");
        using var reopened = new DirectoryFileStore(_folder);

        Assert.Equal(3, reopened.GetLength("seg"));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("sub/dir")]
    [InlineData("")]
    public void NamesWithDirectories_AreRefused(string name)
    {
        Assert.Throws<ArgumentException>(() => _store.Append(name, [1], 0, 1));
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
