namespace TimingMat.Cli.Infrastructure;

/// <summary>A failure the user can act on: ends the command with its exit code, message and fix-it line.</summary>
public sealed class CliException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="CliException"/> class.</summary>
    /// <param name="code">Exit code.</param>
    /// <param name="message">What went wrong, naming the file, port or value.</param>
    /// <param name="fix">What to do about it; the code's generic advice when <c>null</c>.</param>
    public CliException(ExitCode code, string message, string? fix = null)
        : base(message)
    {
        Code = code;
        Fix = fix ?? ExitCodes.Fix(code);
    }

    /// <summary>Gets the exit code.</summary>
    public ExitCode Code { get; }

    /// <summary>Gets the fix-it line.</summary>
    public string Fix { get; }
}
