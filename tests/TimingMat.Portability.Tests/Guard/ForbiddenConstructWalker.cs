using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TimingMat.Portability.Tests.Guard;

/// <summary>
/// Finds C# constructs that compile but that nanoFramework 1.x cannot run (its MetadataProcessor or runtime rejects them)
/// or that behave differently there. A compile check alone misses these: a user-defined <c>Box&lt;T&gt;</c> compiles
/// against the 1.17 mscorlib.
/// </summary>
public sealed partial class ForbiddenConstructWalker(SemanticModel model, string file) : CSharpSyntaxWalker
{
    private readonly List<Violation> _found = [];

    /// <summary>Gets the violations found.</summary>
    public IReadOnlyList<Violation> Found => _found;

    /// <summary>Walks one syntax tree and returns its violations.</summary>
    public static IReadOnlyList<Violation> Scan(SemanticModel model, string file)
    {
        var walker = new ForbiddenConstructWalker(model, file);
        walker.Visit(model.SyntaxTree.GetRoot());
        return walker.Found;
    }

    /// <inheritdoc />
    public override void VisitTypeParameterList(TypeParameterListSyntax node)
    {
        Add(node, "generic-declaration", "generic type or method declaration; nanoFramework 1.x has no generics (use object, ArrayList or a concrete type)");
        base.VisitTypeParameterList(node);
    }

    /// <inheritdoc />
    public override void VisitGenericName(GenericNameSyntax node)
    {
        Add(node, "generic-use", $"generic type or method '{node}'; nanoFramework 1.x has no generics (ArrayList, Hashtable, arrays, non-generic delegates)");
        base.VisitGenericName(node);
    }

    /// <inheritdoc />
    public override void VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        if (model.GetSymbolInfo(node).Symbol is IMethodSymbol { IsGenericMethod: true } method && node.Expression is not GenericNameSyntax
            && !(node.Expression is MemberAccessExpressionSyntax { Name: GenericNameSyntax }))
        {
            Add(node, "generic-use", $"call to generic method '{method.Name}' with inferred type arguments; nanoFramework 1.x has no generics");
        }

        CheckNumericFormat(node);
        CheckEnumToString(node);
        base.VisitInvocationExpression(node);
    }

    /// <inheritdoc />
    public override void VisitNullableType(NullableTypeSyntax node)
    {
        Add(node, "nullable", $"nullable type '{node}'; nanoFramework 1.x has no Nullable<T> (use a sentinel value or a HasValue flag)");
        base.VisitNullableType(node);
    }

    /// <inheritdoc />
    public override void VisitTupleType(TupleTypeSyntax node)
    {
        Add(node, "tuple", "tuple type; nanoFramework 1.x has no ValueTuple (use out parameters or a small class/struct)");
        base.VisitTupleType(node);
    }

    /// <inheritdoc />
    public override void VisitTupleExpression(TupleExpressionSyntax node)
    {
        Add(node, "tuple", "tuple expression; nanoFramework 1.x has no ValueTuple");
        base.VisitTupleExpression(node);
    }

    /// <inheritdoc />
    public override void VisitParenthesizedVariableDesignation(ParenthesizedVariableDesignationSyntax node)
    {
        Add(node, "tuple", "deconstruction into a tuple; nanoFramework 1.x has no ValueTuple");
        base.VisitParenthesizedVariableDesignation(node);
    }

    /// <inheritdoc />
    public override void VisitRecordDeclaration(RecordDeclarationSyntax node)
    {
        Add(node.Keyword, "record", "record type; nanoFramework 1.x lacks IEquatable<T> (write a class or struct)");
        base.VisitRecordDeclaration(node);
    }

    /// <inheritdoc />
    public override void VisitYieldStatement(YieldStatementSyntax node)
    {
        Add(node, "yield", "iterator (yield); nanoFramework 1.x has no IEnumerator<T> (fill an array or implement IEnumerator)");
        base.VisitYieldStatement(node);
    }

    /// <inheritdoc />
    public override void VisitAwaitExpression(AwaitExpressionSyntax node)
    {
        Add(node, "async", "await; nanoFramework 1.x has no Task or async (poll from the unit's loop or use a Thread)");
        base.VisitAwaitExpression(node);
    }

    /// <inheritdoc />
    public override void VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        CheckAsync(node.Modifiers);
        CheckUnsafe(node.Modifiers);
        base.VisitMethodDeclaration(node);
    }

    /// <inheritdoc />
    public override void VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        CheckAsync(node.Modifiers);
        base.VisitLocalFunctionStatement(node);
    }

    /// <inheritdoc />
    public override void VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node)
    {
        CheckAsync(node.Modifiers);
        base.VisitParenthesizedLambdaExpression(node);
    }

    /// <inheritdoc />
    public override void VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node)
    {
        CheckAsync(node.Modifiers);
        base.VisitSimpleLambdaExpression(node);
    }

    /// <inheritdoc />
    public override void VisitQueryExpression(QueryExpressionSyntax node)
    {
        Add(node, "linq", "LINQ query; nanoFramework 1.x has no System.Linq (write the loop)");
        base.VisitQueryExpression(node);
    }

    /// <inheritdoc />
    public override void VisitUsingDirective(UsingDirectiveSyntax node)
    {
        var name = node.NamespaceOrType?.ToString();
        if (name is "System.Linq" || name?.StartsWith("System.Linq.", StringComparison.Ordinal) == true)
        {
            Add(node, "linq", "using System.Linq; nanoFramework 1.x has no LINQ");
        }
        else if (name is "System.Threading.Tasks")
        {
            Add(node, "async", "using System.Threading.Tasks; nanoFramework 1.x has no Task");
        }

        base.VisitUsingDirective(node);
    }

    /// <inheritdoc />
    public override void VisitIdentifierName(IdentifierNameSyntax node)
    {
        if (node.Identifier.ValueText == "dynamic" && model.GetTypeInfo(node).Type?.TypeKind == TypeKind.Dynamic)
        {
            Add(node, "dynamic", "dynamic; nanoFramework 1.x has no dynamic binder");
        }

        base.VisitIdentifierName(node);
    }

    /// <inheritdoc />
    public override void VisitPredefinedType(PredefinedTypeSyntax node)
    {
        if (node.Keyword.IsKind(SyntaxKind.DecimalKeyword))
        {
            Add(node, "decimal", "decimal; System.Decimal is an empty stub on nanoFramework (use long fixed-point, e.g. ms or centi-dBm)");
        }

        base.VisitPredefinedType(node);
    }

    /// <inheritdoc />
    public override void VisitLiteralExpression(LiteralExpressionSyntax node)
    {
        if (node.Token.Value is decimal)
        {
            Add(node, "decimal", $"decimal literal '{node}'; System.Decimal is an empty stub on nanoFramework");
        }

        base.VisitLiteralExpression(node);
    }

    /// <inheritdoc />
    public override void VisitArrayRankSpecifier(ArrayRankSpecifierSyntax node)
    {
        if (node.Rank > 1)
        {
            Add(node, "multidimensional-array", $"multidimensional array '{node}'; the nanoFramework MetadataProcessor rejects them (use a jagged or flat array)");
        }

        base.VisitArrayRankSpecifier(node);
    }

    /// <inheritdoc />
    public override void VisitInterfaceDeclaration(InterfaceDeclarationSyntax node)
    {
        foreach (var member in node.Members)
        {
            var hasBody = member switch
            {
                MethodDeclarationSyntax m => m.Body != null || m.ExpressionBody != null,
                PropertyDeclarationSyntax p => p.ExpressionBody != null || p.AccessorList?.Accessors.Any(a => a.Body != null || a.ExpressionBody != null) == true,
                IndexerDeclarationSyntax i => i.ExpressionBody != null || i.AccessorList?.Accessors.Any(a => a.Body != null || a.ExpressionBody != null) == true,
                _ => false,
            };
            var isStatic = member.Modifiers.Any(SyntaxKind.StaticKeyword);
            if (hasBody || isStatic)
            {
                Add(member, "default-interface-member", "interface member with a body or static member; nanoFramework does not support default interface members");
            }
        }

        base.VisitInterfaceDeclaration(node);
    }

    /// <inheritdoc />
    public override void VisitStackAllocArrayCreationExpression(StackAllocArrayCreationExpressionSyntax node)
    {
        Add(node, "stackalloc", "stackalloc; nanoFramework has no Span<T> or stack buffers (reuse a preallocated byte[])");
        base.VisitStackAllocArrayCreationExpression(node);
    }

    /// <inheritdoc />
    public override void VisitImplicitStackAllocArrayCreationExpression(ImplicitStackAllocArrayCreationExpressionSyntax node)
    {
        Add(node, "stackalloc", "stackalloc; nanoFramework has no Span<T> or stack buffers (reuse a preallocated byte[])");
        base.VisitImplicitStackAllocArrayCreationExpression(node);
    }

    /// <inheritdoc />
    public override void VisitClassDeclaration(ClassDeclarationSyntax node)
    {
        if (model.GetDeclaredSymbol(node)?.BaseType is { SpecialType: not SpecialType.System_Object } baseType
            && baseType.ContainingAssembly?.Name == StubCorlib.AssemblyName && !IsExtensibleBase(baseType))
        {
            Add(node.Identifier, "platform-subclass",
                $"'{node.Identifier}' derives from platform class '{baseType.ToDisplayString()}'; nanoFramework's SerialPort and GpioController are sealed and " +
                "I2cDevice/SpiDevice members are not virtual, so a subclass never stands in for them (wrap the platform object behind a core interface)");
        }

        base.VisitClassDeclaration(node);
    }

    /// <inheritdoc />
    public override void VisitStructDeclaration(StructDeclarationSyntax node)
    {
        if (node.Modifiers.Any(SyntaxKind.RefKeyword))
        {
            Add(node.Identifier, "span", "ref struct; nanoFramework has no Span<T> or by-ref-like types");
        }

        base.VisitStructDeclaration(node);
    }

    /// <inheritdoc />
    public override void VisitUnsafeStatement(UnsafeStatementSyntax node)
    {
        Add(node, "unsafe", "unsafe code; nanoFramework does not run pointer code");
        base.VisitUnsafeStatement(node);
    }

    /// <inheritdoc />
    public override void VisitPointerType(PointerTypeSyntax node)
    {
        Add(node, "unsafe", "pointer type; nanoFramework does not run pointer code");
        base.VisitPointerType(node);
    }

    /// <inheritdoc />
    public override void VisitInterpolation(InterpolationSyntax node)
    {
        if (IsEnum(node.Expression))
        {
            Add(node, "enum-name", "enum formatted as text; Enum.ToString() returns the number on nanoFramework (map the value to a string yourself)");
        }

        base.VisitInterpolation(node);
    }

    /// <inheritdoc />
    public override void VisitBinaryExpression(BinaryExpressionSyntax node)
    {
        if (node.IsKind(SyntaxKind.AddExpression) && model.GetTypeInfo(node).Type?.SpecialType == SpecialType.System_String
            && (IsEnum(node.Left) || IsEnum(node.Right)))
        {
            Add(node, "enum-name", "enum concatenated into a string; Enum.ToString() returns the number on nanoFramework (map the value to a string yourself)");
        }

        base.VisitBinaryExpression(node);
    }

    // Platform classes made to be derived from: exceptions, attributes and event arguments.
    private static bool IsExtensibleBase(INamedTypeSymbol type)
    {
        for (var t = type; t != null; t = t.BaseType)
        {
            if (t.ToDisplayString() is "System.Exception" or "System.Attribute" or "System.EventArgs")
            {
                return true;
            }
        }

        return false;
    }

    private bool IsEnum(ExpressionSyntax expression) => model.GetTypeInfo(expression).Type?.TypeKind == TypeKind.Enum;

    private void CheckEnumToString(InvocationExpressionSyntax node)
    {
        if (node.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToString" } access && IsEnum(access.Expression))
        {
            Add(node, "enum-name", "Enum.ToString() returns the number on nanoFramework (map the value to a string yourself)");
        }
    }

    private void CheckNumericFormat(InvocationExpressionSyntax node)
    {
        if (node.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToString" } access
            || node.ArgumentList.Arguments.Count == 0
            || node.ArgumentList.Arguments[0].Expression is not LiteralExpressionSyntax { Token.Value: string format })
        {
            return;
        }

        var receiver = model.GetTypeInfo(access.Expression).Type?.SpecialType;
        var numeric = receiver is SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16
            or SpecialType.System_Int32 or SpecialType.System_UInt32 or SpecialType.System_Int64 or SpecialType.System_UInt64
            or SpecialType.System_Single or SpecialType.System_Double;
        if (numeric && !StandardNumericFormat().IsMatch(format))
        {
            Add(node, "numeric-format", $"custom numeric format \"{format}\"; nanoFramework supports only D, F, G, N and X with a precision (e.g. \"F3\")");
        }
    }

    private void CheckAsync(SyntaxTokenList modifiers)
    {
        foreach (var modifier in modifiers)
        {
            if (modifier.IsKind(SyntaxKind.AsyncKeyword))
            {
                Add(modifier, "async", "async; nanoFramework 1.x has no Task or async (poll from the unit's loop or use a Thread)");
            }
        }
    }

    private void CheckUnsafe(SyntaxTokenList modifiers)
    {
        foreach (var modifier in modifiers)
        {
            if (modifier.IsKind(SyntaxKind.UnsafeKeyword))
            {
                Add(modifier, "unsafe", "unsafe code; nanoFramework does not run pointer code");
            }
        }
    }

    private void Add(SyntaxNode node, string rule, string message) => Add(node.GetLocation(), rule, message);

    private void Add(SyntaxToken token, string rule, string message) => Add(token.GetLocation(), rule, message);

    private void Add(Location location, string rule, string message)
    {
        var span = location.GetLineSpan();
        _found.Add(new Violation(file, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1, rule, message));
    }

    [GeneratedRegex("^[DdFfGgNnXx][0-9]{0,2}$")]
    private static partial Regex StandardNumericFormat();
}
