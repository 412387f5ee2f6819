using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TimingMat.Portability.Tests.Guard;

/// <summary>
/// Renders the public API of a nanoFramework reference assembly (shared/nanoframework-ref) in the format of the
/// public API listings (shared/reference/nanoframework-api): type headers and indented member lines.
/// </summary>
/// <remarks>
/// Some packages the device uses (System.Device.Adc, System.Security.Cryptography) have no listing file; their
/// allow-list entries are checked against this rendering of the package's own assembly instead, at the version the
/// project references. A test pins the format against listing files that do exist.
/// </remarks>
public static class ReferenceListing
{
    /// <summary>
    /// Gets the listing of a package's assembly from the kit, at the version a project references: the listing file
    /// name is the assembly's (<c>System.Device.Adc.txt</c> is <c>System.Device.Adc.dll</c>).
    /// </summary>
    /// <param name="kitDir">The nanoframework-ref folder.</param>
    /// <param name="packageId">NuGet package id, e.g. <c>nanoFramework.System.Device.Adc</c>.</param>
    /// <param name="version">Package version the project references.</param>
    /// <param name="listingFile">Listing file name the allow-list section names.</param>
    /// <returns>The rendered listing, or <c>null</c> when the kit has no such package version or assembly.</returns>
    public static ApiListing? FromKit(string kitDir, string packageId, string version, string listingFile)
    {
        var assembly = Path.Combine(kitDir, packageId + "." + version, Path.ChangeExtension(listingFile, ".dll"));
        var mscorlib = Path.Combine(kitDir, "nanoFramework.CoreLibrary.1.17.11", "mscorlib.dll");
        return File.Exists(assembly) && File.Exists(mscorlib) ? ApiListing.FromLines(Render(assembly, mscorlib)) : null;
    }

    /// <summary>Renders one assembly of a package folder in the kit.</summary>
    /// <param name="assemblyPath">The reference assembly, e.g. <c>…/nanoFramework.System.Device.Adc.1.1.24/System.Device.Adc.dll</c>.</param>
    /// <param name="mscorlibPath">The mscorlib the assembly was built against.</param>
    /// <returns>Listing lines: type headers at column 0, members indented by four spaces.</returns>
    public static IReadOnlyList<string> Render(string assemblyPath, string mscorlibPath)
    {
        var target = MetadataReference.CreateFromFile(assemblyPath);
        var references = new List<MetadataReference> { target, MetadataReference.CreateFromFile(mscorlibPath) };
        references.AddRange(Directory.EnumerateFiles(Path.GetDirectoryName(assemblyPath)!, "*.dll")
            .Where(f => !string.Equals(f, assemblyPath, StringComparison.Ordinal))
            .Select(f => MetadataReference.CreateFromFile(f)));
        var compilation = CSharpCompilation.Create("listing", references: references,
            options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, metadataImportOptions: MetadataImportOptions.Public));
        var assembly = (IAssemblySymbol)compilation.GetAssemblyOrModuleSymbol(target)!;

        var lines = new List<string>();
        foreach (var type in AllTypes(assembly.GlobalNamespace).Where(IsVisible).OrderBy(FullName, StringComparer.Ordinal))
        {
            lines.Add(Header(type));
            lines.AddRange(Members(type).Select(m => "    " + m));
        }

        return lines;
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceSymbol ns)
    {
        foreach (var type in ns.GetTypeMembers())
        {
            foreach (var t in WithNested(type))
            {
                yield return t;
            }
        }

        foreach (var child in ns.GetNamespaceMembers())
        {
            foreach (var t in AllTypes(child))
            {
                yield return t;
            }
        }
    }

    private static IEnumerable<INamedTypeSymbol> WithNested(INamedTypeSymbol type)
    {
        yield return type;
        foreach (var nested in type.GetTypeMembers().SelectMany(WithNested))
        {
            yield return nested;
        }
    }

    private static bool IsVisible(INamedTypeSymbol type)
    {
        for (ISymbol? s = type; s is INamedTypeSymbol t; s = t.ContainingType)
        {
            if (t.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }

    private static string FullName(INamedTypeSymbol type)
    {
        var outer = type.ContainingType != null ? FullName(type.ContainingType) + "+" : NamespacePrefix(type);
        return outer + type.MetadataName;
    }

    private static string NamespacePrefix(INamedTypeSymbol type) =>
        type.ContainingNamespace.IsGlobalNamespace ? string.Empty : type.ContainingNamespace.ToDisplayString() + ".";

    private static string Header(INamedTypeSymbol type)
    {
        var kind = type.TypeKind switch
        {
            TypeKind.Enum => "enum",
            TypeKind.Delegate => "delegate",
            TypeKind.Interface => "interface",
            TypeKind.Struct => "struct",
            _ => type.IsStatic ? "static class" : "class",
        };
        var header = kind + " " + FullName(type);
        if (type.TypeKind == TypeKind.Delegate)
        {
            return header + " : MulticastDelegate";
        }

        return type.TypeKind == TypeKind.Class && !type.IsStatic && type.BaseType is { SpecialType: not SpecialType.System_Object } b
            ? header + " : " + b.Name
            : header;
    }

    private static IEnumerable<string> Members(INamedTypeSymbol type)
    {
        if (type.TypeKind == TypeKind.Enum)
        {
            var values = type.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue)
                .Select(f => f.Name + "=" + Convert.ToString(f.ConstantValue, CultureInfo.InvariantCulture));
            yield return string.Join(", ", values);
            yield break;
        }

        var isInterface = type.TypeKind == TypeKind.Interface;
        foreach (var member in type.GetMembers())
        {
            if (member.DeclaredAccessibility != Accessibility.Public && !isInterface)
            {
                continue;
            }

            var prefix = member.IsStatic && !isInterface ? "static " : string.Empty;
            switch (member)
            {
                case IMethodSymbol { MethodKind: MethodKind.Constructor } ctor:
                    if (type.TypeKind == TypeKind.Delegate)
                    {
                        break;
                    }

                    yield return ".ctor(" + Parameters(ctor.Parameters) + ")";
                    break;
                case IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.UserDefinedOperator or MethodKind.Conversion or MethodKind.DelegateInvoke } method:
                    if (type.TypeKind == TypeKind.Delegate && method.MethodKind != MethodKind.DelegateInvoke)
                    {
                        break;
                    }

                    yield return prefix + TypeName(method.ReturnType) + " " + method.MetadataName + "(" + Parameters(method.Parameters) + ")";
                    break;
                case IPropertySymbol property:
                    var accessors = (property.GetMethod is { DeclaredAccessibility: Accessibility.Public } || (isInterface && property.GetMethod != null) ? "get; " : string.Empty)
                                    + (property.SetMethod is { DeclaredAccessibility: Accessibility.Public } || (isInterface && property.SetMethod != null) ? "set; " : string.Empty);
                    yield return prefix + TypeName(property.Type) + " " + property.MetadataName + " { " + accessors + "}";
                    break;
                case IEventSymbol evt:
                    // The listings print static events without "static" (NetworkChange, Power).
                    yield return "event " + TypeName(evt.Type) + " " + evt.Name;
                    break;
                case IFieldSymbol field:
                    yield return (field.IsConst ? "static const " : prefix) + TypeName(field.Type) + " " + field.Name;
                    break;
            }
        }
    }

    private static string Parameters(IEnumerable<IParameterSymbol> parameters) =>
        string.Join(", ", parameters.Select(p =>
            TypeName(p.Type) + (p.RefKind != RefKind.None ? "&" : string.Empty) + " " + p.Name
            + (p.HasExplicitDefaultValue ? " = " + DefaultValue(p.ExplicitDefaultValue) : string.Empty)));

    private static string DefaultValue(object? value) => value switch
    {
        null => "null",
        bool b => b ? "True" : "False",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    private static string TypeName(ITypeSymbol type) => type switch
    {
        IArrayTypeSymbol array => TypeName(array.ElementType) + "[]",
        IPointerTypeSymbol pointer => TypeName(pointer.PointedAtType) + "*",
        _ => type.MetadataName,
    };
}
