namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>Settings of a <see cref="MercuryReaderDriver"/>: what it configures on the M6e Nano, plus the shared timing.</summary>
    public sealed class MercuryReaderOptions : ReaderDriverOptions
    {
        /// <summary>Initializes a new instance of the <see cref="MercuryReaderOptions"/> class with the defaults.</summary>
        public MercuryReaderOptions()
        {
            Region = MercuryRegion.NorthAmerica;
            ReadPowerCentiDbm = 2700;
            TxPort = 1;
            RxPort = 1;
            MetadataFlags = MercuryMetadata.Standard;
            SearchFlags = MercuryCodec.DefaultSearchFlags;
            CycleTimeoutMs = MercuryCodec.DefaultCycleTimeoutMs;
        }

        /// <summary>Gets or sets the region code (<see cref="MercuryRegion"/>; default North America).</summary>
        public int Region { get; set; }

        /// <summary>Gets or sets the read power in centi-dBm (default 2700 = 27.00 dBm, the Nano's maximum).</summary>
        public int ReadPowerCentiDbm { get; set; }

        /// <summary>Gets or sets the TX antenna port (default 1).</summary>
        public int TxPort { get; set; }

        /// <summary>Gets or sets the RX antenna port (default 1).</summary>
        public int RxPort { get; set; }

        /// <summary>
        /// Gets or sets the metadata each record carries (default <see cref="MercuryMetadata.Standard"/>, 0x01FF). Fewer
        /// fields mean shorter records and more reads per second through the UART: RSSI | antenna | frequency |
        /// timestamp (0x001E) is all the crossing detector uses.
        /// </summary>
        public int MetadataFlags { get; set; }

        /// <summary>Gets or sets the embedded search flags (default 0x001B).</summary>
        public int SearchFlags { get; set; }

        /// <summary>Gets or sets the read-cycle timeout in ms (default 1000; an empty cycle ends with a keep-alive).</summary>
        public int CycleTimeoutMs { get; set; }
    }
}
