using System.Text.Encodings.Web;
using System.Text.Json;

namespace TimingMat.Cli.Infrastructure;

/// <summary>
/// Where a command writes: human text to <see cref="Out"/>, diagnostics to <see cref="Error"/>, and machine-readable
/// JSON where the user asked for it. Injected so tests run commands in-process.
/// </summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
public sealed record CommandOutput(TextWriter Out, TextWriter Error)
{
    /// <summary>Gets the JSON options every command uses: snake_case keys, as the documented reports have.</summary>
    public static JsonSerializerOptions Json { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,

        // Output is read by people and tools, never embedded in HTML: keep quotes and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes one JSON document to standard output, or to a file when <paramref name="path"/> is given.</summary>
    /// <param name="value">Object to serialise.</param>
    /// <param name="path">File to write instead of standard output, or <c>null</c>.</param>
    /// <exception cref="CliException">The file cannot be written.</exception>
    public void WriteJson(object value, string? path = null)
    {
        var text = JsonSerializer.Serialize(value, value.GetType(), Json);
        if (path == null)
        {
            Out.WriteLine(text);
            return;
        }

        try
        {
            File.WriteAllText(path, text + Environment.NewLine);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCode.StorageFailed, $"cannot write '{path}': {e.Message}");
        }
    }
}
