namespace TimingMat.Core.Reader.R2000
{
    /// <summary>
    /// The fields of one R2000 inventory tag frame (<c>FreqAnt PC EPC RSSI [Phase]</c>), as
    /// <see cref="R2000Codec.ParseTagFrame"/> decodes them and <see cref="R2000Codec.EncodeTagFrame"/> encodes them.
    /// One instance is reused for every frame.
    /// </summary>
    public sealed class R2000TagFrame
    {
        /// <summary>Initializes a new instance of the <see cref="R2000TagFrame"/> class.</summary>
        public R2000TagFrame()
        {
            Epc = new byte[TagRead.MaxEpcBytes];
        }

        /// <summary>The reader address of the frame.</summary>
        public int Address;

        /// <summary>The inventory command the frame answers (0x89, 0x8A or 0x8B).</summary>
        public int Command;

        /// <summary>The antenna, 1-based (1-4, or 1-8 on 8-port readers).</summary>
        public int Antenna;

        /// <summary>The frequency index of the FreqAnt byte (bits 7..2).</summary>
        public int FrequencyIndex;

        /// <summary>The tag's PC word; its bits 15..11 give the EPC length in words.</summary>
        public int Pc;

        /// <summary>The EPC buffer; the first <see cref="EpcLength"/> bytes are the EPC.</summary>
        public readonly byte[] Epc;

        /// <summary>The EPC length in bytes.</summary>
        public int EpcLength;

        /// <summary>The RSSI in whole dBm (raw − 129, the antenna-group bit removed on 8-port readers).</summary>
        public int RssiDbm;

        /// <summary>A value indicating whether the frame carries a phase word.</summary>
        public bool HasPhase;

        /// <summary>The phase word when <see cref="HasPhase"/>.</summary>
        public int Phase;

        /// <summary>Gets the carrier frequency in kHz from <see cref="FrequencyIndex"/>, or 0 when off the table.</summary>
        public int FrequencyKhz
        {
            get { return R2000Codec.FrequencyKhz(FrequencyIndex); }
        }

        /// <summary>Sets the EPC and a PC word whose length bits match it (other PC bits from <paramref name="pcFlags"/>).</summary>
        /// <param name="source">Buffer holding the EPC.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">EPC length in bytes; even, at most 62.</param>
        /// <param name="pcFlags">PC bits 10..0 (UMI, XI, numbering system); usually 0.</param>
        public void SetEpc(byte[] source, int offset, int length, int pcFlags)
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
            Pc = (((length + 1) / 2) << 11) | (pcFlags & 0x07FF);
        }

        /// <summary>
        /// Fills a read for the crossing detector: EPC, RSSI in centi-dBm, antenna and frequency. The R2000 sends no
        /// timestamp, so <see cref="TagRead.ReaderTimestamp"/> is <see cref="TagRead.NoReaderTimestamp"/>.
        /// </summary>
        /// <param name="read">The read to fill.</param>
        public void CopyTo(TagRead read)
        {
            int n = EpcLength;
            System.Array.Copy(Epc, 0, read.Epc, 0, n);
            read.EpcLength = n;
            read.RssiCentiDbm = RssiDbm * 100;
            read.Antenna = Antenna;
            read.FrequencyKhz = FrequencyKhz;
            read.ReaderTimestamp = TagRead.NoReaderTimestamp;
        }
    }
}
