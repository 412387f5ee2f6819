using System.Text;
using System.Text.Json;
using TimingMat.Core.Outbox;

namespace TimingMat.Tent.Status;

/// <summary>
/// A unit's status as the tent reads it from <c>&lt;prefix&gt;/&lt;unit&gt;/status</c> (firmware/docs/wire-formats.md §7):
/// what the monitor, <c>clock verify</c> and <c>emulate</c> show. Also reads the broker's last will
/// (<c>{"unit":N,"state":"offline"}</c>), where everything but the unit and state is absent.
/// </summary>
/// <param name="Unit">Unit id.</param>
/// <param name="State"><c>online</c> or <c>offline</c>.</param>
/// <param name="Mat">The mat's name, or null.</param>
/// <param name="Role">The mat's role, or null.</param>
/// <param name="Mode"><c>timing</c> or <c>test</c>, or null.</param>
/// <param name="UptimeSeconds">Seconds since the unit's boot, or null.</param>
/// <param name="Clock">The clock, or null (a will).</param>
/// <param name="Readers">The reader modules.</param>
/// <param name="PassingsMade">Passings made this boot.</param>
/// <param name="JournalFillPercent">How full the journal is, or null.</param>
/// <param name="Unacknowledged">Passings not yet acknowledged by the collector.</param>
/// <param name="CapacityPassings">Passings the journal holds when full, or null.</param>
/// <param name="RemainingHours">Hours of outage the journal can still absorb, or null while no passings come.</param>
/// <param name="Online">Whether the unit's MQTT session is up (its outbox says so).</param>
/// <param name="Backlog">Batches waiting to be sent.</param>
/// <param name="BatteryPercent">Battery charge, or null where the board does not measure it.</param>
/// <param name="Alarms">The unit's alarms (wire-formats §7).</param>
/// <param name="CommandsRejected">Commands the unit rejected since boot (unsigned, bad tag, replayed …).</param>
public sealed record UnitStatusReport(
    int Unit,
    string State,
    string? Mat,
    string? Role,
    string? Mode,
    double? UptimeSeconds,
    ClockReport? Clock,
    IReadOnlyList<ReaderReport> Readers,
    long PassingsMade,
    double? JournalFillPercent,
    long Unacknowledged,
    long? CapacityPassings,
    double? RemainingHours,
    bool Online,
    long Backlog,
    int? BatteryPercent,
    IReadOnlyList<string> Alarms,
    long CommandsRejected)
{
    /// <summary>Gets a value indicating whether this is the broker's last will or a clean stop's status: the unit is gone.</summary>
    public bool IsOffline => State == "offline";

    /// <summary>Gets the reads per second of all modules together.</summary>
    public double ReadsPerSecond => Readers.Sum(r => r.ReadsPerSecond);

    /// <summary>Reads a status message.</summary>
    /// <param name="topic">The topic it came on (the unit id is taken from it when the body lacks one).</param>
    /// <param name="prefix">The units' topic prefix.</param>
    /// <param name="payload">The message body.</param>
    /// <returns>The status, or <c>null</c> when the topic is not a status topic or the body is not a unit's status (an empty retained message clears one).</returns>
    public static UnitStatusReport? Parse(string topic, string prefix, byte[] payload)
    {
        var unit = UplinkTopics.ParseUnit(topic, prefix, UplinkTopics.StatusLevel);
        if (unit < 0 || payload.Length == 0)
        {
            return null;
        }

        using var document = JsonRead.Document(payload);
        return document == null ? null : From(document.RootElement, unit);
    }

    /// <summary>Reads a status object.</summary>
    /// <param name="status">The JSON object.</param>
    /// <param name="unit">The unit id when the object lacks one.</param>
    /// <returns>The status.</returns>
    public static UnitStatusReport From(JsonElement status, int unit)
    {
        var readers = new List<ReaderReport>();
        if (status.TryGetProperty("readers", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in list.EnumerateArray())
            {
                readers.Add(new ReaderReport((int)(JsonRead.Long(r, "reader") ?? readers.Count), JsonRead.String(r, "state") ?? "unknown", JsonRead.Long(r, "reads") ?? 0, JsonRead.Double(r, "reads_per_s") ?? 0, JsonRead.Long(r, "restarts") ?? 0));
            }
        }

        var alarms = new List<string>();
        if (status.TryGetProperty("alarms", out var alarmList) && alarmList.ValueKind == JsonValueKind.Array)
        {
            alarms.AddRange(alarmList.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!));
        }

        var journal = JsonRead.Object(status, "journal");
        var outbox = JsonRead.Object(status, "outbox");
        var battery = JsonRead.Object(status, "battery");
        var commands = JsonRead.Object(status, "commands");
        long rejected = 0;
        if (commands is { } c && JsonRead.Object(c, "rejected") is { } reasons)
        {
            rejected = reasons.EnumerateObject().Sum(p => p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetInt64() : 0);
        }

        var clock = JsonRead.Object(status, "clock");
        return new UnitStatusReport(
            (int)(JsonRead.Long(status, "unit") ?? unit),
            JsonRead.String(status, "state") ?? "online",
            JsonRead.String(status, "mat"),
            JsonRead.String(status, "role"),
            JsonRead.String(status, "mode"),
            JsonRead.Double(status, "uptime_s"),
            clock is { } clockObject ? ClockReport.From(clockObject) : null,
            readers,
            JsonRead.Object(status, "passings") is { } passings ? JsonRead.Long(passings, "made") ?? 0 : 0,
            journal is { } j ? JsonRead.Double(j, "fill_pct") : null,
            journal is { } j2 ? JsonRead.Long(j2, "unacked") ?? 0 : 0,
            journal is { } j4 ? JsonRead.Long(j4, "capacity_passings") : null,
            journal is { } j3 ? JsonRead.Double(j3, "remaining_h") : null,
            outbox is { } o && (JsonRead.Bool(o, "online") ?? false),
            outbox is { } o2 ? JsonRead.Long(o2, "backlog") ?? 0 : 0,
            battery is { } b ? (int?)JsonRead.Long(b, "pct") : null,
            alarms,
            rejected);
    }

    /// <summary>One console line: what a crew scans for.</summary>
    /// <returns>The line.</returns>
    public string Line()
    {
        if (IsOffline && Clock == null)
        {
            return $"unit {Unit}: OFFLINE";
        }

        var text = new StringBuilder();
        text.Append(FormattableString.Invariant($"unit {Unit}{(Mat == null ? string.Empty : $" ({Mat})")}: {Mode ?? "?"}"));
        if (Clock is { } clock)
        {
            text.Append(clock.IsLocked || clock.UncertaintyMicros != null
                ? FormattableString.Invariant($", clock {clock.State} ±{clock.UncertaintyMicros / 1000.0:0.###} ms, {clock.Satellites} sats")
                : $", clock {clock.State}{(clock.Fix ? string.Empty : ", no fix")}");
        }

        text.Append(FormattableString.Invariant($", readers {Readers.Count(r => r.IsReading)}/{Readers.Count} reading {ReadsPerSecond:0} reads/s, {PassingsMade} passings, {Unacknowledged} unacked, uplink {(Online ? "online" : "OFFLINE")}"));
        if (Alarms.Count > 0)
        {
            text.Append(", ALARMS ").Append(string.Join(",", Alarms));
        }

        return text.ToString();
    }
}
