using System.Text.Json;
using TimingMat.Host.Ports;
using TimingMat.Mqtt.Broker;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary><c>timingmat unit</c>: its errors, and that a broker it cannot reach does not stop it.</summary>
public sealed class UnitCommandTests : IDisposable
{
    private const string Config = """{ "unit": 4, "role": "split", "reader": { "protocol": "mercury", "region": "eu" }, "journal": "j4" }""";

    private readonly TempFolder _dir = new("tm-unit-");

    [Fact]
    public void AMissingConfiguration_IsFileNotFound()
    {
        var (code, _, stderr) = CliRunner.InProcess("unit", "--reader", "tcp://127.0.0.1:1", "--gps", "tcp://127.0.0.1:1", "--broker", "mqtt://127.0.0.1:1", "--config", _dir.PathOf("none.json"));

        Assert.Equal(10, code);
        Assert.Contains("error TM10 file-not-found", stderr, StringComparison.Ordinal);
        Assert.Contains("none.json' does not exist", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadConfiguration_IsInvalidInput_NamingTheFileAndThePath()
    {
        var config = _dir.Write("unit.json", Config.Replace("\"eu\"", "\"mars\"", StringComparison.Ordinal));

        var (code, _, stderr) = CliRunner.InProcess("unit", "--reader", "tcp://127.0.0.1:1", "--gps", "tcp://127.0.0.1:1", "--broker", "mqtt://127.0.0.1:1", "--config", config);

        Assert.Equal(12, code);
        Assert.Contains($"error TM12 invalid-input: {config}: $.reader.region: unknown region 'mars'", stderr, StringComparison.Ordinal);
        Assert.Contains("docs/unit-config.md", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "reader")]
    [InlineData(2, "reader 1")]
    public void AReaderPortThatCannotOpen_IsPortUnavailable_WithAFix(int readers, string role)
    {
        // The last reader's port has nobody listening; the others are bridges that open.
        using var bridge = new NullModemBridge();
        var config = _dir.Write("unit.json", Config);
        var port = MosquittoProcess.FreeLoopbackPort();
        var open = Enumerable.Repeat(TempFolder.Tcp(bridge.PortB), readers - 1).SelectMany(address => new[] { "--reader", address });

        var (code, _, stderr) = CliRunner.InProcess(["unit", .. open, "--reader", $"tcp://127.0.0.1:{port}", "--gps", "tcp://127.0.0.1:1", "--broker", "mqtt://127.0.0.1:1", "--config", config]);

        Assert.Equal(20, code);
        Assert.Contains($"error TM20 port-unavailable: the {role} port tcp://127.0.0.1:{port} cannot be opened", stderr, StringComparison.Ordinal);
        Assert.Contains($"fix: start the TCP serial bridge of the {role} ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAddressThatIsNoPort_IsInvalidInput()
    {
        var config = _dir.Write("unit.json", Config);

        var (code, _, stderr) = CliRunner.InProcess("unit", "--reader", "COM3", "--gps", "tcp://127.0.0.1:1", "--broker", "mqtt://127.0.0.1:1", "--config", config);

        Assert.Equal(12, code);
        Assert.Contains("'COM3' is not a port", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void NineReaderPorts_AreInvalidInput()
    {
        var config = _dir.Write("unit.json", Config);
        var readers = Enumerable.Range(1, 9).SelectMany(i => new[] { "--reader", $"tcp://127.0.0.1:{4000 + i}" });

        var (code, _, stderr) = CliRunner.InProcess(["unit", .. readers, "--gps", "tcp://127.0.0.1:1", "--broker", "mqtt://127.0.0.1:1", "--config", config]);

        Assert.Equal(12, code);
        Assert.Contains("error TM12 invalid-input: 9 --reader ports given; a unit drives at most 8 reader modules.", stderr, StringComparison.Ordinal);
        Assert.Contains("fix: give one --reader per reader module on the mat, at most 8.", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--reader tcp://127.0.0.1:4001 --reader tcp://127.0.0.1:4002 --reader TCP://127.0.0.1:4001/ --gps tcp://127.0.0.1:4003", "TCP://127.0.0.1:4001/ is given for both reader 0 and reader 2")]
    [InlineData("--reader tcp://127.0.0.1:4001 --gps tcp://127.0.0.1:4001", "tcp://127.0.0.1:4001 is given for both reader and gps")]
    [InlineData("--reader tcp://127.0.0.1:4001 --reader tcp://127.0.0.1:4002 --gps tcp://127.0.0.1:4003 --pps tcp://127.0.0.1:4002", "tcp://127.0.0.1:4002 is given for both reader 1 and pps")]
    public void APortGivenTwice_IsInvalidInput_HoweverItIsSpelt(string ports, string clash)
    {
        var config = _dir.Write("unit.json", Config);

        var (code, _, stderr) = CliRunner.InProcess(["unit", .. ports.Split(' '), "--broker", "mqtt://127.0.0.1:1", "--config", config]);

        Assert.Equal(12, code);
        Assert.Contains($"error TM12 invalid-input: {clash}; one port carries one UART.", stderr, StringComparison.Ordinal);
        Assert.Contains("fix: give every reader module, the GPS and the PPS input a port of its own", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ABrokerThatCannotBeReached_DoesNotStopTheUnit()
    {
        using var reader = new NullModemBridge();
        using var gps = new NullModemBridge();
        var config = _dir.Write("unit.json", Config);
        var broker = MosquittoProcess.FreeLoopbackPort();
        using var module = new TcpBytePort("127.0.0.1", reader.PortA);
        module.Open();

        var (code, stdout, stderr) = CliRunner.Process(
            "unit", "--reader", TempFolder.Tcp(reader.PortB), "--gps", TempFolder.Tcp(gps.PortB), "--broker", $"mqtt://127.0.0.1:{broker}", "--config", config, "--seconds", "3", "--json");

        Assert.True(code == 0, stderr);
        using var report = JsonDocument.Parse(stdout);
        var state = report.RootElement.GetProperty("state");
        Assert.Equal(4, report.RootElement.GetProperty("unit").GetInt32());
        Assert.Equal("split", report.RootElement.GetProperty("role").GetString());
        Assert.Equal("test", state.GetProperty("mode").GetString());
        Assert.InRange(state.GetProperty("uptime_seconds").GetDouble(), 3, 10);
        Assert.False(state.GetProperty("uplink").GetProperty("online").GetBoolean());
        Assert.Equal("unsynced", state.GetProperty("clock_state").GetString());
        Assert.True(Directory.Exists(_dir.PathOf("j4")), "the journal folder, relative to the configuration, was not created");

        // The reader driver kept trying the silent module while the broker was away: the unit's loop never stalled.
        Assert.True(module.Read(new byte[4096], 0, 4096) > 0, "the unit sent nothing to its reader");
    }

    public void Dispose() => _dir.Dispose();
}
