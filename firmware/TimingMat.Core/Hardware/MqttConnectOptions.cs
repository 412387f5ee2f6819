namespace TimingMat.Core.Hardware
{
    /// <summary>How a mat unit opens its MQTT session.</summary>
    /// <remarks>
    /// Mat units use a persistent session (<see cref="CleanSession"/> off) under a stable client id, so the broker
    /// keeps their command subscription while the uplink is down, and a retained last will on the status topic
    /// so the timing tent sees a unit that vanished.
    /// </remarks>
    public sealed class MqttConnectOptions
    {
        /// <summary>Initializes a new instance of the <see cref="MqttConnectOptions"/> class.</summary>
        /// <param name="clientId">Stable client id, e.g. the unit id.</param>
        public MqttConnectOptions(string clientId)
        {
            ClientId = clientId;
            CleanSession = false;
            KeepAliveSeconds = 30;
            WillRetain = true;
            WillQos = 1;
        }

        /// <summary>Gets the client id.</summary>
        public string ClientId { get; private set; }

        /// <summary>Gets or sets the user name, or <c>null</c> for none.</summary>
        public string Username { get; set; }

        /// <summary>Gets or sets the password, or <c>null</c> for none.</summary>
        public string Password { get; set; }

        /// <summary>Gets or sets a value indicating whether the broker discards the session on connect. Default off.</summary>
        public bool CleanSession { get; set; }

        /// <summary>Gets or sets the keep-alive interval in seconds (0 disables it). Default 30.</summary>
        public int KeepAliveSeconds { get; set; }

        /// <summary>Gets or sets the last-will topic, or <c>null</c> for no will.</summary>
        public string WillTopic { get; set; }

        /// <summary>Gets or sets the last-will message.</summary>
        public string WillMessage { get; set; }

        /// <summary>Gets or sets a value indicating whether the will is retained. Default on.</summary>
        public bool WillRetain { get; set; }

        /// <summary>Gets or sets the will's quality of service. Default 1.</summary>
        public int WillQos { get; set; }
    }
}
