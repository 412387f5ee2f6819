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

    [Fact]
    public void AReaderPortThatCannotOpen_IsPortUnavailable_WithAFix()
    {
        var config = _dir.Write("unit.json", Config);
        var port = MosquittoProcess.FreeLoopbackPort();

        var (code, _, stderr) = CliRunner.InProcess("unit", "--reader", $"tcp://127.0.0.1:{port}", "--gps", "tcp://127.0.0.1:1", "--broker", "mqtt://127.0.0.1:1", "--config", config);

        Assert.Equal(20, code);
        Assert.Contains($"error TM20 port-unavailable: the reader port tcp://127.0.0.1:{port} cannot be opened", stderr, StringComparison.Ordinal);
        Assert.Contains("fix: start the TCP serial bridge of the reader", stderr, StringComparison.Ordinal);
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
