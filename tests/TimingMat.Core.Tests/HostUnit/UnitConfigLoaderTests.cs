using System.Text.Json.Nodes;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Reader.Mercury;
using TimingMat.Core.Reader.R2000;
using TimingMat.Core.Unit;
using TimingMat.Host.Json;
using TimingMat.Host.Unit;
using Xunit;

namespace TimingMat.Core.Tests.HostUnit;

/// <summary>The desktop unit's configuration file: what a good one becomes, and a precise error for each bad one.</summary>
public class UnitConfigLoaderTests
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

    [Fact]
    public void AFullConfiguration_BecomesTheCoreSettings()
    {
        var config = UnitConfigLoader.Parse(Full, "unit.json", Base);
        var settings = config.ToSettings();

        Assert.Equal(3, settings.UnitId);
        Assert.Equal(UnitRole.Start, settings.Role);
        Assert.Equal(ReaderProtocol.R2000, settings.ReaderProtocol);
        Assert.Equal([57600], settings.R2000.BaudRates);
        Assert.Equal(R2000Codec.RegionEtsi, settings.R2000.Region);
        Assert.Equal((0, 6), (settings.R2000.FrequencyStartIndex, settings.R2000.FrequencyEndIndex));
        Assert.Equal(26, settings.R2000.OutputPowerDbm);
        Assert.Equal(8, settings.R2000.AntennaPorts);
        Assert.Equal(38400, config.GpsBaud);
        Assert.True(config.Timing);
        Assert.Equal(1743924600L * 1_000_000, config.OpensUtcMicros);
        Assert.Equal(1743940800L * 1_000_000, config.CutOffUtcMicros);
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
        var config = UnitConfigLoader.Parse("""{ "unit": 9, "role": "split", "reader": { "protocol": "mercury", "region": "na" } }""", "unit.json", Base);
        var settings = config.ToSettings();

        Assert.False(config.Timing);
        Assert.Equal(MercuryRegion.NorthAmerica, settings.Mercury.Region);
        Assert.Equal(2700, settings.Mercury.ReadPowerCentiDbm);
        Assert.Equal([115200], settings.Mercury.BaudRates);
        Assert.Equal(9600, config.GpsBaud);
        Assert.Equal("timingmat", settings.Uplink.Outbox.TopicPrefix);
        Assert.Equal("timingmat-unit-9", settings.Uplink.ClientId);
        Assert.Equal(850_000, settings.Crossings.ReactionMicros);
        Assert.Equal(512, settings.Crossings.ChipCapacity);
        Assert.Equal(Path.GetFullPath("/bench/rig/journal-unit-9"), config.JournalDirectory);
    }

    [Theory]
    [InlineData("$.unit", 0, "$.unit: 0 is out of range; expected 1 to 65535")]
    [InlineData("$.role", "chekin", "$.role: unknown role 'chekin'; expected one of: checkin, start, split, turnaround, finish")]
    [InlineData("$.reader.protocol", "impinj", "$.reader.protocol: unknown reader protocol 'impinj'")]
    [InlineData("$.reader.region", "us", "$.reader.region: unknown region 'us'; expected one of: na, eu, cn, in, jp, kr, au, nz, open")]
    [InlineData("$.reader.region", "jp", "$.reader.region: R2000 modules have no 'jp' region; expected na, eu or cn")]
    [InlineData("$.reader.power_dbm", 34, "$.reader.power_dbm: 34 is out of range; expected 0 to 33")]
    [InlineData("$.reader.power_dbm", 26.5, "$.reader.power_dbm: expected a whole number, found 26.5")]
    [InlineData("$.reader.antennas", 6, "$.reader.antennas: 6 antenna ports: R2000 readers have 4 or 8")]
    [InlineData("$.reader.baud", "fast", "$.reader.baud: expected a number, found the string \"fast\"")]
    [InlineData("$.race_day.opens", "2025-04-06T07:30:00", "$.race_day.opens: '2025-04-06T07:30:00' is not a UTC time; expected ISO 8601 with a zone")]
    [InlineData("$.race_day.cut_off", "2025-04-06T07:00:00Z", "$.race_day.cut_off: the cut-off is not after the opening")]
    [InlineData("$.uplink.prefix", "race/+", "$.uplink.prefix: 'race/+' is not a topic prefix")]
    [InlineData("$.uplink.client_id", "mat 3", "$.uplink.client_id: expected up to 128 printable ASCII characters without spaces")]
    [InlineData("$.crossings.reaction_ms", 50, "$.crossings.reaction_ms: 50 is out of range; expected 100 to 10000")]
    public void ABadValue_IsAnErrorAtItsPath(string path, object value, string expected)
    {
        var error = Assert.Throws<JsonInputException>(() => UnitConfigLoader.Parse(Mutate(path, value), "unit.json", Base));

        Assert.StartsWith("unit.json: " + expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(path, error.Location);
    }

    [Fact]
    public void AMercuryReader_HasNoAntennaKey()
    {
        var json = Full.Replace("\"protocol\": \"r2000\"", "\"protocol\": \"mercury\"", StringComparison.Ordinal).Replace("\"power_dbm\": 26,", "\"power_dbm\": 20.5,", StringComparison.Ordinal);

        var error = Assert.Throws<JsonInputException>(() => UnitConfigLoader.Parse(json, "unit.json", Base));

        Assert.Equal("unit.json: $.reader.antennas: the M6e Nano has one antenna port; leave antennas out", error.Message);
    }

    [Fact]
    public void AnUnknownKey_IsAnError_WithTheClosestKnownOne()
    {
        var error = Assert.Throws<JsonInputException>(() => UnitConfigLoader.Parse(Full.Replace("\"reaction_ms\"", "\"reaction\"", StringComparison.Ordinal), "unit.json", Base));

        Assert.StartsWith("unit.json: $.crossings.reaction: unknown key 'reaction' (did you mean 'reaction_ms'?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AMisspeltRequiredKey_IsNamedAsTheLikelyCulprit()
    {
        var error = Assert.Throws<JsonInputException>(() => UnitConfigLoader.Parse(Full.Replace("\"region\"", "\"regoin\"", StringComparison.Ordinal), "unit.json", Base));

        Assert.Equal("unit.json: $.reader.region: is required (is 'regoin' a misspelling of it?)", error.Message);
    }

    [Theory]
    [InlineData("{ \"unit\": 3, ", "line 1, column")]
    [InlineData("[1, 2]", "$: expected an object, found an array")]
    [InlineData("", "line 1, column 1: not valid JSON")]
    [InlineData("\u0000\u00ff garbage", "not valid JSON")]
    public void Garbage_IsAnErrorWithItsPlace_NotACrash(string text, string expected)
    {
        var error = Assert.Throws<JsonInputException>(() => UnitConfigLoader.Parse(text, "unit.json", Base));

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
