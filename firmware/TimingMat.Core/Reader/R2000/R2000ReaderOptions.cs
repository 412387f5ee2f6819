namespace TimingMat.Core.Reader.R2000
{
    /// <summary>Settings of an <see cref="R2000ReaderDriver"/>: what it configures on the module, plus the shared timing.</summary>
    public sealed class R2000ReaderOptions : ReaderDriverOptions
    {
        /// <summary>Initializes a new instance of the <see cref="R2000ReaderOptions"/> class with the defaults.</summary>
        public R2000ReaderOptions()
        {
            Address = R2000Codec.BroadcastAddress;
            WorkAntenna = 1;
            OutputPowerDbm = 30;
            Region = R2000Codec.RegionFcc;
            FrequencyStartIndex = 7;
            FrequencyEndIndex = 59;
            SessionInventory = false;
            Session = 1;
            Target = 0;
            Repeat = 1;
            AntennaPorts = 4;
            ReissueMicros = 200000;
        }

        /// <summary>Gets or sets the address commands go to (default 0xFF, broadcast; answers carry the module's own).</summary>
        public int Address { get; set; }

        /// <summary>Gets or sets the work antenna, 1-based (default 1).</summary>
        public int WorkAntenna { get; set; }

        /// <summary>Gets or sets the output power in dBm, 0..33 (default 30).</summary>
        public int OutputPowerDbm { get; set; }

        /// <summary>Gets or sets the frequency region (default FCC).</summary>
        public int Region { get; set; }

        /// <summary>Gets or sets the first frequency index (default 7, 902.0 MHz).</summary>
        public int FrequencyStartIndex { get; set; }

        /// <summary>Gets or sets the last frequency index (default 59, 928.0 MHz).</summary>
        public int FrequencyEndIndex { get; set; }

        /// <summary>Gets or sets a value indicating whether to use the session/target inventory 0x8B instead of real-time 0x89.</summary>
        public bool SessionInventory { get; set; }

        /// <summary>Gets or sets the Gen2 session for 0x8B (default S1).</summary>
        public int Session { get; set; }

        /// <summary>Gets or sets the Gen2 target for 0x8B: 0 = A (default), 1 = B.</summary>
        public int Target { get; set; }

        /// <summary>Gets or sets the inventory rounds per command before the summary (default 1).</summary>
        public int Repeat { get; set; }

        /// <summary>Gets or sets the number of antenna ports, 4 or 8 (on 8-port readers RSSI bit 7 adds 4 to the antenna).</summary>
        public int AntennaPorts { get; set; }

        /// <summary>
        /// Gets or sets how long the driver waits, with nothing arriving, for an inventory to end before issuing the next
        /// one anyway (default 200 ms, well above a round without tags; a lost summary would otherwise stall reading
        /// until the silence timeout).
        /// </summary>
        public long ReissueMicros { get; set; }
    }
}
