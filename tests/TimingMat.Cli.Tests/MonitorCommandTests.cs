using System.Text.Json;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// <c>timingmat monitor --once</c> on a real Mosquitto with the five emulated units of <see cref="TentCommandTests"/>
/// (unit 3's PPS 5 ms late: invisible to its own status, so to the monitor too; clock verify finds it): exit 0 and a
/// table of 100 columns, one line a unit; a unit expected and never heard is silent, exit 80 naming it; <c>--json</c> gives the
/// picture; a public web address without <c>--web-public</c> and a bad chips file are refused before anything runs.
/// </summary>
[Collection(RunAloneCollection.Name)]
public sealed class MonitorCommandTests : IClassFixture<TentCommandTests.Fleet>, IDisposable
{
    private readonly TentCommandTests.Fleet _fleet;
    private readonly TempFolder _dir = new("tm-monitor-");

    public MonitorCommandTests(TentCommandTests.Fleet fleet) => _fleet = fleet;

    [Fact]
    public void Once_OnAHealthyFleet_Exits0_WithOneLineAUnit_In100Columns()
    {
        var (code, stdout, stderr) = Cli("monitor", "--once", "--units", "1-5");
        Assert.True(code == 0, stdout + stderr);
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 100, $"{l.Length} columns: {l}"));
        var rows = lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\s*[1-5]\s+km[1-5]\s")).ToList();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.Contains(" locked ", r, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Contains("1/1", r, StringComparison.Ordinal));
        Assert.Contains("No alarms.", stdout);
    }

    [Fact]
    public void Once_WithAUnitNeverHeard_Exits80NamingIt_AndTheJsonShowsTheAlarm()
    {
        var (code, _, stderr) = CliRunner.Process("monitor", "--once", "--units", "1-5,9", "--wait-s", "3", "--broker", _fleet.Broker.Address.ToString());
        Assert.Equal(80, code);
        Assert.Contains("error TM80 fleet-alarms: 1 alarm(s) stand: unit 9 unit-silent (never heard from).", stderr);
        Assert.Contains("fix:", stderr);

        (code, var stdout, stderr) = Cli("monitor", "--once", "--units", "1-5,9", "--wait-s", "3", "--json");
        Assert.Equal(80, code);
        // The picture, then (as every failing command with --json) the error as a second JSON line.
        var documents = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, documents.Length);
        Assert.Equal(80, JsonDocument.Parse(documents[1]).RootElement.GetProperty("error").GetProperty("code").GetInt32());
        using var json = JsonDocument.Parse(documents[0]);
        Assert.Equal([1, 2, 3, 4, 5, 9], json.RootElement.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unit").GetInt32()));
        var alarm = Assert.Single(json.RootElement.GetProperty("alarms").EnumerateArray());
        Assert.Equal((9, "unit-silent", true, true), (alarm.GetProperty("unit").GetInt32(), alarm.GetProperty("kind").GetString(), alarm.GetProperty("active").GetBoolean(), alarm.GetProperty("highlighted").GetBoolean()));
        Assert.Equal("locked", json.RootElement.GetProperty("units")[0].GetProperty("clock_state").GetString());
    }

    [Fact]
    public void APublicWebAddressWithoutWebPublic_AndABadChipsFile_AreRefused()
    {
        var (code, _, stderr) = Cli("monitor", "--web", "0.0.0.0:8080");
        Assert.Equal(12, code);
        Assert.Contains("--web 0.0.0.0:8080 would serve the monitor beyond this computer", stderr);
        Assert.Contains("add --web-public", stderr);

        (code, _, stderr) = Cli("monitor", "--web", "localhost");
        Assert.Equal(12, code);
        Assert.Contains("--web 'localhost' is not ADDR:PORT", stderr);

        _dir.Write("chips.csv", "bib,chip\n101,E28011606000020500000001\n102,E2801160600002050000000\n");
        (code, _, stderr) = Cli("monitor", "--once", "--chips", _dir.PathOf("chips.csv"));
        Assert.Equal(12, code);
        Assert.Contains("chips.csv: line 3: '102,E2801160600002050000000': expected BIB,CHIP", stderr);
    }

    [Fact]
    public async Task Live_OnAPipe_LogsEachAlarmEvent_ServesThePages_AndStopsCleanlyOnSigterm()
    {
        using var monitor = CliProcess.Start("monitor", "--units", "1-5,9", "--silent-s", "15", "--web", "127.0.0.1:0", "--broker", _fleet.Broker.Address.ToString());
        monitor.WaitFor("Fleet page: http://127.0.0.1:", TimeSpan.FromSeconds(30));
        var url = System.Text.RegularExpressions.Regex.Match(monitor.Output, @"Fleet page: (http://127\.0\.0\.1:\d+/)").Groups[1].Value;
        // Silent 15 s after the start (the units report every 10 s).
        monitor.WaitFor("unit 9 unit-silent: never heard from; raised ", TimeSpan.FromSeconds(40));
        Assert.Contains("[STANDING, NOT ACKNOWLEDGED]", monitor.Output);

        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
        using (var fleet = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/fleet", UriKind.Relative))))
        {
            Assert.Equal([1, 2, 3, 4, 5, 9], fleet.RootElement.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unit").GetInt32()));
        }

        using (var ack = await http.PostAsync(new Uri("api/ack", UriKind.Relative), new StringContent("{\"all\":true}", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal("{\"acknowledged\":1}", await ack.Content.ReadAsStringAsync());
        }

        monitor.WaitFor("[STANDING, acknowledged]", TimeSpan.FromSeconds(10));
        Assert.True(monitor.Terminate(TimeSpan.FromSeconds(15)), monitor.Output + monitor.Errors);
        Assert.Equal(0, monitor.ExitCode);
    }

    public void Dispose() => _dir.Dispose();

    private (int Code, string Out, string Error) Cli(params string[] args) =>
        CliRunner.InProcess([.. args, "--broker", _fleet.Broker.Address.ToString()]);
}
