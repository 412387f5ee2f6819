namespace TimingMat.Core.Lora
{
    /// <summary>
    /// Radio settings of the LoRa fallback link. Both ends (mat units and the receiver at the timing tent) must use
    /// the same frequency, spreading factor, bandwidth, coding rate and sync word.
    /// </summary>
    /// <remarks>
    /// The defaults are EU868 sub-band g3 (869.4–869.65 MHz: 10 % duty cycle, 500 mW ERP), SF7, 125 kHz, 4/5: the one
    /// European sub-band where a mat can send about 26,000 passings an hour; g1 at 1 % carries a tenth of that.
    /// </remarks>
    public sealed class LoRaSettings
    {
        /// <summary>Initializes a new instance of the <see cref="LoRaSettings"/> class with the defaults.</summary>
        public LoRaSettings()
        {
            FrequencyHz = 869525000;
            SpreadingFactor = 7;
            BandwidthHz = 125000;
            CodingRate = 1;
            PreambleSymbols = 8;
            TxPowerDbm = 14;
            SyncWord = 0x12;
            Crc = true;
        }

        /// <summary>Gets or sets the carrier in Hz (137–1,020 MHz). Default 869.525 MHz.</summary>
        public long FrequencyHz { get; set; }

        /// <summary>Gets or sets the spreading factor, 7–12. Default 7.</summary>
        public int SpreadingFactor { get; set; }

        /// <summary>Gets or sets the bandwidth in Hz (one of the SX127x steps, 7,800 … 500,000). Default 125 kHz.</summary>
        public long BandwidthHz { get; set; }

        /// <summary>Gets or sets the coding rate 1–4 for 4/5 … 4/8. Default 1.</summary>
        public int CodingRate { get; set; }

        /// <summary>Gets or sets the preamble length in symbols, 6–65535. Default 8.</summary>
        public int PreambleSymbols { get; set; }

        /// <summary>Gets or sets the transmit power on PA_BOOST in dBm, 2–17. Default 14.</summary>
        public int TxPowerDbm { get; set; }

        /// <summary>Gets or sets the sync word; 0x12 for private networks (0x34 is LoRaWAN's). Default 0x12.</summary>
        public int SyncWord { get; set; }

        /// <summary>Gets or sets a value indicating whether packets carry a CRC. Default on.</summary>
        public bool Crc { get; set; }

        /// <summary>Checks the settings against what an SX127x can do.</summary>
        /// <returns><c>null</c> when valid, else what is wrong.</returns>
        public string Validate()
        {
            if (FrequencyHz < 137000000 || FrequencyHz > 1020000000)
            {
                return "frequency must be 137–1020 MHz";
            }

            if (SpreadingFactor < 7 || SpreadingFactor > 12)
            {
                return "spreading factor must be 7–12";
            }

            if (Sx127x.BandwidthCode(BandwidthHz) < 0)
            {
                return "bandwidth must be one of 7800, 10400, 15600, 20800, 31250, 41700, 62500, 125000, 250000, 500000 Hz";
            }

            if (CodingRate < 1 || CodingRate > 4)
            {
                return "coding rate must be 1–4 (4/5 … 4/8)";
            }

            if (PreambleSymbols < 6 || PreambleSymbols > 65535)
            {
                return "preamble must be 6–65535 symbols";
            }

            if (TxPowerDbm < 2 || TxPowerDbm > 17)
            {
                return "transmit power must be 2–17 dBm on PA_BOOST";
            }

            if (SyncWord < 0 || SyncWord > 255)
            {
                return "sync word must be one byte";
            }

            return null;
        }
    }
}
