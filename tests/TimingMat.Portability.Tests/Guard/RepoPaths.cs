namespace TimingMat.Portability.Tests.Guard;

/// <summary>Finds the repository root and the nanoFramework API reference listings.</summary>
public static class RepoPaths
{
    /// <summary>Gets the repository root (the folder holding TimingMat.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>Gets the firmware core folder.</summary>
    public static string Core => Path.Combine(Root, "firmware", "TimingMat.Core");

    /// <summary>Gets the device application folder.</summary>
    public static string Device => Path.Combine(Root, "firmware", "TimingMat.Device");

    /// <summary>Gets the on-target test project folder.</summary>
    public static string DeviceTests => Path.Combine(Root, "tests", "TimingMat.Device.Tests");

    /// <summary>
    /// Finds the folder of nanoFramework public API listings the allow-lists are copied from: the
    /// <c>TIMINGMAT_NF_API_DIR</c> environment variable, else <c>shared/reference/nanoframework-api</c> next to or
    /// above the repository. Returns <c>null</c> when it is not on this machine (e.g. a CI clone).
    /// </summary>
    public static string? FindApiReference()
    {
        var fromEnv = Environment.GetEnvironmentVariable("TIMINGMAT_NF_API_DIR");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return Directory.Exists(fromEnv) ? fromEnv : null;
        }

        for (var dir = new DirectoryInfo(Root); dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "reference", "nanoframework-api");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// Finds nanoframework-ref, the reference assemblies of the nanoFramework packages and its <c>nf-compile</c>: the
    /// <c>TIMINGMAT_NF_REF_DIR</c> environment variable, else <c>shared/nanoframework-ref</c> beside the repository
    /// (<c>&lt;repo&gt;/../shared</c>) or above it. Returns <c>null</c> when it is not on this machine.
    /// </summary>
    public static string? FindNanoFrameworkRef()
    {
        var fromEnv = Environment.GetEnvironmentVariable("TIMINGMAT_NF_REF_DIR");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return File.Exists(Path.Combine(fromEnv, "index.json")) ? fromEnv : null;
        }

        for (var dir = new DirectoryInfo(Root).Parent; dir != null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "nanoframework-ref");
            if (File.Exists(Path.Combine(candidate, "index.json")))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Makes a path relative to the repository root with forward slashes, for messages.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    /// <summary>Lists the .cs files of a project folder the way the nanoFramework build sees them (no bin/obj).</summary>
    public static IReadOnlyList<string> SourceFiles(string projectDir) =>
        Directory.EnumerateFiles(projectDir, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(projectDir, f))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();

    private static bool IsBuildOutput(string projectDir, string file)
    {
        var first = Path.GetRelativePath(projectDir, file).Split(Path.DirectorySeparatorChar)[0];
        return first is "bin" or "obj";
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TimingMat.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("TimingMat.sln not found above " + AppContext.BaseDirectory);
    }
}
