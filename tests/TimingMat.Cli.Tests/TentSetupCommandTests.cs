using System.Text.Json;
using TimingMat.Mqtt.Broker;
using TimingMat.Tent.Status;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// The tent's set-up commands as a crew runs them: <c>broker-config</c> writes the password file and ACL from the race
/// file (or names what the race file lacks), and <c>emulate</c> runs the race file's units live on a real Mosquitto for a
/// while, then stops them cleanly (each leaves its status offline).
/// </summary>
public sealed class TentSetupCommandTests : IDisposable
{
    private const string Race = """
        race.id = rehearsal
        tent.password = tent-secret
        collector.password = collector-secret
        reader.type = r2000
        reader.region = eu
        mat.role = split
        km05.unit.id = 5
        km05.command.key = 8f3a5c0e1b9d4f6a2c7e0b5d8a1f3c6e
        km05.mqtt.username = km05
        km05.mqtt.password = km05-secret
        km10.unit.id = 10
        km10.command.key = 1f4a6c9e2b5d7f0a8f3a5c0e1b9d4f6a
        km10.mqtt.username = km10
        km10.mqtt.password = km10-secret
        """;

    private readonly TempFolder _dir = new("tm-setup-");

    [Fact]
    public void BrokerConfig_WritesAHashedPasswordPerAccountAndAnAclPerUnit()
    {
        var race = _dir.Write("race.cfg", Race);
        Directory.CreateDirectory(_dir.PathOf("broker"));
        var (code, stdout, stderr) = CliRunner.InProcess("broker-config", "--race", race, "--out", _dir.PathOf("broker"), "--no-mosquitto-passwd", "--json", _dir.PathOf("report.json"));
        Assert.True(code == 0, stderr);
        Assert.Contains("4 accounts, hashed by", stdout);
        Assert.Contains("password_file", stdout);

        var lines = File.ReadAllLines(_dir.PathOf("broker/passwords"));
        Assert.Equal(4, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^[a-z0-9-]+:\$7\$101\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$", l));
        Assert.DoesNotContain("secret", string.Join('\n', lines));
        var acl = File.ReadAllText(_dir.PathOf("broker/acl"));
        Assert.Contains("user km10\n", acl.ReplaceLineEndings("\n"));
        Assert.Contains("topic write timingmat/10/passings", acl);
        Assert.Contains("topic write timingmat/5/passings", acl);
        Assert.Contains("topic write timingmat/+/cmd", acl);
        using var report = JsonDocument.Parse(File.ReadAllText(_dir.PathOf("report.json")));
        Assert.Equal((4, 2), (report.RootElement.GetProperty("accounts").GetInt32(), report.RootElement.GetProperty("units").GetInt32()));
    }

    [Fact]
    public void BrokerConfig_WithoutAUnitsPassword_Exits12NamingTheKey_AndWritesNothing()
    {
        var race = _dir.Write("race.cfg", Race.Replace("km05.mqtt.username = km05\nkm05.mqtt.password = km05-secret\n", string.Empty, StringComparison.Ordinal));
        var (code, _, stderr) = CliRunner.InProcess("broker-config", "--race", race);
        Assert.Equal(12, code);
        Assert.Contains("km05.mqtt.password", stderr);
        Assert.False(File.Exists(_dir.PathOf("passwords")));
        Assert.False(File.Exists(_dir.PathOf("acl")));

        (code, _, stderr) = CliRunner.InProcess("broker-config", "--race", _dir.Write("good.cfg", Race), "--out", _dir.PathOf("missing"));
        Assert.Equal(10, code);
        Assert.Contains("does not exist", stderr);
    }

    [Fact]
    public void Emulate_RunsTheRaceFilesUnitsLive_ReportsEachUnit_AndStopsThemCleanly()
    {
        using var broker = new MosquittoProcess();
        broker.Start();
        var race = _dir.Write("race.cfg", string.Join('\n', Race.Split('\n').Where(l => !l.Contains("mqtt.", StringComparison.Ordinal))));
        var (code, stdout, stderr) = CliRunner.Process("emulate", "--race", race, "--broker", broker.Address.ToString(), "--seconds", "4", "--report-every", "1", "--warm-up", "20");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Emulating 2 unit(s) (5 km05, 10 km10)", stdout);
        Assert.Contains("Live for 4 s", stdout);
        Assert.Contains("Stopped: every unit committed its journal and left its status offline.", stdout);

        // What the units left on the broker: each one's retained status, offline after the clean stop.
        using var watch = UnitStatusWatch.Connect(broker.Address, "timingmat", null, null);
        Assert.True(watch.WaitUntil(s => s.Count == 2, TimeSpan.FromSeconds(5)), "no retained statuses");
        Assert.Equal([5, 10], watch.Latest.Keys.Order());
        Assert.All(watch.Latest.Values, s => Assert.True(s.Status.IsOffline, $"unit {s.Status.Unit} is {s.Status.State}"));
    }

    [Fact]
    public void Emulate_WithAFaultItCannotRead_Exits12WithAFix()
    {
        var (code, _, stderr) = CliRunner.InProcess("emulate", "--units", "2", "--broker", "mqtt://127.0.0.1:1", "--faults", "clock-offset 7 5ms");
        Assert.Equal(12, code);
        Assert.Contains("--faults:", stderr);
        Assert.Contains("fix:", stderr);
    }

    public void Dispose() => _dir.Dispose();
}
