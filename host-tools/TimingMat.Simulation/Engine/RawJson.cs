using System.Text.Json;
using System.Text.Json.Serialization;

namespace TimingMat.Simulation.Engine;

/// <summary>A JSON document carried as its text (a unit's status), compared by that text and written into a report as the object it is.</summary>
/// <param name="Text">The JSON text.</param>
[JsonConverter(typeof(RawJsonConverter))]
public sealed record RawJson(string Text)
{
    /// <summary>Parses the text.</summary>
    /// <returns>The document; dispose it.</returns>
    public JsonDocument Parse() => JsonDocument.Parse(Text);

    /// <summary>Writes the text as JSON, reads it back as text.</summary>
    private sealed class RawJsonConverter : JsonConverter<RawJson>
    {
        public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return new RawJson(document.RootElement.GetRawText());
        }

        public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) => writer.WriteRawValue(value.Text);
    }
}
