using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using TimingMat.Cli.Infrastructure;
using TimingMat.Host.Ports;
using TimingMat.Mqtt.Broker;
using Xunit;
using Xunit.Abstractions;

namespace TimingMat.Cli.Tests;

/// <summary>
/// The evening before the race, end to end on one machine: nanoff through a stand-in that records its arguments and
/// fails on cue (2.x flags and 3.x verbs), and three <c>timingmat unit --console</c> processes as the boards, fresh (no
/// configuration), provisioned from a race file over their consoles, read back and self-tested. Two get a reader,
/// a GPS and PPS from <c>timingmat hil</c> processes; the third has nothing wired and fails its self-test.
/// </summary>
[Collection(RunAloneCollection.Name)]
public sealed class ProvisioningTests(ITestOutputHelper log) : IDisposable
{
    private const string WifiSecret = "Zq7-evening-before";
    private const string KeyHex = "5e2b9c0d4a7f1e3b8c6d2a9f0e4b7c1d5e2b9c0d4a7f1e3b8c6d2a9f0e4b7c1d";

    private const string Scenario = """
        {
          "name": "provision-test",
          "date": "2025-05-04",
          "seed": 5,
          "waves": [ { "number": 1, "gun": "09:00:00" } ],
          "corrals": [ { "name": "A", "wave": 1, "share": 1 } ],
          "course": {
            "distance_km": 5,
            "mats": [
              { "name": "start", "role": "start", "km": 0, "cutoff": "10:00" },
              { "name": "finish", "role": "finish", "km": 5, "cutoff": "11:00" }
            ]
          },
          "runners": { "count": 16, "start_rate_per_s": 1.2, "pace_s_per_km": { "median": 300, "spread": 0.1, "fastest": 200, "slowest": 500 } }
        }
        """;

    private readonly TempFolder _dir = new("tm-prov-");

    [Fact]
    public void FlashProvisionReadBackSelfTest_ForABatchOfThree_OneFailsItsSelfTest_AndNoSecretIsEverShown()
    {
        using var broker = new MosquittoProcess();
        broker.Start();
        var race = _dir.Write("race.cfg", RaceFile(broker.Address.ToString()));
        var nanoff = StandIn(_dir, "2.5.101");
        var image = ImageFolder(_dir);
        var rigs = Enumerable.Range(0, 3).Select(_ => new Rig()).ToList();
        var consoles = rigs.Select(_ => TempFolder.Tcp(FreePort())).ToList();
        var units = rigs.Select((r, i) => CliProcess.Start("unit", "--console", consoles[i], "--journal", _dir.PathOf($"unit{i}"), "--reader", TempFolder.Tcp(r.Reader.PortB), "--gps", TempFolder.Tcp(r.Gps.PortB), "--pps", TempFolder.Tcp(r.Pps.PortB), "--broker", broker.Address.ToString())).ToList();
        var hils = new List<CliProcess>();
        try
        {
            foreach (var unit in units)
            {
                unit.WaitFor("Unit not provisioned", TimeSpan.FromSeconds(60));
            }

            // The first two boards have a reader, a GPS and PPS; the third has nothing wired.
            hils.AddRange(rigs.Take(2).Select(r => CliProcess.Start(
                "hil", "--scenario", _dir.Write($"scenario.json", Scenario), "--mat", "start", "--reader", TempFolder.Tcp(r.Reader.PortA), "--gps", TempFolder.Tcp(r.Gps.PortA), "--pps-out", TempFolder.Tcp(r.Pps.PortA),
                "--broker", broker.Address.ToString(), "--from", "08:59:30", "--seconds", "240")));

            var (code, stdout, stderr) = CliRunner.InProcess(
                "flash", "--board", Board("esp32-devkitc"), "--units", "KM05,km10,KM15", "--config", race, "--image", image, "--nanoff", nanoff.Script,
                "--port", "/dev/ttyUSB0", "--port", "/dev/ttyUSB1", "--port", "/dev/ttyUSB2",
                "--console", consoles[0], "--console", consoles[1], "--console", consoles[2], "--json", _dir.PathOf("flash.json"));
            log.WriteLine(stdout);
            log.WriteLine(stderr);

            Assert.True(code == (int)ExitCode.SelfTestFailed, $"exit {code}\n{stdout}\n{stderr}\n{string.Join("\n", units.Select(u => u.Output + u.Errors))}");
            Assert.Contains("1 of 3 unit(s) failed: KM15 at 'self-test'", stderr, StringComparison.Ordinal);

            // The table: one row per unit with its firmware, configuration checksum and self-test.
            Assert.Matches(@"KM05\s.*esp32-devkitc\s.*desktop-\S+\s.*[0-9a-f]{8}\s.*pass", stdout);
            Assert.Matches(@"KM15\s.*FAIL: ", stdout);

            using var json = JsonDocument.Parse(File.ReadAllText(_dir.PathOf("flash.json")));
            var rows = json.RootElement.GetProperty("units").EnumerateArray().ToList();
            Assert.Equal(["KM05", "km10", "KM15"], rows.Select(r => r.GetProperty("unit").GetString()));
            Assert.Equal([5, 10, 15], rows.Select(r => r.GetProperty("unit_id").GetInt32()));
            Assert.Equal(["pass", "pass", "fail"], rows.Select(r => r.GetProperty("self_test").GetString()));
            Assert.Equal("KM15", Assert.Single(json.RootElement.GetProperty("failed").EnumerateArray()).GetString());
            var failed = rows[2].GetProperty("checks").EnumerateArray().Where(c => c.GetProperty("result").GetString() == "fail").Select(c => c.GetProperty("name").GetString()).ToList();
            Assert.Equal(["fix", "gps", "pps", "reader"], failed.Order());
            Assert.Contains("no answer on the reader UART", rows[2].GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "reader").GetProperty("reason").GetString(), StringComparison.Ordinal);
            foreach (var (row, i) in rows.Select((r, i) => (r, i)))
            {
                // The unit runs what the race file says, as the core computes it on both sides.
                var expected = Core.Unit.UnitConsole.Checksum(Core.Unit.RaceFile.Parse(File.ReadAllText(race)).ConfigOf(row.GetProperty("unit").GetString()!));
                Assert.Equal(expected, row.GetProperty("checksum").GetString());
                Assert.StartsWith("desktop-", row.GetProperty("firmware").GetString(), StringComparison.Ordinal);
                var stored = Core.Unit.UnitConfig.Parse(File.ReadAllText(_dir.PathOf($"unit{i}/unit.cfg")));
                Assert.Equal(((i + 1) * 5, WifiSecret), (stored.Unit, stored.WifiPassword));
            }

            Assert.True(rows.Take(2).All(r => r.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "uplink").GetProperty("result").GetString() == "pass"));

            // nanoff, 2.x dialect: three steps per board on its own port, for the board's target.
            var calls = nanoff.Calls();
            Assert.Equal("--version", calls[0]);
            for (var i = 0; i < 3; i++)
            {
                Assert.Contains($"--update --target ESP32_PSRAM_REV0 --serialport /dev/ttyUSB{i}", calls);
                Assert.Contains($"--target ESP32_PSRAM_REV0 --serialport /dev/ttyUSB{i} --deploy --image {Path.Combine(image, "TimingMat.Device.bin")}", calls);
                Assert.Contains(calls, c => c.StartsWith($"--target ESP32_PSRAM_REV0 --serialport /dev/ttyUSB{i} --filedeployment ", StringComparison.Ordinal));
            }

            // Read back through the console again: a provisioned unit answers selftest on its own too.
            var (testCode, testOut, _) = CliRunner.InProcess("selftest", "--port", consoles[0], "--json");
            Assert.Equal(0, testCode);
            Assert.True(JsonDocument.Parse(testOut).RootElement.GetProperty("passed").GetBoolean());

            // The secret was written and is on the unit's flash, and nothing printed or logged holds it.
            foreach (var unit in units)
            {
                Assert.True(unit.Terminate(TimeSpan.FromSeconds(20)));
            }

            var everything = string.Join("\n", new[] { stdout, stderr, testOut, File.ReadAllText(_dir.PathOf("flash.json")), File.ReadAllText(nanoff.Log) }
                .Concat(units.Select(u => u.Output + u.Errors)).Concat(hils.Select(h => h.Output + h.Errors)));
            Assert.DoesNotContain(WifiSecret, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(KeyHex, everything, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            foreach (var process in units.Concat(hils))
            {
                process.Dispose();
            }

            foreach (var rig in rigs)
            {
                rig.Dispose();
            }
        }
    }

    [Fact]
    public void BadKeysAndValues_AreNamedPrecisely_AndChangeNothingOnTheUnit()
    {
        var console = TempFolder.Tcp(FreePort());
        using var rig = new Rig();
        var good = _dir.Write("race.cfg", RaceFile("mqtt://127.0.0.1:1"));
        using var unit = CliProcess.Start("unit", "--console", console, "--journal", _dir.PathOf("u"), "--reader", TempFolder.Tcp(rig.Reader.PortB), "--gps", TempFolder.Tcp(rig.Gps.PortB));
        unit.WaitFor("Unit not provisioned", TimeSpan.FromSeconds(60));
        var (code, stdout, stderr) = CliRunner.InProcess("provision", "--port", console, "--unit", "km05", "--config", good, "--json");
        Assert.True(code == 0, stderr);
        var checksum = JsonDocument.Parse(stdout).RootElement.GetProperty("checksum").GetString();

        var badValue = _dir.Write("bad-value.cfg", RaceFile("mqtt://127.0.0.1:1").Replace("km05.mat.km = 5", "km05.mat.km = 5\nkm05.reader.power_dbm = 40", StringComparison.Ordinal));
        (code, _, stderr) = CliRunner.InProcess("provision", "--port", console, "--unit", "km05", "--config", badValue);
        Assert.Equal((int)ExitCode.InvalidInput, code);
        Assert.Contains("line 15: unit km05: reader.power_dbm = '40': expected 0-33 dBm", stderr, StringComparison.Ordinal);

        var badKey = _dir.Write("bad-key.cfg", RaceFile("mqtt://127.0.0.1:1").Replace("reader.region = eu", "reader.regoin = eu", StringComparison.Ordinal));
        (code, _, stderr) = CliRunner.InProcess("provision", "--port", console, "--unit", "km05", "--config", badKey);
        Assert.Equal((int)ExitCode.InvalidInput, code);
        Assert.Contains("line 8: unknown key 'reader.regoin' (did you mean 'reader.region'?)", stderr, StringComparison.Ordinal);

        // A secret that is too short: its length is named, never its value.
        var badSecret = _dir.Write("bad-secret.cfg", RaceFile("mqtt://127.0.0.1:1").Replace(WifiSecret, "short#1", StringComparison.Ordinal));
        (code, _, stderr) = CliRunner.InProcess("provision", "--port", console, "--unit", "km10", "--config", badSecret);
        Assert.Equal((int)ExitCode.InvalidInput, code);
        Assert.Contains("wifi.password = (secret, 7 characters): expected a WPA2 passphrase of 8-63 characters", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("short#1", stderr, StringComparison.Ordinal);

        // The unit still runs what it had: same checksum, same keys.
        var (helloCode, helloOut, _) = CliRunner.InProcess("provision", "--port", console, "--unit", "km05", "--config", good, "--json");
        Assert.Equal(0, helloCode);
        Assert.Equal(checksum, JsonDocument.Parse(helloOut).RootElement.GetProperty("checksum").GetString());
        Assert.DoesNotContain("reader.power_dbm", File.ReadAllText(_dir.PathOf("u/unit.cfg")), StringComparison.Ordinal);
    }

    [Fact]
    public void TheCaFile_GoesOnTheUnitBeforeTheCommit_AndAgainOnlyWhenItDiffers()
    {
        var console = TempFolder.Tcp(FreePort());
        using var rig = new Rig();
        var text = RaceFile("mqtts://127.0.0.1:1").Replace("status.interval_s = 2", "status.interval_s = 2\nmqtt.ca_file = race-ca.pem", StringComparison.Ordinal);
        var race = _dir.Write("race.cfg", text);
        var pem = "-----BEGIN CERTIFICATE-----\n" + string.Concat(Enumerable.Repeat("MIIBszCCAVmgAwIBAgIUQ2l0eSBSYWNlIENBIDIwMjYwHhcNMjYxMDA0MDYzMDAwWhcN\n", 12)) + "-----END CERTIFICATE-----\n";
        _dir.Write("race-ca.pem", pem);
        using var unit = CliProcess.Start("unit", "--console", console, "--journal", _dir.PathOf("u"), "--reader", TempFolder.Tcp(rig.Reader.PortB), "--gps", TempFolder.Tcp(rig.Gps.PortB));
        unit.WaitFor("Unit not provisioned", TimeSpan.FromSeconds(60));

        var (code, stdout, stderr) = CliRunner.InProcess("provision", "--port", console, "--unit", "km05", "--config", race, "--json", "--verbose");
        Assert.True(code == 0, stderr);
        Assert.Equal(pem, File.ReadAllText(_dir.PathOf("u/race-ca.pem")));
        var file = JsonDocument.Parse(stdout).RootElement.GetProperty("files")[0];
        Assert.Equal(("race-ca.pem", pem.Length), (file.GetProperty("name").GetString(), file.GetProperty("bytes").GetInt32()));
        Assert.Contains($"> file put race-ca.pem {pem.Length} {file.GetProperty("crc").GetString()}", stderr, StringComparison.Ordinal);
        Assert.True(stderr.IndexOf("> file end", StringComparison.Ordinal) < stderr.IndexOf("> commit", StringComparison.Ordinal), "the CA file goes before the commit restarts the unit");

        // The same file again: checked, not sent.
        (code, _, stderr) = CliRunner.InProcess("provision", "--port", console, "--unit", "km05", "--config", race, "--verbose");
        Assert.True(code == 0, stderr);
        Assert.Contains("> file check race-ca.pem", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("> file put", stderr, StringComparison.Ordinal);

        // A renewed certificate replaces the old one.
        var renewed = pem.Replace("Q2l0", "UmVu", StringComparison.Ordinal);
        _dir.Write("race-ca.pem", renewed);
        (code, _, stderr) = CliRunner.InProcess("provision", "--port", console, "--unit", "km05", "--config", race);
        Assert.True(code == 0, stderr);
        Assert.Equal(renewed, File.ReadAllText(_dir.PathOf("u/race-ca.pem")));

        // Missing beside the race file, or a file the unit would refuse: named before the unit is touched.
        File.Delete(_dir.PathOf("race-ca.pem"));
        (code, _, stderr) = CliRunner.InProcess("provision", "--port", console, "--unit", "km05", "--config", race);
        Assert.Equal((int)ExitCode.FileNotFound, code);
        Assert.Contains("unit km05's mqtt.ca_file: ", stderr, StringComparison.Ordinal);
        Assert.Contains("race-ca.pem does not exist", stderr, StringComparison.Ordinal);
        Assert.Equal(renewed, File.ReadAllText(_dir.PathOf("u/race-ca.pem")));

        var plain = _dir.Write("plain.cfg", RaceFile("mqtt://127.0.0.1:1"));
        (code, _, stderr) = CliRunner.InProcess("provision", "--port", console, "--unit", "km05", "--config", plain, "--file", _dir.Write("notes.txt", "x"));
        Assert.Equal((int)ExitCode.InvalidInput, code);
        Assert.Contains("a unit takes chips.cfg, keys.cfg or a certificate (.pem, .crt, .der), not 'notes.txt'", stderr, StringComparison.Ordinal);

        (code, stdout, _) = CliRunner.InProcess("provision", "--port", console, "--unit", "km05", "--config", plain, "--file", _dir.Write("keys.cfg", "# no keys yet\n"), "--dry-run");
        Assert.Equal(0, code);
        Assert.Contains("> file put keys.cfg 14 ", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2.5.101", "--update --target ESP32_WT32_ETH01 --serialport /dev/ttyUSB3", "--target ESP32_WT32_ETH01 --serialport /dev/ttyUSB3 --deploy --image", "--target ESP32_WT32_ETH01 --serialport /dev/ttyUSB3 --filedeployment")]
    [InlineData("3.0.2", "flash --target ESP32_WT32_ETH01 --serialport /dev/ttyUSB3", "deploy --target ESP32_WT32_ETH01 --serialport /dev/ttyUSB3 --image", "deploy file ")]
    public void Nanoff_BothDialects_DryRunPrintsEveryLine_AndAFailingStepIsNamed(string version, string flash, string deploy, string files)
    {
        var nanoff = StandIn(_dir, version);
        var image = ImageFolder(_dir);
        var race = _dir.Write("race.cfg", RaceFile("mqtt://127.0.0.1:1"));
        var (code, stdout, stderr) = CliRunner.InProcess("flash", "--board", Board("wt32-eth01"), "--port", "/dev/ttyUSB3", "--unit", "km05", "--config", race, "--image", image, "--nanoff", nanoff.Script, "--dry-run");
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.EndsWith(flash, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(deploy + " " + Path.Combine(image, "TimingMat.Device.bin"), StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(files, StringComparison.Ordinal) && l.Contains("board.cfg", StringComparison.Ordinal));
        Assert.Contains("> set wifi.password (secret, 18 characters)", lines);
        Assert.Contains("> set mat.role start", lines);
        Assert.Contains("> selftest", lines);
        Assert.DoesNotContain(WifiSecret, stdout, StringComparison.Ordinal);
        Assert.Equal(["--version"], nanoff.Calls());

        // Fail on cue at the deploy step: the step is named, and the next steps never run.
        var failing = StandIn(_dir, version, failOn: "--image");
        (code, stdout, stderr) = CliRunner.InProcess("flash", "--board", Board("wt32-eth01"), "--port", "/dev/ttyUSB3", "--unit", "km05", "--config", race, "--image", image, "--nanoff", failing.Script, "--json");
        Assert.Equal((int)ExitCode.FlashFailed, code);
        Assert.Contains("km05 at 'deploy application': nanoff failed at 'deploy application' (exit 1): E2001: no device answers on /dev/ttyUSB3", stderr, StringComparison.Ordinal);
        Assert.Contains("fix: hold the board's BOOT (IO0) button", stderr, StringComparison.Ordinal);
        var calls = failing.Calls();
        Assert.Equal(3, calls.Count);
        Assert.StartsWith(flash, calls[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ABoardWithoutNetwork_IsProvisionedAndSelfTested_OverASerialConsole()
    {
        // The board's console adapter and the technician's, as two tty devices joined by a null-modem cable.
        using var cable = new PtyNullModem();
        using var rig = new Rig();
        var race = _dir.Write("race.cfg", RaceFile("mqtt://127.0.0.1:1"));
        using var unit = CliProcess.Start("unit", "--console", cable.EndA, "--journal", _dir.PathOf("u"), "--reader", TempFolder.Tcp(rig.Reader.PortB), "--gps", TempFolder.Tcp(rig.Gps.PortB));
        unit.WaitFor("Unit not provisioned", TimeSpan.FromSeconds(60));
        Assert.Contains("console on " + cable.EndA, unit.Output, StringComparison.Ordinal);

        var (code, stdout, stderr) = CliRunner.InProcess("provision", "--port", cable.EndB, "--unit", "km10", "--config", race, "--json");
        Assert.True(code == 0, $"exit {code}\n{stdout}\n{stderr}\n{unit.Output}{unit.Errors}");

        // The unit restarted on what the race file says, over the same serial line, and stored it.
        var expected = Core.Unit.UnitConsole.Checksum(Core.Unit.RaceFile.Parse(File.ReadAllText(race)).ConfigOf("km10"));
        Assert.Equal(expected, JsonDocument.Parse(stdout).RootElement.GetProperty("checksum").GetString());
        var stored = Core.Unit.UnitConfig.Parse(File.ReadAllText(_dir.PathOf("u/unit.cfg")));
        Assert.Equal((10, WifiSecret), (stored.Unit, stored.WifiPassword));

        // Its self-test over the wire: storage answers, the broker at port 1 and the unwired reader do not.
        (code, stdout, stderr) = CliRunner.InProcess("selftest", "--port", cable.EndB, "--json");
        Assert.True(code == (int)ExitCode.SelfTestFailed, $"exit {code}\n{stdout}\n{stderr}");

        // --json: the report on its first line, the error object after it.
        var checks = JsonDocument.Parse(stdout.Split('\n')[0]).RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("result").GetString());
        Assert.Equal(("pass", "fail", "fail"), (checks["storage"], checks["uplink"], checks["reader"]));
        Assert.DoesNotContain(WifiSecret, stdout + stderr + unit.Output + unit.Errors, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Gives a race file for three mats whose units reach the broker at the given URL.</summary>
    internal static string RaceFile(string broker) => $"""
        # Test race: three mats, every key race-wide unless a unit sets its own.
        race.id = evening-test
        mqtt.url = {broker}
        network = wifi
        wifi.ssid = race-net
        wifi.password = {WifiSecret}
        reader.type = r2000
        reader.region = eu
        status.interval_s = 2
        command.key = {KeyHex}

        km05.unit.id = 5
        km05.mat.role = start
        km05.mat.km = 5
        km10.unit.id = 10
        km10.mat.role = split
        km15.unit.id = 15
        km15.mat.role = split
        """;

    /// <summary>Gives the folder of a board file shipped in the repository's boards/.</summary>
    internal static string Board(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "boards", name, "board.cfg")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir!.FullName, "boards", name);
    }

    /// <summary>Gives a loopback TCP port nobody listens on now.</summary>
    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Gives a folder holding a built application image, as nanoff is pointed at.</summary>
    internal static string ImageFolder(TempFolder dir)
    {
        var folder = Directory.CreateDirectory(dir.PathOf("image")).FullName;
        File.WriteAllText(Path.Combine(folder, "TimingMat.Device.bin"), "nanoFramework deployment image");
        return folder;
    }

    /// <summary>A nanoff stand-in: records each command line, answers --version, and fails on cue when a word is in its arguments.</summary>
    internal static StandInNanoff StandIn(TempFolder dir, string version, string? failOn = null)
    {
        var name = "nanoff-" + Guid.NewGuid().ToString("N")[..8];
        var logFile = dir.PathOf(name + ".log");
        var script = dir.Write(name, $$"""
            #!/usr/bin/env bash
            echo "$*" >> '{{logFile}}'
            if [ "$1" = "--version" ]; then echo "nanoff {{version}}+3a5c1f"; exit 0; fi
            port=""; prev=""
            for a in "$@"; do if [ "$prev" = "--serialport" ]; then port="$a"; fi; prev="$a"; done
            if [ -n '{{failOn ?? string.Empty}}' ] && [[ " $* " == *' {{failOn ?? "-"}} '* ]]; then echo "E2001: no device answers on $port" >&2; exit 1; fi
            echo "Flashing... OK"
            """);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new StandInNanoff(script, logFile);
    }

    /// <summary>A nanoff stand-in's script and the log of its command lines.</summary>
    internal sealed record StandInNanoff(string Script, string Log)
    {
        public List<string> Calls() => File.Exists(Log) ? [.. File.ReadAllLines(Log)] : [];
    }

    /// <summary>A board's reader, GPS and PPS lines as TCP null-modem cables: the unit on B, the HIL harness (if any) on A.</summary>
    private sealed class Rig : IDisposable
    {
        public NullModemBridge Reader { get; } = new();

        public NullModemBridge Gps { get; } = new();

        public NullModemBridge Pps { get; } = new();

        public void Dispose()
        {
            Reader.Dispose();
            Gps.Dispose();
            Pps.Dispose();
        }
    }
}
