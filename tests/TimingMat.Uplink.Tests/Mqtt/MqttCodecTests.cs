using System.Text;
using TimingMat.Mqtt;
using TimingMat.Mqtt.Packets;
using Xunit;

namespace TimingMat.Uplink.Tests.Mqtt;

/// <summary>MQTT 3.1.1 packets pinned byte for byte against the OASIS spec's layouts.</summary>
public class MqttCodecTests
{
    [Theory]
    [InlineData(0, "00")]
    [InlineData(127, "7F")]
    [InlineData(128, "8001")]
    [InlineData(16_383, "FF7F")]
    [InlineData(16_384, "808001")]
    [InlineData(2_097_151, "FFFF7F")]
    [InlineData(2_097_152, "80808001")]
    [InlineData(268_435_455, "FFFFFF7F")]
    public void RemainingLength_MatchesTheSpecTable(int value, string hex)
    {
        var buffer = new byte[4];
        var n = MqttEncoder.WriteRemainingLength(buffer, 0, value);

        Assert.Equal(hex, Convert.ToHexString(buffer, 0, n));
    }

    [Fact]
    public void RemainingLength_OverTheMaximum_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MqttEncoder.WriteRemainingLength(new byte[4], 0, 268_435_456));
    }

    [Fact]
    public void Connect_WithCredentialsWillAndPersistentSession()
    {
        var packet = MqttEncoder.Connect("unit-7", cleanSession: false, 15, "u", "p", new MqttWill("tm/7/status", Encoding.ASCII.GetBytes("off"), 1, true));

        Assert.Equal(
            "102A" + "00044D515454" + "04" + "EC" + "000F"
            + "0006" + Hex("unit-7") + "000B" + Hex("tm/7/status") + "0003" + Hex("off") + "0001" + Hex("u") + "0001" + Hex("p"),
            Convert.ToHexString(packet));
    }

    [Fact]
    public void Connect_CleanWithoutWillOrCredentials()
    {
        Assert.Equal("100E00044D5154540402003C0002" + Hex("ab"), Convert.ToHexString(MqttEncoder.Connect("ab", true, 60, null, null, null)));
    }

    [Fact]
    public void Connect_PasswordWithoutUser_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => MqttEncoder.Connect("x", true, 0, null, "secret", null));
    }

    [Fact]
    public void Publish_Qos1_CarriesThePacketId_AndDupCanBeSetForTheResend()
    {
        var packet = MqttEncoder.Publish("a/b", "hi"u8, 1, retain: false, packetId: 10);

        Assert.Equal("320900036" + "12F62000A6869", Convert.ToHexString(packet));
        MqttEncoder.MarkDuplicate(packet);
        Assert.Equal(0x3A, packet[0]);
    }

    [Fact]
    public void Publish_Qos0Retained_HasNoPacketId()
    {
        Assert.Equal("31070003612F62" + "6869", Convert.ToHexString(MqttEncoder.Publish("a/b", "hi"u8, 0, retain: true, packetId: 0)));
    }

    [Theory]
    [InlineData("a/+")]
    [InlineData("a/#")]
    [InlineData("")]
    public void Publish_ToAWildcardOrEmptyTopic_IsRefused(string topic)
    {
        Assert.Throws<ArgumentException>(() => MqttEncoder.Publish(topic, "x"u8, 0, false, 0));
    }

    [Fact]
    public void Publish_DupOnQos0_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => MqttEncoder.Publish("a", "x"u8, 0, false, 0, duplicate: true));
    }

    [Fact]
    public void Subscribe_PubAck_Ping_Disconnect()
    {
        Assert.Equal("8208000100036" + "12F2B01", Convert.ToHexString(MqttEncoder.Subscribe(1, [("a/+", 1)])));
        Assert.Equal("A2070002000361" + "2F23", Convert.ToHexString(MqttEncoder.Unsubscribe(2, ["a/#"])));
        Assert.Equal("4002000A", Convert.ToHexString(MqttEncoder.PubAck(10)));
        Assert.Equal("C000", Convert.ToHexString(MqttEncoder.PingReq()));
        Assert.Equal("E000", Convert.ToHexString(MqttEncoder.Disconnect()));
    }

    [Fact]
    public void Decoder_ReadsConnAckPublishAndSubAck()
    {
        using var stream = new MemoryStream(Convert.FromHexString("20020100" + "3A0900036" + "12F62000A6869" + "9003000101"));

        var (first, body) = MqttDecoder.Read(stream, 100);
        Assert.Equal(MqttPacketType.ConnAck, MqttDecoder.TypeOf(first));
        Assert.Equal((true, MqttConnectReturnCode.Accepted), MqttDecoder.ConnAck(body));

        (first, body) = MqttDecoder.Read(stream, 100);
        var (message, id) = MqttDecoder.Publish(first, body);
        Assert.Equal(("a/b", 1, true, false, 10), (message.Topic, message.Qos, message.Duplicate, message.Retain, id));
        Assert.Equal("hi"u8.ToArray(), message.Payload);

        (first, body) = MqttDecoder.Read(stream, 100);
        Assert.Equal(MqttPacketType.SubAck, MqttDecoder.TypeOf(first));
        var (subId, granted) = MqttDecoder.SubAck(body);
        Assert.Equal(1, subId);
        Assert.Equal(new byte[] { 1 }, granted);
    }

    [Fact]
    public void Decoder_RejectsBadPackets()
    {
        Assert.Throws<MqttProtocolException>(() => MqttDecoder.Read(new MemoryStream(Convert.FromHexString("30FFFFFFFF01")), 1000));
        Assert.Throws<MqttProtocolException>(() => MqttDecoder.Read(new MemoryStream(Convert.FromHexString("30FF01")), 100));
        Assert.Throws<EndOfStreamException>(() => MqttDecoder.Read(new MemoryStream(Convert.FromHexString("3005000161")), 100));
        Assert.Throws<MqttProtocolException>(() => MqttDecoder.Publish(0x36, Convert.FromHexString("000161")));
        Assert.Throws<MqttProtocolException>(() => MqttDecoder.Publish(0x32, Convert.FromHexString("0005")));
        Assert.Throws<MqttProtocolException>(() => MqttDecoder.ConnAck(Convert.FromHexString("0200")));
    }

    [Theory]
    [InlineData("mqtt://race-broker:1884", "race-broker", 1884, false)]
    [InlineData("mqtt://10.0.0.5", "10.0.0.5", 1883, false)]
    [InlineData("mqtts://broker.example", "broker.example", 8883, true)]
    [InlineData("localhost:1999", "localhost", 1999, false)]
    public void BrokerAddress_Parses(string text, string host, int port, bool tls)
    {
        Assert.True(MqttBrokerAddress.TryParse(text, out var address, out _));
        Assert.Equal(new MqttBrokerAddress(host, port, tls), address);
    }

    [Theory]
    [InlineData("http://broker:80", "scheme")]
    [InlineData("mqtt://broker:1883/path", "path")]
    [InlineData("mqtt://", "not a broker URL")]
    public void BrokerAddress_RejectsOtherUrls(string text, string why)
    {
        Assert.False(MqttBrokerAddress.TryParse(text, out _, out var error));
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    private static string Hex(string ascii) => Convert.ToHexString(Encoding.ASCII.GetBytes(ascii));
}
