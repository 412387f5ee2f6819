using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using TimingMat.Core.Hardware;
using TimingMat.Mqtt;
using TimingMat.Mqtt.Broker;
using TimingMat.Tent.Emulation;
using TimingMat.Tent.Status;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// <c>timingmat command</c> and <c>timingmat clock verify</c> on a real Mosquitto with five emulated units, unit 3's PPS
/// 5 ms late (its own clock cannot see it): commands signed with the unit's key are answered, one signed with another
/// key, unsigned or replayed is refused by the unit and changes nothing; clock verify exits 0 on the healthy units and 30
/// naming unit 3 (and a silent unit) when they are included. In real time against the wall clock, so out of the
/// parallel run; the verifications allow 2 ms (the exit codes and names are the point here: ClockVerifyFleetTests holds
/// the measurement to the default 1 ms).
/// </summary>
[Collection(RunAloneCollection.Name)]
public sealed class TentCommandTests : IClassFixture<TentCommandTests.Fleet>, IDisposable
{
    private const string KeyHex = "5e1f0c3a9b7d24e68f0a1c3e5b7d9f21";
    private readonly Fleet _fleet;
    private readonly TempFolder _dir = new("tm-tent-");

    public TentCommandTests(Fleet fleet)
    {
        _fleet = fleet;
        _dir.Write("unit.key", KeyHex + "\n");
        _dir.Write("wrong.key", "00112233445566778899aabbccddeeff\n");
    }

    [Fact]
    public void ASignedCommand_IsAccepted_AnotherKeyUnsignedOrReplayedIsRefusedByTheUnit_AndChangesNothing()
    {
        var received = new BlockingCollection<MqttMessage>();
        using var spy = new MqttLink(_fleet.Broker.Address);
        spy.MessageReceived += received.Add;
        Assert.True(spy.Connect(new MqttConnectOptions("tent-spy") { CleanSession = true }), spy.LastError);
        Assert.Equal(1, spy.SubscribeAndWait("timingmat/1/cmd", 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, spy.SubscribeAndWait("timingmat/1/reply", 1, TimeSpan.FromSeconds(5)));

        var (code, stdout, stderr) = Cli("command", "mode", "timing", "--unit", "1", "--json", "-");
        Assert.True(code == 0, stderr);
        using (var json = JsonDocument.Parse(stdout))
        {
            Assert.Equal(("mode", "accepted"), (json.RootElement.GetProperty("verb").GetString(), json.RootElement.GetProperty("result").GetString()));
        }

        var sent = Next(received, "timingmat/1/cmd", _ => true);
        var line = Encoding.ASCII.GetString(sent.Payload).Split(' ');
        Assert.Equal(("tm1", "1", "mode", "timing"), (line[0], line[1], line[3], line[4]));
        var counter = long.Parse(line[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(counter, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 60_000, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        Assert.Equal("accepted", Reply(received, r => r.GetProperty("counter").ValueKind == JsonValueKind.Number && r.GetProperty("counter").GetInt64() == counter).GetProperty("result").GetString());

        // The same signed line again (a recorded command replayed on the broker): refused.
        Assert.True(spy.Publish("timingmat/1/cmd", sent.Payload, 1, false) >= 0);
        Assert.Equal("replayed", Reply(received, r => r.GetProperty("result").GetString() == "rejected" && r.GetProperty("counter").ValueKind == JsonValueKind.Number && r.GetProperty("counter").GetInt64() == counter).GetProperty("reason").GetString());

        // Unsigned, typed by hand: refused.
        Assert.True(spy.Publish("timingmat/1/cmd", "mode test"u8.ToArray(), 1, false) >= 0);
        Assert.Equal("unsigned", Reply(received, r => r.GetProperty("result").GetString() == "rejected" && r.GetProperty("counter").ValueKind == JsonValueKind.Null).GetProperty("reason").GetString());

        // Signed with a key that is not the unit's: the unit refuses it and the CLI says so, exit 12 with a fix-it line.
        (code, _, stderr) = Cli("command", "mode", "test", "--unit", "1", "--key-file", _dir.PathOf("wrong.key"));
        Assert.Equal(12, code);
        Assert.Contains("rejected 'mode': bad-tag", stderr);
        Assert.Contains("fix:", stderr);

        // None of the refused commands changed the mode: the status the unit publishes on request says timing.
        using var watch = UnitStatusWatch.Connect(_fleet.Broker.Address, "timingmat", null, null);
        (code, _, stderr) = Cli("command", "status", "--unit", "1");
        Assert.True(code == 0, stderr);
        Assert.True(watch.WaitUntil(s => s.TryGetValue(1, out var seen) && seen.ReceivedUtc > DateTime.UtcNow.AddSeconds(-5) && seen.Status.Mode == "timing", TimeSpan.FromSeconds(10)), "unit 1's status does not say timing");
    }

    [Fact]
    public void ACommandToASilentUnit_Exits21_AndAnUnknownVerbExits2()
    {
        var (code, _, stderr) = Cli("command", "gun", "--unit", "9", "--timeout-s", "1");
        Assert.Equal(21, code);
        Assert.Contains("unit 9 did not answer 'gun' within 1 s", stderr);

        (code, _, stderr) = Cli("command", "explode", "--unit", "1");
        Assert.Equal(2, code);
        Assert.Contains("'explode' is not a command", stderr);
    }

    [Fact]
    public void ClockVerify_PassesTheHealthyUnits_AndExits30NamingTheLateUnitAndTheSilentOne()
    {
        var (code, stdout, stderr) = Cli("clock", "verify", "--units", "1,2,4,5", "--tolerance-ms", "2");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("against the fleet's median", stdout);

        (code, stdout, stderr) = Cli("clock", "verify", "--units", "1-5", "--tolerance-ms", "2", "--json", _dir.PathOf("clock.json"));
        Assert.Equal(30, code);
        Assert.True(stderr.Contains("1 of 5 unit(s) failed the clock check: unit 3 offset", StringComparison.Ordinal), stdout + stderr);
        using (var json = JsonDocument.Parse(File.ReadAllText(_dir.PathOf("clock.json"))))
        {
            var units = json.RootElement.GetProperty("units").EnumerateArray().ToList();
            Assert.Equal([3], units.Where(u => !u.GetProperty("passed").GetBoolean()).Select(u => u.GetProperty("unit").GetInt32()));
            Assert.InRange(units.Single(u => u.GetProperty("unit").GetInt32() == 3).GetProperty("offset_ms").GetDouble(), -6, -4);
        }

        // As a shell sees it, with a unit that is not there (unit 9): both named, exit 30.
        (code, _, stderr) = CliRunner.Process("clock", "verify", "--broker", _fleet.Broker.Address.ToString(), "--key-file", _dir.PathOf("unit.key"), "--units", "1-3,9", "--tolerance-ms", "2", "--timeout-s", "1");
        Assert.Equal(30, code);
        Assert.Contains("unit 3 offset", stderr);
        Assert.Contains("unit 9 silent", stderr);
    }

    public void Dispose() => _dir.Dispose();

    private (int Code, string Out, string Error) Cli(params string[] args) =>
        CliRunner.InProcess([.. args, "--broker", _fleet.Broker.Address.ToString(), .. args.Contains("--key-file") ? Array.Empty<string>() : ["--key-file", _dir.PathOf("unit.key")]]);

    private static MqttMessage Next(BlockingCollection<MqttMessage> received, string topic, Func<MqttMessage, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (received.TryTake(out var message, deadline - DateTime.UtcNow > TimeSpan.Zero ? deadline - DateTime.UtcNow : TimeSpan.Zero))
        {
            if (message.Topic == topic && match(message))
            {
                return message;
            }
        }

        throw new TimeoutException("nothing on " + topic);
    }

    private static JsonElement Reply(BlockingCollection<MqttMessage> received, Func<JsonElement, bool> match)
    {
        var message = Next(received, "timingmat/1/reply", m => match(JsonDocument.Parse(m.Payload).RootElement));
        return JsonDocument.Parse(message.Payload).RootElement.Clone();
    }

    /// <summary>A real Mosquitto and five emulated units on it, live and locked, unit 3's PPS 5 ms late.</summary>
    public sealed class Fleet : IDisposable
    {
        private static readonly int[] Ids = [1, 2, 3, 4, 5];
        private readonly EmulatedFleet _fleet;

        public Fleet()
        {
            Broker = new MosquittoProcess();
            Broker.Start();
            var key = Convert.FromHexString(KeyHex);
            _fleet = new EmulatedFleet(new EmulationOptions
            {
                Broker = Broker.Address,
                Units = [.. Ids.Select(id => new EmulatedUnitSpec(id, "km" + id, key))],
                RunnersPerSecond = 2,
                Faults = FaultPlan.Parse("clock-offset 3 5ms", Ids),
            });
            _fleet.Start();
            using var watch = UnitStatusWatch.Connect(Broker.Address, "timingmat", null, null);
            if (!watch.WaitUntil(seen => Ids.All(id => seen.TryGetValue(id, out var s) && s.Status.Online && s.Status.Clock is { IsLocked: true }), TimeSpan.FromSeconds(90)))
            {
                throw new TimeoutException("the emulated units did not come online with locked clocks");
            }
        }

        public MosquittoProcess Broker { get; }

        public void Dispose()
        {
            _fleet.Dispose();
            Broker.Dispose();
        }
    }
}
