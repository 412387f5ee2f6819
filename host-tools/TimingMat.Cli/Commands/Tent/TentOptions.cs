using System.CommandLine;
using System.Globalization;
using System.Text;
using TimingMat.Cli.Infrastructure;
using TimingMat.Core.Outbox;
using TimingMat.Tent.Commands;
using TimingMat.Tent.Race;

namespace TimingMat.Cli.Commands.Tent;

/// <summary>
/// What the tent commands share: the broker options, <c>--race race.cfg</c> (broker, prefix, the tent's account and each
/// unit's key), <c>--units</c>, <c>--key-file</c> and <c>--prefix</c>, read into one checked <see cref="TentSettings"/>.
/// </summary>
internal sealed class TentOptions
{
    private TentOptions()
    {
        Broker = BrokerOptions.Create(optional: true);
        Race = new Option<string?>("--race") { Description = "The race file (race.cfg, docs/race-file.md): broker, topic prefix, the tent's broker account and every unit's command key", HelpName = "FILE" };
        Units = new Option<string?>("--units") { Description = "Units to address or watch, e.g. 1,2,5-8 (default: every unit of the race file; monitor without either: every unit heard)", HelpName = "LIST" };
        KeyFile = new Option<string?>("--key-file") { Description = "A file holding one command key in hex, for every unit addressed (instead of the race file's keys)", HelpName = "FILE" };
        Prefix = new Option<string?>("--prefix") { Description = "The units' topic prefix (default: the race file's mqtt.prefix, else timingmat)" };
    }

    public BrokerOptions Broker { get; }

    public Option<string?> Race { get; }

    public Option<string?> Units { get; }

    public Option<string?> KeyFile { get; }

    public Option<string?> Prefix { get; }

    public static TentOptions Create() => new();

    public IEnumerable<Option> All() => Broker.All().Concat([Race, Units, KeyFile, Prefix]);

    /// <summary>Gets the options of a tool that only watches (no commands, so no key).</summary>
    public IEnumerable<Option> Watching() => Broker.All().Concat([Race, Units, Prefix]);

    /// <summary>Reads and checks the options of a tool that only watches: the units are those given, else the race file's, else none (every unit heard).</summary>
    public TentSettings ReadWatching(ParseResult parse)
    {
        var race = LoadRace(parse);
        var units = parse.GetValue(Units) is { } list ? ParseUnits(list) : race?.Units.Select(u => u.Id).ToList() ?? [];
        return Settings(parse, race, units, null);
    }

    /// <summary>Reads and checks the options.</summary>
    public TentSettings Read(ParseResult parse, IReadOnlyList<int>? only = null)
    {
        var race = LoadRace(parse);
        byte[]? key = null;
        if (parse.GetValue(KeyFile) is { } keyPath)
        {
            var hex = Encoding.ASCII.GetString(InputFiles.ReadAllBytes(keyPath)).Trim();
            if (hex.Length is < 32 or > 128 || hex.Length % 2 != 0 || !hex.All(char.IsAsciiHexDigit))
            {
                throw new CliException(ExitCode.InvalidInput, $"--key-file '{keyPath}' does not hold a command key (secret, {hex.Length} characters): expected 32-128 hex digits.", "put the unit's command.key, as provisioned, alone in the file.");
            }

            key = Convert.FromHexString(hex);
        }

        var units = only?.ToList() ?? (parse.GetValue(Units) is { } list ? ParseUnits(list) : race?.Units.Select(u => u.Id).ToList());
        if (units == null || units.Count == 0)
        {
            throw new CliException(ExitCode.InvalidInput, "no units: give --race race.cfg or --units.", "give --race with the race file, or --units 1,2,3 with --key-file.");
        }

        return Settings(parse, race, units, key);
    }

    private RaceFile? LoadRace(ParseResult parse)
    {
        if (parse.GetValue(Race) is not { } racePath)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(InputFiles.ReadAllBytes(racePath));
        try
        {
            return RaceFile.Parse(text, Path.GetFileName(racePath));
        }
        catch (RaceFileException e)
        {
            throw new CliException(ExitCode.InvalidInput, e.Message, "fix the race file at the line named; docs/race-file.md lists its keys.");
        }
    }

    private TentSettings Settings(ParseResult parse, RaceFile? race, List<int> units, byte[]? key)
    {
        var broker = Broker.Read(parse, race?.BrokerUrl, "give --race with a race file that sets mqtt.url");
        var prefix = parse.GetValue(Prefix) ?? race?.TopicPrefix ?? UplinkTopics.DefaultPrefix;
        var username = broker.Username ?? (race?.TentPassword != null ? race.TentUsername : null);
        var password = broker.Password ?? race?.TentPassword;
        return new TentSettings(broker with { Username = username, Password = password }, prefix, race, [.. units.Select(u => (u, key ?? race?.Unit(u)?.CommandKey))]);
    }

    /// <summary>Reads a unit list such as <c>1,2,5-8</c>.</summary>
    public static List<int> ParseUnits(string text)
    {
        var units = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-');
            var ok = bounds.Length is 1 or 2;
            var from = ok && int.TryParse(bounds[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first) ? first : -1;
            var to = !ok ? -1 : bounds.Length == 1 ? from : int.TryParse(bounds[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last) ? last : -1;
            if (!ok || from is < 1 or > 65535 || to < from || to > 65535 || to - from > 1000)
            {
                throw new CliException(ExitCode.InvalidInput, $"--units: '{part}' is not a unit id (1-65535) or a range such as 5-8.", "give unit ids like 1,2,5-8.");
            }

            units.AddRange(Enumerable.Range(from, to - from + 1).Where(u => !units.Contains(u)));
        }

        return units;
    }

    /// <summary>Connects the tent's session with the CLI's errors.</summary>
    public static TentCommander Connect(TentSettings settings)
    {
        try
        {
            return TentCommander.Connect(settings.Broker.Address, settings.Prefix, settings.Broker.Username, settings.Broker.Password, settings.Broker.Configure);
        }
        catch (TentConnectException e)
        {
            throw new CliException(ExitCode.BrokerUnreachable, e.Message + ".", "check that the broker runs and its URL, and the tent's account (tent.username / tent.password in the race file, or --username/--password).");
        }
    }
}

/// <summary>The tent commands' checked settings.</summary>
/// <param name="Broker">The broker with the tent's credentials.</param>
/// <param name="Prefix">The units' topic prefix.</param>
/// <param name="Race">The race file, or null.</param>
/// <param name="Units">The units addressed, each with its command key (null: none known).</param>
internal sealed record TentSettings(BrokerSettings Broker, string Prefix, RaceFile? Race, IReadOnlyList<(int Unit, byte[]? Key)> Units);
