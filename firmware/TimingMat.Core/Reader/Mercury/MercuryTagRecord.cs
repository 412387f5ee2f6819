namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>
    /// Every field of one Mercury tag record (streamed 0x22 or from the 0x29 tag buffer), as
    /// <see cref="MercuryTagParser"/> decodes it and <see cref="MercuryCodec.EncodeStreamedTagRead"/> encodes it.
    /// One instance is reused for every record: parsing overwrites it and allocates nothing.
    /// </summary>
    public sealed class MercuryTagRecord
    {
        /// <summary>Largest embedded data block a frame can carry, in bytes.</summary>
        public const int MaxDataBytes = MercuryCodec.MaxDataLength;

        /// <summary>Initializes a new instance of the <see cref="MercuryTagRecord"/> class.</summary>
        public MercuryTagRecord()
        {
            Epc = new byte[TagRead.MaxEpcBytes];
            Data = new byte[MaxDataBytes];
        }

        /// <summary>The option byte of a streamed record (0x10 = metadata present).</summary>
        public int OptionByte;

        /// <summary>The search flags a streamed record echoes.</summary>
        public int SearchFlags;

        /// <summary>Which metadata fields the record carries (<see cref="MercuryMetadata"/>).</summary>
        public int MetadataFlags;

        /// <summary>How often the module read the chip for this record.</summary>
        public int ReadCount;

        /// <summary>The RSSI in whole dBm, as the module reports it.</summary>
        public int RssiDbm;

        /// <summary>The TX antenna port (high nibble of the antenna byte; 0 on the wire means 16).</summary>
        public int TxPort;

        /// <summary>The RX antenna port (low nibble of the antenna byte; 0 on the wire means 16).</summary>
        public int RxPort;

        /// <summary>The carrier frequency in kHz.</summary>
        public int FrequencyKhz;

        /// <summary>The module's timestamp of the read, U32 raw (unit unverified).</summary>
        public long Timestamp;

        /// <summary>The phase in degrees.</summary>
        public int Phase;

        /// <summary>The tag protocol id (0x05 = Gen2).</summary>
        public int Protocol;

        /// <summary>The length of the embedded data in bits.</summary>
        public int DataBits;

        /// <summary>The embedded data buffer; the first <see cref="DataLength"/> bytes are valid.</summary>
        public readonly byte[] Data;

        /// <summary>Gets the number of embedded data bytes, <c>ceil(DataBits / 8)</c>.</summary>
        public int DataLength
        {
            get { return (DataBits + 7) / 8; }
        }

        /// <summary>The GPIO status byte (bit j = GPIO j+1).</summary>
        public int Gpio;

        /// <summary>The Gen2 Q value.</summary>
        public int Gen2Q;

        /// <summary>The Gen2 link-frequency code.</summary>
        public int Gen2LinkFrequency;

        /// <summary>The Gen2 target code.</summary>
        public int Gen2Target;

        /// <summary>The brand identifier.</summary>
        public int BrandIdentifier;

        /// <summary>The tag's PC word.</summary>
        public int Pc;

        /// <summary>How many XPC words follow the PC: 0, 1 (PC bit 0x0200) or 2 (XPC_W1 bit 0x8000).</summary>
        public int XpcCount;

        /// <summary>XPC_W1 when <see cref="XpcCount"/> ≥ 1.</summary>
        public int Xpc1;

        /// <summary>XPC_W2 when <see cref="XpcCount"/> is 2.</summary>
        public int Xpc2;

        /// <summary>The EPC buffer; the first <see cref="EpcLength"/> bytes are the EPC (no PC, no CRC).</summary>
        public readonly byte[] Epc;

        /// <summary>The EPC length in bytes.</summary>
        public int EpcLength;

        /// <summary>The tag's Gen2 CRC-16 as the module reported it.</summary>
        public int TagCrc;

        /// <summary>Sets every field to its empty value.</summary>
        public void Clear()
        {
            OptionByte = 0;
            SearchFlags = 0;
            MetadataFlags = 0;
            ReadCount = 0;
            RssiDbm = 0;
            TxPort = 0;
            RxPort = 0;
            FrequencyKhz = 0;
            Timestamp = 0;
            Phase = 0;
            Protocol = 0;
            DataBits = 0;
            Gpio = 0;
            Gen2Q = 0;
            Gen2LinkFrequency = 0;
            Gen2Target = 0;
            BrandIdentifier = 0;
            Pc = 0;
            XpcCount = 0;
            Xpc1 = 0;
            Xpc2 = 0;
            EpcLength = 0;
            TagCrc = 0;
        }

        /// <summary>Sets the EPC from a buffer.</summary>
        /// <param name="source">Buffer holding the EPC.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">Its length in bytes, at most <see cref="TagRead.MaxEpcBytes"/>.</param>
        public void SetEpc(byte[] source, int offset, int length)
        {
            if (length > Epc.Length)
            {
                length = Epc.Length;
            }

            for (int i = 0; i < length; i++)
            {
                Epc[i] = source[offset + i];
            }

            EpcLength = length;
        }

        /// <summary>
        /// Fills a read for the crossing detector: EPC, RSSI in centi-dBm, antenna (the TX port; monostatic modules
        /// report TX = RX), frequency and the raw reader timestamp. Fields the record lacks are 0, and the
        /// timestamp <see cref="TagRead.NoReaderTimestamp"/>. Leaves <see cref="TagRead.LocalMicros"/> and
        /// <see cref="TagRead.ReaderIndex"/> to the driver.
        /// </summary>
        /// <param name="read">The read to fill.</param>
        public void CopyTo(TagRead read)
        {
            int n = EpcLength;
            System.Array.Copy(Epc, 0, read.Epc, 0, n);
            read.EpcLength = n;
            int flags = MetadataFlags;
            read.RssiCentiDbm = (flags & MercuryMetadata.Rssi) != 0 ? RssiDbm * 100 : 0;
            read.Antenna = (flags & MercuryMetadata.AntennaId) != 0 ? TxPort : 0;
            read.FrequencyKhz = (flags & MercuryMetadata.Frequency) != 0 ? FrequencyKhz : 0;
            read.ReaderTimestamp = (flags & MercuryMetadata.Timestamp) != 0 ? Timestamp : TagRead.NoReaderTimestamp;
        }
    }
}
