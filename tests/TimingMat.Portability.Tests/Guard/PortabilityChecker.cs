using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TimingMat.Portability.Tests.Guard;

/// <summary>A source file handed to the checker.</summary>
/// <param name="DisplayPath">Path used in violation messages (repository-relative).</param>
/// <param name="Text">C# source.</param>
public sealed record SourceFile(string DisplayPath, string Text)
{
    /// <summary>Reads a file from disk, naming it relative to the repository root.</summary>
    public static SourceFile Read(string path) => new(RepoPaths.Relative(path), File.ReadAllText(path));
}

/// <summary>What the checker found in one firmware project.</summary>
public sealed class PortabilityReport
{
    internal PortabilityReport(string project, StubCorlib stub, CSharpCompilation compilation, IReadOnlyList<Violation> violations)
    {
        Project = project;
        Stub = stub;
        Compilation = compilation;
        Violations = violations;
    }

    /// <summary>Gets the project name.</summary>
    public string Project { get; }

    /// <summary>Gets the stub the sources were compiled against.</summary>
    public StubCorlib Stub { get; }

    /// <summary>Gets the compilation of the project's sources against the stub.</summary>
    public CSharpCompilation Compilation { get; }

    /// <summary>Gets every violation, ordered by file and line.</summary>
    public IReadOnlyList<Violation> Violations { get; }

    /// <summary>Lists allow-list entries the sources never use ("copy only the names you use").</summary>
    public IReadOnlyList<string> UnusedEntries() => UsageCollector.Unused(Compilation, Stub);

    /// <summary>Renders the violations, one per line, for an assertion message.</summary>
    public string Describe() => Violations.Count == 0
        ? Project + ": no violations"
        : Project + $": {Violations.Count} violation(s)\n" + string.Join("\n", Violations);
}

/// <summary>
/// Checks firmware sources for what nanoFramework 1.x cannot build or run: compiles them with Roslyn against a stub of
/// the allow-listed nanoFramework API (anything else fails to bind, reported with file:line) and walks them for
/// constructs the compiler accepts but the device cannot run (generics, tuples, yield, async, ...).
/// </summary>
public static class PortabilityChecker
{
    /// <summary>Checks a firmware project folder: all its .cs files (bin/obj excluded) against its allow-list.</summary>
    /// <param name="project">Project name for messages.</param>
    /// <param name="directory">Project folder holding the sources and <c>nanoframework.allowlist</c>.</param>
    /// <param name="references">Reports of projects this one references (their compilations are referenced).</param>
    public static PortabilityReport CheckProject(string project, string directory, params PortabilityReport[] references)
    {
        var allowList = AllowList.Load(Path.Combine(directory, "nanoframework.allowlist"));
        var sources = RepoPaths.SourceFiles(directory).Select(SourceFile.Read);
        return Check(project, sources, allowList, references);
    }

    /// <summary>Checks sources against an allow-list.</summary>
    public static PortabilityReport Check(string project, IEnumerable<SourceFile> sources, AllowList allowList, params PortabilityReport[] references)
    {
        var stub = StubCorlib.Build(allowList);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, Options.Parse, path: s.DisplayPath)).ToList();
        var metadata = new List<MetadataReference> { stub.Reference };
        metadata.AddRange(references.Select(r => r.Compilation.ToMetadataReference()));
        var compilation = CSharpCompilation.Create(project, trees, metadata, Options.Library);

        var violations = new List<Violation>();
        foreach (var problem in stub.Problems)
        {
            violations.Add(new Violation(RepoPaths.Relative(allowList.Path), problem.Line, 1, "allowlist", problem.Message));
        }

        foreach (var diagnostic in compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error))
        {
            var span = diagnostic.Location.GetLineSpan();
            var file = diagnostic.Location.IsInSource ? span.Path : "(" + project + ")";
            violations.Add(new Violation(file, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, "api",
                $"{diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)} " +
                "(only nanoFramework 1.x members listed in " + RepoPaths.Relative(allowList.Path) + " can be used)"));
        }

        foreach (var tree in trees)
        {
            violations.AddRange(ForbiddenConstructWalker.Scan(compilation.GetSemanticModel(tree), tree.FilePath));
        }

        var ordered = violations.Distinct()
            .OrderBy(v => v.File, StringComparer.Ordinal).ThenBy(v => v.Line).ThenBy(v => v.Column).ThenBy(v => v.Rule, StringComparer.Ordinal)
            .ToList();
        return new PortabilityReport(project, stub, compilation, ordered);
    }
}
