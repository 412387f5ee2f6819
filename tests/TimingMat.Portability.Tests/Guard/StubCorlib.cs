using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TimingMat.Portability.Tests.Guard;

/// <summary>
/// A stand-in for the nanoFramework assemblies that contains exactly the allow-listed types and members, generated as
/// C# and compiled with Roslyn. Firmware sources compiled against it fail to bind anything the allow-list lacks, and
/// overload resolution sees the device's overloads (e.g. only <c>String.Format(String, params Object[])</c>).
/// </summary>
public sealed partial class StubCorlib
{
    private static readonly Dictionary<string, string> s_operators = new()
    {
        ["op_Equality"] = "==", ["op_Inequality"] = "!=", ["op_LessThan"] = "<", ["op_GreaterThan"] = ">",
        ["op_LessThanOrEqual"] = "<=", ["op_GreaterThanOrEqual"] = ">=", ["op_Addition"] = "+",
        ["op_Subtraction"] = "-", ["op_Multiply"] = "*", ["op_Division"] = "/", ["op_Modulus"] = "%",
        ["op_UnaryNegation"] = "-", ["op_UnaryPlus"] = "+", ["op_BitwiseAnd"] = "&", ["op_BitwiseOr"] = "|",
        ["op_ExclusiveOr"] = "^", ["op_LogicalNot"] = "!", ["op_OnesComplement"] = "~",
    };

    /// <summary>The assembly name of the stub; firmware compilations see the platform API under it.</summary>
    public const string AssemblyName = "mscorlib";

    private readonly Dictionary<int, AllowType> _typeByLine = [];
    private readonly Dictionary<int, AllowMember> _memberByLine = [];
    private readonly List<(int Line, string Message)> _problems = [];
    private readonly Dictionary<string, List<AllowType>> _bySimpleName = new(StringComparer.Ordinal);
    private readonly StringBuilder _source = new();
    private int _line;

    private StubCorlib(AllowList allowList)
    {
        AllowList = allowList;
        foreach (var type in allowList.Types)
        {
            if (!_bySimpleName.TryGetValue(type.SimpleName, out var list))
            {
                _bySimpleName[type.SimpleName] = list = [];
            }

            list.Add(type);
        }

        Generate();
        Source = _source.ToString();
        var tree = CSharpSyntaxTree.ParseText(Source, Options.Parse, path: "nanoframework.stub.cs");
        Compilation = CSharpCompilation.Create(AssemblyName, [tree], [], Options.Library);
        Reference = Compilation.ToMetadataReference();
    }

    /// <summary>Gets the allow-list the stub was generated from.</summary>
    public AllowList AllowList { get; }

    /// <summary>Gets the generated C# source.</summary>
    public string Source { get; }

    /// <summary>Gets the stub compilation. It may have errors (method bodies are placeholders); only its symbols matter.</summary>
    public CSharpCompilation Compilation { get; }

    /// <summary>Gets a reference to the stub for firmware compilations.</summary>
    public MetadataReference Reference { get; }

    /// <summary>Gets allow-list entries that could not be turned into C# (unknown type, malformed line), by allow-list line.</summary>
    public IReadOnlyList<(int Line, string Message)> Problems => _problems;

    /// <summary>Builds the stub for an allow-list.</summary>
    public static StubCorlib Build(AllowList allowList) => new(allowList);

    /// <summary>Finds the allow-list type declared at a line of the generated source.</summary>
    public AllowType? TypeAt(int zeroBasedLine) => _typeByLine.GetValueOrDefault(zeroBasedLine);

    /// <summary>Finds the allow-list member declared at a line of the generated source.</summary>
    public AllowMember? MemberAt(int zeroBasedLine) => _memberByLine.GetValueOrDefault(zeroBasedLine);

    private void Generate()
    {
        Emit("// Generated from " + RepoPaths.Relative(AllowList.Path) + ". Do not edit.");
        var topLevel = AllowList.Types.Where(t => !t.FullName.Contains('+') && !t.FullName.Contains('`'));
        foreach (var group in topLevel.GroupBy(t => t.Namespace).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            Emit("namespace " + group.Key);
            Emit("{");
            foreach (var type in group)
            {
                EmitType(type, "    ");
            }

            Emit("}");
        }

        foreach (var type in AllowList.Types)
        {
            if (type.FullName.Contains('`') || type.Members.Any(m => m.Text.Contains('`') || m.Text.Contains('<')))
            {
                Problem(type.Line, "generic types and members cannot be used on nanoFramework 1.x: " + type.Header);
            }
            else if (type.FullName.Contains('+') && Find(type.FullName[..type.FullName.LastIndexOf('+')]) == null)
            {
                Problem(type.Line, "nested type " + type.FullName + " needs its containing type in the allow-list");
            }
        }
    }

    private AllowType? Find(string fullName) => AllowList.Types.FirstOrDefault(t => t.FullName == fullName);

    private void EmitType(AllowType type, string indent)
    {
        var name = Id(type.SimpleName);
        _typeByLine[_line] = type;
        switch (type.Kind)
        {
            case "enum":
                EmitEnum(type, indent, name);
                return;
            case "delegate":
                EmitDelegate(type, indent, name);
                return;
        }

        var keyword = type.Kind switch
        {
            "static class" => "public static class",
            "class" => "public class",
            "struct" => "public struct",
            _ => "public interface",
        };
        var baseClause = type.Kind == "class" && type.BaseName != null ? " : " + TypeRef(type.BaseName, type, type.Line) : string.Empty;
        Emit(indent + keyword + " " + name + baseClause);
        Emit(indent + "{");
        foreach (var member in type.Members)
        {
            _memberByLine[_line] = member;
            Emit(indent + "    " + MemberSource(type, member));
        }

        foreach (var nested in AllowList.Types.Where(t => t.FullName.StartsWith(type.FullName + "+", StringComparison.Ordinal)
                                                          && !t.FullName[(type.FullName.Length + 1)..].Contains('+')))
        {
            EmitType(nested, indent + "    ");
        }

        Emit(indent + "}");
    }

    private void EmitEnum(AllowType type, string indent, string name)
    {
        var values = new List<string>();
        var wide = false;
        foreach (var member in type.Members)
        {
            _memberByLine[_line] = member;
            foreach (var pair in member.Text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = pair.IndexOf('=');
                if (eq < 0 || !long.TryParse(pair[(eq + 1)..], out var value))
                {
                    Problem(member.Line, "expected 'Name=value' pairs in enum " + type.FullName);
                    continue;
                }

                wide |= value > int.MaxValue || value < int.MinValue;
                values.Add(Id(pair[..eq]) + " = " + value);
            }
        }

        Emit(indent + "public enum " + name + (wide ? " : long" : string.Empty) + " { " + string.Join(", ", values) + " }");
    }

    private void EmitDelegate(AllowType type, string indent, string name)
    {
        var invoke = type.Members.FirstOrDefault(m => Regex.IsMatch(m.Text, @"^\S+ Invoke\("));
        if (invoke == null)
        {
            Problem(type.Line, "delegate " + type.FullName + " needs its 'Invoke(...)' line");
            Emit(indent + "public delegate void " + name + "();");
            return;
        }

        _memberByLine[_line] = invoke;
        var m = MethodPattern().Match(invoke.Text);
        Emit(indent + "public delegate " + ReturnRef(m.Groups["ret"].Value, type, invoke.Line) + " " + name + "(" + Parameters(m.Groups["params"].Value, type, invoke.Line) + ");");
    }

    private string MemberSource(AllowType type, AllowMember member)
    {
        var text = member.Text;
        var isInterface = type.Kind == "interface";
        var access = isInterface ? string.Empty : "public ";
        var isStatic = text.StartsWith("static ", StringComparison.Ordinal) || type.Kind == "static class";
        if (text.StartsWith("static ", StringComparison.Ordinal))
        {
            text = text["static ".Length..];
        }

        var canBeVirtual = type.Kind == "class" && !isStatic;
        var modifiers = access + (isStatic && !isInterface ? "static " : canBeVirtual ? "virtual " : string.Empty);

        Match m;
        if ((m = EventPattern().Match(text)).Success)
        {
            return access + (isStatic ? "static " : string.Empty) + "event " + TypeRef(m.Groups["type"].Value, type, member.Line) + " " + Id(m.Groups["name"].Value) + ";";
        }

        if ((m = CtorPattern().Match(text)).Success)
        {
            return type.Kind == "static class" || isInterface
                ? "// constructor of a static type or interface ignored"
                : "public " + Id(type.SimpleName) + "(" + Parameters(m.Groups["params"].Value, type, member.Line) + ") { }";
        }

        if ((m = MethodPattern().Match(text)).Success)
        {
            var name = m.Groups["name"].Value;
            var ret = ReturnRef(m.Groups["ret"].Value, type, member.Line);
            var parameters = Parameters(m.Groups["params"].Value, type, member.Line);
            var body = isInterface ? ";" : ret == "void" ? " { }" : " => default;";
            if (name is "op_Implicit" or "op_Explicit")
            {
                return "public static " + (name == "op_Implicit" ? "implicit" : "explicit") + " operator " + ret + "(" + parameters + ") => default;";
            }

            if (s_operators.TryGetValue(name, out var op))
            {
                return "public static " + ret + " operator " + op + "(" + parameters + ") => default;";
            }

            return modifiers + ret + " " + Id(name) + "(" + parameters + ")" + body;
        }

        if ((m = PropertyPattern().Match(text)).Success)
        {
            var accessors = m.Groups["acc"].Value;
            var get = accessors.Contains("get") ? (isInterface ? "get; " : "get => default; ") : string.Empty;
            var set = accessors.Contains("set") ? (isInterface ? "set; " : "set { } ") : string.Empty;
            var propertyType = TypeRef(m.Groups["type"].Value, type, member.Line);
            var name = m.Groups["name"].Value;
            if (name is "Item" or "Chars" || m.Groups["idx"].Success)
            {
                var index = m.Groups["idx"].Success ? m.Groups["idx"].Value : "Int32 index";
                return access + (canBeVirtual ? "virtual " : string.Empty) + propertyType + " this[" + Parameters(index, type, member.Line) + "] { " + get + set + "}";
            }

            return modifiers + propertyType + " " + Id(name) + " { " + get + set + "}";
        }

        if ((m = FieldPattern().Match(text)).Success)
        {
            var fieldType = TypeRef(m.Groups["type"].Value, type, member.Line);
            return m.Groups["const"].Success
                ? "public const " + fieldType + " " + Id(m.Groups["name"].Value) + " = default;"
                : access + (isStatic ? "static " : string.Empty) + fieldType + " " + Id(m.Groups["name"].Value) + ";";
        }

        Problem(member.Line, "cannot read member line '" + member.Text + "'");
        return "// unreadable: " + member.Text;
    }

    private string Parameters(string list, AllowType context, int line)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return string.Empty;
        }

        var result = new List<string>();
        foreach (var raw in list.Split(','))
        {
            var m = ParameterPattern().Match(raw.Trim());
            if (!m.Success)
            {
                Problem(line, "cannot read parameter '" + raw.Trim() + "'");
                continue;
            }

            var type = m.Groups["type"].Value;
            var modifier = m.Groups["mod"].Success ? m.Groups["mod"].Value + " " : string.Empty;
            if (type.EndsWith('&'))
            {
                type = type[..^1];
                if (modifier.Length == 0)
                {
                    modifier = "ref ";
                }
            }

            var defaultValue = m.Groups["default"].Success ? " = default" : string.Empty;
            result.Add(modifier + TypeRef(type, context, line) + " " + Id(m.Groups["name"].Value) + defaultValue);
        }

        return string.Join(", ", result);
    }

    private string ReturnRef(string text, AllowType context, int line) => text == "Void" ? "void" : TypeRef(text, context, line);

    private string TypeRef(string text, AllowType context, int line)
    {
        var suffix = string.Empty;
        while (text.EndsWith("[]", StringComparison.Ordinal))
        {
            suffix += "[]";
            text = text[..^2];
        }

        var simple = text.Contains('+') ? text[(text.LastIndexOf('+') + 1)..] : text;
        if (simple.Contains('.'))
        {
            return "global::" + simple + suffix;
        }

        if (!_bySimpleName.TryGetValue(simple, out var candidates))
        {
            Problem(line, "type '" + simple + "' is used by an allowed member but is not itself in the allow-list (add its header line)");
            return "global::System.Object" + suffix;
        }

        var chosen = candidates.FirstOrDefault(c => c.Namespace == context.Namespace)
                     ?? candidates.FirstOrDefault(c => c.Section.ListingFile == context.Section.ListingFile)
                     ?? candidates.FirstOrDefault(c => c.Namespace == "System")
                     ?? candidates[0];
        return "global::" + chosen.FullName.Replace('+', '.') + suffix;
    }

    private static string Id(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None
            ? "@" + name
            : name;

    private void Problem(int line, string message) => _problems.Add((line, message));

    private void Emit(string text)
    {
        _source.Append(text).Append('\n');
        _line++;
    }

    [GeneratedRegex(@"^event (?<type>\S+) (?<name>\w+)$")]
    private static partial Regex EventPattern();

    [GeneratedRegex(@"^\.ctor\((?<params>.*)\)$")]
    private static partial Regex CtorPattern();

    [GeneratedRegex(@"^(?<ret>\S+) (?<name>\w+)\((?<params>.*)\)$")]
    private static partial Regex MethodPattern();

    [GeneratedRegex(@"^(?<type>\S+) (?<name>\w+)(\[(?<idx>[^\]]*)\])? \{(?<acc>[^}]*)\}$")]
    private static partial Regex PropertyPattern();

    [GeneratedRegex(@"^(?<const>const )?(?<type>\S+) (?<name>\w+)$")]
    private static partial Regex FieldPattern();

    [GeneratedRegex(@"^((?<mod>params|out|ref) )?(?<type>\S+) (?<name>\w+)(?<default>\s*=.*)?$")]
    private static partial Regex ParameterPattern();
}
