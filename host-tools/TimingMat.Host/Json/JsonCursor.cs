using System.Globalization;
using System.Text.Json;

namespace TimingMat.Host.Json;

/// <summary>
/// Reads one object of a JSON input file (a scenario, a unit configuration) with its path, so every error names the
/// exact place, and rejects keys it does not know (a misspelt "cutof" must not silently fall back to a default).
/// </summary>
/// <remarks>
/// Readers ask for each key they know (<see cref="Has"/>, <see cref="String"/>, <see cref="Int"/> …), then call
/// <see cref="RejectUnknownKeys"/>: anything the file holds that no reader asked for is an error that suggests the
/// closest known key. Every error is a <see cref="JsonInputException"/> naming the file and the JSON path.
/// </remarks>
public sealed class JsonCursor
{
    private readonly string _source;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="JsonCursor"/> class over an object.</summary>
    /// <param name="source">File name, for messages.</param>
    /// <param name="element">The object.</param>
    /// <param name="path">Its JSON path, <c>$</c> for the root.</param>
    /// <exception cref="JsonInputException">The element is not an object.</exception>
    public JsonCursor(string source, JsonElement element, string path)
    {
        _source = source;
        Element = element;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(path, $"expected an object, found {Describe(element)}");
        }
    }

    /// <summary>Gets the object.</summary>
    public JsonElement Element { get; }

    /// <summary>Gets the object's JSON path.</summary>
    public string Path { get; }

    /// <summary>Parses JSON text (comments and trailing commas allowed) and reads its root object.</summary>
    /// <typeparam name="T">What the reader makes of it.</typeparam>
    /// <param name="json">The file's text.</param>
    /// <param name="source">File name, for messages.</param>
    /// <param name="read">Reads the root object.</param>
    /// <returns>What <paramref name="read"/> returned.</returns>
    /// <exception cref="JsonInputException">The text is not valid JSON (line and column named), or the reader refused it.</exception>
    public static T Parse<T>(string json, string source, Func<JsonCursor, T> read)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new JsonInputException(source, $"line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}", "not valid JSON: " + FirstSentence(e.Message));
        }

        using (document)
        {
            return read(new JsonCursor(source, document.RootElement, "$"));
        }
    }

    /// <summary>Makes an error at a path of this file.</summary>
    /// <param name="path">JSON path.</param>
    /// <param name="problem">What is wrong and what is expected.</param>
    /// <returns>The exception, to throw.</returns>
    public JsonInputException Error(string path, string problem) => new(_source, path, problem);

    /// <summary>Makes an error about this object.</summary>
    /// <param name="problem">What is wrong and what is expected.</param>
    /// <returns>The exception, to throw.</returns>
    public JsonInputException Error(string problem) => new(_source, Path, problem);

    /// <summary>Gets the path of a key of this object.</summary>
    /// <param name="key">The key.</param>
    /// <returns>E.g. <c>$.reader.baud</c>.</returns>
    public string PathOf(string key) => Path + "." + key;

    /// <summary>Marks a key as known and tells whether the object has it with a value other than null.</summary>
    /// <param name="key">The key.</param>
    /// <returns><c>true</c> when present and not null.</returns>
    public bool Has(string key)
    {
        _known.Add(key);
        return Element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null;
    }

    /// <summary>Reads a required object member.</summary>
    /// <param name="key">The key.</param>
    /// <returns>A cursor over it.</returns>
    /// <exception cref="JsonInputException">Missing, or not an object.</exception>
    public JsonCursor Object(string key)
    {
        return new JsonCursor(_source, Required(key), PathOf(key));
    }

    /// <summary>Reads a required array of objects.</summary>
    /// <param name="key">The key.</param>
    /// <param name="min">Fewest entries allowed.</param>
    /// <param name="max">Most entries allowed.</param>
    /// <returns>A cursor over each entry.</returns>
    /// <exception cref="JsonInputException">Missing, not an array of objects, or a count out of range.</exception>
    public IReadOnlyList<JsonCursor> Objects(string key, int min, int max)
    {
        var array = Required(key);
        if (array.ValueKind != JsonValueKind.Array)
        {
            throw Error(PathOf(key), $"expected an array, found {Describe(array)}");
        }

        var items = array.EnumerateArray().Select((e, i) => new JsonCursor(_source, e, $"{PathOf(key)}[{i}]")).ToList();
        if (items.Count < min || items.Count > max)
        {
            throw Error(PathOf(key), $"expected {min} to {max} entries, found {items.Count}");
        }

        return items;
    }

    /// <summary>Reads a non-empty string (trimmed).</summary>
    /// <param name="key">The key.</param>
    /// <param name="fallback">Value when the key is absent; <c>null</c> makes the key required.</param>
    /// <returns>The string.</returns>
    /// <exception cref="JsonInputException">Missing and required, or not a non-empty string.</exception>
    public string String(string key, string? fallback = null)
    {
        if (!Has(key))
        {
            return fallback ?? throw Missing(key);
        }

        var value = Element.GetProperty(key);
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Trim().Length == 0)
        {
            throw Error(PathOf(key), $"expected a non-empty string, found {Describe(value)}");
        }

        return value.GetString()!.Trim();
    }

    /// <summary>Reads a number in a range.</summary>
    /// <param name="key">The key.</param>
    /// <param name="min">Smallest value allowed.</param>
    /// <param name="max">Largest value allowed.</param>
    /// <param name="fallback">Value when the key is absent; <c>null</c> makes the key required.</param>
    /// <returns>The number.</returns>
    /// <exception cref="JsonInputException">Missing and required, not a number, or out of range.</exception>
    public double Number(string key, double min, double max, double? fallback = null)
    {
        if (!Has(key))
        {
            return fallback ?? throw Missing(key);
        }

        var value = Element.GetProperty(key);
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw Error(PathOf(key), $"expected a number, found {Describe(value)}");
        }

        var number = value.GetDouble();
        if (double.IsNaN(number) || number < min || number > max)
        {
            throw Error(PathOf(key), $"{number.ToString(CultureInfo.InvariantCulture)} is out of range; expected {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return number;
    }

    /// <summary>Reads a whole number in a range.</summary>
    /// <param name="key">The key.</param>
    /// <param name="min">Smallest value allowed.</param>
    /// <param name="max">Largest value allowed.</param>
    /// <param name="fallback">Value when the key is absent; <c>null</c> makes the key required.</param>
    /// <returns>The number.</returns>
    /// <exception cref="JsonInputException">Missing and required, not a whole number, or out of range.</exception>
    public int Int(string key, int min, int max, int? fallback = null)
    {
        var number = Number(key, min, max, fallback);
        if (number != Math.Floor(number))
        {
            throw Error(PathOf(key), $"expected a whole number, found {number.ToString(CultureInfo.InvariantCulture)}");
        }

        return (int)number;
    }

    /// <summary>Reads true or false.</summary>
    /// <param name="key">The key.</param>
    /// <param name="fallback">Value when the key is absent; <c>null</c> makes the key required.</param>
    /// <returns>The value.</returns>
    /// <exception cref="JsonInputException">Missing and required, or not true/false.</exception>
    public bool Bool(string key, bool? fallback = null)
    {
        if (!Has(key))
        {
            return fallback ?? throw Missing(key);
        }

        var value = Element.GetProperty(key);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(PathOf(key), $"expected true or false, found {Describe(value)}"),
        };
    }

    /// <summary>Rejects keys no reader asked for, suggesting the closest known one.</summary>
    /// <exception cref="JsonInputException">The object holds a key no reader asked for.</exception>
    public void RejectUnknownKeys()
    {
        foreach (var property in Element.EnumerateObject())
        {
            if (!_known.Contains(property.Name))
            {
                var guess = _known.OrderBy(k => Distance(k, property.Name)).FirstOrDefault();
                var hint = guess != null && Distance(guess, property.Name) <= 3 ? $" (did you mean '{guess}'?)" : string.Empty;
                throw Error(PathOf(property.Name), $"unknown key '{property.Name}'{hint}; known keys: {string.Join(", ", _known.Order(StringComparer.Ordinal))}");
            }
        }
    }

    private JsonInputException Missing(string key)
    {
        // A required key that is missing is often there, misspelt: say so rather than only "is required".
        var near = Element.EnumerateObject().Select(p => p.Name).FirstOrDefault(name => name != key && Distance(name, key) <= 2);
        return Error(PathOf(key), near == null ? "is required" : $"is required (is '{near}' a misspelling of it?)");
    }

    private JsonElement Required(string key)
    {
        if (!Has(key))
        {
            throw Missing(key);
        }

        return Element.GetProperty(key);
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "null",
    };

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }
        }

        return d[a.Length, b.Length];
    }
}
