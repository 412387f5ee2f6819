using TimingMat.Host.Ports;
using TimingMat.Mqtt.Broker;
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
