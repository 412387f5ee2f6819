using System.Collections.Concurrent;
using TimingMat.Core.Hardware;
using TimingMat.Mqtt;
using TimingMat.Mqtt.Broker;
using TimingMat.Tent.Broker;
using TimingMat.Tent.Emulation;
using TimingMat.Tent.Race;
using Xunit;

namespace TimingMat.Uplink.Tests.Tent;

/// <summary>The race file, the fault language, and the generated broker security on a real Mosquitto.</summary>
public sealed class BrokerSecurityTests : IDisposable
{
    private const string Race = """
        # Rehearsal: the race file the units are provisioned from, with the tent's accounts.
        race.id = rehearsal-1
        mqtt.url = mqtt://127.0.0.1:1883
        tent.password = tent-pass
        collector.password = collector-pass
        reader.type = m6e
        reader.region = eu
        mat.role = split
        km05.unit.id = 5
        km05.command.key = 000102030405060708090a0b0c0d0e0f
        km05.mqtt.username = unit-5
        km05.mqtt.password = five-pass
        km10.unit.id = 10
        km10.mat.name = ten-k
        km10.command.key = 101112131415161718191a1b1c1d1e1f
        km10.mqtt.username = km10
        km10.mqtt.password = ten-pass
        """;

    private const string Units = "reader.type = m6e\nreader.region = eu\nmat.role = split\nkm05.unit.id = 5\nkm06.unit.id = 6\n";

    private readonly string _dir = Directory.CreateTempSubdirectory("tm-acl-").FullName;
    private readonly List<IDisposable> _cleanup = [];

    [Fact]
    public void RaceFile_ReadsTheRaceAndEveryUnit()
    {
        var race = RaceFile.Parse(Race, "race.cfg");

        Assert.Equal(("rehearsal-1", "mqtt://127.0.0.1:1883", "timingmat", "tent"), (race.RaceId, race.BrokerUrl, race.TopicPrefix, race.TentUsername));
        Assert.Equal([5, 10], race.Units.Select(u => u.Id));
        Assert.Equal(("km05", "unit-5", "five-pass"), (race.Unit(5)!.Name, race.Unit(5)!.Username, race.Unit(5)!.Password));
        Assert.Equal(("ten-k", "km10", "km10"), (race.Unit(10)!.Name, race.Unit(10)!.FileName, race.Unit(10)!.Username));
        Assert.Equal(16, race.Unit(10)!.CommandKey!.Length);
    }

    [Theory]
    [InlineData("km05.comand.key = 00", "line 1: unit km05: ")]
    [InlineData("race.idd = x", "line 1: unknown key 'race.idd'")]
    [InlineData("tent.pasword = x", "line 1: unknown key 'tent.pasword': the tent's keys are")]
    [InlineData(Units + "km05.command.key = 0011", "command.key = (secret, 4 characters)")]
    [InlineData(Units + "tent.mat.role = split", "unknown key 'tent.mat.role'")]
    [InlineData("race.id = a\nrace.id = b", "line 2: race.id is set twice")]
    [InlineData(Units + "km05.mqtt.username = same\nkm06.mqtt.username = same", "the broker user name 'same' is given to more than one")]
    [InlineData(Units + "km06.mqtt.prefix = other", "unit km06 has mqtt.prefix = 'other'")]
    [InlineData("km05.unit.id = 5", "unit km05: mat.role is missing")]
    public void RaceFile_BadLines_AreNamed_AndSecretsAreNotRepeated(string text, string expected)
    {
        var error = Assert.Throws<RaceFileException>(() => RaceFile.Parse(text, "race.cfg"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("0011", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FaultPlan_ReadsEachKind_AndRefusesWhatItDoesNotKnow()
    {
        var plan = FaultPlan.Parse("clock-offset 3 5ms; gps-loss 2 at 60s for 2m\nreader-silence 1 at 30 for 20s # brown-out\nuplink-cut 4 at 90s", [1, 2, 3, 4]);

        Assert.Equal(
            [(EmulatedFaultKind.ClockOffset, 3, 5_000L, 0L, long.MaxValue), (EmulatedFaultKind.GpsLoss, 2, 0L, 60_000_000L, 120_000_000L), (EmulatedFaultKind.ReaderSilence, 1, 0L, 30_000_000L, 20_000_000L), (EmulatedFaultKind.UplinkCut, 4, 0L, 90_000_000L, long.MaxValue)],
            plan.Faults.Select(f => (f.Kind, f.Unit, f.AmountMicros, f.AtMicros, f.DurationMicros)));
        Assert.True(plan.Faults[1].Covers(60_000_000) && !plan.Faults[1].Covers(59_999_999) && !plan.Faults[1].Covers(180_000_000));
        Assert.True(plan.Faults[0].Covers(-30_000_000));
        Assert.Contains("unit '9' is not emulated", Assert.Throws<FormatException>(() => FaultPlan.Parse("gps-loss 9", [1])).Message, StringComparison.Ordinal);
        Assert.Contains("clock-offset needs", Assert.Throws<FormatException>(() => FaultPlan.Parse("clock-offset 1", [1])).Message, StringComparison.Ordinal);
        Assert.Contains("expected KIND UNIT", Assert.Throws<FormatException>(() => FaultPlan.Parse("meltdown 1", [1])).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GeneratedAcl_KeepsEachUnitToItsOwnTopics_AndOnlyTheTentCommands(bool useMosquittoPasswd)
    {
        var race = RaceFile.Parse(Race, "race.cfg");
        var passwords = Path.Combine(_dir, "passwords");
        var acl = Path.Combine(_dir, "acl");
        File.WriteAllText(acl, BrokerSecurity.Acl(race));
        var tool = useMosquittoPasswd ? BrokerSecurity.FindMosquittoPasswd() : null;
        Assert.True(!useMosquittoPasswd || tool != null, "mosquitto_passwd is not installed (apt-get install mosquitto)");
        BrokerSecurity.WritePasswords(race, passwords, tool);
        Assert.All(File.ReadAllLines(passwords), line => Assert.Matches(@"^[\w-]+:\$7\$101\$", line));
        var broker = new MosquittoProcess(new MosquittoSettings { PasswordFile = passwords, AclFile = acl });
        _cleanup.Add(broker);
        broker.Start();

        var (tent, seen) = Connect(broker, "tent", "tent-pass", "timingmat/#");
        var (unit5, commands5) = Connect(broker, "unit-5", "five-pass", "timingmat/5/cmd");
        var (unit10, _) = Connect(broker, "km10", "ten-pass", null);

        // A unit publishes under its own topics; under another unit's, the broker drops it.
        Assert.True(unit10.PublishAndWait("timingmat/5/passings", [0xBA, 0xD0], 1, false, TimeSpan.FromSeconds(5)));
        Assert.True(unit10.PublishAndWait("timingmat/5/status", "{\"unit\":5,\"forged\":true}"u8.ToArray(), 1, false, TimeSpan.FromSeconds(5)));
        Assert.True(unit10.PublishAndWait("timingmat/10/status", "{\"unit\":10}"u8.ToArray(), 1, false, TimeSpan.FromSeconds(5)));
        Assert.Equal("timingmat/10/status", Take(seen).Topic);

        // A unit cannot command another; the tent can.
        Assert.True(unit10.PublishAndWait("timingmat/5/cmd", "tm1 5 1 reboot 00"u8.ToArray(), 1, false, TimeSpan.FromSeconds(5)));
        Assert.True(tent.PublishAndWait("timingmat/5/cmd", "tm1 5 2 status 00"u8.ToArray(), 1, false, TimeSpan.FromSeconds(5)));
        Assert.Equal("tm1 5 2 status 00", System.Text.Encoding.ASCII.GetString(Take(commands5).Payload));
        Assert.False(commands5.TryTake(out _, 300));
        Assert.DoesNotContain(seen, m => m.Topic.StartsWith("timingmat/5/", StringComparison.Ordinal) && m.Topic != "timingmat/5/cmd");

        // A wrong password does not connect.
        var intruder = new MqttLink(broker.Address);
        _cleanup.Add(intruder);
        Assert.False(intruder.Connect(new MqttConnectOptions("intruder") { Username = "unit-5", Password = "guess" }));
        _ = unit5;
    }

    public void Dispose()
    {
        foreach (var item in _cleanup)
        {
            item.Dispose();
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static MqttMessage Take(BlockingCollection<MqttMessage> received)
    {
        Assert.True(received.TryTake(out var message, TimeSpan.FromSeconds(5)), "no message within 5 s");
        return message;
    }

    private (MqttLink Link, BlockingCollection<MqttMessage> Seen) Connect(MosquittoProcess broker, string user, string password, string? filter)
    {
        var seen = new BlockingCollection<MqttMessage>();
        var link = new MqttLink(broker.Address);
        link.MessageReceived += seen.Add;
        _cleanup.Add(link);
        Assert.True(link.Connect(new MqttConnectOptions(user) { CleanSession = true, Username = user, Password = password }), link.LastError);
        if (filter != null)
        {
            Assert.Equal(1, link.SubscribeAndWait(filter, 1, TimeSpan.FromSeconds(5)));
        }

        return (link, seen);
    }
}
