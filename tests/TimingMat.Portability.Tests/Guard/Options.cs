using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TimingMat.Portability.Tests.Guard;

/// <summary>Compiler settings that mirror a nanoFramework build.</summary>
public static class Options
{
    /// <summary>Gets the parse options: latest C#, the <c>NANOFRAMEWORK_1_0</c> symbol the nF project system defines, no doc-comment binding.</summary>
    public static CSharpParseOptions Parse { get; } = new(
        LanguageVersion.Latest,
        DocumentationMode.None,
        SourceCodeKind.Regular,
        ["NANOFRAMEWORK_1_0"]);

    /// <summary>Gets the options for a class library without nullable reference types or unsafe code.</summary>
    public static CSharpCompilationOptions Library { get; } = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Disable,
        allowUnsafe: false,
        concurrentBuild: false);
}
