using System.Buffers;
using System.CommandLine;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Reader;

namespace TimingMat.Cli.Commands;

/// <summary>
/// What <c>decode mercury</c> and <c>decode r2000</c> share: the FILE argument, <c>--hex</c> and <c>--from</c>, reading a
/// binary or hex-text capture, feeding it through the firmware core's deframer, JSON lines, and the summary line.
/// </summary>
internal static class ReaderCapture
{
    public const string FromModule = "module";

    public const string FromHost = "host";

    public static Argument<string> FileArgument() => new("FILE")
    {
        Description = "Captured serial log: raw bytes as received (binary), or hex text with --hex",
    };

    public static Option<bool> HexOption() => new("--hex")
    {
        Description = "FILE is hex text: " + HexText.Format,
    };

    public static Option<string> FromOption()
    {
        var option = new Option<string>("--from")
        {
            Description = "Which side sent the bytes: 'module' (answers, tag frames; default) or 'host' (commands)",
            DefaultValueFactory = _ => FromModule,
            HelpName = "module|host",
        };
        option.AcceptOnlyFromAmong(FromModule, FromHost);
        return option;
    }

    /// <summary>Feeds a capture file through a deframer and flushes it at the end.</summary>
    /// <param name="path">The file.</param>
    /// <param name="hex">Whether it is hex text.</param>
    /// <param name="deframer">Deframer whose sink prints the frames.</param>
    /// <returns>The bytes fed, and the raw file contents when they were read whole (for the no-frames hint).</returns>
    public static (long Bytes, byte[]? Raw) Feed(string path, bool hex, FrameDeframer deframer)
    {
        if (hex)
        {
            var raw = InputFiles.ReadAllBytes(path);
            var bytes = HexText.Parse(Encoding.UTF8.GetString(raw), path);
            deframer.Feed(bytes, 0, bytes.Length);
            deframer.Flush();
            return (bytes.Length, raw);
        }

        using var stream = InputFiles.OpenRead(path);
        var buffer = new byte[64 * 1024];
        long total = 0;
        byte[]? head = null;
        int n;
        try
        {
            while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                // The start of the file is kept to tell a user who forgot --hex.
                head ??= buffer.AsSpan(0, Math.Min(n, 4096)).ToArray();
                deframer.Feed(buffer, 0, n);
                total += n;
            }
        }
        catch (IOException e)
        {
            throw new CliException(ExitCode.FileUnreadable, $"cannot read '{path}': {e.Message}");
        }

        deframer.Flush();
        return (total, head);
    }

    /// <summary>Fails when a non-empty capture held no frame at all: the wrong protocol, format or line speed.</summary>
    /// <param name="path">The file.</param>
    /// <param name="protocol">Protocol name for the message.</param>
    /// <param name="other">The other decode subcommand to suggest.</param>
    /// <param name="bytes">Bytes decoded.</param>
    /// <param name="frames">Frames found.</param>
    /// <param name="hex">Whether --hex was given.</param>
    /// <param name="raw">The start of the file.</param>
    public static void RequireFrames(string path, string protocol, string other, long bytes, long frames, bool hex, byte[]? raw)
    {
        if (frames > 0 || bytes == 0)
        {
            return;
        }

        var fix = !hex && raw != null && HexText.LooksLikeHexText(raw)
            ? "the file looks like hex text: add --hex."
            : $"check that the capture comes from a {protocol} module at the right line speed (or try 'timingmat decode {other}'), and --from.";
        throw new CliException(ExitCode.InvalidInput, $"no {protocol} frame in '{path}' ({bytes} bytes).", fix);
    }

    /// <summary>Writes the error counts every decode summary ends with, in the same order for both protocols.</summary>
    /// <param name="json">The summary object being written.</param>
    /// <param name="deframer">The deframer that read the capture.</param>
    /// <param name="checksumKey">The protocol's name for a bad check value (<c>crc_errors</c>, <c>checksum_errors</c>).</param>
    /// <param name="malformedRecords">Tag records the parser rejected inside valid frames.</param>
    public static void WriteErrorCounts(Utf8JsonWriter json, FrameDeframer deframer, string checksumKey, long malformedRecords)
    {
        json.WriteNumber(checksumKey, deframer.CrcErrors);
        json.WriteNumber("truncated_frames", deframer.TruncatedFrames);
        json.WriteNumber("malformed_frames", deframer.MalformedFrames);
        json.WriteNumber("malformed_records", malformedRecords);
        json.WriteNumber("skipped_bytes", deframer.SkippedBytes);
        json.WriteNumber("resyncs", deframer.Resyncs);
    }

    public static string Hex2(int value) => "0x" + value.ToString("X2", System.Globalization.CultureInfo.InvariantCulture);

    public static string Hex4(int value) => "0x" + value.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Writes one JSON object per line with a reused <see cref="Utf8JsonWriter"/> (fast for large captures).</summary>
internal sealed class JsonLines
{
    private readonly TextWriter _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private readonly Utf8JsonWriter _json;

    public JsonLines(TextWriter output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public Utf8JsonWriter Begin(string type, long offset)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("type", type);
        if (offset >= 0)
        {
            _json.WriteNumber("offset", offset);
        }

        return _json;
    }

    public void End()
    {
        _json.WriteEndObject();
        _json.Flush();
        _output.WriteLine(Encoding.UTF8.GetString(_buffer.WrittenSpan));
    }

    public static void WriteHex(Utf8JsonWriter json, string name, byte[] data, int offset, int length) =>
        json.WriteString(name, Convert.ToHexString(data, offset, length));
}
