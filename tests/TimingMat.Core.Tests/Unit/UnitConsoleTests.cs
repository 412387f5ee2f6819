using TimingMat.Core.Unit;
using TimingMat.Emulators.Clock;
using TimingMat.Emulators.Mqtt;
using TimingMat.Emulators.Storage;
using Xunit;

namespace TimingMat.Core.Tests.Unit;

/// <summary>
/// The unit console (firmware/docs/console.md) on a board that is not provisioned yet and on a running unit: staged
/// keys checked by the core's own parser, a refused key or value changing nothing, commit writing unit.cfg and
/// restarting, secrets never shown, status, clock reports and the self-test.
/// </summary>
public sealed class UnitConsoleTests
{
    private const string WifiSecret = "tr4ck-s3cret-Pw";
    private const string KeyHex = "8f3a5c0e1b9d4f6a2c7e0b5d8a1f3c6e9b2d4f7a0c3e5b8d1f4a6c9e2b5d7f0a";

    private readonly MemoryFileStore _flash = new();
    private readonly SimulatedClock _clock = new();
    private readonly ConsoleLoopPort _port = new();
    private readonly CountingRebooter _rebooter = new();

    [Fact]
    public void FreshBoard_SaysHello_TakesGoodKeys_RefusesBadOnesPrecisely_AndCommitsOnlyAValidWhole()
    {
        var console = new UnitConsole(_port, _flash, _clock, _rebooter, "0.1.0");
        var hello = Run(console, "hello");
        Assert.StartsWith("TIMINGMAT-CONSOLE 1 firmware=0.1.0 unit=none provisioned=no config=none", hello[0], StringComparison.Ordinal);
        Assert.Equal("OK", hello[^1]);

        Assert.Equal(["OK"], Run(console, "set unit.id 5"));
        Assert.Equal(["OK"], Run(console, "set mat.role = split"));
        Assert.Equal(
            ["ERR invalid-value mat.role = 'middle': expected check-in, start, split, turnaround or finish."],
            Run(console, "set mat.role middle"));
        Assert.Equal(
            ["ERR unknown-key unknown key 'reader.regoin' (did you mean 'reader.region'?); docs/unit-config.md lists the keys."],
            Run(console, "set reader.regoin eu"));
        Assert.Equal(
            ["ERR invalid-value reader.power_dbm = '40': expected 0-33 dBm (M6e Nano 5-27 to 0.01 dB, R2000 a whole number)."],
            Run(console, "set reader.power_dbm 40"));
        Assert.StartsWith("ERR invalid-value wifi.password = set: holds ' #'", Run(console, "set wifi.password abc #def")[0], StringComparison.Ordinal);

        // The refused values changed nothing: the staged configuration is what was accepted.
        Assert.Equal(["unit.id = 5", "mat.role = split", "OK"], Run(console, "get"));
        Assert.Equal(["mat.role = split", "OK"], Run(console, "get MAT.ROLE"));
        Assert.Equal(["OK not-set"], Run(console, "get reader.region"));

        // Incomplete: commit refuses, writes nothing and nothing restarts.
        Assert.Equal(
            ["ERR invalid-config reader.type is missing: expected m6e (ThingMagic M6e Nano, Mercury protocol) or r2000 (R2000/E710 \"0xA0\" modules). (the unit keeps its configuration)"],
            Run(console, "commit"));
        Assert.False(_flash.Exists(UnitConfigStore.FileName));

        Run(console, "set reader.type r2000");
        Run(console, "set reader.region eu");
        Run(console, "set network wifi");
        Run(console, "set wifi.ssid race-net");
        Assert.Equal(["OK"], Run(console, "set wifi.password " + WifiSecret));
        Assert.Equal(["OK"], Run(console, "set command.key " + KeyHex));
        Assert.Equal(["wifi.password = set", "OK"], Run(console, "get wifi.password"));
        var validate = Run(console, "validate");
        var expected = UnitConsole.Checksum(UnitConfig.Parse(Staged(WifiSecret)));
        Assert.Equal("OK checksum=" + expected, validate[0]);

        var commit = Run(console, "commit");
        Assert.Equal("OK checksum=" + expected + " restarting", commit[0]);
        var stored = new UnitConfigStore(_flash).Read();
        Assert.NotNull(stored);
        var config = UnitConfig.Parse(stored!);
        Assert.Equal((5, "race-net", WifiSecret), (config.Unit, config.WifiSsid, config.WifiPassword));

        // The board reboots a second later, onto the new configuration.
        Assert.Equal(0, _rebooter.Reboots);
        _clock.Advance(1_100_000);
        console.Poll();
        Assert.Equal(1, _rebooter.Reboots);

        // Not one byte the console wrote holds a secret.
        Assert.DoesNotContain(WifiSecret, _port.Written, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyHex, _port.Written, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ProvisionedBoard_StartsFromItsFile_RevertsAndClears_AndSaysWhatNeedsARunningUnit()
    {
        new UnitConfigStore(_flash).Write(Staged(WifiSecret));
        var console = new UnitConsole(_port, _flash, _clock, _rebooter, "0.1.0");
        Assert.Contains("wifi.password = set", Run(console, "get"));
        Run(console, "unset wifi.ssid");
        Assert.Contains("staged=changed", Run(console, "hello")[0], StringComparison.Ordinal);
        Assert.Equal(["OK"], Run(console, "revert"));
        Assert.Contains("staged=clean", Run(console, "hello")[0], StringComparison.Ordinal);
        Assert.StartsWith("OK checksum=", Run(console, "commit")[0], StringComparison.Ordinal);
        Assert.EndsWith(" unchanged", Run(console, "commit")[0], StringComparison.Ordinal);

        Assert.StartsWith("ERR not-provisioned", Run(console, "status")[0], StringComparison.Ordinal);
        Assert.StartsWith("ERR not-provisioned", Run(console, "selftest")[0], StringComparison.Ordinal);
        Assert.StartsWith("ERR unknown-command 'frobnicate'", Run(console, "frobnicate now")[0], StringComparison.Ordinal);
        Assert.StartsWith("ERR too-long", Run(console, "set mat.name " + new string('x', 300))[0], StringComparison.Ordinal);
        Assert.Equal(["OK"], Run(console, "clear"));
        Assert.Equal(["OK"], Run(console, "get"));
    }

    [Fact]
    public void ConfigStore_FinishesAReplacementAPowerCutInterrupted()
    {
        var store = new UnitConfigStore(_flash);
        store.Write(Staged("first-password"));
        var next = System.Text.Encoding.ASCII.GetBytes(Staged("second-password"));

        // The cut came after unit.new was written whole and unit.cfg was deleted.
        _flash.Append(UnitConfigStore.PendingName, next, 0, next.Length);
        _flash.Delete(UnitConfigStore.FileName);
        _flash.Append(UnitConfigStore.FileName, next, 0, 20);

        var text = store.Read();
        Assert.Equal("second-password", UnitConfig.Parse(text!).WifiPassword);
        Assert.False(_flash.Exists(UnitConfigStore.PendingName));
        Assert.Equal(next.Length, _flash.GetLength(UnitConfigStore.FileName));
    }

    [Fact]
    public void RunningUnit_AnswersStatusClockAndASelfTestThatPasses_WithoutHoldingItsLoop()
    {
        var rig = new MatUnitRig(new MemoryFileStore(), new MqttBrokerEmulator(), gpsAcquisitionSeconds: 2, protocol: Core.Unit.ReaderProtocol.R2000);
        rig.Unit.Start();
        var console = rig.Unit.ServeConsole(_port, _flash);
        rig.RunUntil(() => rig.Unit.Uplink.IsOnline, 5_000_000);
        var lines = Type(rig, "status");
        Assert.StartsWith("{\"unit\":12,\"state\":\"online\"", lines[0], StringComparison.Ordinal);
        Assert.Equal("OK", lines[1]);

        Assert.Equal(["OK clock every 1 s"], Type(rig, "clock 1"));
        rig.RunUntil(() => false, 2_100_000);
        var reports = _port.Take().Where(l => l.StartsWith("* clock {\"state\":", StringComparison.Ordinal)).ToList();
        Assert.InRange(reports.Count, 2, 3);
        Type(rig, "clock 0");

        _port.Type("selftest");
        var polls = 0;
        Assert.True(rig.RunUntil(() => { polls++; return _port.Written.Contains("OK selftest", StringComparison.Ordinal); }, 30_000_000));
        var test = _port.Take();
        var results = test.Where(l => l.StartsWith("test ", StringComparison.Ordinal)).ToDictionary(l => l.Split(' ')[1], l => l.Split(' ')[2]);
        Assert.Equal("pass", results["reader"]);
        Assert.Equal("pass", results["gps"]);
        Assert.Equal("pass", results["fix"]);
        Assert.Equal("pass", results["pps"]);
        Assert.Equal("pass", results["storage"]);
        Assert.Equal("pass", results["uplink"]);
        Assert.Equal("skip", results["lora"]);
        Assert.Equal("skip", results["battery"]);
        Assert.Contains("test reader pass r2000, region eu, 30 dBm: answered its version query", string.Join('\n', test), StringComparison.Ordinal);
        Assert.Contains(test, l => l.StartsWith("test uplink pass connected to", StringComparison.Ordinal) && l.Contains("round trip", StringComparison.Ordinal));
        Assert.Equal("OK selftest pass passed=6 failed=0 skipped=2", test[^1]);

        // The unit kept polling every step meanwhile (nothing waited), and its status saw no probe as a command.
        Assert.True(polls > 100);
        Assert.Equal(0, rig.Unit.Commands.RejectedCount);
        Assert.Same(console, rig.Unit.Console);
    }

    [Fact]
    public void SelfTest_FailsWhatDoesNotAnswer_WithTheReasonAndWhatToCheck()
    {
        var rig = new MatUnitRig(new MemoryFileStore(), new MqttBrokerEmulator(), gpsAcquisitionSeconds: 3600);
        rig.Module.SilenceFor(long.MaxValue / 4);
        var test = SelfTest(rig);
        Assert.Contains(test, l => l.StartsWith("test reader fail m6e, region eu, 27 dBm: no answer on the reader UART", StringComparison.Ordinal));
        Assert.Contains(test, l => l.StartsWith("test fix fail no fix with 0 satellites after 20.0 s", StringComparison.Ordinal));
        Assert.Contains(test, l => l.StartsWith("test pps fail 0 edges", StringComparison.Ordinal) && l.Contains("check TIMEPULSE to gps.pps", StringComparison.Ordinal));
        Assert.Contains(test, l => l.StartsWith("test gps pass", StringComparison.Ordinal));
        Assert.Equal("OK selftest fail passed=3 failed=3 skipped=2", test[^1]);
    }

    [Fact]
    public void SelfTest_OnABoardWhoseConsoleBorrowedTheGpsUart_SkipsGpsAndFix_SayingWhy()
    {
        var rig = new MatUnitRig(new MemoryFileStore(), new MqttBrokerEmulator(), gpsAcquisitionSeconds: 2, protocol: Core.Unit.ReaderProtocol.R2000);
        rig.Hardware.GpsUnheardReason = "the serial console holds the GPS's UART this boot: unplug its adapter and restart";
        var test = SelfTest(rig);

        Assert.Contains("test gps skip the serial console holds the GPS's UART this boot: unplug its adapter and restart", test);
        Assert.Contains("test fix skip the serial console holds the GPS's UART this boot: unplug its adapter and restart", test);
        Assert.Contains(test, l => l.StartsWith("test reader pass", StringComparison.Ordinal));
        Assert.Contains(test, l => l.StartsWith("test pps pass", StringComparison.Ordinal));
        Assert.Equal("OK selftest pass passed=4 failed=0 skipped=4", test[^1]);
    }

    private static string Staged(string password) => $"unit.id = 5\nmat.role = split\nreader.type = r2000\nreader.region = eu\nnetwork = wifi\nwifi.ssid = race-net\nwifi.password = {password}\ncommand.key = {KeyHex}\n";

    private List<string> Run(UnitConsole console, string line)
    {
        _port.Type(line);
        console.Poll();
        return _port.Take().Where(l => !l.StartsWith("* ", StringComparison.Ordinal)).ToList();
    }

    private List<string> Type(MatUnitRig rig, string line)
    {
        _port.Take();
        var from = _port.Written.Length;
        _port.Type(line);
        rig.RunUntil(() => _port.Written.Length > from && _port.Written.EndsWith("\n", StringComparison.Ordinal) && ("\n" + _port.Written[from..]).Split('\n').Any(l => l.StartsWith("OK", StringComparison.Ordinal) || l.StartsWith("ERR", StringComparison.Ordinal)), 100_000);
        return _port.Take().Where(l => !l.StartsWith("* ", StringComparison.Ordinal)).ToList();
    }

    // Starts the unit with the console attached, waits until it is online and runs one self-test to its final line.
    private List<string> SelfTest(MatUnitRig rig)
    {
        rig.Unit.Start();
        rig.Unit.ServeConsole(_port, _flash);
        rig.RunUntil(() => rig.Unit.Uplink.IsOnline, 5_000_000);
        _port.Take();
        _port.Type("selftest");
        Assert.True(rig.RunUntil(() => _port.Written.Contains("OK selftest", StringComparison.Ordinal), 30_000_000));
        return _port.Take();
    }
}
