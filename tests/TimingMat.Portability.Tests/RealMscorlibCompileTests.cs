using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TimingMat.Portability.Tests.Guard;
using Xunit;

namespace TimingMat.Portability.Tests;

/// <summary>
/// The core compiles against the real nanoFramework mscorlib (nanoFramework.CoreLibrary 1.17.11, restored from NuGet
/// by this project's PackageDownload) the way the nanoFramework project system compiles it: C# 9, no standard library
/// but that mscorlib, TRACE and NANOFRAMEWORK_1_0, XML documentation. No error and no warning. This needs nothing
/// beside the repository, so it runs on every machine.
/// </summary>
public class RealMscorlibCompileTests
{
    private static readonly Lazy<string> s_mscorlib = new(FindMscorlib);

    [Fact]
    public void CoreSources_CompileAgainstTheRealMscorlib_WithoutErrorsOrWarnings()
    {
        var project = NfProject.Load(Path.Combine(RepoPaths.Core, "TimingMat.Core.nfproj"));
        var sources = project.CompileItems.Select(i => SourceFile.Read(Path.Combine(project.Directory, i.Replace('\\', Path.DirectorySeparatorChar)))).ToList();

        var diagnostics = Compile("TimingMat.Core", sources);

        Assert.True(sources.Count > 100, "the Compile list was not read");
        Assert.True(diagnostics.Count == 0, string.Join("\n", diagnostics));
    }

    [Fact]
    public void DesktopOnlyApi_AndAnUndocumentedPublicType_AreCaught()
    {
        // Shows the compile can fail: List<T> and Stopwatch are not in nanoFramework's mscorlib, and a public type
        // without an XML comment is warning CS1591 in a project that writes its documentation file.
        var diagnostics = Compile("Probe", [new SourceFile("Probe.cs", """
            /// <summary>Documented.</summary>
            public static class Probe
            {
                /// <summary>Uses desktop API.</summary>
                public static int Count() { return new System.Collections.Generic.List<int>().Count + (int)System.Diagnostics.Stopwatch.GetTimestamp(); }
            }

            public class Undocumented { }
            """)]);

        Assert.Contains(diagnostics, d => d.Id == "CS0234" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("Generic", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Id is "CS0234" or "CS0103" && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("Stopwatch", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Id == "CS1591" && d.Severity == DiagnosticSeverity.Warning);
    }

    [Fact]
    public void TheMscorlibCompiledAgainst_IsTheRealOne()
    {
        var identity = AssemblyName.GetAssemblyName(s_mscorlib.Value);

        Assert.Equal("mscorlib", identity.Name);
        Assert.Equal(new Version(1, 17, 11, 0), identity.Version);
        Assert.Equal("c07d481e9758c731", Convert.ToHexStringLower(identity.GetPublicKeyToken()!));
    }

    private static List<Diagnostic> Compile(string name, IEnumerable<SourceFile> sources)
    {
        // As NFProjectSystem (and nf-compile) build a Release library: C# 9, TRACE + NANOFRAMEWORK_1_0, /nostdlib,
        // the generated TargetFrameworkAttribute, warning level 4, documentation diagnostics on.
        var parse = new CSharpParseOptions(LanguageVersion.CSharp9, DocumentationMode.Diagnose, SourceCodeKind.Regular, ["TRACE", "NANOFRAMEWORK_1_0"]);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parse, path: s.DisplayPath)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText(
            "[assembly: global::System.Runtime.Versioning.TargetFrameworkAttribute(\".NETnanoFramework,Version=v1.0\", FrameworkDisplayName = \".NET nanoFramework 1.0\")]",
            parse, path: "TargetFrameworkAttribute.cs"));
        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, warningLevel: 4,
            nullableContextOptions: NullableContextOptions.Disable, concurrentBuild: false);
        var compilation = CSharpCompilation.Create(name, trees, [MetadataReference.CreateFromFile(s_mscorlib.Value)], options);
        using var pe = new MemoryStream();
        using var xml = new MemoryStream();
        var emit = compilation.Emit(pe, xmlDocumentationStream: xml);
        return emit.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
    }

    private static string FindMscorlib()
    {
        var root = typeof(RealMscorlibCompileTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value;
        var path = Path.Combine(root ?? string.Empty, "nanoframework.corelibrary", "1.17.11", "lib", "mscorlib.dll");
        Assert.True(File.Exists(path), $"nanoFramework.CoreLibrary 1.17.11 was not restored to {path}: the PackageDownload in TimingMat.Portability.Tests.csproj brings it (dotnet restore)");
        return path;
    }
}
