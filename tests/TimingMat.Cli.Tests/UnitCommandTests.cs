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
        Assert.Contains($"error TM12 invalid-input: {config}: $.reader.region: reader.region = 'mars': expected na (902-928 MHz), eu (ETSI 865-868 MHz)", stderr, StringComparison.Ordinal);
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

        var (code, _, stderr) = CliRunner.InProcess("unit", "--reader", "ttyUSB0", "--gps", "tcp://127.0.0.1:1", "--broker", "mqtt://127.0.0.1:1", "--config", config);

        Assert.Equal(12, code);
        Assert.Contains("'ttyUSB0' is not a port", stderr, StringComparison.Ordinal);
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
        var status = report.RootElement.GetProperty("status");
        Assert.Equal(4, report.RootElement.GetProperty("unit").GetInt32());
        Assert.Equal("split", report.RootElement.GetProperty("role").GetString());
        Assert.Equal(4, status.GetProperty("unit").GetInt32());
        Assert.Equal("offline", status.GetProperty("state").GetString());
        Assert.Equal("test", status.GetProperty("mode").GetString());
        Assert.InRange(status.GetProperty("uptime_s").GetDouble(), 3, 10);
        Assert.False(status.GetProperty("outbox").GetProperty("online").GetBoolean());
        Assert.True(status.GetProperty("outbox").GetProperty("connect_attempts").GetInt32() >= 1);
        Assert.Equal("unsynced", status.GetProperty("clock").GetProperty("state").GetString());
        Assert.StartsWith("desktop-", status.GetProperty("firmware").GetString(), StringComparison.Ordinal);
        Assert.True(Directory.Exists(_dir.PathOf("j4")), "the journal folder, relative to the configuration, was not created");

        // The reader driver kept trying the silent module while the broker was away: the unit's loop never stalled.
        Assert.True(module.Read(new byte[4096], 0, 4096) > 0, "the unit sent nothing to its reader");
    }

    [Fact]
    public void ABoardFormConfiguration_NamesItsBroker_AndNoSecretIsEverPrinted()
    {
        const string BrokerPassword = "broker-pw-never-shown";
        const string Key = "5f4dcc3b5aa765d61d8327deb882cf995f4dcc3b5aa765d61d8327deb882cf99";
        using var reader = new NullModemBridge();
        using var gps = new NullModemBridge();
        var port = MosquittoProcess.FreeLoopbackPort();
        var config = _dir.Write("unit.cfg", $"""
            # As timingmat provision writes it to a board.
            unit.id = 6
            mat.role = finish
            reader.type = m6e
            reader.region = eu
            mqtt.url = mqtt://127.0.0.1:{port}
            mqtt.username = km21
            mqtt.password = {BrokerPassword}
            wifi.ssid = race-net
            wifi.password = wifi-pw-never-shown
            command.key = {Key}
            journal = j6
            """);

        var (code, stdout, stderr) = CliRunner.Process("unit", "--reader", TempFolder.Tcp(reader.PortB), "--gps", TempFolder.Tcp(gps.PortB), "--config", config, "--seconds", "2");
        var (jsonCode, json, jsonErrors) = CliRunner.Process("unit", "--reader", TempFolder.Tcp(reader.PortB), "--gps", TempFolder.Tcp(gps.PortB), "--config", config, "--seconds", "2", "--json");

        Assert.True(code == 0, stderr);
        Assert.True(jsonCode == 0, jsonErrors);
        Assert.Contains($"Unit 6 (finish, test mode: reads are counted, not recorded) on reader {TempFolder.Tcp(reader.PortB)} (m6e)", stdout, StringComparison.Ordinal);
        Assert.Contains($"broker mqtt://127.0.0.1:{port}", stdout, StringComparison.Ordinal);
        Assert.Contains("  core memory ", stdout, StringComparison.Ordinal);
        using var report = JsonDocument.Parse(json);
        Assert.Equal(("finish", 6), (report.RootElement.GetProperty("role").GetString(), report.RootElement.GetProperty("status").GetProperty("unit").GetInt32()));
        Assert.Equal("power-on", report.RootElement.GetProperty("status").GetProperty("boot").GetProperty("reason").GetString());
        foreach (var secret in new[] { BrokerPassword, "wifi-pw-never-shown", Key })
        {
            Assert.DoesNotContain(secret, stdout + stderr + json + jsonErrors, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void NoBrokerAnywhere_IsInvalidInput_WithBothWaysToGiveIt()
    {
        var config = _dir.Write("unit.json", Config);

        var (code, _, stderr) = CliRunner.InProcess("unit", "--reader", "tcp://127.0.0.1:1", "--gps", "tcp://127.0.0.1:2", "--config", config);

        Assert.Equal(12, code);
        Assert.Contains("error TM12 invalid-input: no broker: --broker is not given.", stderr, StringComparison.Ordinal);
        Assert.Contains("fix: give --broker mqtt://host:port, or set mqtt.url in the configuration.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void AModuleCountThatDiffersFromTheReaderPorts_IsInvalidInput()
    {
        var config = _dir.Write("unit.json", Config.Replace("\"region\": \"eu\"", "\"region\": \"eu\", \"modules\": 2", StringComparison.Ordinal));

        var (code, _, stderr) = CliRunner.InProcess("unit", "--reader", "tcp://127.0.0.1:1", "--gps", "tcp://127.0.0.1:2", "--broker", "mqtt://127.0.0.1:1", "--config", config);

        Assert.Equal(12, code);
        Assert.Contains("error TM12 invalid-input: the configuration says reader.modules = 2 but 1 --reader port(s) were given.", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();
}
