namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>
    /// Decodes Mercury tag records by walking the metadata flag bits (Mercury <c>TMR_SR_parseMetadataFromMessage</c>):
    /// each field is present only when its bit is set, in bit order, so no fixed offsets are used. After the metadata
    /// come the EPC length in bits (PC, XPC, EPC and tag CRC together), the PC word, XPC_W1 if PC bit 0x0200 is set,
    /// XPC_W2 if XPC_W1 bit 0x8000 is set, the EPC and the tag CRC. Every index is checked: a record that does not fit
    /// its frame is rejected, never read past. Nothing is allocated.
    /// </summary>
    /// <remarks>
    /// Field sizes: read count 1, RSSI 1 (int8 dBm), antenna 1, frequency 3, timestamp 4, phase 2, protocol 1, data
    /// 2 + ceil(bits/8), GPIO 1 (reference §1.5); Gen2 Q 1, link frequency 1, target 1, brand identifier 2 (the Mercury
    /// API's metadata table as mirrored by SparkFun-derived libraries; not verified against a module).
    /// </remarks>
    public static class MercuryTagParser
    {
        /// <summary>Option-byte bit of a streamed record: metadata flags present.</summary>
        public const int OptionMetadata = 0x10;

        /// <summary>Parses a streamed tag record: opcode 0x22, status 0, option byte with metadata, one tag.</summary>
        /// <param name="frame">Buffer holding the frame.</param>
        /// <param name="offset">Index of its 0xFF header.</param>
        /// <param name="length">Frame length (LEN + 7).</param>
        /// <param name="record">Record to fill.</param>
        /// <returns><c>true</c> when the frame is a well-formed tag record that uses exactly its data bytes.</returns>
        public static bool ParseStreamed(byte[] frame, int offset, int length, MercuryTagRecord record)
        {
            // Header 5 + option 1 + search flags 2 + metadata flags 2 + tag count 1 + EPC length 2 + PC 2 + CRC 2 + frame CRC 2.
            if (length < 19 || frame[offset + 1] + MercuryCodec.ResponseOverhead != length
                || frame[offset + 2] != MercuryOpcode.ReadTagIdMultiple || frame[offset + 3] != 0 || frame[offset + 4] != 0)
            {
                return false;
            }

            int option = frame[offset + 5];
            if ((option & OptionMetadata) == 0)
            {
                return false;
            }

            int flags = (frame[offset + 8] << 8) | frame[offset + 9];
            record.OptionByte = option;
            record.SearchFlags = (frame[offset + 6] << 8) | frame[offset + 7];
            int end = offset + length - 2;
            return ParseRecord(frame, offset + 11, end, flags, record) == end;
        }

        /// <summary>Gets the number of tag records in a get-tag-ID-buffer (0x29) response.</summary>
        /// <param name="frame">Buffer holding the frame.</param>
        /// <param name="offset">Index of its 0xFF header.</param>
        /// <param name="length">Frame length.</param>
        /// <returns>The tag count, or −1 when the frame is not a successful 0x29 response with metadata.</returns>
        public static int TagBufferCount(byte[] frame, int offset, int length)
        {
            if (length < 11 || frame[offset + 1] + MercuryCodec.ResponseOverhead != length
                || frame[offset + 2] != MercuryOpcode.GetTagIdBuffer || frame[offset + 3] != 0 || frame[offset + 4] != 0)
            {
                return -1;
            }

            return frame[offset + 8];
        }

        /// <summary>Gets the metadata flags of a 0x29 response (data bytes 0-1).</summary>
        /// <param name="frame">Buffer holding the frame.</param>
        /// <param name="offset">Index of its 0xFF header.</param>
        /// <returns>The flags.</returns>
        public static int TagBufferMetadataFlags(byte[] frame, int offset)
        {
            return (frame[offset + 5] << 8) | frame[offset + 6];
        }

        /// <summary>Gets the index of the first record of a 0x29 response (after flags, read options and tag count).</summary>
        /// <param name="offset">Index of the frame's 0xFF header.</param>
        /// <returns>The index to pass to <see cref="ParseRecord"/>.</returns>
        public static int TagBufferFirstRecord(int offset)
        {
            return offset + 9;
        }

        /// <summary>Parses one record's metadata, EPC and tag CRC.</summary>
        /// <param name="buffer">Buffer holding the record.</param>
        /// <param name="position">Index of the record's first metadata byte.</param>
        /// <param name="end">Index just past the last byte the record may use (the frame CRC's index).</param>
        /// <param name="metadataFlags">Which metadata fields are present.</param>
        /// <param name="record">Record to fill (its option byte and search flags are left alone).</param>
        /// <returns>The index after the record, or −1 when it is malformed or does not fit.</returns>
        public static int ParseRecord(byte[] buffer, int position, int end, int metadataFlags, MercuryTagRecord record)
        {
            if ((metadataFlags & ~MercuryMetadata.Known) != 0 || position < 0 || end > buffer.Length)
            {
                return -1;
            }

            int p = position;
            record.MetadataFlags = metadataFlags;
            if ((metadataFlags & MercuryMetadata.ReadCount) != 0)
            {
                if (p + 1 > end)
                {
                    return -1;
                }

                record.ReadCount = buffer[p++];
            }

            if ((metadataFlags & MercuryMetadata.Rssi) != 0)
            {
                if (p + 1 > end)
                {
                    return -1;
                }

                int rssi = buffer[p++];
                record.RssiDbm = rssi >= 128 ? rssi - 256 : rssi;
            }

            if ((metadataFlags & MercuryMetadata.AntennaId) != 0)
            {
                if (p + 1 > end)
                {
                    return -1;
                }

                int antenna = buffer[p++];
                int tx = antenna >> 4;
                int rx = antenna & 0x0F;
                record.TxPort = tx == 0 ? 16 : tx;
                record.RxPort = rx == 0 ? 16 : rx;
            }

            if ((metadataFlags & MercuryMetadata.Frequency) != 0)
            {
                if (p + 3 > end)
                {
                    return -1;
                }

                record.FrequencyKhz = (buffer[p] << 16) | (buffer[p + 1] << 8) | buffer[p + 2];
                p += 3;
            }

            if ((metadataFlags & MercuryMetadata.Timestamp) != 0)
            {
                if (p + 4 > end)
                {
                    return -1;
                }

                record.Timestamp = ((long)buffer[p] << 24) | ((long)buffer[p + 1] << 16) | ((long)buffer[p + 2] << 8) | buffer[p + 3];
                p += 4;
            }

            if ((metadataFlags & MercuryMetadata.Phase) != 0)
            {
                if (p + 2 > end)
                {
                    return -1;
                }

                record.Phase = (buffer[p] << 8) | buffer[p + 1];
                p += 2;
            }

            if ((metadataFlags & MercuryMetadata.Protocol) != 0)
            {
                if (p + 1 > end)
                {
                    return -1;
                }

                record.Protocol = buffer[p++];
            }

            if ((metadataFlags & MercuryMetadata.Data) != 0)
            {
                if (p + 2 > end)
                {
                    return -1;
                }

                int bits = (buffer[p] << 8) | buffer[p + 1];
                p += 2;
                int bytes = (bits + 7) / 8;
                if (bytes > MercuryTagRecord.MaxDataBytes || p + bytes > end)
                {
                    return -1;
                }

                record.DataBits = bits;
                byte[] data = record.Data;
                for (int i = 0; i < bytes; i++)
                {
                    data[i] = buffer[p + i];
                }

                p += bytes;
            }
            else
            {
                record.DataBits = 0;
            }

            if ((metadataFlags & MercuryMetadata.GpioStatus) != 0)
            {
                if (p + 1 > end)
                {
                    return -1;
                }

                record.Gpio = buffer[p++];
            }

            if ((metadataFlags & MercuryMetadata.Gen2Q) != 0)
            {
                if (p + 1 > end)
                {
                    return -1;
                }

                record.Gen2Q = buffer[p++];
            }

            if ((metadataFlags & MercuryMetadata.Gen2LinkFrequency) != 0)
            {
                if (p + 1 > end)
                {
                    return -1;
                }

                record.Gen2LinkFrequency = buffer[p++];
            }

            if ((metadataFlags & MercuryMetadata.Gen2Target) != 0)
            {
                if (p + 1 > end)
                {
                    return -1;
                }

                record.Gen2Target = buffer[p++];
            }

            if ((metadataFlags & MercuryMetadata.BrandIdentifier) != 0)
            {
                if (p + 2 > end)
                {
                    return -1;
                }

                record.BrandIdentifier = (buffer[p] << 8) | buffer[p + 1];
                p += 2;
            }

            return ParseTag(buffer, p, end, record);
        }

        private static int ParseTag(byte[] buffer, int p, int end, MercuryTagRecord record)
        {
            if (p + 2 > end)
            {
                return -1;
            }

            int bits = (buffer[p] << 8) | buffer[p + 1];
            p += 2;
            if ((bits & 7) != 0)
            {
                return -1;
            }

            // The EPC length counts the PC word, any XPC words, the EPC and the tag CRC.
            int total = bits >> 3;
            if (total < 4 || p + total > end)
            {
                return -1;
            }

            int pc = (buffer[p] << 8) | buffer[p + 1];
            p += 2;
            int epcLength = total - 4;
            int xpcCount = 0;
            record.Xpc1 = 0;
            record.Xpc2 = 0;
            if ((pc & 0x0200) != 0)
            {
                if (epcLength < 2)
                {
                    return -1;
                }

                int xpc1 = (buffer[p] << 8) | buffer[p + 1];
                p += 2;
                epcLength -= 2;
                xpcCount = 1;
                record.Xpc1 = xpc1;
                if ((xpc1 & 0x8000) != 0)
                {
                    if (epcLength < 2)
                    {
                        return -1;
                    }

                    record.Xpc2 = (buffer[p] << 8) | buffer[p + 1];
                    p += 2;
                    epcLength -= 2;
                    xpcCount = 2;
                }
            }

            if (epcLength > TagRead.MaxEpcBytes)
            {
                return -1;
            }

            record.Pc = pc;
            record.XpcCount = xpcCount;
            byte[] epc = record.Epc;
            for (int i = 0; i < epcLength; i++)
            {
                epc[i] = buffer[p + i];
            }

            record.EpcLength = epcLength;
            p += epcLength;
            record.TagCrc = (buffer[p] << 8) | buffer[p + 1];
            return p + 2;
        }
    }
}
