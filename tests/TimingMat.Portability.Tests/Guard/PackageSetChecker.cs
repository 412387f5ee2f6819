using System.Text.RegularExpressions;

namespace TimingMat.Portability.Tests.Guard;

/// <summary>
/// Checks that an .nfproj's package set is one the nanoFramework project system would build: packages.config, the
/// Reference HintPaths and the Reference Include identities name the same versions, and every package's nuspec
/// minimums are met by the set (a version below a minimum is how CS1705 clashes come about).
/// </summary>
public static partial class PackageSetChecker
{
    /// <summary>nanoFramework's public key token; every nanoFramework assembly is signed with it.</summary>
    public const string PublicKeyToken = "c07d481e9758c731";

    /// <summary>Lists what is wrong with a project's package set (empty when nothing is).</summary>
    /// <param name="name">Project name for messages.</param>
    /// <param name="packages">The packages.config entries.</param>
    /// <param name="references">The Reference items.</param>
    /// <param name="table">What each package version ships and needs.</param>
    public static IReadOnlyList<string> Check(string name, IReadOnlyList<NfPackage> packages, IReadOnlyList<NfReference> references, PackageTable table)
    {
        var problems = new List<string>();
        var byId = packages.ToDictionary(p => p.Id, p => p.Version, StringComparer.Ordinal);
        foreach (var reference in references)
        {
            var m = reference.HintPath == null ? null : HintPattern().Match(reference.HintPath);
            if (m is not { Success: true })
            {
                problems.Add($"{name}: Reference '{reference.Include}' has no HintPath into packages\\<id>.<version>\\lib\\");
                continue;
            }

            var (id, version, file) = (m.Groups["id"].Value, m.Groups["ver"].Value, m.Groups["file"].Value);
            if (!byId.TryGetValue(id, out var configured))
            {
                problems.Add($"{name}: HintPath {reference.HintPath} names {id}, which packages.config does not list");
            }
            else if (configured != version)
            {
                problems.Add($"{name}: HintPath {reference.HintPath} names {id} {version}, packages.config has {configured}");
            }

            var row = table.Find(id, version);
            var assembly = row?.Assemblies.FirstOrDefault(a => string.Equals(a.File, file, StringComparison.OrdinalIgnoreCase));
            if (assembly == null)
            {
                problems.Add($"{name}: {id} {version} with {file} is not in {table.Source} (add its row)");
                continue;
            }

            var wanted = $"{assembly.Name}, Version={assembly.Version}, Culture=neutral, PublicKeyToken={PublicKeyToken}";
            if (reference.Include != wanted)
            {
                problems.Add($"{name}: Reference Include '{reference.Include}' should be '{wanted}' (a Reference that names another version is dropped by MSBuild)");
            }
        }

        foreach (var package in packages)
        {
            if (!references.Any(r => r.HintPath != null && r.HintPath.Contains($@"\packages\{package.Id}.{package.Version}\", StringComparison.Ordinal)))
            {
                problems.Add($"{name}: packages.config lists {package.Id} {package.Version} but no Reference HintPath points into it");
            }

            var row = table.Find(package.Id, package.Version);
            if (row == null)
            {
                problems.Add($"{name}: {package.Id} {package.Version} is not in {table.Source} (add its row)");
                continue;
            }

            foreach (var (dependency, minimum) in row.Dependencies)
            {
                if (!byId.TryGetValue(dependency, out var have))
                {
                    problems.Add($"{name}: {package.Id} {package.Version} needs {dependency} >= {minimum}, which packages.config does not list");
                }
                else if (Version.Parse(have) < Version.Parse(minimum))
                {
                    problems.Add($"{name}: {dependency} {have} is below {minimum}, the minimum {package.Id} {package.Version} needs");
                }
            }
        }

        return problems;
    }

    [GeneratedRegex(@"(?:^|\\)packages\\(?<id>[A-Za-z0-9_.\-]+?)\.(?<ver>\d+\.\d+\.\d+)\\lib\\(?<file>[^\\]+)$")]
    private static partial Regex HintPattern();
}
