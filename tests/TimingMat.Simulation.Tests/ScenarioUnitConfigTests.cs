using TimingMat.Core.Unit;
using TimingMat.Simulation.Engine;
using TimingMat.Simulation.Scenarios;
using Xunit;

namespace TimingMat.Simulation.Tests;

public class ScenarioUnitConfigTests
{
    [Fact]
    public void EveryMatsUnit_IsSetForTheAntennaPorts_ItsEmulatedModuleHas()
    {
        var full = ScenarioLoader.LoadBuiltIn("full");
        var key = ScenarioUnitConfig.KeyFor(1, 1);

        foreach (var mat in full.Mats)
        {
            var config = ScenarioUnitConfig.For(full, mat, "timingmat", "unit-" + mat.UnitId, key);
            var expected = mat.Reader.Protocol == ReaderProtocol.R2000 ? MatRig.R2000PortsFor(mat.Reader) : 1;
            Assert.True(expected == config.Antennas, $"{mat.Name}: {mat.Reader.Antennas} antennas, unit set for {config.Antennas} ports");
        }

        // The finish reads on 8 antennas: an 8-port module, and a driver that takes bit 7 of the RSSI byte as antennas 5-8.
        var finish = full.Mats.Single(m => m.Name == "finish");
        var settings = ScenarioUnitConfig.For(full, finish, "timingmat", "finish", key).ToSettings();
        Assert.Equal(8, settings.R2000.AntennaPorts);
    }
}
