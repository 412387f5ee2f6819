using System.Globalization;
using TimingMat.Core.Outbox;
using TimingMat.Core.Unit;

namespace TimingMat.Tent.Race;

/// <summary>
/// A race file (<c>race.cfg</c>): the race, its broker, the tent's and the collector's broker accounts, and per unit its
/// name, command key and broker account, in the <c>key = value</c> dialect of the unit configuration (read with the
/// core's <see cref="KeyValueReader"/>). What the tent tools (<c>clock verify</c>, <c>command</c>, <c>broker-config</c>,
/// <c>emulate</c>) take with <c>--race</c>; the keys are described in docs/race-file.md.
/// </summary>
/// <remarks>
/// Unknown and repeated keys are errors naming the line; secrets (<c>*.password</c>, <c>command.key</c>) are never
/// repeated in a message. A unit appears in the file by any of its <c>unit.&lt;id&gt;.*</c> keys.
/// </remarks>
public sealed class RaceFile
{
    /// <summary>The tent's broker user name when the file names none.</summary>
    public const string DefaultTentUser = "tent";

    /// <summary>The collector's broker user name when the file names none.</summary>
    public const string DefaultCollectorUser = "timingmat-collector";

    private static readonly string[] s_raceKeys = ["race.id", "mqtt.url", "mqtt.prefix", "tent.username", "tent.password", "collector.username", "collector.password"];
    private static readonly string[] s_unitKeys = ["name", "command.key", "mqtt.username", "mqtt.password"];

    private RaceFile(string? raceId, string? brokerUrl, string prefix, string tentUser, string? tentPassword, string collectorUser, string? collectorPassword, IReadOnlyList<RaceUnit> units)
    {
        RaceId = raceId;
        BrokerUrl = brokerUrl;
        TopicPrefix = prefix;
        TentUsername = tentUser;
        TentPassword = tentPassword;
        CollectorUsername = collectorUser;
        CollectorPassword = collectorPassword;
        Units = units;
    }

    /// <summary>Gets the race id, or <c>null</c>.</summary>
    public string? RaceId { get; }

    /// <summary>Gets the broker URL (<c>mqtt.url</c>), or <c>null</c>.</summary>
    public string? BrokerUrl { get; }

    /// <summary>Gets the units' topic prefix (<c>mqtt.prefix</c>, default <c>timingmat</c>).</summary>
    public string TopicPrefix { get; }

    /// <summary>Gets the tent's broker user name.</summary>
    public string TentUsername { get; }

    /// <summary>Gets the tent's broker password, or <c>null</c>.</summary>
    public string? TentPassword { get; }

    /// <summary>Gets the collector's broker user name.</summary>
    public string CollectorUsername { get; }

    /// <summary>Gets the collector's broker password, or <c>null</c>.</summary>
    public string? CollectorPassword { get; }

    /// <summary>Gets the units, by id.</summary>
    public IReadOnlyList<RaceUnit> Units { get; }

    /// <summary>Finds a unit.</summary>
    /// <param name="id">Unit id.</param>
    /// <returns>The unit, or <c>null</c> when the file has none with that id.</returns>
    public RaceUnit? Unit(int id) => Units.FirstOrDefault(u => u.Id == id);

    /// <summary>Reads a race file's text.</summary>
    /// <param name="text">The file's text.</param>
    /// <param name="source">The file's name, for messages.</param>
    /// <returns>The race.</returns>
    /// <exception cref="RaceFileException">A line is not <c>key = value</c>, a key is unknown or repeated, a value is invalid, or no unit is listed.</exception>
    public static RaceFile Parse(string text, string source)
    {
        var race = new Dictionary<string, string>(StringComparer.Ordinal);
        var units = new SortedDictionary<int, Dictionary<string, string>>();
        var reader = new KeyValueReader(text);
        try
        {
            while (reader.Next())
            {
                var key = reader.Key;
                var where = $"{source} line {reader.Line}";
                if (key.StartsWith("unit.", StringComparison.Ordinal))
                {
                    var dot = key.IndexOf('.', 5);
                    if (dot < 0 || !int.TryParse(key.AsSpan(5, dot - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id is < 1 or > 65535)
                    {
                        throw new RaceFileException($"{where}: '{key}': a unit key is unit.<id>.<key> with an id of 1-65535, e.g. unit.5.command.key.");
                    }

                    var unitKey = key[(dot + 1)..];
                    if (!s_unitKeys.Contains(unitKey))
                    {
                        throw new RaceFileException($"{where}: unknown key '{key}'; a unit takes {string.Join(", ", s_unitKeys.Select(k => "unit.<id>." + k))}.");
                    }

                    if (!units.TryGetValue(id, out var values))
                    {
                        units[id] = values = new Dictionary<string, string>(StringComparer.Ordinal);
                    }

                    Add(values, unitKey, key, reader.Value, where);
                }
                else if (s_raceKeys.Contains(key))
                {
                    Add(race, key, key, reader.Value, where);
                }
                else
                {
                    throw new RaceFileException($"{where}: unknown key '{key}'; a race file takes {string.Join(", ", s_raceKeys)} and unit.<id>.{{{string.Join(",", s_unitKeys)}}} (docs/race-file.md).");
                }
            }
        }
        catch (ConfigFileException e)
        {
            throw new RaceFileException($"{source} line {e.Line}: {e.Problem}");
        }

        if (units.Count == 0)
        {
            throw new RaceFileException($"{source}: no unit is listed; give each unit at least unit.<id>.command.key.");
        }

        var prefix = race.GetValueOrDefault("mqtt.prefix") ?? UplinkTopics.DefaultPrefix;
        if (prefix.IndexOfAny(['+', '#', ' ']) >= 0 || prefix.StartsWith('/') || prefix.EndsWith('/'))
        {
            throw new RaceFileException($"{source}: mqtt.prefix = '{prefix}': expected a topic prefix without +, #, spaces, or a leading or trailing /.");
        }

        var list = units.Select(pair => Unit(pair.Key, pair.Value, source)).ToList();
        var users = list.Select(u => u.Username).Append(race.GetValueOrDefault("tent.username") ?? DefaultTentUser).Append(race.GetValueOrDefault("collector.username") ?? DefaultCollectorUser);
        if (users.GroupBy(u => u, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw new RaceFileException($"{source}: the broker user name '{shared.Key}' is given to more than one unit or tool; each needs its own for the ACL.");
        }

        return new RaceFile(
            race.GetValueOrDefault("race.id"),
            race.GetValueOrDefault("mqtt.url"),
            prefix,
            race.GetValueOrDefault("tent.username") ?? DefaultTentUser,
            race.GetValueOrDefault("tent.password"),
            race.GetValueOrDefault("collector.username") ?? DefaultCollectorUser,
            race.GetValueOrDefault("collector.password"),
            list);
    }

    /// <summary>Reads a race file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The race.</returns>
    /// <exception cref="RaceFileException">The file is invalid.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static RaceFile Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    private static void Add(Dictionary<string, string> values, string key, string fullKey, string value, string where)
    {
        if (!values.TryAdd(key, value))
        {
            throw new RaceFileException($"{where}: {fullKey} is given twice.");
        }
    }

    private static RaceUnit Unit(int id, Dictionary<string, string> values, string source)
    {
        byte[]? key = null;
        if (values.TryGetValue("command.key", out var hex))
        {
            key = hex.Length is >= 32 and <= 128 && hex.Length % 2 == 0 && hex.All(char.IsAsciiHexDigit) ? Convert.FromHexString(hex) : null;
            if (key == null)
            {
                throw new RaceFileException($"{source}: unit.{id}.command.key = (secret, {hex.Length} characters): expected 32-128 hex digits (16-64 bytes).");
            }
        }

        var name = values.GetValueOrDefault("name") ?? $"unit-{id}";
        if (!ValueText.IsName(name, 32))
        {
            throw new RaceFileException($"{source}: unit.{id}.name = '{name}': expected 1-32 letters, digits, '.', '-' or '_'.");
        }

        var user = values.GetValueOrDefault("mqtt.username") ?? $"unit-{id}";
        return new RaceUnit(id, name, key, user, values.GetValueOrDefault("mqtt.password"));
    }
}
