namespace TimingMat.Core.Reader.R2000
{
    /// <summary>Status and error codes of the R2000 protocol (pyImpinj <c>ImpinjR2KGlobalErrors</c>).</summary>
    public static class R2000Status
    {
        /// <summary>Success (the data byte of a command's acknowledgement).</summary>
        public const int Success = 0x10;

        /// <summary>Command failed.</summary>
        public const int Fail = 0x11;

        /// <summary>Antenna missing.</summary>
        public const int AntennaMissing = 0x22;

        /// <summary>Setting the output power failed.</summary>
        public const int SetOutputPowerError = 0x25;

        /// <summary>Tag inventory error.</summary>
        public const int TagInventoryError = 0x31;

        /// <summary>No tag (an inventory round that found nothing, on firmwares that report it as an error).</summary>
        public const int NoTag = 0x36;

        /// <summary>Buffer empty.</summary>
        public const int BufferEmpty = 0x38;

        /// <summary>Parameter invalid.</summary>
        public const int ParameterInvalid = 0x41;

        /// <summary>Antenna id out of range.</summary>
        public const int AntennaIdOutOfRange = 0x47;

        /// <summary>Output power out of range.</summary>
        public const int OutputPowerOutOfRange = 0x48;

        /// <summary>Frequency region out of range.</summary>
        public const int FrequencyRegionOutOfRange = 0x49;

        /// <summary>Baud rate out of range.</summary>
        public const int BaudRateOutOfRange = 0x4A;

        /// <summary>Frequency range (start/end index) invalid.</summary>
        public const int InvalidFrequencyRange = 0x4F;

        /// <summary>Gets a short snake_case description of a code, for logs and the decoder.</summary>
        /// <param name="code">The code.</param>
        /// <returns>The description, or <c>"error"</c> for a code not listed here.</returns>
        public static string Name(int code)
        {
            switch (code)
            {
                case Success: return "success";
                case Fail: return "fail";
                case AntennaMissing: return "antenna_missing";
                case SetOutputPowerError: return "set_output_power_error";
                case TagInventoryError: return "tag_inventory_error";
                case NoTag: return "no_tag";
                case BufferEmpty: return "buffer_empty";
                case ParameterInvalid: return "parameter_invalid";
                case AntennaIdOutOfRange: return "antenna_id_out_of_range";
                case OutputPowerOutOfRange: return "output_power_out_of_range";
                case FrequencyRegionOutOfRange: return "frequency_region_out_of_range";
                case BaudRateOutOfRange: return "baud_rate_out_of_range";
                case InvalidFrequencyRange: return "invalid_frequency_range";
                default: return "error";
            }
        }
    }
}
