namespace TimingMat.Portability.Tests.Guard;

/// <summary>One nanoFramework public API listing file: type header lines and their member lines.</summary>
public sealed class ApiListing
{
    private readonly Dictionary<string, HashSet<string>> _members = new(StringComparer.Ordinal);

    private ApiListing(IEnumerable<string> lines)
    {
        HashSet<string>? current = null;
        foreach (var line in lines)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (char.IsWhiteSpace(line[0]))
            {
                current?.Add(line.Trim());
            }
            else if (!_members.TryGetValue(line.TrimEnd(), out current))
            {
                _members[line.TrimEnd()] = current = new HashSet<string>(StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Reads a listing file.</summary>
    public static ApiListing Load(string path) => new(File.ReadLines(path));

    /// <summary>Reads listing lines (e.g. rendered from a reference assembly by <see cref="ReferenceListing"/>).</summary>
    public static ApiListing FromLines(IEnumerable<string> lines) => new(lines);

    /// <summary>Tells whether the listing has this exact type header line.</summary>
    public bool HasType(string header) => _members.ContainsKey(header);

    /// <summary>Tells whether the type has this exact member line.</summary>
    public bool HasMember(string header, string member) => _members.TryGetValue(header, out var set) && set.Contains(member);
}
