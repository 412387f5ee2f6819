using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using TimingMat.Core.Hardware;
using TimingMat.Core.Unit;
using TimingMat.Host.Crypto;
using TimingMat.Host.Ports;
using TimingMat.Mqtt;
using TimingMat.Mqtt.Broker;
using Xunit;

namespace TimingMat.Cli.Tests;

/// <summary>
/// <c>timingmat unit</c> as a process on a real Mosquitto, commanded from the tent as <c>timingmat command</c> will:
/// each command signed with the unit's key and answered on its reply topic; the unsigned and replayed ones refused.
/// </summary>
public sealed class UnitCommandsOverMqttTests : IDisposable
{
    private const string KeyHex = "3c9a0f5e7b21d48e6a0c3f95b7e2148d3c9a0f5e7b21d48e6a0c3f95b7e2148d";

    private readonly TempFolder _dir = new("tm-cmd-");

    [Fact]
    public void SignedCommands_AreAnsweredOnTheReplyTopic_AndTheStatusShowsWhatWasRefused()
    {
        using var broker = new MosquittoProcess();
        broker.Start();
        using var reader = new NullModemBridge();
        using var gps = new NullModemBridge();
        var config = _dir.Write("unit.cfg", $"""
            unit.id = 31
            mat.role = start
            reader.type = r2000
            reader.region = eu
            mqtt.url = {broker.Address}
            status.interval_s = 1
            command.key = {KeyHex}
            journal = j31
            """);
        using var unit = CliProcess.Start("unit", "--reader", TempFolder.Tcp(reader.PortB), "--gps", TempFolder.Tcp(gps.PortB), "--config", config, "--json", _dir.PathOf("unit.json"));
        unit.WaitFor("Ctrl+C stops", TimeSpan.FromSeconds(60));

        var received = new BlockingCollection<MqttMessage>();
        using var tent = new MqttLink(broker.Address);
        tent.MessageReceived += received.Add;
        Assert.True(tent.Connect(new MqttConnectOptions("tent-laptop") { CleanSession = true }), tent.LastError);
        Assert.Equal(1, tent.SubscribeAndWait("timingmat/31/reply", 1, TimeSpan.FromSeconds(5)));
        Assert.Equal(1, tent.SubscribeAndWait("timingmat/31/status", 1, TimeSpan.FromSeconds(5)));
        var status = Next(received, "timingmat/31/status", _ => true);
        Assert.Equal("test", status.GetProperty("mode").GetString());

        // Counters are the UTC ms at signing, as the tent tools make them.
        var counter = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        Send(tent, counter, "mode timing");
        var reply = Next(received, "timingmat/31/reply", r => r.GetProperty("counter").GetInt64() == counter);
        Assert.Equal(("mode", "accepted"), (reply.GetProperty("verb").GetString(), reply.GetProperty("result").GetString()));
        Assert.Equal("timing", Next(received, "timingmat/31/status", s => s.GetProperty("mode").GetString() == "timing").GetProperty("mode").GetString());

        Send(tent, counter + 1, "clock");
        var clock = Next(received, "timingmat/31/reply", r => r.GetProperty("counter").GetInt64() == counter + 1);
        Assert.Equal("unsynced", clock.GetProperty("clock").GetProperty("state").GetString());

        // The same command again, and one typed by hand: refused, and nothing changes.
        Send(tent, counter, "mode test");
        Assert.Equal("replayed", Next(received, "timingmat/31/reply", r => r.GetProperty("counter").ValueKind == JsonValueKind.Number && r.GetProperty("counter").GetInt64() == counter && r.GetProperty("result").GetString() == "rejected").GetProperty("reason").GetString());
        tent.Publish("timingmat/31/cmd", "mode test"u8.ToArray(), 1, false);
        Assert.Equal("unsigned", Next(received, "timingmat/31/reply", r => r.GetProperty("counter").ValueKind == JsonValueKind.Null).GetProperty("reason").GetString());
        var counted = Next(received, "timingmat/31/status", s => s.GetProperty("commands").GetProperty("rejected").GetProperty("unsigned").GetInt32() == 1);
        Assert.Equal((2, 1), (counted.GetProperty("commands").GetProperty("accepted").GetInt32(), counted.GetProperty("commands").GetProperty("rejected").GetProperty("replayed").GetInt32()));
        Assert.Equal("timing", counted.GetProperty("mode").GetString());

        Assert.True(unit.Terminate(TimeSpan.FromSeconds(10)), "the unit did not stop on SIGTERM");
        using var final = JsonDocument.Parse(File.ReadAllText(_dir.PathOf("unit.json")));
        Assert.Equal(counter + 1, final.RootElement.GetProperty("status").GetProperty("commands").GetProperty("last_counter").GetInt64());
    }

    public void Dispose() => _dir.Dispose();

    private static void Send(MqttLink tent, long counter, string command)
    {
        var signed = SignedCommand.Sign($"tm1 31 {counter} {command}", Convert.FromHexString(KeyHex), DesktopHmacSha256.Instance, 8);
        Assert.True(tent.Publish("timingmat/31/cmd", Encoding.ASCII.GetBytes(signed), 1, false) >= 0);
    }

    private static JsonElement Next(BlockingCollection<MqttMessage> received, string topic, Func<JsonElement, bool> wanted)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (received.TryTake(out var message, until - DateTime.UtcNow))
        {
            if (message.Topic != topic)
            {
                continue;
            }

            var json = JsonDocument.Parse(message.Payload).RootElement.Clone();
            if (wanted(json))
            {
                return json;
            }
        }

        throw new Xunit.Sdk.XunitException($"nothing wanted on {topic} within 20 s");
    }
}
