using TimingMat.Portability.Tests.Guard;
using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>The allow-lists name only real nanoFramework 1.x API, and their packages are the ones the projects reference.</summary>
public class AllowListTests
{
    public static TheoryData<string> Projects => new() { RepoPaths.Core, RepoPaths.Device, RepoPaths.DeviceTests };

    [RequiresApiReferenceFact(AlsoNanoFrameworkRef = true)]
    public void EveryAllowListEntry_IsAVerbatimLineOfTheNamedListing()
    {
        // Packages without a listing file (System.Device.Adc, System.Security.Cryptography) are checked against their
        // own reference assembly, at the version the project's packages.config names.
        var reference = RepoPaths.FindApiReference()!;
        var kit = RepoPaths.FindNanoFrameworkRef()!;
        var problems = new[] { RepoPaths.Core, RepoPaths.Device, RepoPaths.DeviceTests }
            .SelectMany(p =>
            {
                var packages = NfProject.All().Single(n => n.Directory == p).Packages;
                return AllowListVerifier.Verify(AllowList.Load(Path.Combine(p, "nanoframework.allowlist")), reference, section =>
                {
                    var package = packages.FirstOrDefault(k => k.Id == section.PackageId);
                    return package == null ? null : ReferenceListing.FromKit(kit, package.Id, package.Version, section.ListingFile);
                });
            })
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [RequiresApiReferenceFact]
    public void InventedEntries_AreReportedWithTheirLine()
    {
        var list = AllowList.Parse(Path.Combine(RepoPaths.Root, "invented.allowlist"), """
            @ mscorlib.txt nanoFramework.CoreLibrary
            class System.String
                Int32 Length { get; }
                String Replace(String oldValue, String newValue)
            class System.Collections.Generic.List
            @ nothing.txt nanoFramework.Nothing
            class System.Object
            """.Split('\n'));

        var problems = AllowListVerifier.Verify(list, RepoPaths.FindApiReference()!);

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("invented.allowlist:4: 'String Replace", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("invented.allowlist:5: 'class System.Collections.Generic.List' is not a type header", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("invented.allowlist:6: no listing 'nothing.txt'", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void AllowList_UsesOnlyTheStable1xListings(string project)
    {
        var list = AllowList.Load(Path.Combine(project, "nanoframework.allowlist"));

        Assert.NotEmpty(list.Types);
        Assert.DoesNotContain(list.Sections, s => s.ListingFile.Contains("preview", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(list.Types, t => t.FullName.Contains('`') || t.Members.Any(m => m.Text.Contains('<') || m.Text.Contains('`')));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void EveryAllowListPackage_IsInPackagesConfig_AndReferencedByTheNfproj(string project)
    {
        var nf = NfProject.All().Single(p => p.Directory == project);
        var list = AllowList.Load(Path.Combine(project, "nanoframework.allowlist"));

        foreach (var section in list.Sections)
        {
            Assert.True(nf.Packages.Any(p => p.Id == section.PackageId), $"{RepoPaths.Relative(list.Path)}:{section.Line}: package {section.PackageId} is not in packages.config");
        }

        foreach (var package in nf.Packages)
        {
            var hint = $@"..\..\packages\{package.Id}.{package.Version}\lib\";
            Assert.True(nf.HintPaths.Any(h => h.StartsWith(hint, StringComparison.Ordinal)), $"{RepoPaths.Relative(nf.Path)} has no Reference with HintPath {hint}…");
        }

        foreach (var hint in nf.HintPaths)
        {
            Assert.True(nf.Packages.Any(p => hint.StartsWith($@"..\..\packages\{p.Id}.{p.Version}\", StringComparison.Ordinal)),
                $"{RepoPaths.Relative(nf.Path)}: HintPath {hint} points at a package version not in packages.config");
        }
    }

    [Fact]
    public void CorePackagesConfig_ListsExactlyThePackagesTheCoreUses()
    {
        var nf = NfProject.Load(Path.Combine(RepoPaths.Core, "TimingMat.Core.nfproj"));
        var used = AllowList.Load(Path.Combine(RepoPaths.Core, "nanoframework.allowlist")).Sections.Select(s => s.PackageId).ToHashSet();

        Assert.Equal(used.Order(), nf.Packages.Select(p => p.Id).Order());
    }

    [Fact]
    public void NanoFrameworkPackages_AreStable1xAndAgreeAcrossProjects()
    {
        var projects = NfProject.All();
        Assert.Equal(3, projects.Count);
        foreach (var package in projects.SelectMany(p => p.Packages))
        {
            Assert.DoesNotContain("preview", package.Version, StringComparison.OrdinalIgnoreCase);
            if (package.Id == "nanoFramework.CoreLibrary")
            {
                Assert.StartsWith("1.17.", package.Version, StringComparison.Ordinal);
            }
        }

        var versions = projects.SelectMany(p => p.Packages).GroupBy(p => p.Id).Where(g => g.Select(p => p.Version).Distinct().Count() > 1).Select(g => g.Key).ToList();
        Assert.True(versions.Count == 0, "packages at different versions across projects: " + string.Join(", ", versions));
    }

    [Fact]
    public void DeviceTestProject_IsNamedNFUnitTest()
    {
        var nf = NfProject.Load(Path.Combine(RepoPaths.DeviceTests, "TimingMat.Device.Tests.nfproj"));

        Assert.Equal("NFUnitTest", nf.AssemblyName);
        Assert.Contains(nf.Packages, p => p.Id == "nanoFramework.TestFramework");
        Assert.True(File.Exists(Path.Combine(RepoPaths.DeviceTests, "nano.runsettings")));
    }
}
