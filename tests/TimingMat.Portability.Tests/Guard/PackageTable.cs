using System.Text.Json;

namespace TimingMat.Portability.Tests.Guard;

/// <summary>
/// What each nanoFramework package version ships and asks for: its assemblies' identities and its <c>.nuspec</c>
/// dependency minimums. Read from nanoframework-ref's <c>index.json</c> when it is on the machine, else from the
/// committed table <c>nanoframework-packages.txt</c> beside the tests (a test keeps the two in agreement).
/// </summary>
public sealed class PackageTable
{
    private readonly Dictionary<(string Id, string Version), PackageRow> _rows = [];

    private PackageTable(string source, IEnumerable<PackageRow> rows)
    {
        Source = source;
        foreach (var row in rows)
        {
            _rows[(row.Id, row.Version)] = row;
        }
    }

    /// <summary>Gets where the table was read from, for messages.</summary>
    public string Source { get; }

    /// <summary>Gets every row.</summary>
    public IReadOnlyCollection<PackageRow> Rows => _rows.Values;

    /// <summary>Reads index.json of a nanoframework-ref folder.</summary>
    public static PackageTable FromIndex(string kitDir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(kitDir, "index.json")));
        var rows = doc.RootElement.GetProperty("packages").EnumerateArray().Select(p => new PackageRow(
            p.GetProperty("id").GetString()!,
            p.GetProperty("version").GetString()!,
            p.GetProperty("assemblies").EnumerateArray().Select(a => new PackageAssembly(a.GetProperty("file").GetString()!, a.GetProperty("name").GetString()!, a.GetProperty("version").GetString()!)).ToList(),
            p.GetProperty("dependencies").EnumerateObject().ToDictionary(d => d.Name, d => d.Value.GetString()!, StringComparer.Ordinal)));
        return new PackageTable("nanoframework-ref/index.json", rows);
    }

    /// <summary>
    /// Parses the committed table. One package version a line:
    /// <c>Id Version | file=Name@AssemblyVersion … | DependencyId&gt;=Minimum …</c>; <c>#</c> starts a comment.
    /// </summary>
    /// <exception cref="FormatException">A line does not follow the format; the message names it.</exception>
    public static PackageTable Parse(string name, IEnumerable<string> lines)
    {
        var rows = new List<PackageRow>();
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split('|');
            var head = parts[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3 || head.Length != 2)
            {
                throw new FormatException($"{name}:{number}: expected 'Id Version | file=Name@Version … | Dependency>=Minimum …'");
            }

            var assemblies = parts[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(a =>
            {
                var eq = a.IndexOf('=');
                var at = a.IndexOf('@');
                return eq > 0 && at > eq ? new PackageAssembly(a[..eq], a[(eq + 1)..at], a[(at + 1)..]) : throw new FormatException($"{name}:{number}: '{a}' is not file=Name@Version");
            }).ToList();
            var dependencies = parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(d =>
            {
                var ge = d.IndexOf(">=", StringComparison.Ordinal);
                return ge > 0 ? (d[..ge], d[(ge + 2)..]) : throw new FormatException($"{name}:{number}: '{d}' is not Dependency>=Minimum");
            }).ToDictionary(d => d.Item1, d => d.Item2, StringComparer.Ordinal);
            rows.Add(new PackageRow(head[0], head[1], assemblies, dependencies));
        }

        return new PackageTable(name, rows);
    }

    /// <summary>Loads index.json when nanoframework-ref is on this machine, else the committed table.</summary>
    public static PackageTable Load()
    {
        var kit = RepoPaths.FindNanoFrameworkRef();
        return kit != null ? FromIndex(kit) : Committed();
    }

    /// <summary>Loads the committed table (copied beside the test assembly).</summary>
    public static PackageTable Committed() =>
        Parse("nanoframework-packages.txt", File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "nanoframework-packages.txt")));

    /// <summary>Finds a package version, or <c>null</c>.</summary>
    public PackageRow? Find(string id, string version) => _rows.GetValueOrDefault((id, version));

    /// <summary>Renders rows in the committed table's format.</summary>
    public static string Format(PackageRow row) =>
        $"{row.Id} {row.Version} | {string.Join(" ", row.Assemblies.Select(a => $"{a.File}={a.Name}@{a.Version}"))} | {string.Join(" ", row.Dependencies.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key}>={d.Value}"))}";
}

/// <summary>One package version: its assemblies and its nuspec dependency minimums.</summary>
public sealed record PackageRow(string Id, string Version, IReadOnlyList<PackageAssembly> Assemblies, IReadOnlyDictionary<string, string> Dependencies);

/// <summary>An assembly a package ships under lib/: file name, assembly name and assembly version.</summary>
public sealed record PackageAssembly(string File, string Name, string Version);
