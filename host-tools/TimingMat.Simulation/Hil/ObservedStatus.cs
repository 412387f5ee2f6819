using System.Text.Json;

namespace TimingMat.Simulation.Hil;

/// <summary>A unit's retained status message as the harness saw it (format: firmware/docs/wire-formats.md).</summary>
/// <param name="State"><c>online</c> or <c>offline</c>.</param>
/// <param name="Journal">The journal's id, last durable sequence number and unacknowledged count; null in the broker's last will, which says only "offline".</param>
/// <param name="SeenAtUtcMicros">True UTC µs when the harness saw it.</param>
internal sealed record ObservedStatus(string State, (long Id, long LastSequence, long Unacknowledged)? Journal, long SeenAtUtcMicros)
{
    /// <summary>Reads a status message.</summary>
    /// <param name="text">The message.</param>
    /// <param name="seenAt">True UTC µs when it was seen.</param>
    /// <returns>The status, or null when the message is not one.</returns>
    public static ObservedStatus? TryParse(string text, long seenAt)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            var state = root.GetProperty("state").GetString() ?? "unknown";
            if (!root.TryGetProperty("journal", out var journal))
            {
                return new ObservedStatus(state, null, seenAt);
            }

            return new ObservedStatus(state, (journal.GetProperty("id").GetInt64(), journal.GetProperty("last_seq").GetInt64(), journal.GetProperty("unacked").GetInt64()), seenAt);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
