using TimingMat.Core.RaceDay;
using TimingMat.Core.Unit;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// The race file (docs/race-file.md): race-wide keys hold for every unit and a unit's own key wins; each unit is
/// validated as the board validates it; the tent's accounts are race-wide keys no unit reads; a file without unit names
/// is one unit's unit.cfg.
/// </summary>
public class RaceFileTests
{
    private const string Race = """
        race.id = berlin-2026
        mqtt.url = mqtt://10.0.0.2:1883
        tent.password = a-long-tent-password
        collector.username = results
        reader.type = r2000
        reader.region = eu
        mat.role = split
        km05.unit.id = 5
        km05.mat.km = 5
        FINISH.unit.id = 9
        finish.mat.role = finish
        finish.reader.type = m6e
        """;

    [Fact]
    public void UnitKeysWin_OverRaceWideOnes_AndMatNameDefaultsToTheUnitsName()
    {
        var file = RaceFile.Parse(Race);

        Assert.Equal(["km05", "finish"], file.UnitNames);
        Assert.False(file.IsSingleUnit);
        var km05 = file.ConfigOf("KM05");
        var finish = file.ConfigOf("finish");
        Assert.Equal((5, "km05", UnitRole.Split, 5000, "berlin-2026"), (km05.Unit, km05.MatName, km05.Role, km05.MatMetres, km05.RaceId));
        Assert.Equal((9, "finish", UnitRole.Finish), (finish.Unit, finish.MatName, finish.Role));
        Assert.NotEqual(km05.ReaderProtocol, finish.ReaderProtocol);
        Assert.Equal("unit.id = 9\nrace.id = berlin-2026\nmat.name = finish\nmat.role = finish\n", string.Concat(file.UnitText("finish").Split('\n').Take(4).Select(l => l + "\n")));
    }

    [Fact]
    public void TheTentsAccounts_AreRaceWide_AndNoUnitReadsThem()
    {
        var file = RaceFile.Parse(Race);

        Assert.Equal("a-long-tent-password", file.RaceValue("tent.password"));
        Assert.Equal("results", file.RaceValue("collector.username"));
        Assert.Null(file.RaceValue("tent.username"));
        Assert.Equal("mqtt://10.0.0.2:1883", file.RaceValue("mqtt.url"));
        Assert.Null(file.RaceValue("unit.id"));
        Assert.DoesNotContain("tent", file.UnitText("km05"), StringComparison.Ordinal);
        Assert.DoesNotContain("results", file.UnitText("km05"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tent.pasword = x\n", 1, "unknown key 'tent.pasword': the tent's keys are tent.username, tent.password, collector.username and collector.password")]
    [InlineData("collector.mat.role = split\n", 1, "unknown key 'collector.mat.role'")]
    [InlineData("km05.tent.password = x\n", 1, "unit km05: ")]
    [InlineData("km06.unit.id = 5\n", 0, "units km06 and km05 both have unit.id = 5")]
    [InlineData("km05.reader.regoin = eu\n", 1, "did you mean 'reader.region'?")]
    [InlineData("mat.role = split\n", 4, "mat.role is set twice (first on line")]
    public void BadLines_AreNamed(string extra, int line, string expected)
    {
        var text = extra + "reader.type = m6e\nreader.region = eu\nmat.role = split\nkm05.unit.id = 5\n";

        var error = Assert.Throws<ConfigFileException>(() => RaceFile.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void AFileWithoutUnitNames_IsOneUnitsUnitCfg_NamedByItsMat()
    {
        var file = RaceFile.Parse("unit.id = 7\nmat.name = km35\nmat.role = split\nreader.type = m6e\nreader.region = eu\ntent.password = x\n");

        Assert.True(file.IsSingleUnit);
        Assert.Equal(["km35"], file.UnitNames);
        Assert.Equal(7, file.ConfigOf("km35").Unit);
        Assert.Equal("x", file.RaceValue("tent.password"));
    }

    [Fact]
    public void AUnitWithoutARequiredKey_IsNamed()
    {
        var error = Assert.Throws<ConfigFileException>(() => RaceFile.Parse("reader.type = m6e\nreader.region = eu\nkm05.unit.id = 5\n"));

        Assert.Contains("unit km05: mat.role is missing", error.Message, StringComparison.Ordinal);
    }
}
