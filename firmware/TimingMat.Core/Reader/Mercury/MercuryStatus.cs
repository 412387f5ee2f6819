namespace TimingMat.Core.Reader.Mercury
{
    /// <summary>
    /// The 16-bit status word of Mercury responses (the <c>TMR_ERROR_CODE</c> values of the Mercury API's
    /// <c>tmr_status.h</c>) that the driver, emulator and decoder deal with.
    /// </summary>
    public static class MercuryStatus
    {
        /// <summary>Success.</summary>
        public const int Ok = 0x0000;

        /// <summary>The command has the wrong number of data bytes.</summary>
        public const int WrongNumberOfData = 0x0100;

        /// <summary>The opcode is not recognised.</summary>
        public const int InvalidOpcode = 0x0101;

        /// <summary>The opcode is recognised but not supported.</summary>
        public const int UnimplementedOpcode = 0x0102;

        /// <summary>The requested power is above the module's maximum.</summary>
        public const int PowerTooHigh = 0x0103;

        /// <summary>A parameter value is outside the allowed range.</summary>
        public const int InvalidParameterValue = 0x0105;

        /// <summary>The requested power is below the module's minimum.</summary>
        public const int PowerTooLow = 0x0106;

        /// <summary>The requested baud rate is not supported.</summary>
        public const int InvalidBaudRate = 0x010A;

        /// <summary>The region is not supported.</summary>
        public const int InvalidRegion = 0x010B;

        /// <summary>No tags found; in a continuous read, the status of the keep-alive (read-cycle reset) frame.</summary>
        public const int NoTagsFound = 0x0400;

        /// <summary>The requested tag protocol is not recognised.</summary>
        public const int InvalidProtocol = 0x0402;

        /// <summary>The module's radio is not on (e.g. no region set).</summary>
        public const int AfeNotOn = 0x0405;

        /// <summary>No antenna detected during the pre-transmit safety test.</summary>
        public const int AntennaNotConnected = 0x0503;

        /// <summary>The module is too hot and throttles its reading (a status frame while streaming).</summary>
        public const int TemperatureExceedsLimits = 0x0504;

        /// <summary>Excess reflected power at the transmitter (antenna mismatch).</summary>
        public const int HighReturnLoss = 0x0505;

        /// <summary>Gets a short snake_case description of a status word, for logs and the decoder.</summary>
        /// <param name="status">The status word.</param>
        /// <returns>The description, or <c>"error"</c> for a code not listed here.</returns>
        public static string Name(int status)
        {
            switch (status)
            {
                case Ok: return "ok";
                case WrongNumberOfData: return "wrong_number_of_data";
                case InvalidOpcode: return "invalid_opcode";
                case UnimplementedOpcode: return "unimplemented_opcode";
                case PowerTooHigh: return "power_too_high";
                case InvalidParameterValue: return "invalid_parameter_value";
                case PowerTooLow: return "power_too_low";
                case InvalidBaudRate: return "invalid_baud_rate";
                case InvalidRegion: return "invalid_region";
                case NoTagsFound: return "no_tags_found";
                case InvalidProtocol: return "invalid_protocol";
                case AfeNotOn: return "afe_not_on";
                case AntennaNotConnected: return "antenna_not_connected";
                case TemperatureExceedsLimits: return "temperature_exceeds_limits";
                case HighReturnLoss: return "high_return_loss";
                default: return "error";
            }
        }
    }
}
