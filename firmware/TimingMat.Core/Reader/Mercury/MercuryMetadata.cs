namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>
    /// Metadata flag bits of a Mercury tag record (<c>TMR_TRD_MetadataFlag</c> in the Mercury API's <c>tmr_tag_data.h</c>).
    /// A record carries each field only when its bit is set, in the order of the bits, lowest first.
    /// </summary>
    public static class MercuryMetadata
    {
        /// <summary>Read count, 1 byte.</summary>
        public const int ReadCount = 0x0001;

        /// <summary>RSSI, int8 dBm.</summary>
        public const int Rssi = 0x0002;

        /// <summary>Antenna: TX port in the high nibble, RX port in the low nibble (0 means 16).</summary>
        public const int AntennaId = 0x0004;

        /// <summary>Frequency, U24 kHz.</summary>
        public const int Frequency = 0x0008;

        /// <summary>Reader timestamp, U32 (unit unverified: "ms since last keep-alive" per SparkFun, <c>dspMicros</c> per Mercury).</summary>
        public const int Timestamp = 0x0010;

        /// <summary>Phase, U16 degrees.</summary>
        public const int Phase = 0x0020;

        /// <summary>Tag protocol id, 1 byte (0x05 = Gen2).</summary>
        public const int Protocol = 0x0040;

        /// <summary>Embedded data: U16 length in bits, then that many bits rounded up to bytes.</summary>
        public const int Data = 0x0080;

        /// <summary>GPIO status, 1 byte (bit j = GPIO j+1).</summary>
        public const int GpioStatus = 0x0100;

        /// <summary>Gen2 Q, 1 byte.</summary>
        public const int Gen2Q = 0x0200;

        /// <summary>Gen2 link frequency, 1 byte.</summary>
        public const int Gen2LinkFrequency = 0x0400;

        /// <summary>Gen2 target, 1 byte.</summary>
        public const int Gen2Target = 0x0800;

        /// <summary>Brand identifier, 2 bytes.</summary>
        public const int BrandIdentifier = 0x1000;

        /// <summary>The flags this parser knows the size of; a record with any other flag set cannot be walked.</summary>
        public const int Known = 0x1FFF;

        /// <summary>All of read count through GPIO status: the flags the SparkFun start-reading blob asks for.</summary>
        public const int Standard = 0x01FF;
    }
}
