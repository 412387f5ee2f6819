namespace TimingMat.Core.Hardware
{
    /// <summary>A message received on a subscription.</summary>
    public sealed class MqttMessage
    {
        /// <summary>Initializes a new instance of the <see cref="MqttMessage"/> class.</summary>
        /// <param name="topic">Topic it was published on.</param>
        /// <param name="payload">Message body.</param>
        public MqttMessage(string topic, byte[] payload)
        {
            Topic = topic;
            Payload = payload;
        }

        /// <summary>Gets the topic it was published on.</summary>
        public string Topic { get; private set; }

        /// <summary>Gets the message body.</summary>
        public byte[] Payload { get; private set; }
    }
}
