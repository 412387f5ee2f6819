using System.Text;

namespace TimingMat.Mqtt.Packets;

/// <summary>
/// Reads MQTT 3.1.1 packets sent by a broker off a stream and parses them. Pure parsing is separate from reading so
/// the parsers are tested on exact bytes.
/// </summary>
public static class MqttDecoder
{
    /// <summary>Reads one whole packet: the fixed header's first byte and the body.</summary>
    /// <param name="stream">The connection.</param>
    /// <param name="maxBodyBytes">Largest body accepted.</param>
    /// <returns>The packet's first byte and body.</returns>
    /// <exception cref="EndOfStreamException">The connection closed.</exception>
    /// <exception cref="MqttProtocolException">A malformed length or a body over the limit.</exception>
    public static (byte First, byte[] Body) Read(Stream stream, int maxBodyBytes)
    {
        var first = stream.ReadByte();
        if (first < 0)
        {
            throw new EndOfStreamException("the broker closed the connection");
        }

        var length = 0;
        var multiplier = 1;
        for (var i = 0; ; i++)
        {
            if (i == 4)
            {
                throw new MqttProtocolException("Remaining Length longer than 4 bytes");
            }

            var digit = stream.ReadByte();
            if (digit < 0)
            {
                throw new EndOfStreamException("the broker closed the connection");
            }

            length += (digit & 0x7F) * multiplier;
            multiplier *= 128;
            if ((digit & 0x80) == 0)
            {
                break;
            }
        }

        if (length > maxBodyBytes)
        {
            throw new MqttProtocolException($"packet of {length} bytes is over the {maxBodyBytes}-byte limit");
        }

        var body = new byte[length];
        stream.ReadExactly(body);
        return ((byte)first, body);
    }

    /// <summary>Gets the packet type of a fixed header's first byte.</summary>
    /// <param name="first">The first byte.</param>
    /// <returns>The type.</returns>
    public static MqttPacketType TypeOf(byte first) => (MqttPacketType)(first >> 4);

    /// <summary>Parses a CONNACK body.</summary>
    /// <param name="body">The body.</param>
    /// <returns>Whether the broker kept a session, and its return code.</returns>
    /// <exception cref="MqttProtocolException">Not two bytes, or reserved bits set.</exception>
    public static (bool SessionPresent, MqttConnectReturnCode Code) ConnAck(byte[] body)
    {
        if (body.Length != 2 || (body[0] & 0xFE) != 0)
        {
            throw new MqttProtocolException("malformed CONNACK");
        }

        return ((body[0] & 0x01) != 0, (MqttConnectReturnCode)body[1]);
    }

    /// <summary>Parses a PUBLISH.</summary>
    /// <param name="first">The fixed header's first byte (flags).</param>
    /// <param name="body">The body.</param>
    /// <returns>The message and its packet id (0 for QoS 0).</returns>
    /// <exception cref="MqttProtocolException">Truncated, QoS 3, or DUP on QoS 0.</exception>
    public static (MqttApplicationMessage Message, int PacketId) Publish(byte first, byte[] body)
    {
        var qos = (first >> 1) & 0x03;
        var duplicate = (first & 0x08) != 0;
        if (qos == 3)
        {
            throw new MqttProtocolException("PUBLISH with QoS 3");
        }

        if (body.Length < 2)
        {
            throw new MqttProtocolException("truncated PUBLISH");
        }

        var topicLength = (body[0] << 8) | body[1];
        var position = 2 + topicLength + (qos > 0 ? 2 : 0);
        if (position > body.Length)
        {
            throw new MqttProtocolException("truncated PUBLISH");
        }

        var topic = Encoding.UTF8.GetString(body, 2, topicLength);
        var packetId = qos > 0 ? (body[2 + topicLength] << 8) | body[3 + topicLength] : 0;
        var payload = body[position..];
        return (new MqttApplicationMessage(topic, payload, qos, (first & 0x01) != 0, duplicate), packetId);
    }

    /// <summary>Parses the packet id of a PUBACK or UNSUBACK.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The packet id.</returns>
    /// <exception cref="MqttProtocolException">Not two bytes.</exception>
    public static int PacketId(byte[] body)
    {
        if (body.Length != 2)
        {
            throw new MqttProtocolException("malformed acknowledgement");
        }

        return (body[0] << 8) | body[1];
    }

    /// <summary>Parses a SUBACK.</summary>
    /// <param name="body">The body.</param>
    /// <returns>The packet id and the granted QoS per filter (0x80 = refused).</returns>
    /// <exception cref="MqttProtocolException">Truncated.</exception>
    public static (int PacketId, byte[] Granted) SubAck(byte[] body)
    {
        if (body.Length < 3)
        {
            throw new MqttProtocolException("malformed SUBACK");
        }

        return ((body[0] << 8) | body[1], body[2..]);
    }
}
