namespace TimingMat.Core.Lora
{
    /// <summary>When and how a unit falls back to LoRa (<see cref="LoRaUplink"/>).</summary>
    public sealed class LoRaOptions
    {
        /// <summary>Initializes a new instance of the <see cref="LoRaOptions"/> class with the defaults.</summary>
        public LoRaOptions()
        {
            Radio = new LoRaSettings();
            Enabled = true;
            FallbackAfterMicros = 30000000;
            DutyCyclePermille = 100;
            MaxAirtimeMicros = 0;
            BatchMaxAgeMicros = 2000000;
            AckWaitMicros = 1000000;
            RetryBackoffMicros = 500000;
            RadioRetryMicros = 10000000;
        }

        /// <summary>The shortest packet a setting must allow: header, tag and one crossing of a chip not on the list (96-bit EPC).</summary>
        public const int MinPacketBytes = LoRaPassingPacket.OverheadBytes + 16;

        /// <summary>Gets the radio settings.</summary>
        public LoRaSettings Radio { get; private set; }

        /// <summary>Gets or sets a value indicating whether the unit uses its radio at all. Default on.</summary>
        public bool Enabled { get; set; }

        /// <summary>Gets or sets how long the MQTT uplink must be down before LoRa takes over, µs. Default 30 s (a broker restart or a Wi-Fi roam should not spend airtime).</summary>
        public long FallbackAfterMicros { get; set; }

        /// <summary>Gets or sets the sub-band's duty cycle in permille (10 = 1 % for g/g1, 100 = 10 % for g3, 1000 = none). Default 100.</summary>
        public int DutyCyclePermille { get; set; }

        /// <summary>The US915 band's dwell limit: 400 ms on air per transmission (FCC 15.247, as LoRaWAN applies it).</summary>
        public const long Us915DwellMicros = 400000;

        /// <summary>The longest packet anywhere else (EU868 has no dwell limit, the duty cycle governs): an SF12 full packet takes 9 s.</summary>
        public const long NoDwellMicros = 10000000;

        /// <summary>
        /// Gets or sets the longest time on air of one packet, µs; 0 (the default) for the band's rule: 400 ms between
        /// 902 and 928 MHz (the US915 dwell limit), else 10 s (no dwell limit; EU868's duty cycle governs).
        /// </summary>
        public long MaxAirtimeMicros { get; set; }

        /// <summary>
        /// Gets or sets a value indicating whether the newest passings go first (a finish: the results board wants who
        /// just finished) rather than the oldest (elsewhere: the backlog clears in order). Default off.
        /// </summary>
        public bool NewestFirst { get; set; }

        /// <summary>Gets or sets how long a passing may wait for its packet to fill, µs. Default 2 s.</summary>
        public long BatchMaxAgeMicros { get; set; }

        /// <summary>Gets or sets how long the gateway has to answer after a packet, µs (the unit listens this long plus the ack's own time on air). Default 1 s.</summary>
        public long AckWaitMicros { get; set; }

        /// <summary>Gets or sets the longest random wait before sending again after an unanswered packet, µs (two mats that collided do not collide again). Default 500 ms.</summary>
        public long RetryBackoffMicros { get; set; }

        /// <summary>Gets or sets how long after a radio fault the unit tries to set it up again, µs. Default 10 s.</summary>
        public long RadioRetryMicros { get; set; }

        /// <summary>Checks the options.</summary>
        /// <returns><c>null</c> when valid, else what is wrong.</returns>
        public string Validate()
        {
            string radio = Radio.Validate();
            if (radio != null)
            {
                return radio;
            }

            if (DutyCyclePermille < 1 || DutyCyclePermille > 1000)
            {
                return "duty cycle must be 1–1000 permille";
            }

            if (MaxPacketBytesFor(this) < MinPacketBytes)
            {
                return "no passing packet fits into the " + (MaxAirtimeFor(this) / 1000).ToString() + " ms airtime limit at SF" + Radio.SpreadingFactor.ToString() + ": use a lower spreading factor or a wider bandwidth";
            }

            if (AckWaitMicros < 100000)
            {
                return "ack wait must be at least 100 ms";
            }

            return null;
        }

        /// <summary>The longest packet within <see cref="MaxAirtimeFor"/>, bytes (0 when none fits).</summary>
        /// <param name="options">The options.</param>
        /// <returns>0–<see cref="LoRaPassingPacket.MaxBytes"/>.</returns>
        public static int MaxPacketBytesFor(LoRaOptions options)
        {
            int bytes = LoRaPassingPacket.MaxBytes;
            long limit = MaxAirtimeFor(options);
            while (bytes > 0 && LoRaAirtime.Micros(bytes, options.Radio) > limit)
            {
                bytes--;
            }

            return bytes;
        }

        /// <summary>The longest time on air of one packet these options allow: <see cref="MaxAirtimeMicros"/>, or the band's rule.</summary>
        /// <param name="options">The options.</param>
        /// <returns>µs.</returns>
        public static long MaxAirtimeFor(LoRaOptions options)
        {
            if (options.MaxAirtimeMicros > 0)
            {
                return options.MaxAirtimeMicros;
            }

            long f = options.Radio.FrequencyHz;
            return f >= 902000000 && f <= 928000000 ? Us915DwellMicros : NoDwellMicros;
        }

        /// <summary>How long a unit listens for the gateway's ack after its packet: the answer time plus the ack's own time on air.</summary>
        /// <param name="options">The options.</param>
        /// <returns>µs.</returns>
        public static long ListenMicrosFor(LoRaOptions options)
        {
            return options.AckWaitMicros + LoRaAirtime.Micros(LoRaAck.Bytes, options.Radio);
        }
    }
}
