using System.Text.Json.Nodes;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Reader.R2000;
using TimingMat.Core.Unit;
using TimingMat.Host.Json;
using TimingMat.Host.Unit;
using Xunit;

namespace TimingMat.Host.Tests.Unit;

/// <summary>
/// The desktop unit's configuration file in both forms: the board's key = value file and JSON (including the names of
/// earlier unit files), both mapped onto the core's one key set, with every error at its place.
/// </summary>
public class UnitConfigFileTests
{
    private const string Base = "/bench/rig";

    private const string Full = """
        {
          // A start mat with an R2000 reader in Europe.
          "unit": 3,
          "role": "start",
          "reader": { "protocol": "r2000", "baud": 57600, "region": "eu", "power_dbm": 26, "antennas": 8 },
          "gps": { "baud": 38400 },
          "race_day": { "opens": "2025-04-06T07:30:00Z", "cut_off": "2025-04-06T14:00:00+02:00" },
          "uplink": { "prefix": "race/2025", "client_id": "mat-3", "status_interval_s": 5 },
          "crossings": { "reaction_ms": 1500 },
          "journal": "journals/3",
        }
        """;

    private const string Cfg = """
        # The same start mat as the board's file, plus the desktop's journal and GPS speed.
        unit.id = 3
        mat.role = start
        reader.type = r2000
        reader.baud = 57600
        reader.region = eu
        reader.power_dbm = 26
        reader.antennas = 8
        gps.baud = 38400
        window.opens = 2025-04-06T07:30:00Z
        window.cut_off = 2025-04-06T14:00:00+02:00
        mqtt.prefix = race/2025
        mqtt.client_id = mat-3
        status.interval_s = 5
        crossings.reaction_ms = 1500
        journal = journals/3
        """;

    [Theory]
    [InlineData(Full)]
    [InlineData(Cfg)]
    public void AFullConfiguration_InEitherForm_BecomesTheSameCoreSettings(string text)
    {
        var config = UnitConfigFile.Parse(text, "unit.cfg", Base);
        var settings = config.Unit.ToSettings();

        Assert.Equal(3, settings.UnitId);
        Assert.Equal(UnitRole.Start, settings.Role);
        Assert.Equal(ReaderProtocol.R2000, settings.ReaderProtocol);
        Assert.Equal([57600], settings.R2000.BaudRates);
        Assert.Equal(R2000Codec.RegionEtsi, settings.R2000.Region);
        Assert.Equal((0, 6), (settings.R2000.FrequencyStartIndex, settings.R2000.FrequencyEndIndex));
        Assert.Equal(26, settings.R2000.OutputPowerDbm);
        Assert.Equal(8, settings.R2000.AntennaPorts);
        Assert.Equal(38400, config.GpsBaud);
        Assert.Equal(RaceDayMode.Timing, config.Unit.BootMode);
        Assert.Equal(1743924600L * 1_000_000, config.Unit.OpensUtcMicros);
        Assert.Equal(1743940800L * 1_000_000, config.Unit.CutOffUtcMicros);
        Assert.Equal("race/2025", settings.Uplink.Outbox.TopicPrefix);
        Assert.Equal("mat-3", settings.Uplink.ClientId);
        Assert.Equal(5_000_000, settings.Uplink.StatusIntervalMicros);
        Assert.Equal(1_500_000, settings.Crossings.ReactionMicros);
        Assert.Equal(1024, settings.Crossings.ChipCapacity);
        Assert.Equal(Path.GetFullPath("/bench/rig/journals/3"), config.JournalDirectory);
    }

    [Fact]
    public void AMinimalConfiguration_TakesTheRoleDefaults_AndStaysInTestMode()
    {
        var config = UnitConfigFile.Parse("""{ "unit": 9, "role": "split", "reader": { "protocol": "mercury", "region": "na" } }""", "unit.json", Base);
        var settings = config.Unit.ToSettings();

        Assert.Equal(RaceDayMode.Test, config.Unit.BootMode);
        Assert.Equal(MercuryRegion.NorthAmerica, settings.Mercury.Region);
        Assert.Equal(2700, settings.Mercury.ReadPowerCentiDbm);
        Assert.Equal([115200], settings.Mercury.BaudRates);
        Assert.Equal(9600, config.GpsBaud);
        Assert.Equal("timingmat", settings.Uplink.Outbox.TopicPrefix);
        Assert.Equal("timingmat-unit-9", settings.Uplink.ClientId);
        Assert.Equal(850_000, settings.Crossings.ReactionMicros);
        Assert.Equal(288, settings.Crossings.ChipCapacity);
        Assert.Equal(96, settings.Crossings.OpenCrossingCapacity);
        Assert.Equal(Path.GetFullPath("/bench/rig/journal-unit-9"), config.JournalDirectory);
    }

    [Fact]
    public void JsonTakesEveryKeyOfTheBoardsFile_NestedByItsDots()
    {
        var config = UnitConfigFile.Parse(
            """{ "unit": { "id": 5 }, "mat": { "role": "finish", "km": 21.0975, "name": "finish" }, "reader": { "type": "m6e", "region": "eu" }, "mqtt": { "url": "mqtts://broker.race:8883" }, "command": { "key": "000102030405060708090a0b0c0d0e0f" } }""",
            "unit.json",
            Base);

        Assert.Equal((5, UnitRole.Finish, 21098), (config.Unit.Unit, config.Unit.Role, config.Unit.MatMetres));
        Assert.Equal(("broker.race", 8883, true), (config.Unit.MqttHost, config.Unit.MqttPort, config.Unit.MqttTls));
        Assert.Equal(16, config.Unit.CommandKey.Length);
    }

    [Theory]
    [InlineData("$.unit", 0, "$.unit: unit.id = '0': expected the unit id, a whole number 1-65535.")]
    [InlineData("$.role", "chekin", "$.role: mat.role = 'chekin': expected check-in, start, split, turnaround or finish.")]
    [InlineData("$.reader.protocol", "impinj", "$.reader.protocol: reader.type = 'impinj': expected m6e (ThingMagic M6e Nano, Mercury protocol) or r2000")]
    [InlineData("$.reader.region", "us", "$.reader.region: reader.region = 'us': expected na (902-928 MHz), eu (ETSI 865-868 MHz), cn, in, jp, kr, au, nz or open (lab only).")]
    [InlineData("$.reader.region", "jp", "$.reader.region: reader.region = 'jp' is not a region R2000 modules have: expected na, eu or cn with reader.type = r2000.")]
    [InlineData("$.reader.power_dbm", 34, "$.reader.power_dbm: reader.power_dbm = '34': expected 0-33 dBm")]
    [InlineData("$.reader.power_dbm", 26.5, "$.reader.power_dbm: reader.power_dbm = '26.50' is not a whole 0-33 dBm: expected what R2000 modules take.")]
    [InlineData("$.reader.antennas", 6, "$.reader.antennas: reader.antennas = '6': expected 4 or 8 (R2000 antenna ports).")]
    [InlineData("$.reader.baud", "fast", "$.reader.baud: reader.baud = 'fast': expected a UART speed, 9600-921600.")]
    [InlineData("$.race_day.opens", "2025-04-06T07:30:00", "$.race_day.opens: window.opens = '2025-04-06T07:30:00': expected an ISO 8601 time with a zone, e.g. 2026-10-04T06:30:00Z.")]
    [InlineData("$.race_day.cut_off", "2025-04-06T07:00:00Z", "$.race_day.cut_off: window.cut_off = '2025-04-06T07:00:00.000000Z' is not after window.opens: expected a cut-off after the opening.")]
    [InlineData("$.uplink.prefix", "race/+", "$.uplink.prefix: mqtt.prefix = 'race/+': expected an MQTT topic prefix")]
    [InlineData("$.uplink.client_id", "mat 3", "$.uplink.client_id: mqtt.client_id = 'mat 3': expected 1-64 letters, digits, '.', '-' or '_'.")]
    [InlineData("$.crossings.reaction_ms", 50, "$.crossings.reaction_ms: crossings.reaction_ms = '50': expected 100-10000 ms.")]
    public void ABadValue_IsAnErrorAtItsPath_SayingKeyValueAndWhatIsExpected(string path, object value, string expected)
    {
        var error = Assert.Throws<JsonInputException>(() => UnitConfigFile.Parse(Mutate(path, value), "unit.json", Base));

        Assert.StartsWith("unit.json: " + expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Location);
    }

    [Fact]
    public void AMercuryReader_HasNoAntennaKey()
    {
        var json = Full.Replace("\"protocol\": \"r2000\"", "\"protocol\": \"mercury\"", StringComparison.Ordinal).Replace("\"power_dbm\": 26,", "\"power_dbm\": 20.5,", StringComparison.Ordinal);

        var error = Assert.Throws<JsonInputException>(() => UnitConfigFile.Parse(json, "unit.json", Base));

        Assert.Equal("unit.json: $.reader.antennas: reader.antennas = '8' is for R2000 modules: expected no reader.antennas with reader.type = m6e (the M6e Nano has one port).", error.Message);
    }

    [Fact]
    public void AnUnknownKey_IsAnError_WithTheClosestKnownOne()
    {
        var error = Assert.Throws<JsonInputException>(() => UnitConfigFile.Parse(Full.Replace("\"reaction_ms\"", "\"reaction\"", StringComparison.Ordinal), "unit.json", Base));

        Assert.StartsWith("unit.json: $.crossings.reaction: unknown key 'crossings.reaction'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspeltKey_IsNamedWithTheKeyItMeant()
    {
        var error = Assert.Throws<JsonInputException>(() => UnitConfigFile.Parse(Full.Replace("\"region\"", "\"regoin\"", StringComparison.Ordinal), "unit.json", Base));

        Assert.StartsWith("unit.json: $.reader.regoin: unknown key 'reader.regoin' (did you mean 'reader.region'?)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reader.region = mars\n", "line 5", "reader.region = 'mars': expected na")]
    [InlineData("reader.region = eu\nreader.region = na\n", "line 6", "reader.region is set twice (first on line 5).")]
    [InlineData("colour = blue\n", "line 5", "unknown key 'colour'")]
    [InlineData("just words\n", "line 5", "expected 'key = value'")]
    [InlineData("", "file", "reader.region is missing: expected na")]
    public void ABoardFormFile_NamesTheLine(string tail, string where, string expected)
    {
        var text = "unit.id = 2\nmat.role = split\nreader.type = m6e\n# region next\n" + tail;

        var error = Assert.Throws<JsonInputException>(() => UnitConfigFile.Parse(text, "unit.cfg", Base));

        Assert.Equal(where, error.Location);
        Assert.Contains(expected, error.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"unit\": 3, ", "line 1, column")]
    [InlineData("[1, 2]", "line 1: expected 'key = value'")]
    [InlineData("\u0000\u00ff garbage", "line 1")]
    public void Garbage_IsAnErrorWithItsPlace_NotACrash(string text, string expected)
    {
        var error = Assert.Throws<JsonInputException>(() => UnitConfigFile.Parse(text, "unit.json", Base));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("unit.json: ", error.Message, StringComparison.Ordinal);
    }

    private static string Mutate(string path, object value)
    {
        var root = JsonNode.Parse(Full, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        var parts = path.Split('.')[1..];
        var node = root;
        foreach (var part in parts[..^1])
        {
            node = node[part]!;
        }

        node[parts[^1]] = JsonValue.Create(value);
        return root.ToJsonString();
    }
}
