using System.Globalization;
using System.Text.Json;

namespace TimingMat.Simulation.Scenarios;

/// <summary>
/// Reads one JSON object of a scenario with its path, so every error names the exact place, and rejects keys it
/// does not know (a misspelt "cutof" must not silently fall back to a default).
/// </summary>
internal sealed class JsonCursor
{
    private readonly string _source;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

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

    public JsonElement Element { get; }

    public string Path { get; }

    public ScenarioException Error(string path, string problem) => new(_source, path, problem);

    public ScenarioException Error(string problem) => new(_source, Path, problem);

    public string PathOf(string key) => Path + "." + key;

    public bool Has(string key)
    {
        _known.Add(key);
        return Element.TryGetProperty(key, out var value) && value.ValueKind != JsonValueKind.Null;
    }

    public JsonCursor Object(string key)
    {
        return new JsonCursor(_source, Required(key), PathOf(key));
    }

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

    public string String(string key, string? fallback = null)
    {
        if (!Has(key))
        {
            return fallback ?? throw Error(PathOf(key), "is required");
        }

        var value = Element.GetProperty(key);
        if (value.ValueKind != JsonValueKind.String || value.GetString()!.Trim().Length == 0)
        {
            throw Error(PathOf(key), $"expected a non-empty string, found {Describe(value)}");
        }

        return value.GetString()!.Trim();
    }

    public string? OptionalString(string key) => Has(key) ? String(key) : null;

    public double Number(string key, double min, double max, double? fallback = null)
    {
        if (!Has(key))
        {
            return fallback ?? throw Error(PathOf(key), "is required");
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

    public int Int(string key, int min, int max, int? fallback = null)
    {
        var number = Number(key, min, max, fallback);
        if (number != Math.Floor(number))
        {
            throw Error(PathOf(key), $"expected a whole number, found {number.ToString(CultureInfo.InvariantCulture)}");
        }

        return (int)number;
    }

    /// <summary>Rejects keys no reader asked for, suggesting the closest known one.</summary>
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

    private JsonElement Required(string key)
    {
        if (!Has(key))
        {
            throw Error(PathOf(key), "is required");
        }

        return Element.GetProperty(key);
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
