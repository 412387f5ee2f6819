using System.Text.Json;
using TimingMat.Core.Passings;
using TimingMat.Host.Ports;
using TimingMat.Mqtt.Broker;
using Xunit;
using Xunit.Abstractions;

namespace TimingMat.Cli.Tests;

/// <summary>
/// Hardware in the loop with a two-module start mat: <see cref="HilCommandTests"/>'s race played by <c>timingmat hil</c>
/// over two reader ports into a <c>timingmat unit</c> process with two reader modules. A class of its own, in the same
/// collection (<see cref="HilRaceCollection"/>): the two HIL races could run side by side should the suite need it.
/// </summary>
[Collection(HilRaceCollection.Name)]
public sealed class HilTwoModuleTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempFolder _dir = new("tm-hil2-");

    [Fact]
    public void Hil_PlaysATwoModuleMatIntoATwoReaderUnit_EachModuleOnItsOwnPort_PassingsMergeBothModulesReads()
    {
        using var broker = new MosquittoProcess();
        broker.Start();
        using var reader0 = new NullModemBridge();
        using var reader1 = new NullModemBridge();
        using var gps = new NullModemBridge();
        using var pps = new NullModemBridge();

        // The same race with two four-port modules on the start mat: module 0's antennas cover one half of the mat,
        // module 1's the other, so runners' strongest reads come from both.
        const string oneModule = "{ \"name\": \"start\", \"role\": \"start\", \"km\": 0, \"cutoff\": \"10:00\" }";
        Assert.Contains(oneModule, HilCommandTests.Scenario, StringComparison.Ordinal);
        var scenario = _dir.Write("race.json", HilCommandTests.Scenario.Replace(oneModule, oneModule.Replace(" }", ", \"reader\": { \"type\": \"r2000\", \"reads_per_s\": 430, \"antennas\": 4, \"modules\": 2 } }", StringComparison.Ordinal), StringComparison.Ordinal));
        var config = _dir.Write("unit.json", HilCommandTests.Config);
        using var unit = CliProcess.Start(
            "unit", "--reader", TempFolder.Tcp(reader0.PortB), "--reader", TempFolder.Tcp(reader1.PortB), "--gps", TempFolder.Tcp(gps.PortB), "--pps", TempFolder.Tcp(pps.PortB),
            "--broker", broker.Address.ToString(), "--config", config, "--json", _dir.PathOf("unit-1.json"));
        unit.WaitFor("Ctrl+C stops", TimeSpan.FromSeconds(60));
        Assert.Contains($"on 2 reader modules {TempFolder.Tcp(reader0.PortB)}, {TempFolder.Tcp(reader1.PortB)} (r2000)", unit.Output, StringComparison.Ordinal);

        var (code, stdout, stderr) = CliRunner.InProcess(
            "hil", "--scenario", scenario, "--mat", "start", "--reader", TempFolder.Tcp(reader0.PortA), "--reader", TempFolder.Tcp(reader1.PortA), "--gps", TempFolder.Tcp(gps.PortA),
            "--pps-out", TempFolder.Tcp(pps.PortA), "--broker", broker.Address.ToString(), "--from", "08:59:44", "--seconds", "46", "--json");
        log.WriteLine(stderr);
        log.WriteLine(stdout);

        Assert.True(code == 0, $"hil exited {code}\n{stderr}\nunit:\n{unit.Output}\n{unit.Errors}");
        using var hil = JsonDocument.Parse(stdout);
        var report = hil.RootElement;

        // Two modules read every chip, yet the one crossing detector makes one passing per crossing.
        var delivered = HilCommandTests.AssertEveryRunnerDeliveredOnce(report);
        var played = report.GetProperty("mat_details")[0].GetProperty("reads_reported").GetInt64();

        Assert.True(unit.Terminate(TimeSpan.FromSeconds(10)), "the unit did not stop on SIGTERM");
        Assert.Equal(0, unit.ExitCode);
        using var final = JsonDocument.Parse(File.ReadAllText(_dir.PathOf("unit-1.json")));
        var modules = final.RootElement.GetProperty("status").GetProperty("readers");
        Assert.Equal(2, modules.GetArrayLength());
        Assert.Equal(new[] { 0, 1 }, modules.EnumerateArray().Select(m => m.GetProperty("reader").GetInt32()));
        var reads = modules.EnumerateArray().Select(m => m.GetProperty("reads").GetInt64()).ToArray();
        Assert.All(reads, r => Assert.True(r > 100, $"a module sent the unit only {r} reads: {string.Join(", ", reads)}"));
        Assert.Equal(new[] { "r2000", "r2000" }, modules.EnumerateArray().Select(m => m.GetProperty("type").GetString()));

        // What the harness's two emulators sent is what the unit's two drivers decoded (bar the last bytes on the wire).
        Assert.InRange(reads.Sum(), played * 9 / 10, played);

        // The journal holds the passings as the unit made them: their reads are both modules' (more than either module
        // made alone), and the strongest read numbers its antenna across the mat, module 1's ports as 17-20.
        var passings = HilCommandTests.JournalPassings(_dir.PathOf("journal"), 1).Where(p => p.Kind == PassingKind.Crossing).ToList();
        Assert.Equal(delivered, passings.Count);
        var hits = passings.Sum(p => (long)p.Hits);
        Assert.True(hits > reads.Max() && hits <= reads.Sum(), $"the passings hold {hits} reads; the modules made {string.Join(" and ", reads)}");
        var antennas = passings.Select(p => p.BestAntenna).ToList();
        log.WriteLine($"module reads {string.Join(" + ", reads)} (harness sent {played}); passings {passings.Count} holding {hits} reads; best antennas {string.Join(" ", antennas)}");
        Assert.All(antennas, a => Assert.True(a is (>= 1 and <= 4) or (>= 17 and <= 20), $"best antenna {a} is no port of module 0 (1-4) or module 1 (17-20)"));
        Assert.Contains(antennas, a => a >= 17);
        Assert.Contains(antennas, a => a <= 4);
    }

    public void Dispose() => _dir.Dispose();
}
