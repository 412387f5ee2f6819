namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>
    /// Decodes a streamed tag record (opcode 0x22, status 0) straight into a <see cref="TagRead"/>, with the offsets of
    /// its metadata fields worked out once per metadata flags word instead of walked field by field for every record:
    /// the driver's hot path. It accepts exactly what <see cref="MercuryTagParser.ParseStreamed"/> accepts with the same
    /// values; a record it does not handle (XPC words after the PC, a record that does not fit) is left to the parser.
    /// </summary>
    internal sealed class MercuryStreamDecoder
    {
        private int _flags = -1;

        // Offsets from the first metadata byte (frame offset 11); -1 where the field is absent.
        private int _rssiAt;
        private int _antennaAt;
        private int _frequencyAt;
        private int _timestampAt;
        private int _dataAt;
        private int _fixedBytes;

        /// <summary>Decodes a streamed record whose opcode, status and length byte the caller has checked.</summary>
        /// <param name="frame">Buffer holding the frame.</param>
        /// <param name="offset">Index of its 0xFF header.</param>
        /// <param name="length">Frame length (LEN + 7).</param>
        /// <param name="read">The read to fill (EPC, RSSI, antenna, frequency, reader timestamp).</param>
        /// <returns><c>true</c> when decoded; <c>false</c> when the full parser must judge the frame.</returns>
        public bool TryDecode(byte[] frame, int offset, int length, TagRead read)
        {
            if (length < 19 || (frame[offset + 5] & MercuryTagParser.OptionMetadata) == 0)
            {
                return false;
            }

            int flags = (frame[offset + 8] << 8) | frame[offset + 9];
            if (flags != _flags && !Learn(flags))
            {
                return false;
            }

            int meta = offset + 11;
            int end = offset + length - 2;
            int p = meta + _fixedBytes;
            if (_dataAt >= 0)
            {
                // Embedded data: a bit count, then its bytes, between the fixed fields.
                int d = meta + _dataAt;
                if (d + 2 > end)
                {
                    return false;
                }

                int bytes = ((((frame[d] << 8) | frame[d + 1]) + 7) >> 3);
                if (bytes > MercuryTagRecord.MaxDataBytes)
                {
                    return false;
                }

                p += bytes;
            }

            if (p + 4 > end)
            {
                return false;
            }

            int bits = (frame[p] << 8) | frame[p + 1];
            int total = bits >> 3;
            int epcLength = total - 4;

            // The EPC bits count PC, EPC and tag CRC and must end exactly at the frame CRC; XPC words go to the parser.
            if ((bits & 7) != 0 || epcLength < 0 || p + 2 + total != end || (frame[p + 2] & 0x02) != 0 || epcLength > TagRead.MaxEpcBytes)
            {
                return false;
            }

            System.Array.Copy(frame, p + 4, read.Epc, 0, epcLength);
            read.EpcLength = epcLength;
            int at = _rssiAt;
            if (at >= 0)
            {
                int rssi = frame[meta + at];
                read.RssiCentiDbm = (rssi >= 128 ? rssi - 256 : rssi) * 100;
            }
            else
            {
                read.RssiCentiDbm = 0;
            }

            at = _antennaAt;
            if (at >= 0)
            {
                int tx = frame[meta + at] >> 4;
                read.Antenna = tx == 0 ? 16 : tx;
            }
            else
            {
                read.Antenna = 0;
            }

            at = _frequencyAt;
            read.FrequencyKhz = at >= 0 ? (frame[meta + at] << 16) | (frame[meta + at + 1] << 8) | frame[meta + at + 2] : 0;
            at = _timestampAt;
            read.ReaderTimestamp = at >= 0
                ? ((long)frame[meta + at] << 24) | ((long)frame[meta + at + 1] << 16) | ((long)frame[meta + at + 2] << 8) | frame[meta + at + 3]
                : TagRead.NoReaderTimestamp;
            return true;
        }

        // Works out where each field sits for these flags (the order of MercuryTagParser.ParseRecord).
        private bool Learn(int flags)
        {
            if ((flags & ~MercuryMetadata.Known) != 0)
            {
                return false;
            }

            int p = 0;
            p += (flags & MercuryMetadata.ReadCount) != 0 ? 1 : 0;
            _rssiAt = (flags & MercuryMetadata.Rssi) != 0 ? p++ : -1;
            _antennaAt = (flags & MercuryMetadata.AntennaId) != 0 ? p++ : -1;
            _frequencyAt = -1;
            if ((flags & MercuryMetadata.Frequency) != 0)
            {
                _frequencyAt = p;
                p += 3;
            }

            _timestampAt = -1;
            if ((flags & MercuryMetadata.Timestamp) != 0)
            {
                _timestampAt = p;
                p += 4;
            }

            p += (flags & MercuryMetadata.Phase) != 0 ? 2 : 0;
            p += (flags & MercuryMetadata.Protocol) != 0 ? 1 : 0;
            _dataAt = -1;
            if ((flags & MercuryMetadata.Data) != 0)
            {
                _dataAt = p;
                p += 2;
            }

            p += (flags & MercuryMetadata.GpioStatus) != 0 ? 1 : 0;
            p += (flags & MercuryMetadata.Gen2Q) != 0 ? 1 : 0;
            p += (flags & MercuryMetadata.Gen2LinkFrequency) != 0 ? 1 : 0;
            p += (flags & MercuryMetadata.Gen2Target) != 0 ? 1 : 0;
            p += (flags & MercuryMetadata.BrandIdentifier) != 0 ? 2 : 0;
            _fixedBytes = p;
            _flags = flags;
            return true;
        }
    }
}
