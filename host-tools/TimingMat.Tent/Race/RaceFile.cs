using TimingMat.Core.Outbox;
using TimingMat.Core.Unit;
using CoreRaceFile = TimingMat.Core.Unit.RaceFile;

namespace TimingMat.Tent.Race;

/// <summary>
/// The tent's view of a race file (<c>race.cfg</c>, docs/race-file.md): the race, its broker, the tent's and the
/// collector's broker accounts, and per unit its id, mat name, command key and broker account. The file is the one the
/// units are provisioned from, read by the core's <see cref="CoreRaceFile"/> (every unit's configuration validated as
/// the board validates it); the tent tools (<c>clock verify</c>, <c>command</c>, <c>broker-config</c>, <c>emulate</c>,
/// <c>monitor</c>) take it with <c>--race</c>.
/// </summary>
/// <remarks>Secrets (<c>*.password</c>, <c>command.key</c>) are never repeated in a message, only their length.</remarks>
public sealed class RaceFile
{
    /// <summary>The tent's broker user name when the file names none.</summary>
    public const string DefaultTentUser = "tent";

    /// <summary>The collector's broker user name when the file names none.</summary>
    public const string DefaultCollectorUser = "timingmat-collector";

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
    /// <exception cref="RaceFileException">A line, key or value is wrong, a unit's configuration is incomplete, or two units or tools share a broker user name.</exception>
    public static RaceFile Parse(string text, string source)
    {
        CoreRaceFile file;
        try
        {
            file = CoreRaceFile.Parse(text);
        }
        catch (ConfigFileException e)
        {
            throw new RaceFileException(e.Line > 0 ? $"{source}: line {e.Line}: {e.Problem}" : $"{source}: {e.Problem}");
        }

        return From(file, source);
    }

    /// <summary>Takes the tent's view of a race file the core has read.</summary>
    /// <param name="file">The race file.</param>
    /// <param name="source">The file's name, for messages.</param>
    /// <returns>The race.</returns>
    /// <exception cref="RaceFileException">Two units or tools share a broker user name, or two units share a name.</exception>
    public static RaceFile From(CoreRaceFile file, string source)
    {
        var units = new List<RaceUnit>();
        string? prefix = null;
        foreach (var name in file.UnitNames)
        {
            var config = file.ConfigOf(name);
            if (prefix != null && config.TopicPrefix != prefix)
            {
                throw new RaceFileException($"{source}: unit {name} has mqtt.prefix = '{config.TopicPrefix}', the others '{prefix}': expected one prefix for the race (the tent listens under it).");
            }

            prefix = config.TopicPrefix;
            units.Add(new RaceUnit(config.Unit, config.MatName, config.CommandKey, config.MqttUsername ?? $"unit-{config.Unit}", config.MqttPassword) { FileName = name });
        }

        units.Sort((a, b) => a.Id.CompareTo(b.Id));
        var tentUser = file.RaceValue("tent.username") ?? DefaultTentUser;
        var collectorUser = file.RaceValue("collector.username") ?? DefaultCollectorUser;
        var users = units.Select(u => u.Username).Append(tentUser).Append(collectorUser);
        if (users.GroupBy(u => u, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } shared)
        {
            throw new RaceFileException($"{source}: the broker user name '{shared.Key}' is given to more than one unit or tool; each needs its own for the ACL (mqtt.username behind each unit's name, tent.username, collector.username).");
        }

        return new RaceFile(
            file.RaceValue("race.id"),
            file.RaceValue("mqtt.url"),
            prefix ?? UplinkTopics.DefaultPrefix,
            tentUser,
            file.RaceValue("tent.password"),
            collectorUser,
            file.RaceValue("collector.password"),
            units);
    }

    /// <summary>Reads a race file.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The race.</returns>
    /// <exception cref="RaceFileException">The file is invalid.</exception>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static RaceFile Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));
}
