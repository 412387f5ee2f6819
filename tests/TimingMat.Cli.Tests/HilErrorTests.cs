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

    [Fact]
    public void AnUnknownMat_IsInvalidInput_ListingTheScenariosMats()
    {
        var (code, _, stderr) = Hil("--mat", "42k");

        Assert.Equal(12, code);
        Assert.Contains("scenario 'half' has no mat '42k'; its mats: ", stderr, StringComparison.Ordinal);
        Assert.Contains("finish", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AMatWithSeveralReaderModules_IsInvalidInput_BeforeAnythingIsPlayed()
    {
        const string finishReader = "\"reader\": { \"type\": \"r2000\", \"reads_per_s\": 430, \"antennas\": 4 } }\n    ]";
        var text = ScenarioLoader.BuiltInText("half").ReplaceLineEndings("\n");
        Assert.Contains(finishReader, text, StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"tm-scenario-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, text.Replace(finishReader, finishReader.Replace("\"antennas\": 4", "\"antennas\": 1, \"modules\": 4", StringComparison.Ordinal), StringComparison.Ordinal));
        try
        {
            var (code, _, stderr) = Hil("--scenario", path, "--mat", "finish");

            Assert.Equal(12, code);
            Assert.Contains("mat 'finish' has 4 reader modules; hil plays one reader into the board's one reader UART.", stderr, StringComparison.Ordinal);
            Assert.Contains("set its reader.modules to 1", stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
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
