using System.Text.RegularExpressions;

namespace TimingMat.Portability.Tests.Guard;

/// <summary>
/// The nanoFramework types and members one firmware project may use, copied verbatim from the public API
/// listings and grouped under <c>@ listing-file package-id</c> sections.
/// </summary>
/// <remarks>
/// Format (see firmware/TimingMat.Core/nanoframework.allowlist):
/// <code>
/// @ mscorlib.txt nanoFramework.CoreLibrary
/// class System.String
///     Int32 Length { get; }
///     static String Format(String format, params Object[] args)
/// </code>
/// The listings leave out three things C# needs, so an entry may add them: <c>params</c> before a trailing array
/// parameter, <c>out</c> or <c>ref</c> before a by-reference (<c>&amp;</c>) parameter, and the index parameters of an
/// indexer in brackets after its name (<c>Object Item[Int32 index] { get; set; }</c>). <see cref="AllowMember.Normalized"/>
/// drops them again so the line can be compared with the listing.
/// </remarks>
public sealed partial class AllowList
{
    private AllowList(string path, List<AllowSection> sections, List<AllowType> types)
    {
        Path = path;
        Sections = sections;
        Types = types;
    }

    /// <summary>Gets the file the list was read from.</summary>
    public string Path { get; }

    /// <summary>Gets the listing sections, in file order.</summary>
    public IReadOnlyList<AllowSection> Sections { get; }

    /// <summary>Gets every allowed type with its allowed members.</summary>
    public IReadOnlyList<AllowType> Types { get; }

    /// <summary>Reads an allow-list file.</summary>
    /// <exception cref="FormatException">The file does not follow the format; the message names the line.</exception>
    public static AllowList Load(string path) => Parse(path, File.ReadAllLines(path));

    /// <summary>Parses allow-list lines.</summary>
    /// <exception cref="FormatException">The lines do not follow the format; the message names the line.</exception>
    public static AllowList Parse(string path, IEnumerable<string> lines)
    {
        var sections = new List<AllowSection>();
        var types = new List<AllowType>();
        AllowSection? section = null;
        AllowType? type = null;
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var text = raw.TrimEnd();
            if (text.Length == 0 || text.TrimStart().StartsWith('#'))
            {
                continue;
            }

            if (text.StartsWith('@'))
            {
                var parts = text[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 2)
                {
                    throw Error(path, number, "a section is '@ <listing file> <NuGet package id>'");
                }

                section = new AllowSection(parts[0], parts[1], number);
                sections.Add(section);
                type = null;
                continue;
            }

            if (char.IsWhiteSpace(text[0]))
            {
                if (type == null)
                {
                    throw Error(path, number, "a member line must follow a type header");
                }

                type.Members.Add(new AllowMember(text.Trim(), number));
                continue;
            }

            if (section == null)
            {
                throw Error(path, number, "a type header must follow an '@ listing package' section line");
            }

            var match = HeaderPattern().Match(text);
            if (!match.Success)
            {
                throw Error(path, number, "expected a type header such as 'class System.String' or 'struct System.Int32'");
            }

            type = new AllowType(section, text, match.Groups["kind"].Value, match.Groups["name"].Value,
                match.Groups["base"].Success ? match.Groups["base"].Value : null, number);
            types.Add(type);
        }

        return new AllowList(path, sections, types);
    }

    private static FormatException Error(string path, int line, string message) =>
        new($"{RepoPaths.Relative(path)}:{line}: {message}");

    [GeneratedRegex(@"^(?<kind>static class|class|struct|interface|enum|delegate) (?<name>[A-Za-z0-9_.+`]+)( : (?<base>[A-Za-z0-9_.+`]+))?$")]
    private static partial Regex HeaderPattern();
}

/// <summary>A <c>@ listing package</c> section: which listing file the entries come from and which NuGet package ships them.</summary>
public sealed record AllowSection(string ListingFile, string PackageId, int Line);

/// <summary>An allowed type and its allowed members.</summary>
public sealed class AllowType(AllowSection section, string header, string kind, string fullName, string? baseName, int line)
{
    /// <summary>Gets the section the type is listed in.</summary>
    public AllowSection Section { get; } = section;

    /// <summary>Gets the header line exactly as in the listing.</summary>
    public string Header { get; } = header;

    /// <summary>Gets the kind: class, static class, struct, interface, enum or delegate.</summary>
    public string Kind { get; } = kind;

    /// <summary>Gets the metadata name with <c>+</c> between a nested type and its container.</summary>
    public string FullName { get; } = fullName;

    /// <summary>Gets the base type's simple name, or <c>null</c>.</summary>
    public string? BaseName { get; } = baseName;

    /// <summary>Gets the line of the header in the allow-list file.</summary>
    public int Line { get; } = line;

    /// <summary>Gets the allowed members.</summary>
    public List<AllowMember> Members { get; } = [];

    /// <summary>Gets the namespace, e.g. <c>System.IO.Ports</c>.</summary>
    public string Namespace
    {
        get
        {
            var outer = FullName.Split('+')[0];
            var dot = outer.LastIndexOf('.');
            return dot < 0 ? string.Empty : outer[..dot];
        }
    }

    /// <summary>Gets the C# name of the innermost type, e.g. <c>MemoryType</c> for <c>NativeMemory+MemoryType</c>.</summary>
    public string SimpleName
    {
        get
        {
            var outer = FullName.Split('+');
            var last = outer[^1];
            var dot = last.LastIndexOf('.');
            return dot < 0 ? last : last[(dot + 1)..];
        }
    }
}

/// <summary>An allowed member line.</summary>
public sealed partial class AllowMember(string text, int line)
{
    /// <summary>Gets the line as written in the allow-list (with C# annotations).</summary>
    public string Text { get; } = text;

    /// <summary>Gets the line number in the allow-list file.</summary>
    public int Line { get; } = line;

    /// <summary>Gets the line as it appears in the listing: <c>params</c>, <c>out</c>, <c>ref</c> and indexer brackets removed.</summary>
    public string Normalized => IndexerPattern().Replace(ModifierPattern().Replace(Text, string.Empty), string.Empty);

    [GeneratedRegex(@"(?<=[(,]\s*)(params|out|ref) ")]
    private static partial Regex ModifierPattern();

    [GeneratedRegex(@"\[[^\]]*\](?= \{)")]
    private static partial Regex IndexerPattern();
}
