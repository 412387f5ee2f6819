using TimingMat.Host.Ports;
using TimingMat.Mqtt.Broker;
using TimingMat.Simulation.Scenarios;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary><c>timingmat hil</c>'s errors, before anything is played.</summary>
public sealed class HilErrorTests : IDisposable
{
    private readonly NullModemBridge _reader = new();
    private readonly NullModemBridge _gps = new();
    private readonly TempFolder _dir = new("tm-hil-error-");

    [Fact]
    public void AnUnknownMat_IsInvalidInput_ListingTheScenariosMats()
    {
        var (code, _, stderr) = Hil("--mat", "42k");

        Assert.Equal(12, code);
        Assert.Contains("scenario 'half' has no mat '42k'; its mats: ", stderr, StringComparison.Ordinal);
        Assert.Contains("finish", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4, 1, "mat 'finish' has 4 reader modules but 1 --reader port was given; hil plays each module into its own port.", "fix: give 4 --reader ports in module order (module 0's first), each wired to one of the board's reader UARTs, or set the mat's reader.modules in the scenario to 1.")]
    [InlineData(1, 2, "mat 'finish' has 1 reader module but 2 --reader ports were given; hil plays each module into its own port.", "fix: give one --reader, wired to the board's reader UART, or set the mat's reader.modules in the scenario to 2.")]
    [InlineData(2, 3, "mat 'finish' has 2 reader modules but 3 --reader ports were given; hil plays each module into its own port.", "fix: give 2 --reader ports in module order (module 0's first), each wired to one of the board's reader UARTs, or set the mat's reader.modules in the scenario to 3.")]
    public void ReaderPortsOtherThanTheMatsModules_AreInvalidInput_NamingBothCounts_BeforeAnythingIsPlayed(int modules, int ports, string error, string fix)
    {
        var scenario = _dir.Write("race.json", WithFinishModules(modules));

        // Different ports, none of them opened: the count is refused first.
        var readers = new[] { _reader.PortA, _reader.PortB, _gps.PortB }.Take(ports).SelectMany(port => new[] { "--reader", TempFolder.Tcp(port) });
        var (code, stdout, stderr) = Hil(["--scenario", scenario, "--mat", "finish", .. readers]);

        // 12, not 40 for the broker nobody listens on: refused before connecting or playing.
        Assert.Equal(12, code);
        Assert.Contains("error TM12 invalid-input: " + error, stderr, StringComparison.Ordinal);
        Assert.Contains(fix, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Playing", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void ATwoModuleMat_WithOnePortGivenTwice_IsInvalidInput()
    {
        var scenario = _dir.Write("race.json", WithFinishModules(2));

        var (code, _, stderr) = Hil("--scenario", scenario, "--mat", "finish", "--reader", TempFolder.Tcp(_reader.PortA), "--reader", $"TCP://127.0.0.1:{_reader.PortA}/");

        Assert.Equal(12, code);
        Assert.Contains($"error TM12 invalid-input: TCP://127.0.0.1:{_reader.PortA}/ is given for both reader 0 and reader 1; one port carries one UART.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ATwoModuleMat_WhoseSecondReaderPortCannotOpen_IsPortUnavailable_NamingTheModule()
    {
        var scenario = _dir.Write("race.json", WithFinishModules(2));
        var closed = MosquittoProcess.FreeLoopbackPort();

        var (code, _, stderr) = Hil("--scenario", scenario, "--mat", "finish", "--reader", TempFolder.Tcp(_reader.PortA), "--reader", TempFolder.Tcp(closed));

        Assert.Equal(20, code);
        Assert.Contains($"error TM20 port-unavailable: the reader 1 port tcp://127.0.0.1:{closed} cannot be opened", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AWindowNoRunnerCrosses_IsInvalidInput_NamingWhenTheyDo()
    {
        var (code, _, stderr) = Hil("--mat", "finish", "--from", "05:00:00", "--seconds", "60");

        Assert.Equal(12, code);
        Assert.Contains("no runner crosses mat 'finish' between 05:00:00 and 05:01:00; its runners cross from ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadTimeOfDay_IsInvalidInput()
    {
        var (code, _, stderr) = Hil("--mat", "finish", "--from", "25:00");

        Assert.Equal(12, code);
        Assert.Contains("--from '25:00' is not a time of day", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AReaderPortThatCannotOpen_IsPortUnavailable()
    {
        var closed = MosquittoProcess.FreeLoopbackPort();

        var (code, _, stderr) = Hil("--mat", "finish", "--reader", TempFolder.Tcp(closed));

        Assert.Equal(20, code);
        Assert.Contains($"error TM20 port-unavailable: the reader port tcp://127.0.0.1:{closed} cannot be opened", stderr, StringComparison.Ordinal);
        Assert.Contains("Hardware in the loop", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ABrokerThatCannotBeReached_IsBrokerUnreachable()
    {
        var (code, _, stderr) = Hil("--mat", "finish");

        Assert.Equal(40, code);
        Assert.Contains("error TM40 broker-unreachable: cannot connect to the MQTT broker at mqtt://127.0.0.1:", stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _gps.Dispose();
        _dir.Dispose();
    }

    /// <summary>Gives the built-in half marathon with its finish mat's reader as that many one-antenna R2000 modules.</summary>
    private static string WithFinishModules(int modules)
    {
        const string finishReader = "\"reader\": { \"type\": \"r2000\", \"reads_per_s\": 430, \"antennas\": 4 }, \"backup\": { \"offset_m\": 3, \"reader\": { \"type\": \"r2000\", \"reads_per_s\": 200 } } }\n    ]";
        var text = ScenarioLoader.BuiltInText("half").ReplaceLineEndings("\n");
        Assert.Contains(finishReader, text, StringComparison.Ordinal);
        return text.Replace(finishReader, finishReader.Replace("\"antennas\": 4", $"\"antennas\": 1, \"modules\": {modules}", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    private (int Code, string Out, string Error) Hil(params string[] args)
    {
        // Defaults a test may override: the built-in half marathon, the bridges, a broker nobody listens on.
        var given = args.Where((_, i) => i % 2 == 0).ToHashSet();
        var all = new List<string> { "hil" };
        all.AddRange(args);
        foreach (var (name, value) in new[] { ("--scenario", "half"), ("--reader", TempFolder.Tcp(_reader.PortA)), ("--gps", TempFolder.Tcp(_gps.PortA)), ("--broker", $"mqtt://127.0.0.1:{MosquittoProcess.FreeLoopbackPort()}") })
        {
            if (!given.Contains(name))
            {
                all.Add(name);
                all.Add(value);
            }
        }

        return CliRunner.InProcess([.. all]);
    }
}
