using System.Text;

namespace TimingMat.Mqtt.Packets;

/// <summary>
/// Builds MQTT 3.1.1 control packets as bytes (OASIS MQTT 3.1.1, chapter 3). Pure functions: no I/O, so every
/// packet is pinned by exact-byte tests.
/// </summary>
public static class MqttEncoder
{
    /// <summary>Largest Remaining Length the 4-byte variable integer can carry (spec §2.2.3).</summary>
    public const int MaxRemainingLength = 268_435_455;

    private static readonly byte[] s_protocolName = [0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T'];

    /// <summary>Encodes a CONNECT packet (protocol level 4).</summary>
    /// <param name="clientId">Client id (may be empty only with a clean session).</param>
    /// <param name="cleanSession">Whether the broker discards the session.</param>
    /// <param name="keepAliveSeconds">Keep-alive, 0–65535 s.</param>
    /// <param name="username">User name, or <c>null</c>.</param>
    /// <param name="password">Password, or <c>null</c> (only with a user name).</param>
    /// <param name="will">Last will, or <c>null</c>.</param>
    /// <returns>The packet.</returns>
    /// <exception cref="ArgumentException">A password without a user name, or an out-of-range value.</exception>
    public static byte[] Connect(string clientId, bool cleanSession, int keepAliveSeconds, string? username, string? password, MqttWill? will)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keepAliveSeconds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keepAliveSeconds, 65535);
        if (password != null && username == null)
        {
            throw new ArgumentException("MQTT 3.1.1 allows a password only with a user name (MQTT-3.1.2-22)", nameof(password));
        }

        if (will != null && will.Qos is < 0 or > 2)
        {
            throw new ArgumentException("will QoS must be 0, 1 or 2", nameof(will));
        }

        var flags = 0;
        flags |= username != null ? 0x80 : 0;
        flags |= password != null ? 0x40 : 0;
        if (will != null)
        {
            flags |= 0x04 | (will.Qos << 3) | (will.Retain ? 0x20 : 0);
        }

        flags |= cleanSession ? 0x02 : 0;
        var body = new List<byte>(64);
        body.AddRange(s_protocolName);
        body.Add(4);
        body.Add((byte)flags);
        body.Add((byte)(keepAliveSeconds >> 8));
        body.Add((byte)keepAliveSeconds);
        AddString(body, clientId);
        if (will != null)
        {
            AddString(body, will.Topic);
            AddBinary(body, will.Payload);
        }

        if (username != null)
        {
            AddString(body, username);
        }

        if (password != null)
        {
            AddBinary(body, Encoding.UTF8.GetBytes(password));
        }

        return Packet(0x10, body);
    }

    /// <summary>Encodes a PUBLISH packet.</summary>
    /// <param name="topic">Topic name (no wildcards).</param>
    /// <param name="payload">Message body.</param>
    /// <param name="qos">0 or 1.</param>
    /// <param name="retain">Retain flag.</param>
    /// <param name="packetId">Packet id for QoS 1 (1–65535); ignored for QoS 0.</param>
    /// <param name="duplicate">DUP flag: a re-delivery of a QoS 1 message; must be false for QoS 0 (MQTT-3.3.1-2).</param>
    /// <returns>The packet.</returns>
    /// <exception cref="ArgumentException">A wildcard in the topic, a bad QoS or packet id, or DUP with QoS 0.</exception>
    public static byte[] Publish(string topic, ReadOnlySpan<byte> payload, int qos, bool retain, int packetId, bool duplicate = false)
    {
        if (topic.Length == 0 || topic.Contains('+', StringComparison.Ordinal) || topic.Contains('#', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{topic}' is not a topic name to publish to", nameof(topic));
        }

        if (qos is < 0 or > 1)
        {
            throw new ArgumentException("this client publishes QoS 0 or 1", nameof(qos));
        }

        if (qos == 0 && duplicate)
        {
            throw new ArgumentException("DUP must be 0 for QoS 0 (MQTT-3.3.1-2)", nameof(duplicate));
        }

        if (qos > 0 && packetId is < 1 or > 65535)
        {
            throw new ArgumentOutOfRangeException(nameof(packetId), packetId, "a QoS 1 packet id is 1–65535");
        }

        var first = 0x30 | (duplicate ? 0x08 : 0) | (qos << 1) | (retain ? 0x01 : 0);
        var topicBytes = Encoding.UTF8.GetBytes(topic);
        var remaining = 2 + topicBytes.Length + (qos > 0 ? 2 : 0) + payload.Length;
        var packet = new byte[1 + RemainingLengthSize(remaining) + remaining];
        var i = 0;
        packet[i++] = (byte)first;
        i += WriteRemainingLength(packet, i, remaining);
        packet[i++] = (byte)(topicBytes.Length >> 8);
        packet[i++] = (byte)topicBytes.Length;
        topicBytes.CopyTo(packet, i);
        i += topicBytes.Length;
        if (qos > 0)
        {
            packet[i++] = (byte)(packetId >> 8);
            packet[i++] = (byte)packetId;
        }

        payload.CopyTo(packet.AsSpan(i));
        return packet;
    }

    /// <summary>Sets the DUP flag of an encoded QoS 1 PUBLISH, for sending it again after a reconnect.</summary>
    /// <param name="publish">The packet; changed in place.</param>
    public static void MarkDuplicate(byte[] publish) => publish[0] |= 0x08;

    /// <summary>Encodes a PUBACK.</summary>
    /// <param name="packetId">The acknowledged packet id.</param>
    /// <returns>The packet.</returns>
    public static byte[] PubAck(int packetId) => [0x40, 0x02, (byte)(packetId >> 8), (byte)packetId];

    /// <summary>Encodes a SUBSCRIBE (fixed-header flags 0b0010, MQTT-3.8.1-1).</summary>
    /// <param name="packetId">Packet id.</param>
    /// <param name="filters">Topic filters with their requested QoS.</param>
    /// <returns>The packet.</returns>
    public static byte[] Subscribe(int packetId, IReadOnlyList<(string Filter, int Qos)> filters)
    {
        ArgumentOutOfRangeException.ThrowIfZero(filters.Count);
        var body = new List<byte> { (byte)(packetId >> 8), (byte)packetId };
        foreach (var (filter, qos) in filters)
        {
            AddString(body, filter);
            body.Add((byte)qos);
        }

        return Packet(0x82, body);
    }

    /// <summary>Encodes an UNSUBSCRIBE (fixed-header flags 0b0010).</summary>
    /// <param name="packetId">Packet id.</param>
    /// <param name="filters">Topic filters.</param>
    /// <returns>The packet.</returns>
    public static byte[] Unsubscribe(int packetId, IReadOnlyList<string> filters)
    {
        ArgumentOutOfRangeException.ThrowIfZero(filters.Count);
        var body = new List<byte> { (byte)(packetId >> 8), (byte)packetId };
        foreach (var filter in filters)
        {
            AddString(body, filter);
        }

        return Packet(0xA2, body);
    }

    /// <summary>Encodes a PINGREQ.</summary>
    /// <returns>The packet: C0 00.</returns>
    public static byte[] PingReq() => [0xC0, 0x00];

    /// <summary>Encodes a DISCONNECT.</summary>
    /// <returns>The packet: E0 00.</returns>
    public static byte[] Disconnect() => [0xE0, 0x00];

    /// <summary>Writes a Remaining Length as the 1–4 byte variable integer of spec §2.2.3.</summary>
    /// <param name="buffer">Destination.</param>
    /// <param name="offset">First byte written.</param>
    /// <param name="value">0 – <see cref="MaxRemainingLength"/>.</param>
    /// <returns>Bytes written.</returns>
    public static int WriteRemainingLength(byte[] buffer, int offset, int value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxRemainingLength);
        var n = 0;
        do
        {
            var digit = value % 128;
            value /= 128;
            buffer[offset + n++] = (byte)(value > 0 ? digit | 0x80 : digit);
        }
        while (value > 0);

        return n;
    }

    private static int RemainingLengthSize(int value) => value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;

    private static byte[] Packet(int first, List<byte> body)
    {
        var packet = new byte[1 + RemainingLengthSize(body.Count) + body.Count];
        packet[0] = (byte)first;
        var i = 1 + WriteRemainingLength(packet, 1, body.Count);
        body.CopyTo(packet, i);
        return packet;
    }

    private static void AddString(List<byte> body, string text) => AddBinary(body, Encoding.UTF8.GetBytes(text));

    private static void AddBinary(List<byte> body, byte[] data)
    {
        if (data.Length > 65535)
        {
            throw new ArgumentException("a string or binary field holds at most 65535 bytes");
        }

        body.Add((byte)(data.Length >> 8));
        body.Add((byte)data.Length);
        body.AddRange(data);
    }
}
