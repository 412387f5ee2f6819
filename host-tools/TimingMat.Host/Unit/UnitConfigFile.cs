using System.Globalization;
using System.Text.Json;
using TimingMat.Core.Unit;
using TimingMat.Host.Json;

namespace TimingMat.Host.Unit;

/// <summary>
/// Reads a desktop unit's configuration file in either form (docs/unit-config.md): the board's <c>key = value</c>
/// file, exactly as <c>timingmat provision</c> writes it to a board, or JSON. Both go through the core's
/// <see cref="UnitConfig"/>, so a key means the same and is checked the same everywhere; the JSON form is that key set
/// nested by its dots (<c>{"reader": {"type": "m6e"}}</c> is <c>reader.type = m6e</c>) and still takes the names earlier
/// files used (<c>unit</c>, <c>role</c>, <c>reader.protocol</c>, <c>race_day</c>, <c>uplink</c>).
/// </summary>
public static class UnitConfigFile
{
    private const string JournalKey = "journal";
    private const string GpsBaudKey = "gps.baud";

    // JSON names of earlier unit files and the key each is now.
    private static readonly Dictionary<string, string> s_legacy = new(StringComparer.Ordinal)
    {
        ["unit"] = "unit.id",
        ["role"] = "mat.role",
        ["reader.protocol"] = "reader.type",
        ["race_day.opens"] = "window.opens",
        ["race_day.cut_off"] = "window.cut_off",
        ["uplink.prefix"] = "mqtt.prefix",
        ["uplink.client_id"] = "mqtt.client_id",
        ["uplink.status_interval_s"] = "status.interval_s",
    };

    /// <summary>Parses and validates a configuration file of either form.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="source">File name, for messages.</param>
    /// <param name="baseDirectory">Folder a relative journal path starts from (the file's folder).</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="JsonInputException">The file is not valid: the message names the file, where in it (line, or JSON path) and what was expected.</exception>
    public static DesktopUnitConfig Parse(string text, string source, string baseDirectory) =>
        text.TrimStart().StartsWith('{') ? ParseJson(text, source, baseDirectory) : ParseKeyValue(text, source, baseDirectory);

    /// <summary>Maps a JSON unit file onto the unit's key set: the one function from the JSON form to <see cref="UnitConfig"/>.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="source">File name, for messages.</param>
    /// <param name="baseDirectory">Folder a relative journal path starts from.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="JsonInputException">Not valid JSON, or not a valid configuration (the JSON path is named).</exception>
    public static DesktopUnitConfig ParseJson(string json, string source, string baseDirectory) =>
        JsonCursor.Parse(json, source, root =>
        {
            if (root.Element.ValueKind != JsonValueKind.Object)
            {
                throw root.Error($"expected an object, found {(root.Element.ValueKind == JsonValueKind.Array ? "an array" : root.Element.GetRawText())}");
            }

            var config = new UnitConfig();
            var paths = new Dictionary<string, string>(StringComparer.Ordinal);
            string? journal = null;
            var gpsBaud = 9600;
            var timing = false;
            foreach (var (path, name, value) in Flatten(root.Element, "$", string.Empty))
            {
                if (name == "race_day")
                {
                    // An (even empty) race_day section arms the unit at start, as earlier unit files meant.
                    timing = true;
                    continue;
                }

                if (value.ValueKind is JsonValueKind.Object)
                {
                    continue;
                }

                if (value.ValueKind is JsonValueKind.Array)
                {
                    throw new JsonInputException(source, path, "expected a value, found an array");
                }

                var text = value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString()!.Trim(),
                    JsonValueKind.True => "on",
                    JsonValueKind.False => "off",
                    _ => value.GetRawText(),
                };
                if (name == JournalKey)
                {
                    journal = text;
                    continue;
                }

                if (name == GpsBaudKey)
                {
                    gpsBaud = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var baud) && baud is >= 1200 and <= 921_600
                        ? baud
                        : throw new JsonInputException(source, path, $"'{text}' is not a UART speed; expected 1200-921600");
                    continue;
                }

                var key = s_legacy.GetValueOrDefault(name, name);
                paths[key] = path;
                Set(config, key, text, source, path);
            }

            if (timing && !paths.ContainsKey("mode"))
            {
                Set(config, "mode", "timing", source, "$.race_day");
            }

            try
            {
                config.Validate();
            }
            catch (ConfigFileException e)
            {
                throw new JsonInputException(source, paths.GetValueOrDefault(e.Key ?? string.Empty, "$." + JsonName(e.Key)), e.Problem);
            }

            return Desktop(config, journal, gpsBaud, baseDirectory);
        });

    /// <summary>Parses a <c>key = value</c> unit file (the board's form); a desktop unit takes two keys more: <c>journal</c> and <c>gps.baud</c>.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="source">File name, for messages.</param>
    /// <param name="baseDirectory">Folder a relative journal path starts from.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="JsonInputException">Not a valid configuration (the line is named).</exception>
    public static DesktopUnitConfig ParseKeyValue(string text, string source, string baseDirectory)
    {
        var config = new UnitConfig();
        string? journal = null;
        var gpsBaud = 9600;
        var reader = new KeyValueReader(text);
        var line = 0;
        try
        {
            while (reader.Next())
            {
                line = reader.Line;
                if (reader.Key == JournalKey)
                {
                    journal = reader.Value;
                }
                else if (reader.Key == GpsBaudKey)
                {
                    gpsBaud = int.TryParse(reader.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var baud) && baud is >= 1200 and <= 921_600
                        ? baud
                        : throw new ConfigFileException(reader.Line, GpsBaudKey, $"gps.baud = '{reader.Value}': expected a UART speed, 1200-921600.");
                }
                else
                {
                    config.Set(reader.Key, reader.Value, reader.Line);
                }
            }

            config.Validate();
        }
        catch (ConfigFileException e)
        {
            throw new JsonInputException(source, e.Line > 0 ? $"line {e.Line}" : "file", e.Problem);
        }

        return Desktop(config, journal, gpsBaud, baseDirectory);
    }

    private static DesktopUnitConfig Desktop(UnitConfig config, string? journal, int gpsBaud, string baseDirectory)
    {
        var folder = journal ?? "journal-unit-" + config.Unit.ToString(CultureInfo.InvariantCulture);
        return new DesktopUnitConfig(config, Path.GetFullPath(Path.Combine(baseDirectory, folder)), gpsBaud);
    }

    private static void Set(UnitConfig config, string key, string value, string source, string path)
    {
        try
        {
            config.Set(key, value);
        }
        catch (ConfigFileException e)
        {
            throw new JsonInputException(source, path, e.Problem);
        }
    }

    private static string JsonName(string? key)
    {
        if (key == null)
        {
            return string.Empty;
        }

        var legacy = s_legacy.FirstOrDefault(p => p.Value == key).Key;
        return legacy ?? key;
    }

    private static IEnumerable<(string Path, string Name, JsonElement Value)> Flatten(JsonElement element, string path, string prefix)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var property in element.EnumerateObject())
        {
            var name = prefix + property.Name;
            var childPath = path + "." + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            yield return (childPath, name, property.Value);
            foreach (var child in Flatten(property.Value, childPath, name + "."))
            {
                yield return child;
            }
        }
    }
}
