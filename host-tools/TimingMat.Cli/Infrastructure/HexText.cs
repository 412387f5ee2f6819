namespace TimingMat.Cli.Infrastructure;

/// <summary>
/// Parses a serial capture written as hex text, the way logs and the protocol reference print frames:
/// <list type="bullet">
/// <item>bytes are pairs of hex digits, any case: <c>FF 00 03 1D 0C</c>, or run together: <c>FF00031D0C</c>;</item>
/// <item>separators are spaces, tabs, line breaks, commas, colons and hyphens, all optional between pairs;</item>
/// <item>a <c>0x</c> prefix is allowed before a byte or a run: <c>0xFF 0x00</c>, <c>0xFF00031D0C</c>;</item>
/// <item><c>#</c> or <c>//</c> starts a comment that runs to the end of the line.</item>
/// </list>
/// Anything else, or a run with an odd number of digits, is an error naming its line and column.
/// </summary>
public static class HexText
{
    /// <summary>The format in one paragraph, for <c>--help</c>.</summary>
    public const string Format =
        "pairs of hex digits (any case), separated by spaces, tabs, line breaks, commas, colons or hyphens, " +
        "or run together (FF00031D0C); an optional 0x before a byte or a run; # or // starts a comment to the end of the line. " +
        "Frames may span lines.";

    /// <summary>Parses hex text into bytes.</summary>
    /// <param name="text">The text.</param>
    /// <param name="source">Name of the file, for messages.</param>
    /// <returns>The bytes in order.</returns>
    /// <exception cref="CliException">The text is not hex as described (<see cref="ExitCode.InvalidInput"/>).</exception>
    public static byte[] Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = new List<byte>(text.Length / 3);
        var line = 1;
        var lineStart = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                lineStart = i + 1;
                i++;
            }
            else if (c is ' ' or '\t' or '\r' or ',' or ':' or '-')
            {
                i++;
            }
            else if (c == '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/'))
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else
            {
                if (c == '0' && i + 1 < text.Length && (text[i + 1] == 'x' || text[i + 1] == 'X'))
                {
                    i += 2;
                }

                var runStart = i;
                while (i < text.Length && Uri.IsHexDigit(text[i]))
                {
                    i++;
                }

                var run = i - runStart;
                if (run == 0)
                {
                    throw Error(source, line, i - lineStart + 1, $"unexpected {Describe(text, i)}");
                }

                if (i < text.Length && !IsSeparator(text, i))
                {
                    throw Error(source, line, i - lineStart + 1, $"unexpected {Describe(text, i)}");
                }

                if (run % 2 != 0)
                {
                    throw Error(source, line, runStart - lineStart + 1, $"odd number of hex digits ({run}) in '{text.Substring(runStart, Math.Min(run, 16))}'");
                }

                for (var k = runStart; k < i; k += 2)
                {
                    bytes.Add((byte)((Uri.FromHex(text[k]) << 4) | Uri.FromHex(text[k + 1])));
                }
            }
        }

        return [.. bytes];
    }

    /// <summary>Tells whether raw file bytes look like hex text (only hex digits, separators, comments and line breaks).</summary>
    /// <param name="data">File contents.</param>
    /// <returns><c>true</c> when the bytes would parse as hex text.</returns>
    public static bool LooksLikeHexText(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0 || data.Any(b => b > 0x7E || (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t')))
        {
            return false;
        }

        try
        {
            return Parse(System.Text.Encoding.ASCII.GetString(data), "-").Length > 0;
        }
        catch (CliException)
        {
            return false;
        }
    }

    private static bool IsSeparator(string text, int i)
    {
        var c = text[i];
        return c is '\n' or ' ' or '\t' or '\r' or ',' or ':' or '-' or '#' || (c == '/' && i + 1 < text.Length && text[i + 1] == '/');
    }

    private static string Describe(string text, int i) => i >= text.Length
        ? "end of text after 0x"
        : char.IsControl(text[i]) || text[i] > '~' ? $"character U+{(int)text[i]:X4}" : $"character '{text[i]}'";

    private static CliException Error(string source, int line, int column, string what) =>
        new(ExitCode.InvalidInput, $"'{source}' is not hex text: {what} at line {line}, column {column}.", "correct the text there (the command's --help describes the hex format), or drop --hex for a binary capture.");
}
