namespace TimingMat.Core.Hardware
{
    /// <summary>
    /// An MQTT 3.1.1 client session to the race broker: nanoFramework.M2Mqtt on the device, an MQTTnet
    /// client on desktop, or an in-process link in the simulator.
    /// </summary>
    /// <remarks>
    /// <para>Polled like the rest of the core: received messages and broker acknowledgements are queued by the
    /// implementation and taken with <see cref="TakeReceived"/> and <see cref="TryTakeAcknowledged"/>. A broker
    /// PUBACK only means the broker has the message; the outbox waits for the collector's own ack before it
    /// forgets a batch.</para>
    /// <para>Connecting never blocks the caller: <see cref="BeginConnect"/> starts an attempt (TCP, TLS, CONNECT,
    /// CONNACK; on the device a connect thread) and returns at once; the unit's loop polls <see cref="IsConnecting"/>
    /// and <see cref="IsConnected"/> until the attempt ends. An implementation sets <see cref="IsConnected"/> before it
    /// clears <see cref="IsConnecting"/>, so a caller that reads <see cref="IsConnecting"/> first never mistakes a
    /// finished success for a failure.</para>
    /// </remarks>
    public interface IMqttLink
    {
        /// <summary>Gets a value indicating whether the session is connected.</summary>
        bool IsConnected { get; }

        /// <summary>Gets a value indicating whether a connect attempt started by <see cref="BeginConnect"/> is still running.</summary>
        bool IsConnecting { get; }

        /// <summary>
        /// Starts connecting to the broker and returns at once. Does nothing while an attempt runs or the session is up.
        /// When the attempt ends, <see cref="IsConnecting"/> turns false and <see cref="IsConnected"/> tells whether the
        /// broker accepted the connection (within the implementation's own connect timeout).
        /// </summary>
        /// <param name="options">Client id, credentials, session and last-will settings.</param>
        void BeginConnect(MqttConnectOptions options);

        /// <summary>Sends DISCONNECT and closes the connection. Does nothing when not connected.</summary>
        void Disconnect();

        /// <summary>Publishes a message.</summary>
        /// <param name="topic">Topic name (no wildcards).</param>
        /// <param name="payload">Message body.</param>
        /// <param name="qos">Quality of service, 0 or 1.</param>
        /// <param name="retain">Whether the broker keeps it as the topic's retained message.</param>
        /// <returns>The packet id the broker will acknowledge (QoS 1), 0 for QoS 0, or -1 when not connected.</returns>
        int Publish(string topic, byte[] payload, int qos, bool retain);

        /// <summary>Subscribes to a topic filter.</summary>
        /// <param name="topicFilter">Topic filter, wildcards allowed.</param>
        /// <param name="qos">Largest quality of service wanted, 0 or 1.</param>
        /// <returns><c>true</c> when the subscription was sent.</returns>
        bool Subscribe(string topicFilter, int qos);

        /// <summary>Takes the oldest message received on a subscription.</summary>
        /// <returns>The message, or <c>null</c> when none is waiting.</returns>
        MqttMessage TakeReceived();

        /// <summary>Takes the packet id of the oldest QoS 1 publication the broker has acknowledged (PUBACK).</summary>
        /// <param name="packetId">The acknowledged packet id.</param>
        /// <returns><c>true</c> when one was taken.</returns>
        bool TryTakeAcknowledged(out int packetId);
    }
}
