using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TimingMat.Portability.Tests.Guard;

/// <summary>Finds which allow-list entries a compilation actually uses, so the lists stay minimal.</summary>
internal static class UsageCollector
{
    // Types the C# compiler needs whether or not a source names them (literals, structs, enums, delegates, attributes).
    private static readonly HashSet<string> s_compilerTypes = new(StringComparer.Ordinal)
    {
        "System.Object", "System.ValueType", "System.Enum", "System.Void", "System.Boolean", "System.Char", "System.SByte",
        "System.Byte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64",
        "System.Single", "System.Double", "System.String", "System.Array", "System.Delegate", "System.MulticastDelegate",
        "System.IntPtr", "System.Attribute",
    };

    public static IReadOnlyList<string> Unused(CSharpCompilation compilation, StubCorlib stub)
    {
        var used = new Usage(stub);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodesAndSelf())
            {
                Visit(model, node, used);
            }
        }

        var result = new List<string>();
        foreach (var type in stub.AllowList.Types)
        {
            var typeUsed = used.Types.Contains(type) || s_compilerTypes.Contains(type.FullName);
            if (!typeUsed)
            {
                result.Add($"{RepoPaths.Relative(stub.AllowList.Path)}:{type.Line}: type not used: {type.Header}");
                continue;
            }

            foreach (var member in type.Members)
            {
                var implicitMember = type.Kind is "enum" or "delegate";
                if (!implicitMember && !used.Members.Contains(member))
                {
                    result.Add($"{RepoPaths.Relative(stub.AllowList.Path)}:{member.Line}: member not used: {type.FullName} {member.Text}");
                }
            }
        }

        return result;
    }

    private static void Visit(SemanticModel model, SyntaxNode node, Usage used)
    {
        switch (node)
        {
            case ForEachStatementSyntax forEach:
                var info = model.GetForEachStatementInfo(forEach);
                used.Mark(info.GetEnumeratorMethod);
                used.Mark(info.MoveNextMethod);
                used.Mark(info.CurrentProperty);
                used.Mark(info.DisposeMethod);
                used.Mark(info.ElementType);
                break;
            case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                if (model.GetDeclaredSymbol(node) is INamedTypeSymbol declared)
                {
                    used.Mark(declared.BaseType);
                    foreach (var iface in declared.AllInterfaces)
                    {
                        used.Mark(iface);
                        foreach (var member in iface.GetMembers())
                        {
                            used.Mark(member);
                        }
                    }
                }

                break;
            case MethodDeclarationSyntax or PropertyDeclarationSyntax or EventDeclarationSyntax or IndexerDeclarationSyntax:
                var symbol = model.GetDeclaredSymbol(node);
                used.Mark((symbol as IMethodSymbol)?.OverriddenMethod);
                used.Mark((symbol as IPropertySymbol)?.OverriddenProperty);
                break;
        }

        if (node is ExpressionSyntax or AttributeSyntax or ConstructorInitializerSyntax)
        {
            used.Mark(model.GetSymbolInfo(node).Symbol);
            if (node is ExpressionSyntax expression)
            {
                var typeInfo = model.GetTypeInfo(expression);
                used.Mark(typeInfo.Type);
                used.Mark(typeInfo.ConvertedType);
                used.Mark(model.GetConversion(expression).MethodSymbol);
            }
        }
    }

    private sealed class Usage(StubCorlib stub)
    {
        public HashSet<AllowType> Types { get; } = [];

        public HashSet<AllowMember> Members { get; } = [];

        public void Mark(ISymbol? symbol)
        {
            switch (symbol)
            {
                case null:
                    return;
                case IArrayTypeSymbol array:
                    Mark(array.ElementType);
                    return;
                case IMethodSymbol { ReducedFrom: { } reduced }:
                    Mark(reduced);
                    return;
            }

            symbol = symbol.OriginalDefinition;
            var location = symbol.Locations.FirstOrDefault();
            if (location?.SourceTree == null || location.SourceTree.FilePath != "nanoframework.stub.cs")
            {
                return;
            }

            var line = location.GetLineSpan().StartLinePosition.Line;
            if (symbol is INamedTypeSymbol namedType)
            {
                if (stub.TypeAt(line) is { } type && Types.Add(type))
                {
                    Mark(namedType.BaseType);
                    Mark(namedType.ContainingType);
                    if (namedType.DelegateInvokeMethod is { } invoke)
                    {
                        MarkSignature(invoke);
                    }
                }

                return;
            }

            if (stub.MemberAt(line) is { } member && Members.Add(member))
            {
                Mark(symbol.ContainingType);
                MarkSignature(symbol);
            }
        }

        private void MarkSignature(ISymbol symbol)
        {
            switch (symbol)
            {
                case IMethodSymbol method:
                    Mark(method.ReturnType);
                    foreach (var parameter in method.Parameters)
                    {
                        Mark(parameter.Type);
                    }

                    break;
                case IPropertySymbol property:
                    Mark(property.Type);
                    foreach (var parameter in property.Parameters)
                    {
                        Mark(parameter.Type);
                    }

                    break;
                case IFieldSymbol field:
                    Mark(field.Type);
                    break;
                case IEventSymbol @event:
                    Mark(@event.Type);
                    break;
            }
        }
    }
}
