using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>
/// The real firmware sources build and run on nanoFramework 1.x: no forbidden construct, only allow-listed API, and
/// the allow-lists hold only what the sources use.
/// </summary>
public class FirmwareSourcesTests
{
    public static TheoryData<string> Projects => new() { "TimingMat.Core", "TimingMat.Device", "NFUnitTest" };

    [Theory]
    [MemberData(nameof(Projects))]
    public void Sources_HaveNoViolations(string project)
    {
        var report = FirmwareReports.Get(project);

        Assert.True(report.Violations.Count == 0, report.Describe());
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void AllowList_HasNoUnusedEntries(string project)
    {
        var unused = FirmwareReports.Get(project).UnusedEntries();

        Assert.True(unused.Count == 0, $"Remove entries {project} does not use:\n" + string.Join("\n", unused));
    }

    [Fact]
    public void CoreSources_AreActuallyCompiled()
    {
        // Guards the guard: an empty or mis-rooted source list would pass every other check vacuously.
        var compiled = FirmwareReports.Core.Compilation.SyntaxTrees.Select(t => t.FilePath).ToList();

        Assert.Contains("firmware/TimingMat.Core/Board/BoardProfile.cs", compiled);
        Assert.Contains("firmware/TimingMat.Core/Hardware/IBytePort.cs", compiled);
        Assert.NotNull(FirmwareReports.Device.Compilation.GetTypeByMetadataName("TimingMat.Device.Adapters.SerialBytePort"));
    }
}
