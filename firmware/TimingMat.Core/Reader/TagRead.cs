namespace TimingMat.Core.Reader
{
    /// <summary>
    /// One read of one chip by a reader module, as a reader driver delivers it to an <see cref="ITagReadSink"/>.
    /// </summary>
    /// <remarks>
    /// <para>Drivers fill one preallocated instance per frame and hand it to the sink, so delivering a read allocates
    /// nothing: a sink that keeps data must copy it (<see cref="CopyFrom"/>) before returning.</para>
    /// <para>Its members are fields, not properties: the device's interpreter makes every property access a call
    /// (several µs), and a read's fields are written and read a dozen times on its way to the detector.</para>
    /// </remarks>
    public sealed class TagRead
    {
        /// <summary>Largest EPC a Gen2 tag can carry, in bytes (496 bits).</summary>
        public const int MaxEpcBytes = 62;

        /// <summary>Value of <see cref="ReaderTimestamp"/> when the protocol reports none.</summary>
        public const long NoReaderTimestamp = -1;

        /// <summary>Initializes a new instance of the <see cref="TagRead"/> class with an empty EPC buffer.</summary>
        public TagRead()
        {
            Epc = new byte[MaxEpcBytes];
            ReaderTimestamp = NoReaderTimestamp;
        }

        /// <summary>The EPC buffer; the first <see cref="EpcLength"/> bytes are the chip's EPC (no PC word, no CRC).</summary>
        public readonly byte[] Epc;

        /// <summary>The number of EPC bytes in <see cref="Epc"/>.</summary>
        public int EpcLength;

        /// <summary>The received signal strength in centi-dBm (−6000 = −60 dBm).</summary>
        public int RssiCentiDbm;

        /// <summary>The antenna port that read the chip, 1-based.</summary>
        public int Antenna;

        /// <summary>Which reader of the mat produced the read, 0-based (mats may have several readers).</summary>
        public int ReaderIndex;

        /// <summary>The carrier frequency in kHz, or 0 when unknown.</summary>
        public int FrequencyKhz;

        /// <summary>The reader module's own timestamp of the read, or <see cref="NoReaderTimestamp"/>.</summary>
        public long ReaderTimestamp;

        /// <summary>The local time (the core's microsecond clock) when the read's frame arrived.</summary>
        public long LocalMicros;

        /// <summary>Copies every field of another read into this one (no allocation).</summary>
        /// <param name="other">The read to copy.</param>
        public void CopyFrom(TagRead other)
        {
            int length = other.EpcLength;
            System.Array.Copy(other.Epc, 0, Epc, 0, length);
            EpcLength = length;
            RssiCentiDbm = other.RssiCentiDbm;
            Antenna = other.Antenna;
            ReaderIndex = other.ReaderIndex;
            FrequencyKhz = other.FrequencyKhz;
            ReaderTimestamp = other.ReaderTimestamp;
            LocalMicros = other.LocalMicros;
        }

        /// <summary>Tells whether this read's EPC equals the given bytes.</summary>
        /// <param name="epc">Buffer holding the other EPC.</param>
        /// <param name="offset">Index of its first byte.</param>
        /// <param name="length">Its length in bytes.</param>
        /// <returns><c>true</c> when the EPCs are equal.</returns>
        public bool EpcEquals(byte[] epc, int offset, int length)
        {
            if (length != EpcLength)
            {
                return false;
            }

            byte[] own = Epc;
            for (int i = 0; i < length; i++)
            {
                if (own[i] != epc[offset + i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
