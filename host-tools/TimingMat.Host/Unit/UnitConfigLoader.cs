using System.Globalization;
using TimingMat.Core.Outbox;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Unit;
using TimingMat.Host.Json;

namespace TimingMat.Host.Unit;

/// <summary>
/// Reads and validates a unit configuration file (format: docs/unit-config.md). Every error names the file and the
/// JSON path and says what is expected; unknown keys are errors, so a misspelt key never falls back to a default.
/// </summary>
public static class UnitConfigLoader
{
    private const long Micros = 1_000_000;

    /// <summary>Parses and validates a configuration.</summary>
    /// <param name="json">The file's text.</param>
    /// <param name="source">File name, for messages.</param>
    /// <param name="baseDirectory">Folder a relative journal path starts from (the configuration file's folder).</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="JsonInputException">Not valid JSON, or not a valid configuration.</exception>
    public static UnitConfig Parse(string json, string source, string baseDirectory) =>
        JsonCursor.Parse(json, source, root => Read(root, baseDirectory));

    private static UnitConfig Read(JsonCursor root, string baseDirectory)
    {
        var unit = root.Int("unit", 1, 65535);
        var roleText = root.String("role");
        if (!UnitRoleText.TryParse(roleText, out var role))
        {
            throw root.Error(root.PathOf("role"), $"unknown role '{roleText}'; expected one of: checkin, start, split, turnaround, finish");
        }

        var reader = root.Object("reader");
        var protocolText = reader.String("protocol");
        var protocol = protocolText switch
        {
            "mercury" or "m6e" => ReaderProtocol.Mercury,
            "r2000" => ReaderProtocol.R2000,
            _ => throw reader.Error(reader.PathOf("protocol"), $"unknown reader protocol '{protocolText}'; expected mercury (ThingMagic M6e Nano) or r2000 (0xA0 modules)"),
        };
        var readerBaud = Baud(reader, 115_200);
        var regionText = reader.String("region");
        var region = UnitConfigRegions.Find(regionText)
            ?? throw reader.Error(reader.PathOf("region"), $"unknown region '{regionText}'; expected one of: {string.Join(", ", UnitConfigRegions.Names)}");
        double power;
        int antennas;
        if (protocol == ReaderProtocol.Mercury)
        {
            power = reader.Number("power_dbm", 5, 27, 27);
            if (reader.Has("antennas"))
            {
                throw reader.Error(reader.PathOf("antennas"), "the M6e Nano has one antenna port; leave antennas out");
            }

            antennas = 1;
        }
        else
        {
            if (region.R2000Code == null)
            {
                throw reader.Error(reader.PathOf("region"), $"R2000 modules have no '{region.Name}' region; expected na, eu or cn");
            }

            power = reader.Int("power_dbm", 0, 33, 30);
            antennas = reader.Int("antennas", 4, 8, 4);
            if (antennas is not (4 or 8))
            {
                throw reader.Error(reader.PathOf("antennas"), $"{antennas} antenna ports: R2000 readers have 4 or 8");
            }
        }

        reader.RejectUnknownKeys();

        var gpsBaud = 9600;
        if (root.Has("gps"))
        {
            var gps = root.Object("gps");
            gpsBaud = Baud(gps, 9600);
            gps.RejectUnknownKeys();
        }

        var timing = root.Has("race_day");
        long? opens = null;
        long? cutOff = null;
        if (timing)
        {
            var raceDay = root.Object("race_day");
            opens = raceDay.Has("opens") ? UtcTime(raceDay, "opens") : null;
            cutOff = raceDay.Has("cut_off") ? UtcTime(raceDay, "cut_off") : null;
            if (opens != null && cutOff != null && cutOff <= opens)
            {
                throw raceDay.Error(raceDay.PathOf("cut_off"), "the cut-off is not after the opening");
            }

            raceDay.RejectUnknownKeys();
        }

        var prefix = UplinkTopics.DefaultPrefix;
        var clientId = "timingmat-unit-" + unit.ToString(CultureInfo.InvariantCulture);
        var statusSeconds = 10;
        if (root.Has("uplink"))
        {
            var uplink = root.Object("uplink");
            prefix = uplink.String("prefix", prefix);
            if (prefix.IndexOfAny(['+', '#']) >= 0 || prefix.StartsWith('/') || prefix.EndsWith('/'))
            {
                throw uplink.Error(uplink.PathOf("prefix"), $"'{prefix}' is not a topic prefix: no MQTT wildcards (+ #) and no leading or trailing /");
            }

            clientId = uplink.String("client_id", clientId);
            if (clientId.Length > 128 || clientId.Any(c => c is <= ' ' or > '~'))
            {
                throw uplink.Error(uplink.PathOf("client_id"), "expected up to 128 printable ASCII characters without spaces");
            }

            statusSeconds = uplink.Int("status_interval_s", 1, 600, statusSeconds);
            uplink.RejectUnknownKeys();
        }

        var reactionMicros = UnitRoleText.DefaultReactionMicros(role);
        if (root.Has("crossings"))
        {
            var crossings = root.Object("crossings");
            reactionMicros = crossings.Int("reaction_ms", 100, 10_000, (int)(reactionMicros / 1000)) * 1000L;
            crossings.RejectUnknownKeys();
        }

        var journal = root.String("journal", "journal-unit-" + unit.ToString(CultureInfo.InvariantCulture));
        root.RejectUnknownKeys();

        return new UnitConfig
        {
            UnitId = unit,
            Role = role,
            ReaderProtocol = protocol,
            ReaderBaud = readerBaud,
            Region = region.Name,
            ReaderPowerDbm = power,
            Antennas = antennas,
            GpsBaud = gpsBaud,
            Timing = timing,
            OpensUtcMicros = opens,
            CutOffUtcMicros = cutOff,
            TopicPrefix = prefix,
            ClientId = clientId,
            StatusIntervalMicros = statusSeconds * Micros,
            ReactionMicros = reactionMicros,
            JournalDirectory = Path.GetFullPath(Path.Combine(baseDirectory, journal)),
        };
    }

    private static int Baud(JsonCursor cursor, int fallback) => cursor.Int("baud", 1200, 921_600, fallback);

    private static long UtcTime(JsonCursor cursor, string key)
    {
        var text = cursor.String(key);

        // An explicit zone only: a bare local time would arm the mat hours off on a laptop in another time zone.
        if (!DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            || !(text.EndsWith('Z') || text.EndsWith("z", StringComparison.Ordinal) || text.LastIndexOfAny(['+', '-']) > 10))
        {
            throw cursor.Error(cursor.PathOf(key), $"'{text}' is not a UTC time; expected ISO 8601 with a zone, e.g. 2025-04-06T07:30:00Z");
        }

        return (time.UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
    }
}
