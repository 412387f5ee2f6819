using TimingMat.Portability.Tests.Guard;
using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>
/// The nanoFramework packages of each .nfproj form a set the project system builds: packages.config, HintPaths and
/// Reference identities agree, and every package's nuspec minimums are met. Fast, no compiler: the compile itself is
/// NfCompileTests.
/// </summary>
public class PackageSetTests
{
    // Two packages as their nuspecs and assemblies are: System.Device.Gpio 1.1.62 needs Runtime.Events 1.11.37.
    private static readonly PackageTable s_table = PackageTable.Parse("inline", """
        nanoFramework.Runtime.Events 1.11.32 | nanoFramework.Runtime.Events.dll=nanoFramework.Runtime.Events@1.11.32.0 | nanoFramework.CoreLibrary>=1.17.11
        nanoFramework.System.Device.Gpio 1.1.62 | System.Device.Gpio.dll=System.Device.Gpio@1.1.62.0 | nanoFramework.CoreLibrary>=1.17.11 nanoFramework.Runtime.Events>=1.11.37
        nanoFramework.System.Threading 1.1.52 | System.Threading.dll=System.Threading@1.1.52.34401 | nanoFramework.CoreLibrary>=1.17.11
        nanoFramework.CoreLibrary 1.17.11 | mscorlib.dll=mscorlib@1.17.11.0 |
        """.Split('\n'));

    public static TheoryData<string> Projects => new(NfProject.All().Select(p => RepoPaths.Relative(p.Path)));

    [Theory]
    [MemberData(nameof(Projects))]
    public void PackagesConfig_HintPaths_AndReferenceIdentities_FormAConsistentSet(string nfproj)
    {
        var project = NfProject.Load(Path.Combine(RepoPaths.Root, nfproj));
        var table = PackageTable.Load();

        var problems = PackageSetChecker.Check(nfproj, project.Packages, project.References, table);

        Assert.True(problems.Count == 0, $"checked against {table.Source}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void ACLashingSet_IsCaught_WithEveryReason()
    {
        // What TimingMat.Device.nfproj declared before issue 12: Gpio 1.1.62 over Runtime.Events 1.11.32 (CS1705 in
        // the compiler), plus a HintPath that disagrees with packages.config and an Include that names the wrong version.
        NfPackage[] packages =
        [
            new("nanoFramework.CoreLibrary", "1.17.11"),
            new("nanoFramework.Runtime.Events", "1.11.32"),
            new("nanoFramework.System.Device.Gpio", "1.1.62"),
            new("nanoFramework.System.Threading", "1.1.52"),
        ];
        NfReference[] references =
        [
            Reference("mscorlib", "1.17.11.0", "nanoFramework.CoreLibrary.1.17.11", "mscorlib.dll"),
            Reference("nanoFramework.Runtime.Events", "1.11.32.0", "nanoFramework.Runtime.Events.1.11.32", "nanoFramework.Runtime.Events.dll"),
            Reference("System.Device.Gpio", "1.1.62.0", "nanoFramework.System.Device.Gpio.1.1.57", "System.Device.Gpio.dll"),
            Reference("System.Threading", "1.1.52.0", "nanoFramework.System.Threading.1.1.52", "System.Threading.dll"),
        ];

        var problems = PackageSetChecker.Check("Clash.nfproj", packages, references, s_table);

        Assert.Contains("Clash.nfproj: nanoFramework.Runtime.Events 1.11.32 is below 1.11.37, the minimum nanoFramework.System.Device.Gpio 1.1.62 needs", problems);
        Assert.Contains(problems, p => p.Contains("names nanoFramework.System.Device.Gpio 1.1.57, packages.config has 1.1.62", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("should be 'System.Threading, Version=1.1.52.34401, Culture=neutral, PublicKeyToken=c07d481e9758c731'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("lists nanoFramework.System.Device.Gpio 1.1.62 but no Reference HintPath points into it", StringComparison.Ordinal));
        Assert.Equal(5, problems.Count);
    }

    [Fact]
    public void TheSameSet_Raised_PassesTheChecker()
    {
        var table = PackageTable.Parse("inline", ["nanoFramework.Runtime.Events 1.11.37 | nanoFramework.Runtime.Events.dll=nanoFramework.Runtime.Events@1.11.37.0 | nanoFramework.CoreLibrary>=1.17.11", .. s_table.Rows.Select(PackageTable.Format)]);
        NfPackage[] packages = [new("nanoFramework.CoreLibrary", "1.17.11"), new("nanoFramework.Runtime.Events", "1.11.37"), new("nanoFramework.System.Device.Gpio", "1.1.62")];
        NfReference[] references =
        [
            Reference("mscorlib", "1.17.11.0", "nanoFramework.CoreLibrary.1.17.11", "mscorlib.dll"),
            Reference("nanoFramework.Runtime.Events", "1.11.37.0", "nanoFramework.Runtime.Events.1.11.37", "nanoFramework.Runtime.Events.dll"),
            Reference("System.Device.Gpio", "1.1.62.0", "nanoFramework.System.Device.Gpio.1.1.62", "System.Device.Gpio.dll"),
        ];

        Assert.Empty(PackageSetChecker.Check("Raised.nfproj", packages, references, table));
    }

    [Fact]
    public void CommittedTable_CoversEveryPackageTheProjectsUse()
    {
        var table = PackageTable.Committed();

        foreach (var package in NfProject.All().SelectMany(p => p.Packages))
        {
            Assert.True(table.Find(package.Id, package.Version) != null, $"nanoframework-packages.txt has no row for {package.Id} {package.Version}");
        }
    }

    [RequiresNanoFrameworkRefFact]
    public void CommittedTable_AgreesWithNanoFrameworkRefIndex()
    {
        var index = PackageTable.FromIndex(RepoPaths.FindNanoFrameworkRef()!);

        foreach (var row in PackageTable.Committed().Rows)
        {
            var real = index.Find(row.Id, row.Version);
            Assert.True(real != null, $"{row.Id} {row.Version} is not in index.json");
            Assert.Equal(PackageTable.Format(real), PackageTable.Format(row));
        }
    }

    private static NfReference Reference(string name, string version, string folder, string file) =>
        new($"{name}, Version={version}, Culture=neutral, PublicKeyToken=c07d481e9758c731", $@"..\..\packages\{folder}\lib\{file}");
}
