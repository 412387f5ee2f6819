namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>
    /// Opcodes of the ThingMagic Mercury embedded-module serial protocol that the driver, the emulator and the decoder
    /// use (SparkFun <c>SparkFun_UHF_RFID_Reader.h</c>; the <c>TMR_SR_OpCode</c> enum of <c>serial_reader_imp.h</c> agrees).
    /// </summary>
    public static class MercuryOpcode
    {
        /// <summary>Get version: the first command after connecting.</summary>
        public const int Version = 0x03;

        /// <summary>Set baud rate: 4-byte big-endian baud.</summary>
        public const int SetBaudRate = 0x06;

        /// <summary>Read tag ID single.</summary>
        public const int ReadTagIdSingle = 0x21;

        /// <summary>Read tag ID multiple; also the opcode of every streamed tag record, keep-alive and status frame.</summary>
        public const int ReadTagIdMultiple = 0x22;

        /// <summary>Read tag data.</summary>
        public const int ReadTagData = 0x28;

        /// <summary>Get tag ID buffer (the single-read path: records with metadata).</summary>
        public const int GetTagIdBuffer = 0x29;

        /// <summary>Clear tag ID buffer.</summary>
        public const int ClearTagIdBuffer = 0x2A;

        /// <summary>Multi-protocol tag operation: starts and stops continuous reading.</summary>
        public const int MultiProtocolTagOp = 0x2F;

        /// <summary>Get antenna port.</summary>
        public const int GetAntennaPort = 0x61;

        /// <summary>Get read TX power.</summary>
        public const int GetReadTxPower = 0x62;

        /// <summary>Get tag protocol.</summary>
        public const int GetTagProtocol = 0x63;

        /// <summary>Get region.</summary>
        public const int GetRegion = 0x67;

        /// <summary>Get reader optional parameters.</summary>
        public const int GetReaderOptionalParams = 0x6A;

        /// <summary>Set antenna port (TX, RX).</summary>
        public const int SetAntennaPort = 0x91;

        /// <summary>Set read TX power: int16 big-endian centi-dBm.</summary>
        public const int SetReadTxPower = 0x92;

        /// <summary>Set tag protocol: 16-bit protocol id.</summary>
        public const int SetTagProtocol = 0x93;

        /// <summary>Set region: 1-byte region code.</summary>
        public const int SetRegion = 0x97;

        /// <summary>Set reader optional parameters (<c>01 0C 00</c> turns the read filter off).</summary>
        public const int SetReaderOptionalParams = 0x9A;

        /// <summary>Gets a short snake_case name of an opcode, for logs and the decoder.</summary>
        /// <param name="opcode">The opcode.</param>
        /// <returns>The name, or <c>"unknown"</c>.</returns>
        public static string Name(int opcode)
        {
            switch (opcode)
            {
                case Version: return "version";
                case SetBaudRate: return "set_baud_rate";
                case ReadTagIdSingle: return "read_tag_id_single";
                case ReadTagIdMultiple: return "read_tag_id_multiple";
                case ReadTagData: return "read_tag_data";
                case GetTagIdBuffer: return "get_tag_id_buffer";
                case ClearTagIdBuffer: return "clear_tag_id_buffer";
                case MultiProtocolTagOp: return "multi_protocol_tag_op";
                case GetAntennaPort: return "get_antenna_port";
                case GetReadTxPower: return "get_read_tx_power";
                case GetTagProtocol: return "get_tag_protocol";
                case GetRegion: return "get_region";
                case GetReaderOptionalParams: return "get_reader_optional_params";
                case SetAntennaPort: return "set_antenna_port";
                case SetReadTxPower: return "set_read_tx_power";
                case SetTagProtocol: return "set_tag_protocol";
                case SetRegion: return "set_region";
                case SetReaderOptionalParams: return "set_reader_optional_params";
                default: return "unknown";
            }
        }
    }
}
