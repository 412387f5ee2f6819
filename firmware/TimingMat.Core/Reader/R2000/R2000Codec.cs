// Over 400 lines for a reason: the R2000 "0xA0" frame table in one place (checksum, command and answer encoders, tag
// frames, round summaries, frequency table), so it reads against protocol reference §2.1; public for the emulators and tests.
namespace TimingMat.Core.Reader.R2000
{
    /// <summary>
    /// Encodes, checks and decodes frames of the Impinj R2000 / E710 "0xA0" module protocol. Every encoder writes a
    /// whole frame into a caller's buffer and returns its length, so nothing is allocated.
    /// </summary>
    /// <remarks>
    /// <para>Frame, both directions: <c>A0 Len Address Cmd Data… Check</c>. Len counts the bytes after itself
    /// (address, command, data, check: 3 + data), so a frame is Len + 2 bytes. Check is the two's complement of the
    /// 8-bit sum of every byte before it: a whole valid frame sums to 0 mod 256 (vendor demo <c>CheckSum</c>, pyImpinj
    /// <c>lrc</c>). Some derived firmwares XOR instead; verify against the actual module.</para>
    /// <para>Inventory answers (0x89, 0x8A, 0x8B): a tag frame <c>FreqAnt PC(2) EPC RSSI [Phase(2)]</c> (Len = EPC + 7,
    /// or + 9 with phase; the EPC length comes from PC bits 15..11), a round summary (Len 0x0A), or an error (Len 4,
    /// one code). FreqAnt bits 1..0 are antenna − 1, bits 7..2 the frequency index. RSSI ≈ raw − 129 dBm; on 8- and
    /// 16-port readers bit 7 of the RSSI byte adds 4 to the antenna and the RSSI is (raw &amp; 0x7F) − 129.</para>
    /// </remarks>
    public static class R2000Codec
    {
        /// <summary>The header byte of every frame.</summary>
        public const byte Header = 0xA0;

        /// <summary>The broadcast ("public") address every module answers.</summary>
        public const int BroadcastAddress = 0xFF;

        /// <summary>Len of an acknowledgement or error frame (one code byte).</summary>
        public const int AckLength = 4;

        /// <summary>Len of an inventory round summary.</summary>
        public const int SummaryLength = 0x0A;

        /// <summary>Largest frame in bytes (Len 255).</summary>
        public const int MaxFrameLength = 257;

        /// <summary>Region code: FCC (902-928 MHz).</summary>
        public const int RegionFcc = 1;

        /// <summary>Region code: ETSI (865-868 MHz).</summary>
        public const int RegionEtsi = 2;

        /// <summary>Region code: China.</summary>
        public const int RegionChina = 3;

        /// <summary>Highest frequency index of the table.</summary>
        public const int MaxFrequencyIndex = 59;

        /// <summary>Computes the check byte: the two's complement of the 8-bit sum of the bytes.</summary>
        /// <param name="buffer">Buffer.</param>
        /// <param name="offset">Index of the first byte (the header).</param>
        /// <param name="count">Number of bytes (the whole frame without its check byte).</param>
        /// <returns>The check byte.</returns>
        public static int Checksum(byte[] buffer, int offset, int count)
        {
            int sum = 0;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                sum += buffer[i];
            }

            return (-sum) & 0xFF;
        }

        /// <summary>Tells whether a buffer holds a complete frame of exactly <paramref name="length"/> bytes with a valid check.</summary>
        /// <param name="frame">Buffer.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="length">Frame length.</param>
        /// <returns><c>true</c> for a valid frame.</returns>
        public static bool IsValid(byte[] frame, int offset, int length)
        {
            if (frame == null || offset < 0 || length < 5 || offset > frame.Length - length
                || frame[offset] != Header || frame[offset + 1] + 2 != length)
            {
                return false;
            }

            int sum = 0;
            for (int i = 0; i < length; i++)
            {
                sum += frame[offset + i];
            }

            return (sum & 0xFF) == 0;
        }

        /// <summary>Encodes a frame.</summary>
        /// <param name="destination">Buffer to write; needs <c>dataLength + 5</c> bytes from <paramref name="offset"/>.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address (0xFF = broadcast).</param>
        /// <param name="command">Command code.</param>
        /// <param name="data">Data bytes, or <c>null</c> when <paramref name="dataLength"/> is 0.</param>
        /// <param name="dataOffset">Index of the first data byte.</param>
        /// <param name="dataLength">Number of data bytes, 0..252.</param>
        /// <returns>The frame length.</returns>
        public static int Encode(byte[] destination, int offset, int address, int command, byte[] data, int dataOffset, int dataLength)
        {
            for (int i = 0; i < dataLength; i++)
            {
                destination[offset + 4 + i] = data[dataOffset + i];
            }

            return Seal(destination, offset, address, command, dataLength);
        }

        /// <summary>Completes a frame whose data is already at <c>offset + 4</c>: header, Len, address, command, check.</summary>
        /// <param name="destination">Buffer holding the data.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address.</param>
        /// <param name="command">Command code.</param>
        /// <param name="dataLength">Number of data bytes.</param>
        /// <returns>The frame length.</returns>
        public static int Seal(byte[] destination, int offset, int address, int command, int dataLength)
        {
            destination[offset] = Header;
            destination[offset + 1] = (byte)(dataLength + 3);
            destination[offset + 2] = (byte)address;
            destination[offset + 3] = (byte)command;
            destination[offset + 4 + dataLength] = (byte)Checksum(destination, offset, dataLength + 4);
            return dataLength + 5;
        }

        /// <summary>Encodes get firmware version: <c>A0 03 FF 72 EC</c> to the broadcast address.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeGetFirmwareVersion(byte[] destination, int offset, int address)
        {
            return Seal(destination, offset, address, R2000Command.GetFirmwareVersion, 0);
        }

        /// <summary>Encodes set work antenna.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address.</param>
        /// <param name="antenna">Antenna, 1-based (sent 0-based).</param>
        /// <returns>The frame length.</returns>
        public static int EncodeSetWorkAntenna(byte[] destination, int offset, int address, int antenna)
        {
            destination[offset + 4] = (byte)(antenna - 1);
            return Seal(destination, offset, address, R2000Command.SetWorkAntenna, 1);
        }

        /// <summary>Encodes set output power for all antennas: 30 dBm is <c>A0 04 FF 76 1E C9</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address.</param>
        /// <param name="dbm">Power in dBm, 0..33.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeSetOutputPower(byte[] destination, int offset, int address, int dbm)
        {
            destination[offset + 4] = (byte)dbm;
            return Seal(destination, offset, address, R2000Command.SetOutputPower, 1);
        }

        /// <summary>Encodes set frequency region with a start and end index of the frequency table.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address.</param>
        /// <param name="region">Region (<see cref="RegionFcc"/>, <see cref="RegionEtsi"/>, <see cref="RegionChina"/>).</param>
        /// <param name="startIndex">First frequency index.</param>
        /// <param name="endIndex">Last frequency index.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeSetFrequencyRegion(byte[] destination, int offset, int address, int region, int startIndex, int endIndex)
        {
            destination[offset + 4] = (byte)region;
            destination[offset + 5] = (byte)startIndex;
            destination[offset + 6] = (byte)endIndex;
            return Seal(destination, offset, address, R2000Command.SetFrequencyRegion, 3);
        }

        /// <summary>Encodes set baud rate: 3 = 38400, 4 = 115200.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address.</param>
        /// <param name="baudRate">38400 or 115200.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeSetBaudRate(byte[] destination, int offset, int address, int baudRate)
        {
            destination[offset + 4] = (byte)(baudRate == 38400 ? 3 : 4);
            return Seal(destination, offset, address, R2000Command.SetBaudRate, 1);
        }

        /// <summary>Encodes real-time inventory: repeat 1 to the broadcast address is <c>A0 04 FF 89 01 D3</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address.</param>
        /// <param name="repeat">Inventory rounds before the summary, 1..255.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeRealTimeInventory(byte[] destination, int offset, int address, int repeat)
        {
            destination[offset + 4] = (byte)repeat;
            return Seal(destination, offset, address, R2000Command.RealTimeInventory, 1);
        }

        /// <summary>Encodes customised session/target inventory: S1, target A, repeat 1 is <c>A0 06 FF 8B 01 00 01 CE</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address.</param>
        /// <param name="session">Gen2 session 0..3.</param>
        /// <param name="target">Target 0 = A, 1 = B.</param>
        /// <param name="repeat">Inventory rounds before the summary, 1..255.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeSessionInventory(byte[] destination, int offset, int address, int session, int target, int repeat)
        {
            destination[offset + 4] = (byte)session;
            destination[offset + 5] = (byte)target;
            destination[offset + 6] = (byte)repeat;
            return Seal(destination, offset, address, R2000Command.SessionInventory, 3);
        }

        /// <summary>Encodes a one-code answer (Len 4): an acknowledgement (<see cref="R2000Status.Success"/>) or an error.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address.</param>
        /// <param name="command">Command answered.</param>
        /// <param name="code">Status code (<see cref="R2000Status"/>).</param>
        /// <returns>The frame length.</returns>
        public static int EncodeStatus(byte[] destination, int offset, int address, int command, int code)
        {
            destination[offset + 4] = (byte)code;
            return Seal(destination, offset, address, command, 1);
        }

        /// <summary>Encodes the answer to get firmware version (Len 5: major, minor).</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address.</param>
        /// <param name="major">Major version.</param>
        /// <param name="minor">Minor version.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeFirmwareVersion(byte[] destination, int offset, int address, int major, int minor)
        {
            destination[offset + 4] = (byte)major;
            destination[offset + 5] = (byte)minor;
            return Seal(destination, offset, address, R2000Command.GetFirmwareVersion, 2);
        }

        /// <summary>Encodes an inventory tag frame.</summary>
        /// <param name="destination">Buffer to write; up to <see cref="MaxFrameLength"/> bytes.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="tag">Fields: address, command, antenna (1-4, or 1-8 when <paramref name="antennaPorts"/> is 8),
        /// frequency index, PC, EPC, RSSI in dBm, optional phase.</param>
        /// <param name="antennaPorts">4 or 8: on 8-port readers antennas 5-8 set bit 7 of the RSSI byte.</param>
        /// <returns>The frame length, or 0 when the antenna does not exist or the EPC does not match the PC.</returns>
        public static int EncodeTagFrame(byte[] destination, int offset, R2000TagFrame tag, int antennaPorts)
        {
            int antenna = tag.Antenna - 1;
            int maxAntenna = antennaPorts > 4 ? 8 : 4;
            if (antenna < 0 || antenna >= maxAntenna || EpcBytesFromPc(tag.Pc) != tag.EpcLength || tag.FrequencyIndex < 0 || tag.FrequencyIndex > 63)
            {
                return 0;
            }

            int rssi = tag.RssiDbm + 129;
            rssi = rssi < 0 ? 0 : (rssi > 127 ? 127 : rssi);
            if (antenna >= 4)
            {
                rssi |= 0x80;
            }

            int d = offset + 4;
            destination[d] = (byte)((tag.FrequencyIndex << 2) | (antenna & 0x03));
            destination[d + 1] = (byte)(tag.Pc >> 8);
            destination[d + 2] = (byte)tag.Pc;
            for (int i = 0; i < tag.EpcLength; i++)
            {
                destination[d + 3 + i] = tag.Epc[i];
            }

            int p = d + 3 + tag.EpcLength;
            destination[p++] = (byte)rssi;
            if (tag.HasPhase)
            {
                destination[p] = (byte)(tag.Phase >> 8);
                destination[p + 1] = (byte)tag.Phase;
                p += 2;
            }

            return Seal(destination, offset, tag.Address, tag.Command, p - d);
        }

        /// <summary>Encodes the round summary of a 0x89/0x8B inventory: <c>AntID ReadRate(2) TotalRead(4)</c>.</summary>
        /// <param name="destination">Buffer to write.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="address">Reader address.</param>
        /// <param name="command">Inventory command ended.</param>
        /// <param name="antenna">Antenna, 1-based (sent 0-based).</param>
        /// <param name="readRate">Tags per second.</param>
        /// <param name="totalRead">Tag reads of the command.</param>
        /// <returns>The frame length.</returns>
        public static int EncodeRoundSummary(byte[] destination, int offset, int address, int command, int antenna, int readRate, long totalRead)
        {
            int d = offset + 4;
            destination[d] = (byte)(antenna - 1);
            destination[d + 1] = (byte)(readRate >> 8);
            destination[d + 2] = (byte)readRate;
            destination[d + 3] = (byte)(totalRead >> 24);
            destination[d + 4] = (byte)(totalRead >> 16);
            destination[d + 5] = (byte)(totalRead >> 8);
            destination[d + 6] = (byte)totalRead;
            return Seal(destination, offset, address, command, 7);
        }

        /// <summary>Gets the Len byte of a frame.</summary>
        /// <param name="frame">Buffer.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <returns>Len: the bytes after it.</returns>
        public static int Length(byte[] frame, int offset)
        {
            return frame[offset + 1];
        }

        /// <summary>Gets the address byte of a frame.</summary>
        /// <param name="frame">Buffer.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <returns>The address.</returns>
        public static int Address(byte[] frame, int offset)
        {
            return frame[offset + 2];
        }

        /// <summary>Gets the command byte of a frame.</summary>
        /// <param name="frame">Buffer.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <returns>The command code.</returns>
        public static int Command(byte[] frame, int offset)
        {
            return frame[offset + 3];
        }

        /// <summary>Gets the EPC length in bytes that a PC word announces: <c>((pc &amp; 0xF800) &gt;&gt; 10) &amp; 0x3E</c>.</summary>
        /// <param name="pc">The PC word.</param>
        /// <returns>EPC bytes, 0..62.</returns>
        public static int EpcBytesFromPc(int pc)
        {
            return ((pc & 0xF800) >> 10) & 0x3E;
        }

        /// <summary>
        /// Gets the carrier frequency of a frequency index: <c>865.0 + 0.5 i</c> MHz for i = 0..6 (ETSI), then
        /// <c>902.0 + 0.5 (i − 7)</c> MHz for i = 7..59 (pyImpinj <c>FREQUENCY_TABLES</c>).
        /// </summary>
        /// <param name="index">Frequency index.</param>
        /// <returns>kHz, or 0 when the index is off the table.</returns>
        public static int FrequencyKhz(int index)
        {
            if (index < 0 || index > MaxFrequencyIndex)
            {
                return 0;
            }

            return index < 7 ? 865000 + (500 * index) : 902000 + (500 * (index - 7));
        }

        /// <summary>Gets the frequency index of a carrier frequency.</summary>
        /// <param name="frequencyKhz">Frequency in kHz.</param>
        /// <returns>The index whose frequency is nearest, or −1 when it is more than 250 kHz from every entry.</returns>
        public static int FrequencyIndex(int frequencyKhz)
        {
            for (int i = 0; i <= MaxFrequencyIndex; i++)
            {
                int delta = FrequencyKhz(i) - frequencyKhz;
                if (delta > -250 && delta <= 250)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Tells which kind of inventory answer a valid frame is, from its Len.</summary>
        /// <param name="frame">Buffer.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <returns><see cref="AckLength"/> for a one-code answer, <see cref="SummaryLength"/> for a round summary, else 0 (a tag frame).</returns>
        public static int InventoryAnswerKind(byte[] frame, int offset)
        {
            int len = frame[offset + 1];
            return len == AckLength || len == SummaryLength ? len : 0;
        }

        /// <summary>Parses an inventory tag frame.</summary>
        /// <param name="frame">Buffer holding a valid frame (checksum already checked).</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="length">Frame length.</param>
        /// <param name="antennaPorts">4 or 8 (see the class remarks).</param>
        /// <param name="tag">Frame to fill.</param>
        /// <returns><c>true</c> when the frame is an inventory tag frame whose Len matches its PC (with or without phase).</returns>
        public static bool ParseTagFrame(byte[] frame, int offset, int length, int antennaPorts, R2000TagFrame tag)
        {
            if (length < 9 || frame[offset + 1] + 2 != length || !R2000Command.IsInventory(frame[offset + 3]))
            {
                return false;
            }

            int pc = (frame[offset + 5] << 8) | frame[offset + 6];
            int epc = EpcBytesFromPc(pc);
            int len = frame[offset + 1];
            bool phase;
            if (len == epc + 7)
            {
                phase = false;
            }
            else if (len == epc + 9)
            {
                phase = true;
            }
            else
            {
                return false;
            }

            int freqAnt = frame[offset + 4];
            int p = offset + 7;
            byte[] target = tag.Epc;
            for (int i = 0; i < epc; i++)
            {
                target[i] = frame[p + i];
            }

            p += epc;
            int rssi = frame[p++];
            int antenna = (freqAnt & 0x03) + 1;
            if (antennaPorts > 4)
            {
                if ((rssi & 0x80) != 0)
                {
                    antenna += 4;
                }

                rssi &= 0x7F;
            }

            tag.Address = frame[offset + 2];
            tag.Command = frame[offset + 3];
            tag.Antenna = antenna;
            tag.FrequencyIndex = freqAnt >> 2;
            tag.Pc = pc;
            tag.EpcLength = epc;
            tag.RssiDbm = rssi - 129;
            tag.HasPhase = phase;
            tag.Phase = phase ? (frame[p] << 8) | frame[p + 1] : 0;
            return true;
        }

        /// <summary>Parses an inventory round summary (Len 0x0A).</summary>
        /// <param name="frame">Buffer holding a valid frame.</param>
        /// <param name="offset">Index of the header byte.</param>
        /// <param name="length">Frame length.</param>
        /// <param name="summary">Summary to fill.</param>
        /// <returns><c>true</c> when the frame is a round summary of an inventory command.</returns>
        public static bool ParseRoundSummary(byte[] frame, int offset, int length, R2000RoundSummary summary)
        {
            if (length != SummaryLength + 2 || frame[offset + 1] != SummaryLength || !R2000Command.IsInventory(frame[offset + 3]))
            {
                return false;
            }

            int command = frame[offset + 3];
            int d = offset + 4;
            summary.Command = command;
            if (command == R2000Command.FastSwitchInventory)
            {
                summary.Antenna = 0;
                summary.ReadRate = 0;
                summary.TotalRead = ((long)frame[d] << 16) | ((long)frame[d + 1] << 8) | frame[d + 2];
                summary.DurationMs = ((long)frame[d + 3] << 24) | ((long)frame[d + 4] << 16) | ((long)frame[d + 5] << 8) | frame[d + 6];
            }
            else
            {
                summary.Antenna = frame[d] + 1;
                summary.ReadRate = (frame[d + 1] << 8) | frame[d + 2];
                summary.TotalRead = ((long)frame[d + 3] << 24) | ((long)frame[d + 4] << 16) | ((long)frame[d + 5] << 8) | frame[d + 6];
                summary.DurationMs = 0;
            }

            return true;
        }
    }
}
