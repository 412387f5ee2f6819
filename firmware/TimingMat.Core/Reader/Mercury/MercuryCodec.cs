using TimingMat.Core.Common;

// Over 400 lines for a reason: the Mercury frame table in one place (every command encoder, the tag-record encoder the
// emulator uses, the frame accessors), so it reads against protocol reference §1; public for the emulators and tests.
namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>
    /// Encodes and inspects frames of the ThingMagic Mercury embedded-module serial protocol (M6e Nano). Every encoder
    /// writes a whole frame into a caller's buffer and returns its length, so nothing is allocated.
    /// </summary>
    /// <remarks>
    /// <para>Command (host → module): <c>FF LEN OPCODE DATA[LEN] CRChi CRClo</c>, LEN + 5 bytes.</para>
    /// <para>Response (module → host): <c>FF LEN OPCODE STATUShi STATUSlo DATA[LEN] CRChi CRClo</c>, LEN + 7 bytes; LEN
    /// does not count the status word, the CRC covers LEN through the last data byte (status included), never the 0xFF.
    /// The CRC is <see cref="Crc16.Mercury"/>.</para>
    /// </remarks>
    public static class MercuryCodec
    {
        /// <summary>The header byte of every frame.</summary>
        public const byte Header = 0xFF;

        /// <summary>Largest LEN the codec and the deframer accept.</summary>
        public const int MaxDataLength = 250;

        /// <summary>Bytes of a command frame around its data: header, LEN, opcode, CRC.</summary>
        public const int CommandOverhead = 5;

        /// <summary>Bytes of a response frame around its data: header, LEN, opcode, status, CRC.</summary>
        public const int ResponseOverhead = 7;

        /// <summary>Gen2's protocol id in set-protocol and in records.</summary>
        public const int ProtocolGen2 = 0x05;

        /// <summary>Search flags of the start blob: large tag population | tag streaming | configured list (0x001B).</summary>
        public const int DefaultSearchFlags = 0x001B;

        /// <summary>Read-cycle timeout of the start blob in ms (the module sends a keep-alive per empty cycle).</summary>
        public const int DefaultCycleTimeoutMs = 1000;

        /// <summary>Largest frame in bytes (a response with <see cref="MaxDataLength"/> data bytes).</summary>
        public const int MaxFrameLength = MaxDataLength + ResponseOverhead;

        /// <summary>Encodes a command frame.</summary>
        /// <param name="destination">Buffer to write; needs <c>dataLength + 5</c> bytes from <paramref name="offset"/>.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="opcode">Opcode.</param>
        /// <param name="data">Data bytes, or <c>null</c> when <paramref name="dataLength"/> is 0.</param>
        /// <param name="dataOffset">Index of the first data byte.</param>
        /// <param name="dataLength">Number of data bytes, 0..250.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeCommand(byte[] destination, int offset, int opcode, byte[] data, int dataOffset, int dataLength)
        {
            for (int i = 0; i < dataLength; i++)
            {
                destination[offset + 3 + i] = data[dataOffset + i];
            }

            return SealCommand(destination, offset, opcode, dataLength);
        }

        /// <summary>Encodes a response frame.</summary>
        /// <param name="destination">Buffer to write; needs <c>dataLength + 7</c> bytes from <paramref name="offset"/>.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="opcode">Opcode (the command's, or 0x22 for streamed frames).</param>
        /// <param name="status">Status word (<see cref="MercuryStatus"/>).</param>
        /// <param name="data">Data bytes, or <c>null</c> when <paramref name="dataLength"/> is 0.</param>
        /// <param name="dataOffset">Index of the first data byte.</param>
        /// <param name="dataLength">Number of data bytes, 0..250.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeResponse(byte[] destination, int offset, int opcode, int status, byte[] data, int dataOffset, int dataLength)
        {
            for (int i = 0; i < dataLength; i++)
            {
                destination[offset + 5 + i] = data[dataOffset + i];
            }

            return SealResponse(destination, offset, opcode, status, dataLength);
        }

        /// <summary>Completes a command whose data is already at <c>offset + 3</c>: header, LEN, opcode and CRC.</summary>
        /// <param name="destination">Buffer holding the data.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="opcode">Opcode.</param>
        /// <param name="dataLength">Number of data bytes.</param>
        /// <returns>The frame length.</returns>
        public static int SealCommand(byte[] destination, int offset, int opcode, int dataLength)
        {
            destination[offset] = Header;
            destination[offset + 1] = (byte)dataLength;
            destination[offset + 2] = (byte)opcode;
            int crc = Crc16.Mercury(destination, offset + 1, dataLength + 2);
            destination[offset + 3 + dataLength] = (byte)(crc >> 8);
            destination[offset + 4 + dataLength] = (byte)crc;
            return dataLength + CommandOverhead;
        }

        /// <summary>Completes a response whose data is already at <c>offset + 5</c>: header, LEN, opcode, status and CRC.</summary>
        /// <param name="destination">Buffer holding the data.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="opcode">Opcode.</param>
        /// <param name="status">Status word.</param>
        /// <param name="dataLength">Number of data bytes.</param>
        /// <returns>The frame length.</returns>
        public static int SealResponse(byte[] destination, int offset, int opcode, int status, int dataLength)
        {
            destination[offset] = Header;
            destination[offset + 1] = (byte)dataLength;
            destination[offset + 2] = (byte)opcode;
            destination[offset + 3] = (byte)(status >> 8);
            destination[offset + 4] = (byte)status;
            int crc = Crc16.Mercury(destination, offset + 1, dataLength + 4);
            destination[offset + 5 + dataLength] = (byte)(crc >> 8);
            destination[offset + 6 + dataLength] = (byte)crc;
            return dataLength + ResponseOverhead;
        }

        /// <summary>Encodes get version: <c>FF 00 03 1D 0C</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeGetVersion(byte[] destination, int offset)
        {
            return SealCommand(destination, offset, MercuryOpcode.Version, 0);
        }

        /// <summary>Encodes set baud rate (4-byte big-endian baud): 115200 is <c>FF 04 06 00 01 C2 00 A4 60</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="baudRate">Baud rate.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeSetBaudRate(byte[] destination, int offset, int baudRate)
        {
            destination[offset + 3] = (byte)(baudRate >> 24);
            destination[offset + 4] = (byte)(baudRate >> 16);
            destination[offset + 5] = (byte)(baudRate >> 8);
            destination[offset + 6] = (byte)baudRate;
            return SealCommand(destination, offset, MercuryOpcode.SetBaudRate, 4);
        }

        /// <summary>Encodes set region: North America (0x0D) is <c>FF 01 97 0D 4B B0</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="region">Region code (<see cref="MercuryRegion"/>).</param>
        /// <returns>The frame length.</returns>
        public static int EncodeSetRegion(byte[] destination, int offset, int region)
        {
            destination[offset + 3] = (byte)region;
            return SealCommand(destination, offset, MercuryOpcode.SetRegion, 1);
        }

        /// <summary>Encodes set read TX power (int16 big-endian centi-dBm): 27.00 dBm is <c>FF 02 92 0A 8C 4B D5</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="centiDbm">Power in centi-dBm (2700 = 27.00 dBm, the Nano's maximum).</param>
        /// <returns>The frame length.</returns>
        public static int EncodeSetReadPower(byte[] destination, int offset, int centiDbm)
        {
            destination[offset + 3] = (byte)(centiDbm >> 8);
            destination[offset + 4] = (byte)centiDbm;
            return SealCommand(destination, offset, MercuryOpcode.SetReadTxPower, 2);
        }

        /// <summary>Encodes set tag protocol Gen2: <c>FF 02 93 00 05 51 7D</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeSetProtocolGen2(byte[] destination, int offset)
        {
            destination[offset + 3] = 0x00;
            destination[offset + 4] = ProtocolGen2;
            return SealCommand(destination, offset, MercuryOpcode.SetTagProtocol, 2);
        }

        /// <summary>Encodes set antenna port: TX1/RX1 is <c>FF 02 91 01 01 70 3B</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="txPort">TX port, 1-based.</param>
        /// <param name="rxPort">RX port, 1-based.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeSetAntennaPort(byte[] destination, int offset, int txPort, int rxPort)
        {
            destination[offset + 3] = (byte)txPort;
            destination[offset + 4] = (byte)rxPort;
            return SealCommand(destination, offset, MercuryOpcode.SetAntennaPort, 2);
        }

        /// <summary>
        /// Encodes the read-filter option (reader optional parameter 0x0C). Off, <c>FF 03 9A 01 0C 00 A3 5D</c>, makes
        /// the module stream every read of a chip instead of once per chip, which the crossing detector needs.
        /// </summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="enabled">Whether the module should filter repeated reads.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeSetReadFilter(byte[] destination, int offset, bool enabled)
        {
            destination[offset + 3] = 0x01;
            destination[offset + 4] = 0x0C;
            destination[offset + 5] = (byte)(enabled ? 1 : 0);
            return SealCommand(destination, offset, MercuryOpcode.SetReaderOptionalParams, 3);
        }

        /// <summary>
        /// Encodes start continuous reading with the standard blob: metadata flags 0x01FF, search flags 0x001B, a
        /// 1000 ms read cycle: <c>FF 10 2F 00 00 01 22 00 00 05 07 22 10 00 1B 03 E8 01 FF DD 2B</c>.
        /// </summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeStartContinuousRead(byte[] destination, int offset)
        {
            return EncodeStartContinuousRead(destination, offset, MercuryMetadata.Standard, DefaultSearchFlags, DefaultCycleTimeoutMs);
        }

        /// <summary>
        /// Encodes start continuous reading (multi-protocol tag op, option 1 = continuous) with an embedded Gen2
        /// read-tag-ID-multiple: <c>2F | 00 00 timeout | 01 | 22 | 00 00 | 05 | 07 | 22 10 SF SF TT TT MF MF</c>.
        /// </summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="metadataFlags">Metadata each record carries (<see cref="MercuryMetadata"/>).</param>
        /// <param name="searchFlags">Embedded search flags (<see cref="DefaultSearchFlags"/>).</param>
        /// <param name="cycleTimeoutMs">Read-cycle timeout in ms.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeStartContinuousRead(byte[] destination, int offset, int metadataFlags, int searchFlags, int cycleTimeoutMs)
        {
            int d = offset + 3;
            destination[d] = 0x00;
            destination[d + 1] = 0x00;
            destination[d + 2] = 0x01;
            destination[d + 3] = MercuryOpcode.ReadTagIdMultiple;
            destination[d + 4] = 0x00;
            destination[d + 5] = 0x00;
            destination[d + 6] = ProtocolGen2;
            destination[d + 7] = 0x07;
            destination[d + 8] = MercuryOpcode.ReadTagIdMultiple;
            destination[d + 9] = MercuryTagParser.OptionMetadata;
            destination[d + 10] = (byte)(searchFlags >> 8);
            destination[d + 11] = (byte)searchFlags;
            destination[d + 12] = (byte)(cycleTimeoutMs >> 8);
            destination[d + 13] = (byte)cycleTimeoutMs;
            destination[d + 14] = (byte)(metadataFlags >> 8);
            destination[d + 15] = (byte)metadataFlags;
            return SealCommand(destination, offset, MercuryOpcode.MultiProtocolTagOp, 16);
        }

        /// <summary>Encodes stop continuous reading (option 2): <c>FF 03 2F 00 00 02 5E 86</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeStopContinuousRead(byte[] destination, int offset)
        {
            destination[offset + 3] = 0x00;
            destination[offset + 4] = 0x00;
            destination[offset + 5] = 0x02;
            return SealCommand(destination, offset, MercuryOpcode.MultiProtocolTagOp, 3);
        }

        /// <summary>Encodes the status-only frame a module streams, e.g. the keep-alive <c>FF 00 22 04 00 84 E0</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="status">Status word: <see cref="MercuryStatus.NoTagsFound"/> (keep-alive) or
        /// <see cref="MercuryStatus.TemperatureExceedsLimits"/> (throttling).</param>
        /// <returns>The frame length.</returns>
        public static int EncodeStreamStatus(byte[] destination, int offset, int status)
        {
            return SealResponse(destination, offset, MercuryOpcode.ReadTagIdMultiple, status, 0);
        }

        /// <summary>
        /// Encodes a streamed tag record (opcode 0x22, status 0): option byte 0x10, the record's search flags, its
        /// metadata flags, tag count 1, the metadata fields its flags select, EPC length, PC, XPC, EPC and the Gen2 tag
        /// CRC, which is computed here and stored in <see cref="MercuryTagRecord.TagCrc"/>.
        /// </summary>
        /// <param name="destination">Buffer to write; up to <see cref="MaxFrameLength"/> bytes from <paramref name="offset"/>.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="record">Fields to encode; <see cref="MercuryTagRecord.XpcCount"/> XPC words follow the PC. Its PC
        /// bit 0x0200 and XPC_W1 bit 0x8000 are set or cleared to match the XPC count, and its tag CRC is set.</param>
        /// <returns>The frame length, or 0 when the record does not fit a frame.</returns>
        public static int EncodeStreamedTagRead(byte[] destination, int offset, MercuryTagRecord record)
        {
            int d = offset + 5;
            destination[d] = MercuryTagParser.OptionMetadata;
            destination[d + 1] = (byte)(record.SearchFlags >> 8);
            destination[d + 2] = (byte)record.SearchFlags;
            destination[d + 3] = (byte)(record.MetadataFlags >> 8);
            destination[d + 4] = (byte)record.MetadataFlags;
            destination[d + 5] = 1;
            int end = EncodeRecord(destination, d + 6, offset + 5 + MaxDataLength, record);
            if (end < 0)
            {
                return 0;
            }

            return SealResponse(destination, offset, MercuryOpcode.ReadTagIdMultiple, MercuryStatus.Ok, end - d);
        }

        /// <summary>
        /// Encodes one record (metadata fields, EPC length, PC, XPC, EPC, tag CRC) as <see cref="MercuryTagParser.ParseRecord"/>
        /// reads it; used for streamed records and 0x29 responses.
        /// </summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="position">Index of the record's first byte.</param>
        /// <param name="limit">Index the record must end before or at.</param>
        /// <param name="record">Fields to encode; its metadata flags select the fields. Its PC, XPC_W1 and tag CRC are
        /// updated as for <see cref="EncodeStreamedTagRead"/>.</param>
        /// <returns>The index after the record, or −1 when it does not fit or has unknown flags.</returns>
        public static int EncodeRecord(byte[] destination, int position, int limit, MercuryTagRecord record)
        {
            int flags = record.MetadataFlags;
            int epcBytes = 2 + (2 * record.XpcCount) + record.EpcLength + 2;
            int size = 2 + epcBytes + MetadataSize(flags, record.DataLength);
            if ((flags & ~MercuryMetadata.Known) != 0 || record.XpcCount < 0 || record.XpcCount > 2 || position + size > limit)
            {
                return -1;
            }

            int p = position;
            if ((flags & MercuryMetadata.ReadCount) != 0)
            {
                destination[p++] = (byte)record.ReadCount;
            }

            if ((flags & MercuryMetadata.Rssi) != 0)
            {
                destination[p++] = (byte)record.RssiDbm;
            }

            if ((flags & MercuryMetadata.AntennaId) != 0)
            {
                destination[p++] = (byte)(((record.TxPort & 0x0F) << 4) | (record.RxPort & 0x0F));
            }

            if ((flags & MercuryMetadata.Frequency) != 0)
            {
                destination[p] = (byte)(record.FrequencyKhz >> 16);
                destination[p + 1] = (byte)(record.FrequencyKhz >> 8);
                destination[p + 2] = (byte)record.FrequencyKhz;
                p += 3;
            }

            if ((flags & MercuryMetadata.Timestamp) != 0)
            {
                long ts = record.Timestamp;
                destination[p] = (byte)(ts >> 24);
                destination[p + 1] = (byte)(ts >> 16);
                destination[p + 2] = (byte)(ts >> 8);
                destination[p + 3] = (byte)ts;
                p += 4;
            }

            if ((flags & MercuryMetadata.Phase) != 0)
            {
                destination[p] = (byte)(record.Phase >> 8);
                destination[p + 1] = (byte)record.Phase;
                p += 2;
            }

            if ((flags & MercuryMetadata.Protocol) != 0)
            {
                destination[p++] = (byte)record.Protocol;
            }

            if ((flags & MercuryMetadata.Data) != 0)
            {
                destination[p] = (byte)(record.DataBits >> 8);
                destination[p + 1] = (byte)record.DataBits;
                p += 2;
                int n = record.DataLength;
                for (int i = 0; i < n; i++)
                {
                    destination[p + i] = record.Data[i];
                }

                p += n;
            }

            if ((flags & MercuryMetadata.GpioStatus) != 0)
            {
                destination[p++] = (byte)record.Gpio;
            }

            if ((flags & MercuryMetadata.Gen2Q) != 0)
            {
                destination[p++] = (byte)record.Gen2Q;
            }

            if ((flags & MercuryMetadata.Gen2LinkFrequency) != 0)
            {
                destination[p++] = (byte)record.Gen2LinkFrequency;
            }

            if ((flags & MercuryMetadata.Gen2Target) != 0)
            {
                destination[p++] = (byte)record.Gen2Target;
            }

            if ((flags & MercuryMetadata.BrandIdentifier) != 0)
            {
                destination[p] = (byte)(record.BrandIdentifier >> 8);
                destination[p + 1] = (byte)record.BrandIdentifier;
                p += 2;
            }

            int bits = epcBytes * 8;
            destination[p] = (byte)(bits >> 8);
            destination[p + 1] = (byte)bits;
            p += 2;
            int tagStart = p;
            int pc = record.Pc;
            if (record.XpcCount > 0)
            {
                pc |= 0x0200;
            }
            else
            {
                pc &= ~0x0200;
            }

            record.Pc = pc;
            destination[p] = (byte)(pc >> 8);
            destination[p + 1] = (byte)pc;
            p += 2;
            if (record.XpcCount > 0)
            {
                int xpc1 = record.XpcCount == 2 ? record.Xpc1 | 0x8000 : record.Xpc1 & 0x7FFF;
                record.Xpc1 = xpc1;
                destination[p] = (byte)(xpc1 >> 8);
                destination[p + 1] = (byte)xpc1;
                p += 2;
                if (record.XpcCount == 2)
                {
                    destination[p] = (byte)(record.Xpc2 >> 8);
                    destination[p + 1] = (byte)record.Xpc2;
                    p += 2;
                }
            }

            for (int i = 0; i < record.EpcLength; i++)
            {
                destination[p + i] = record.Epc[i];
            }

            p += record.EpcLength;
            int crc = Crc16.Gen2(destination, tagStart, p - tagStart);
            record.TagCrc = crc;
            destination[p] = (byte)(crc >> 8);
            destination[p + 1] = (byte)crc;
            return p + 2;
        }

        /// <summary>Tells whether a buffer holds a complete, valid response frame (header, length and CRC).</summary>
        /// <param name="frame">Buffer.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="length">Bytes available from <paramref name="offset"/>.</param>
        /// <returns><c>true</c> for a valid response of exactly <paramref name="length"/> bytes.</returns>
        public static bool IsValidResponse(byte[] frame, int offset, int length)
        {
            return IsValid(frame, offset, length, ResponseOverhead);
        }

        /// <summary>Tells whether a buffer holds a complete, valid command frame (header, length and CRC).</summary>
        /// <param name="frame">Buffer.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="length">Bytes available from <paramref name="offset"/>.</param>
        /// <returns><c>true</c> for a valid command of exactly <paramref name="length"/> bytes.</returns>
        public static bool IsValidCommand(byte[] frame, int offset, int length)
        {
            return IsValid(frame, offset, length, CommandOverhead);
        }

        /// <summary>Gets the opcode of a frame (either direction).</summary>
        /// <param name="frame">Buffer.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <returns>The opcode.</returns>
        public static int Opcode(byte[] frame, int offset)
        {
            return frame[offset + 2];
        }

        /// <summary>Gets the LEN byte of a frame: the number of data bytes (the status word not included).</summary>
        /// <param name="frame">Buffer.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <returns>The data length.</returns>
        public static int DataLength(byte[] frame, int offset)
        {
            return frame[offset + 1];
        }

        /// <summary>Gets the status word of a response frame.</summary>
        /// <param name="frame">Buffer.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <returns>The status word.</returns>
        public static int Status(byte[] frame, int offset)
        {
            return (frame[offset + 3] << 8) | frame[offset + 4];
        }

        private static bool IsValid(byte[] frame, int offset, int length, int overhead)
        {
            if (frame == null || offset < 0 || length < overhead || offset > frame.Length - length
                || frame[offset] != Header || frame[offset + 1] + overhead != length || frame[offset + 1] > MaxDataLength)
            {
                return false;
            }

            int crc = Crc16.Mercury(frame, offset + 1, length - 3);
            return frame[offset + length - 2] == (byte)(crc >> 8) && frame[offset + length - 1] == (byte)crc;
        }

        private static int MetadataSize(int flags, int dataLength)
        {
            int size = 0;
            if ((flags & MercuryMetadata.ReadCount) != 0)
            {
                size += 1;
            }

            if ((flags & MercuryMetadata.Rssi) != 0)
            {
                size += 1;
            }

            if ((flags & MercuryMetadata.AntennaId) != 0)
            {
                size += 1;
            }

            if ((flags & MercuryMetadata.Frequency) != 0)
            {
                size += 3;
            }

            if ((flags & MercuryMetadata.Timestamp) != 0)
            {
                size += 4;
            }

            if ((flags & MercuryMetadata.Phase) != 0)
            {
                size += 2;
            }

            if ((flags & MercuryMetadata.Protocol) != 0)
            {
                size += 1;
            }

            if ((flags & MercuryMetadata.Data) != 0)
            {
                size += 2 + dataLength;
            }

            if ((flags & MercuryMetadata.GpioStatus) != 0)
            {
                size += 1;
            }

            if ((flags & MercuryMetadata.Gen2Q) != 0)
            {
                size += 1;
            }

            if ((flags & MercuryMetadata.Gen2LinkFrequency) != 0)
            {
                size += 1;
            }

            if ((flags & MercuryMetadata.Gen2Target) != 0)
            {
                size += 1;
            }

            if ((flags & MercuryMetadata.BrandIdentifier) != 0)
            {
                size += 2;
            }

            return size;
        }
    }
}
