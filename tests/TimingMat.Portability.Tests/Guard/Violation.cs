namespace TimingMat.Portability.Tests.Guard;

/// <summary>One thing in a firmware source that nanoFramework 1.x cannot build or run.</summary>
/// <param name="File">Path relative to the repository root.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Rule">Short rule id, e.g. <c>generic-use</c> or <c>api</c>.</param>
/// <param name="Message">What was found and what to use instead.</param>
public sealed record Violation(string File, int Line, int Column, string Rule, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{File}:{Line}:{Column}: {Rule}: {Message}";
}
