using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using TimingMat.Mqtt.Broker;
using TimingMat.Tent.Emulation;
using TimingMat.Tent.Monitoring;
using TimingMat.Tent.Web;
using Xunit;
using Xunit.Abstractions;

namespace TimingMat.Uplink.Tests.Tent;

/// <summary>
/// The monitor's pages in headless Chromium against a real Mosquitto and four emulated units, unit 2's reader silent
/// from 10 s on: the fleet page shows every unit and unit 2's reader-down alarm highlighted; the checkpoint screen of
/// unit 1 shows its latest passings by bib (the chips file maps the emulated chips) with time of day, and the count.
/// Screenshots of both are saved in the test output folder. The event stream sends the fleet on every change: an
/// acknowledgement posted as the page's button does comes back on it.
/// </summary>
[Collection(TightTimingCollection.Name)]
public sealed class MonitorWebTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TheFleetPage_ShowsEveryUnitAndTheAlarm_TheCheckpointScreenItsPassings_AndTheStreamFollowsAnAcknowledgement()
    {
        using var broker = new MosquittoProcess();
        broker.Start();

        // The emulated field's chips are 544D followed by the runner's number: bib = number.
        var chips = new StringBuilder("bib,chip\n");
        for (var n = 1; n <= 3000; n++)
        {
            chips.Append(n.ToString(CultureInfo.InvariantCulture)).Append(',').Append("544D").Append(n.ToString("X20", CultureInfo.InvariantCulture)).Append('\n');
        }

        var monitor = new FleetMonitor(new MonitorThresholds { ReaderDownAfter = TimeSpan.FromSeconds(3) }, DateTime.UtcNow, FaultedFleet.Ids, ChipBibs.Parse(chips.ToString(), "chips.csv"));
        using var feed = MonitorFeed.Connect(monitor, broker.Address, "timingmat", null, null);
        using var fleet = new EmulatedFleet(FaultedFleet.Options(broker, "reader-silence 2 at 10s"));
        fleet.Start();
        await using var web = MonitorWebServer.Start(monitor, new IPEndPoint(IPAddress.Loopback, 0));
        using var ticking = new CancellationTokenSource();
        var ticker = Task.Run(async () =>
        {
            while (!ticking.IsCancellationRequested)
            {
                monitor.Tick(DateTime.UtcNow);
                await Task.Delay(250).ConfigureAwait(false);
            }
        });

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline && !(monitor.Snapshot(DateTime.UtcNow).Standing.Any(a => a.Unit == 2 && a.Kind == "reader-down") && monitor.Checkpoint(1).Latest.Count >= 5))
        {
            await Task.Delay(250);
        }

        Assert.Contains(monitor.Snapshot(DateTime.UtcNow).Standing, a => a.Unit == 2 && a.Kind == "reader-down");
        // The boot's passing alarms, if any, acknowledged: only unit 2's reader stands and calls.
        foreach (var other in monitor.Snapshot(DateTime.UtcNow).Alarms.Where(a => !(a.Unit == 2 && a.Kind == "reader-down")))
        {
            Assert.True(AlarmKinds.TryParse(other.Kind, out var kind));
            monitor.Acknowledge(other.Unit, kind);
        }

        Assert.True(monitor.Snapshot(DateTime.UtcNow).Alarms.All(a => a.Unit == 2 && a.Kind == "reader-down"), string.Join("; ", monitor.Snapshot(DateTime.UtcNow).Alarms));
        monitor.Observe(new TimingMat.Tent.Status.SeenStatus(TimingMat.Tent.Status.UnitStatusReport.Parse("timingmat/9/status", "timingmat", """{"unit":9,"state":"offline"}"""u8.ToArray())!, DateTime.UtcNow));

        var dom = HeadlessChromium.DumpDom(web.Url);
        foreach (var unit in FaultedFleet.Ids.Append(9))
        {
            Assert.Contains($"<tr id=\"unit-{unit}\"", dom);
        }

        Assert.True(Regex.IsMatch(dom, "<tr id=\"unit-9\" class=\"alarm\"><td>9</td><td><a [^>]*>-</a></td><td>OFFLINE</td>"), dom);
        Assert.True(Regex.IsMatch(dom, "<li class=\"active\" data-unit=\"2\" data-kind=\"reader-down\"><span>unit 2 reader-down: reader 0 [a-z]+ for \\d+ s"), dom);
        Assert.True(Regex.IsMatch(dom, "<tr id=\"unit-2\" class=\"alarm\">"), dom);
        Assert.True(Regex.IsMatch(dom, "<tr id=\"unit-1\"><td>1</td><td><a [^>]*>km1</a></td>"), dom);
        var folder = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
        var fleetShot = Path.Combine(folder, "monitor-fleet.png");
        HeadlessChromium.Screenshot(web.Url, fleetShot, 1280, 800);
        output.WriteLine("fleet page screenshot: " + fleetShot);

        var mat = new Uri(web.Url, "mat/1");
        dom = HeadlessChromium.DumpDom(mat);
        Assert.True(Regex.IsMatch(dom, "<h1 id=\"mat\">km1</h1><div class=\"count\"><span id=\"count\">\\d+</span><small> passings</small></div>"), dom);
        var shown = Regex.Matches(dom, "<li><span class=\"who bib\">(\\d+)</span><span class=\"when\">(\\d\\d:\\d\\d:\\d\\d\\.\\d)</span></li>");
        Assert.InRange(shown.Count, 5, 12);
        var count = int.Parse(Regex.Match(dom, "<span id=\"count\">(\\d+)<").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(count >= shown.Count, $"count {count}, shown {shown.Count}");
        var times = shown.Select(m => m.Groups[2].Value).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        var matShot = Path.Combine(folder, "monitor-checkpoint.png");
        HeadlessChromium.Screenshot(mat, matShot, 1280, 800);
        output.WriteLine("checkpoint screen screenshot: " + matShot);

        // The stream: the fleet at once, then again after an acknowledgement as the button posts it.
        using var http = new HttpClient { BaseAddress = web.Url, Timeout = TimeSpan.FromSeconds(30) };
        using var stream = new StreamReader(await http.GetStreamAsync(new Uri("events", UriKind.Relative)));
        using (var first = await NextEvent(stream))
        {
            Assert.Equal([1, 2, 3, 4, 9], first.RootElement.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("unit").GetInt32()));
        }

        using (var refused = await http.PostAsync(new Uri("api/ack", UriKind.Relative), new StringContent("{\"all\":true}", Encoding.UTF8, "text/plain")))
        {
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        }

        using (var accepted = await http.PostAsJsonAsync(new Uri("api/ack", UriKind.Relative), new { unit = 2, kind = "reader-down" }))
        {
            Assert.Equal("{\"acknowledged\":1}", await accepted.Content.ReadAsStringAsync());
        }

        var acknowledged = false;
        for (var i = 0; i < 10 && !acknowledged; i++)
        {
            using var next = await NextEvent(stream);
            acknowledged = next.RootElement.GetProperty("alarms").EnumerateArray().Any(a => a.GetProperty("unit").GetInt32() == 2 && a.GetProperty("kind").GetString() == "reader-down" && a.GetProperty("acknowledged").GetBoolean() && a.GetProperty("active").GetBoolean());
        }

        Assert.True(acknowledged, "the stream did not bring the acknowledgement");
        await ticking.CancelAsync();
        await ticker;
    }

    private static async Task<JsonDocument> NextEvent(StreamReader stream)
    {
        while (await stream.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(line["data: ".Length..]);
            }
        }

        throw new EndOfStreamException("the event stream ended");
    }
}
