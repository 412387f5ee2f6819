using TimingMat.Portability.Tests.Guard;
using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>
/// The nanoFramework build compiles only the files its .nfproj lists, while the desktop csproj globs the folder: a
/// file missing from the list would pass every desktop test and break the device build.
/// </summary>
public class NfprojCompileListTests : IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("nfproj-").FullName;

    public static TheoryData<string> Projects => new(NfProject.All().Select(p => RepoPaths.Relative(p.Path)));

    [Theory]
    [MemberData(nameof(Projects))]
    public void CompileList_MatchesTheSourceFilesInTheFolder(string nfproj)
    {
        var (notListed, missing) = NfProject.Load(Path.Combine(RepoPaths.Root, nfproj)).CompareCompileItems();

        Assert.True(notListed.Count == 0, $"{nfproj} does not compile: {string.Join(", ", notListed)} (run tools/sync-nfproj)");
        Assert.True(missing.Count == 0, $"{nfproj} lists missing files: {string.Join(", ", missing)} (run tools/sync-nfproj)");
    }

    [Fact]
    public void CompileList_WithAFileMissingEitherWay_IsReported()
    {
        Directory.CreateDirectory(Path.Combine(_scratch, "Clock"));
        File.WriteAllText(Path.Combine(_scratch, "Clock", "MatClock.cs"), "class MatClock { }");
        File.WriteAllText(Path.Combine(_scratch, "Forgotten.cs"), "class Forgotten { }");
        Directory.CreateDirectory(Path.Combine(_scratch, "obj"));
        File.WriteAllText(Path.Combine(_scratch, "obj", "Generated.cs"), "class Generated { }");
        File.WriteAllText(Path.Combine(_scratch, "Unit.nfproj"), """
            <Project xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
              <ItemGroup>
                <Compile Include="Clock\MatClock.cs" />
                <Compile Include="Deleted.cs" />
              </ItemGroup>
            </Project>
            """);

        var (notListed, missing) = NfProject.Load(Path.Combine(_scratch, "Unit.nfproj")).CompareCompileItems();

        Assert.Equal(["Forgotten.cs"], notListed);
        Assert.Equal(["Deleted.cs"], missing);
    }

    public void Dispose() => Directory.Delete(_scratch, recursive: true);
}
