using System.Xml.Linq;

namespace TimingMat.Portability.Tests.Guard;

/// <summary>What a classic nanoFramework .nfproj and its packages.config declare.</summary>
public sealed class NfProject
{
    private static readonly XNamespace s_msbuild = "http://schemas.microsoft.com/developer/msbuild/2003";

    private NfProject(string path)
    {
        Path = path;
        Directory = System.IO.Path.GetDirectoryName(path)!;
        var xml = XDocument.Load(path);
        CompileItems = xml.Descendants(s_msbuild + "Compile").Select(e => (string)e.Attribute("Include")!).ToList();
        HintPaths = xml.Descendants(s_msbuild + "HintPath").Select(e => e.Value.Trim()).ToList();
        References = xml.Descendants(s_msbuild + "Reference")
            .Select(e => new NfReference((string)e.Attribute("Include")!, e.Element(s_msbuild + "HintPath")?.Value.Trim()))
            .ToList();
        AssemblyName = xml.Descendants(s_msbuild + "AssemblyName").Select(e => e.Value).FirstOrDefault();
        OutputType = xml.Descendants(s_msbuild + "OutputType").Select(e => e.Value).FirstOrDefault();
        var packagesConfig = System.IO.Path.Combine(Directory, "packages.config");
        Packages = File.Exists(packagesConfig)
            ? XDocument.Load(packagesConfig).Descendants("package").Select(p => new NfPackage((string)p.Attribute("id")!, (string)p.Attribute("version")!)).ToList()
            : [];
    }

    /// <summary>Gets the .nfproj path.</summary>
    public string Path { get; }

    /// <summary>Gets the project folder.</summary>
    public string Directory { get; }

    /// <summary>Gets the <c>Compile Include</c> values as written (backslash paths, relative to the folder).</summary>
    public IReadOnlyList<string> CompileItems { get; }

    /// <summary>Gets every reference HintPath.</summary>
    public IReadOnlyList<string> HintPaths { get; }

    /// <summary>Gets every assembly Reference: its Include (an assembly identity) and HintPath.</summary>
    public IReadOnlyList<NfReference> References { get; }

    /// <summary>Gets the assembly name.</summary>
    public string? AssemblyName { get; }

    /// <summary>Gets the output type (Exe or Library).</summary>
    public string? OutputType { get; }

    /// <summary>Gets the packages.config entries.</summary>
    public IReadOnlyList<NfPackage> Packages { get; }

    /// <summary>Reads a project.</summary>
    public static NfProject Load(string path) => new(path);

    /// <summary>Finds every .nfproj in the repository.</summary>
    public static IReadOnlyList<NfProject> All() =>
        System.IO.Directory.EnumerateFiles(RepoPaths.Root, "*.nfproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{System.IO.Path.DirectorySeparatorChar}bin{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{System.IO.Path.DirectorySeparatorChar}obj{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(Load)
            .ToList();

    /// <summary>Compares the Compile list with the .cs files in the folder (bin/obj excluded).</summary>
    /// <returns>Files on disk the project does not compile, and listed files that do not exist.</returns>
    public (IReadOnlyList<string> NotListed, IReadOnlyList<string> Missing) CompareCompileItems()
    {
        var onDisk = RepoPaths.SourceFiles(Directory)
            .Select(f => System.IO.Path.GetRelativePath(Directory, f).Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);
        var listed = CompileItems.Select(i => i.Replace('\\', '/')).ToHashSet(StringComparer.Ordinal);
        return (onDisk.Except(listed).Order(StringComparer.Ordinal).ToList(), listed.Except(onDisk).Order(StringComparer.Ordinal).ToList());
    }
}

/// <summary>A Reference item: <c>Include="Name, Version=…, Culture=neutral, PublicKeyToken=…"</c> and its HintPath.</summary>
public sealed record NfReference(string Include, string? HintPath);

/// <summary>A packages.config entry.</summary>
public sealed record NfPackage(string Id, string Version);
