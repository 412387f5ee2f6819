namespace TimingMat.Core.Hardware
{
    /// <summary>A message received on a subscription.</summary>
    public sealed class MqttMessage
    {
        /// <summary>The value of <see cref="ReceivedMicros"/> from a link that does not stamp its messages.</summary>
        public const long NotStamped = -1;

        /// <summary>Initializes a new instance of the <see cref="MqttMessage"/> class, not stamped.</summary>
        /// <param name="topic">Topic it was published on.</param>
        /// <param name="payload">Message body.</param>
        public MqttMessage(string topic, byte[] payload)
            : this(topic, payload, NotStamped)
        {
        }

        /// <summary>Initializes a new instance of the <see cref="MqttMessage"/> class.</summary>
        /// <param name="topic">Topic it was published on.</param>
        /// <param name="payload">Message body.</param>
        /// <param name="receivedMicros">The unit's µs clock when the link took the message off the wire, or <see cref="NotStamped"/>.</param>
        public MqttMessage(string topic, byte[] payload, long receivedMicros)
        {
            Topic = topic;
            Payload = payload;
            ReceivedMicros = receivedMicros;
        }

        /// <summary>Gets the topic it was published on.</summary>
        public string Topic { get; private set; }

        /// <summary>Gets the message body.</summary>
        public byte[] Payload { get; private set; }

        /// <summary>
        /// Gets the unit's µs clock (<see cref="IMicrosecondClock"/>) when the link took the message off the wire, on its
        /// receive thread, or <see cref="NotStamped"/>. The poll that handles the message may come many milliseconds
        /// later; a clock exchange (the <c>clock</c> command) needs the moment it arrived.
        /// </summary>
        public long ReceivedMicros { get; private set; }
    }
}
