using System.Text.Json.Nodes;
using TimingMat.Core.RaceDay;
using TimingMat.Core.Unit;
using TimingMat.Simulation.Scenarios;
using Xunit;

namespace TimingMat.Simulation.Tests;

public class ScenarioLoaderTests
{
    [Fact]
    public void HalfMarathon_HasTheDocumentedShape()
    {
        var half = ScenarioLoader.LoadBuiltIn("half");

        Assert.Equal(8000, half.Runners.Count);
        Assert.Equal(2, half.Waves.Count);
        Assert.Equal(["checkin-1", "checkin-2", "start", "5k", "10k", "turnaround", "15k", "20k", "finish"], half.TimingPoints.Select(m => m.Name));
        Assert.Equal(Enumerable.Range(1, 16), half.Mats.Select(m => m.UnitId));

        // Every course mat has a backup line 3 m after it, on a unit of its own after the listed mats: the start's reads
        // as the start does, the others at 200 reads/s.
        var backups = half.Mats.Where(m => m.Line == 2).ToList();
        Assert.Equal(["start-backup", "5k-backup", "10k-backup", "turnaround-backup", "15k-backup", "20k-backup", "finish-backup"], backups.Select(m => m.Name));
        Assert.Equal(Enumerable.Range(10, 7), backups.Select(m => m.UnitId));
        Assert.All(backups, b => Assert.Equal((3.0, half.Mats.Single(m => m.Name == b.BackupOf).Km), (b.OffsetM, b.Km)));
        Assert.Equal(half.MatWithRole(UnitRole.Start)!.Reader, backups[0].Reader);
        Assert.All(backups.Skip(1), b => Assert.Equal(new ReaderSpec(ReaderProtocol.R2000, 200, 4), b.Reader));
        Assert.Equal(["start", "start-backup"], half.LinesOf("start").Select(m => m.Name));
        Assert.Equal(new ReaderSpec(ReaderProtocol.R2000, 430, 1, 4), half.MatWithRole(UnitRole.Start)!.Reader);
        Assert.Equal(new ReaderSpec(ReaderProtocol.Mercury, 190, 1, 2), half.Mats[0].Reader);
        Assert.Equal(21.0975, half.MatWithRole(UnitRole.Finish)!.Km);
        Assert.Equal(5, half.Faults.Count);
        Assert.Equal(new DateTimeOffset(2026, 10, 4, 8, 0, 0, TimeSpan.FromHours(2)).ToUnixTimeMilliseconds() * 1000, half.Waves[0].GunUtcMicros);
        Assert.Equal(["A", "B"], half.Mats[0].Corrals);
        Assert.True(half.Faults.Zip(half.Faults.Skip(1)).All(p => p.First.AtUtcMicros <= p.Second.AtUtcMicros));
    }

    [Fact]
    public void FullMarathon_Has35000RunnersAnd12TimingPoints_TheCourseOnesWithBackupLines()
    {
        var full = ScenarioLoader.LoadBuiltIn("full");

        Assert.Equal(35_000, full.Runners.Count);
        Assert.Equal(12, full.TimingPoints.Count());
        Assert.Equal(23, full.Mats.Count);
        Assert.Equal(3, full.Waves.Count);
        Assert.Equal(42.195, full.DistanceKm);
    }

    [Fact]
    public void UnknownBuiltIn_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => ScenarioLoader.LoadBuiltIn("ultra"));
        Assert.Contains("half, full", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntaxError_NamesLineAndColumn()
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse("{\n  \"name\": \"x\",\n  \"seed\": ,\n}", "bad.json"));

        Assert.Equal("bad.json", error.Source);
        Assert.StartsWith("line 3, column", error.Location, StringComparison.Ordinal);
        Assert.Contains("not valid JSON", error.Problem, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> Mutations => new()
    {
        { "$.course.mats[3].km", "12", "$.course.mats[4].km: 10 km is not after the previous course mat '5k' at 12 km" },
        { "$.course.mats[3].cutof", "\"09:30\"", "unknown key 'cutof' (did you mean 'cutoff'?)" },
        { "$.course.mats[3].role", "\"midpoint\"", "$.course.mats[3].role: unknown role 'midpoint'" },
        { "$.course.mats[2].km", "0.5", "the start mat 'start' must be the first course mat, at 0 km" },
        { "$.course.mats[8].km", "21", "the finish mat 'finish' must be the last course mat" },
        { "$.course.mats[0].corrals", "[\"Z\"]", "$.course.mats[0].corrals: corral 'Z' does not exist" },
        { "$.course.mats[0].cutoff", "\"08:30\"", "a check-in closes after it opens and no later than its first corral's gun" },
        { "$.course.mats[5].cutoff", "\"25:00\"", "$.course.mats[5].cutoff: '25:00' is not a time of day" },
        { "$.course.mats[5].reader.type", "\"impinj\"", "unknown reader type 'impinj'" },
        { "$.course.mats[5].reader.modules", "9", "$.course.mats[5].reader.modules: 9 is out of range; expected 1 to 8" },
        { "$.course.mats[5].reader.modules", "0", "$.course.mats[5].reader.modules: 0 is out of range; expected 1 to 8" },
        { "$.course.mats[5].backup.offset_m", "0.5", "$.course.mats[5].backup.offset_m: a backup line lies 1–20 m from the main line" },
        { "$.course.mats[5].backup.offset_m", "25", "$.course.mats[5].backup.offset_m: 25 is out of range; expected -20 to 20" },
        { "$.course.mats[5].backup.ofset_m", "2", "$.course.mats[5].backup.ofset_m: unknown key 'ofset_m' (did you mean 'offset_m'?)" },
        { "$.course.mats[5].backup.reader", "{ \"type\": \"r2000\", \"reads_per_s\": 900 }", "$.course.mats[5].backup.reader.reads_per_s: 900 reads/s is more than a r2000 module can report" },
        { "$.course.mats[4].name", "\"turnaround-backup\"", "$.course.mats[5].backup: the backup line's unit is called 'turnaround-backup', but a mat has that name already" },
        { "$.corrals[0].share", "0.5", "corral shares add up to 1.25" },
        { "$.corrals[1].wave", "3", "$.corrals[1].wave: wave 3 does not exist" },
        { "$.waves[1].gun", "\"07:59\"", "wave 2 fires before or with wave 1" },
        { "$.runners.count", "0", "$.runners.count: 0 is out of range; expected 1 to 100000" },
        { "$.runners.count", "\"many\"", "$.runners.count: expected a number, found the string \"many\"" },
        { "$.runners.pace_s_per_km.fastest", "400", "fastest <= median <= slowest" },
        { "$.runners.dropout_share", "1.5", "$.runners.dropout_share: 1.5 is out of range" },
        { "$.faults[0].kind", "\"meteor\"", "unknown fault 'meteor'" },
        { "$.faults[0].mat", "\"16k\"", "$.faults[0].mat: no mat named '16k'" },
        { "$.gps.latency", "\"gentle\"", "unknown latency model 'gentle'" },
        { "$.date", "\"04/10/2026\"", "'04/10/2026' is not a date; expected YYYY-MM-DD" },
        { "$.utc_offset", "\"2\"", "is not a UTC offset" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void InvalidField_IsRejected_WithItsPath(string path, string json, string expected)
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(Mutate(path, json), "race.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("race.json: $", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"spreading_factor\": 13 }", "$.lora.spreading_factor: 13 is out of range; expected 7 to 12")]
    [InlineData("{ \"fitted\": \"yes\" }", "$.lora.fitted: expected true or false")]
    [InlineData("{ \"packet_loss\": 0.9 }", "$.lora.packet_loss: 0.9 is out of range")]
    [InlineData("{ \"duty_cycle_percent\": 0 }", "$.lora.duty_cycle_percent: 0 is out of range")]
    [InlineData("{ \"spreading_factr\": 9 }", "unknown key 'spreading_factr' (did you mean 'spreading_factor'?)")]
    public void LoraSection_IsValidated_WithItsPath(string lora, string expected)
    {
        var node = Half();
        node["lora"] = System.Text.Json.Nodes.JsonNode.Parse(lora);

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(node.ToJsonString(), "race.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoraSection_DefaultsToFittedSf7TenPercent_AndTakesItsValues()
    {
        var node = Half();
        Assert.Equal(new LoRaSpec(true, 7, 10, 0.02, 30), ScenarioLoader.Parse(node.ToJsonString(), "race.json").Lora);

        node["lora"] = System.Text.Json.Nodes.JsonNode.Parse("{ \"fitted\": true, \"spreading_factor\": 9, \"duty_cycle_percent\": 1, \"packet_loss\": 0.1, \"fallback_after_s\": 120 }");
        Assert.Equal(new LoRaSpec(true, 9, 1, 0.1, 120), ScenarioLoader.Parse(node.ToJsonString(), "race.json").Lora);
    }

    [Fact]
    public void MissingRequiredField_IsNamed()
    {
        var node = Half();
        node["runners"]!.AsObject().Remove("count");

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(node.ToJsonString(), "race.json"));

        Assert.Equal("$.runners.count", error.Location);
        Assert.Equal("is required", error.Problem);
    }

    [Fact]
    public void ABackupLine_TakesItsOwnReaderAndOffset_AndFaultsCanHitItsUnit()
    {
        var node = Half();
        node["course"]!["mats"]![3]!["backup"] = JsonNode.Parse("{ \"offset_m\": -4, \"reader\": { \"type\": \"m6e\", \"reads_per_s\": 150 } }");
        node["faults"]![0]!["mat"] = "5k-backup";

        var scenario = ScenarioLoader.Parse(node.ToJsonString(), "race.json");

        var backup = scenario.Mats.Single(m => m.Name == "5k-backup");
        Assert.Equal(("5k", 2, -4.0, "5k"), (backup.BackupOf, backup.Line, backup.OffsetM, backup.TimingPoint));
        Assert.Equal(new ReaderSpec(ReaderProtocol.Mercury, 150, 1), backup.Reader);
        Assert.Equal(UnitRole.Split, backup.Role);
        Assert.Equal("5k-backup", scenario.Faults.Single(f => f.Kind == FaultKind.GpsLoss).Mat);
    }

    [Fact]
    public void DurationFault_WithoutDuration_IsRejected()
    {
        var node = Half();
        node["faults"]![0]!.AsObject().Remove("for_s");

        var error = Assert.Throws<ScenarioException>(() => ScenarioLoader.Parse(node.ToJsonString(), "race.json"));

        Assert.Equal("$.faults[0].for_s", error.Location);
    }

    private static JsonNode Half()
    {
        var text = string.Join('\n', ScenarioLoader.BuiltInText("half").Split('\n').Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));
        return JsonNode.Parse(text)!;
    }

    private static string Mutate(string path, string json)
    {
        var root = Half();
        var parts = path[2..].Split('.');
        JsonNode node = root;
        for (var i = 0; i < parts.Length - 1; i++)
        {
            node = Step(node, parts[i]);
        }

        var last = parts[^1];
        node.AsObject()[last] = JsonNode.Parse(json);
        return root.ToJsonString();
    }

    private static JsonNode Step(JsonNode node, string part)
    {
        var bracket = part.IndexOf('[');
        if (bracket < 0)
        {
            return node[part]!;
        }

        var index = int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
        return node[part[..bracket]]![index]!;
    }
}
